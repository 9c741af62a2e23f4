// What shell completion offers for `nlkit ip`, besides what it reads from the parsers' own
// tables (commands.ts, genl/options.ts, ethtool/commands.ts and ethtool/params.ts): each ip
// object's verbs in iproute2's grammar (`ip OBJECT help`), and the keywords whose value is a
// device. The objects themselves come from `nlkit ip`'s usage (ip/index.ts USAGE), so only
// objects nlkit has are offered.

/** Verbs of each ip object, as iproute2 lists them (checked against `ip OBJECT help` by a test). */
export const IP_VERBS: Readonly<Record<string, readonly string[]>> = {
  address: ['add', 'change', 'replace', 'del', 'delete', 'show', 'list', 'flush', 'save', 'restore', 'showdump', 'help'],
  addrlabel: ['add', 'del', 'list', 'flush', 'help'],
  link: ['add', 'delete', 'set', 'change', 'show', 'list', 'xstats', 'afstats', 'property', 'help'],
  route: ['list', 'show', 'flush', 'get', 'add', 'del', 'delete', 'change', 'append', 'replace', 'save', 'restore', 'showdump', 'help'],
  rule: ['list', 'show', 'add', 'del', 'delete', 'flush', 'save', 'restore', 'help'],
  neigh: ['add', 'del', 'delete', 'change', 'replace', 'show', 'list', 'flush', 'get', 'help'],
  nexthop: ['list', 'show', 'flush', 'add', 'replace', 'get', 'del', 'delete', 'bucket', 'help'],
  monitor: ['all', 'link', 'address', 'route', 'mroute', 'prefix', 'neigh', 'netconf', 'rule', 'nsid', 'nexthop', 'label', 'help'],
  netns: ['list', 'add', 'attach', 'set', 'delete', 'identify', 'pids', 'exec', 'monitor', 'list-id', 'help'],
  maddress: ['add', 'del', 'delete', 'show', 'list', 'help'],
  tunnel: ['add', 'change', 'del', 'delete', 'show', 'list', 'prl', '6rd', 'help'],
  tuntap: ['add', 'del', 'delete', 'show', 'list', 'help'],
  netconf: ['show', 'list', 'help'],
  vrf: ['show', 'exec', 'identify', 'pids', 'help'],
  mptcp: ['endpoint', 'limits', 'monitor', 'help'],
  stats: ['show', 'set', 'help'],
};

/** ip's canonical object names for the spellings nlkit's usage may show. */
export const IP_OBJECT_ALIASES: Readonly<Record<string, string>> = { neighbor: 'neigh', neighbour: 'neigh', addr: 'address', nh: 'nexthop', maddr: 'maddress' };

/** Keywords of ip's grammar followed by a device name. */
export const IP_DEV_KEYWORDS: readonly string[] = ['dev', 'master', 'link', 'oif', 'iif', 'peer'];

/** ip's global options (iproute2's usage). */
export const IP_OPTIONS: readonly string[] = [
  '-V', '-s', '-d', '-r', '-h', '-j', '-p', '-f', '-4', '-6', '-0', '-br', '-o', '-t', '-ts', '-b', '-batch', '-force', '-n', '-netns', '--netns', '-a', '-c',
];
