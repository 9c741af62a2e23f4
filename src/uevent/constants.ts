// The uevent multicast groups and libudev's monitor framing. None of these are in the UAPI
// headers: the groups are libudev's (src/libudev/libudev-monitor.c, MONITOR_GROUP_*), and the
// kernel sends its uevents to group 1 (lib/kobject_uevent.c broadcasts to group 1).

/** The group the kernel sends uevents to (libudev's MONITOR_GROUP_KERNEL). */
export const UEVENT_GROUP_KERNEL = 1;
/** The group udevd re-sends processed events to, in libudev's framing (MONITOR_GROUP_UDEV). */
export const UEVENT_GROUP_UDEV = 2;
/** The first 8 bytes of a libudev datagram ("libudev\0"). */
export const UDEV_MONITOR_PREFIX = 'libudev';
/** udev_monitor_netlink_header.magic, stored big-endian (htobe32(UDEV_MONITOR_MAGIC)). */
export const UDEV_MONITOR_MAGIC = 0xfeedcafe;
