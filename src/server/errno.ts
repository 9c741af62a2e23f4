// Linux errno values the server answers with. They are fixed by the Linux ABI (asm-generic/errno*.h),
// so they are plain numbers here rather than os.constants lookups.

/** Operation not permitted: an admin-only operation from an unprivileged caller. */
export const EPERM = 1;
/** No such family, object or port. */
export const ENOENT = 2;
/** No multicast listener (netlink_broadcast found nobody). */
export const ESRCH = 3;
/** A closed socket. */
export const EBADF = 9;
/** The receiver's queue is full and the sender does not wait. */
export const EAGAIN = 11;
/** A dump is already running on this socket. */
export const EBUSY = 16;
/** Malformed request. */
export const EINVAL = 22;
/** A value or length outside its policy. */
export const ERANGE = 34;
/** No data: a policy dump with nothing to describe. */
export const ENODATA = 61;
/** A message does not fit in a dump buffer. */
export const EMSGSIZE = 90;
/** Unknown socket option. */
export const ENOPROTOOPT = 92;
/** No handler for this message type or command. */
export const EOPNOTSUPP = 95;
/** Port id already bound. */
export const EADDRINUSE = 98;
/** Events were lost: the receive queue overflowed. */
export const ENOBUFS = 105;
/** No socket with that port id. */
export const ECONNREFUSED = 111;
/** Returned by a handler that started a dump: netlink_rcv_skb then sends no ACK. */
export const EINTR = 4;
/** An object of that name or key exists already (rtnetlink's NLM_F_EXCL). */
export const EEXIST = 17;
/** No such network device. */
export const ENODEV = 19;
/** No such address on the device. */
export const EADDRNOTAVAIL = 99;
/** The nexthop device is down. */
export const ENETDOWN = 100;
/** The gateway is not reachable. */
export const ENETUNREACH = 101;
/** No route to the gateway (IPv6). */
export const EHOSTUNREACH = 113;
