// The nlex example of the reference tutorial ("Communicating between the kernel and user-space
// in Linux using Netlink sockets: source code reference"): a variable `myvar` exposed over a
// classic protocol and over a generic netlink family. The tutorial's typos are fixed here
// (NLMF_ECHO is NLM_F_ECHO, NLEX_MAX is NLE_MAX, nlattrib is nlattr).

/** Classic flavour: enum nlexample_msg_types, starting at NLMSG_MIN_TYPE. */
export const NLEX_MSG_BASE = 0x10;
/** Update myvar (carries NLE_MYVAR); also the type of every message that carries the value. */
export const NLEX_MSG_UPD = NLEX_MSG_BASE;
/** Get myvar: answered with an NLEX_MSG_UPD message. */
export const NLEX_MSG_GET = NLEX_MSG_BASE + 1;

/** enum nlexample_attr. */
export const NLE_UNSPEC = 0;
/** myvar, u32. */
export const NLE_MYVAR = 1;
/** Highest attribute. */
export const NLE_MAX = 1;

/** Classic flavour: the notification group (NLEX_GRP_MYVAR is the bind() mask 1 << 0, group 1). */
export const NLEX_GRP_MYVAR = 1;

/** Generic netlink flavour: update myvar (the tutorial's second header numbers commands from 0). */
export const NLEX_CMD_UPD = 0;
/** Generic netlink flavour: get myvar, answered with an NLEX_CMD_UPD message. */
export const NLEX_CMD_GET = 1;

/** Generic netlink flavour: the family name. */
export const NLEX_FAMILY = 'nlex';
/** Generic netlink flavour: the family version. */
export const NLEX_VERSION = 1;
/** Generic netlink flavour: the multicast group of changes. */
export const NLEX_GROUP = 'example';

/**
 * Default NETLINK_USERSOCK port ids of `nlkit nlex serve` ("NLEX" and "NLEC" in ASCII). They
 * are above any process id and below the kernel's autobind range, so no socket of another
 * program gets them by accident. The flavours differ so a client of one cannot reach a server
 * of the other (their message types overlap: 0x10 is NLEX_MSG_UPD and GENL_ID_CTRL).
 */
export const NLEX_PORT = 0x4e4c4558;
/** Default port id of the classic flavour's server ("NLEC"). */
export const NLEX_CLASSIC_PORT = 0x4e4c4543;
