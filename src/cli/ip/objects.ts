// Object modules beyond the first ones index.ts names: an object ip knows (index.ts's OBJECTS,
// in ip's abbreviation order) whose entry there is null is looked up here by its full name.
// Registering an object is one line: `NAME: () => import('./FILE.js'),`.
import type { Loader } from './index.js';

/** Loaders by ip's object name (aliases such as tunl/tap point to the same module). */
export const OBJECT_MODULES: Record<string, Loader> = {
  maddress: () => import('./maddr.js'),
  // tunnel: () => import('./tunnel.js'),
  // tunl: () => import('./tunnel.js'),
  tuntap: () => import('./tuntap.js'),
  tap: () => import('./tuntap.js'),
  netconf: () => import('./netconf.js'),
  vrf: () => import('./vrf.js'),
  mptcp: () => import('./mptcp.js'),
  stats: () => import('./stats.js'),
};
