// Every link kind nlkit ip knows, loaded for their registrations. Kinds without options of
// their own (ifb, dummy, nlmon, …) need no file: `type KIND` with no ARGS is sent as is.
import './veth.js';
import './bridge.js';
import './vxlan.js';
import './macvlan.js';
import './vlan.js';
import './tun.js';

export { linkKind, type LinkKind } from './kinds.js';
