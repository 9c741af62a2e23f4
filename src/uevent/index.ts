// nlkit/uevent: kernel device events (NETLINK_KOBJECT_UEVENT), per network namespace, in the
// kernel's KEY=VALUE format or libudev's framing.
export { uevents, UeventMonitor, type UeventOptions } from './monitor.js';
export { decodeUevent, type Uevent } from './decode.js';
export { UEVENT_GROUP_KERNEL, UEVENT_GROUP_UDEV, UDEV_MONITOR_MAGIC } from './constants.js';
