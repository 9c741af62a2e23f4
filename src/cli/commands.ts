// The subcommand registry. Modules load lazily so `nlkit ip …` starts only what it uses.

/** A subcommand's module: run() returns the process exit code. */
export interface CommandModule {
  run(args: string[]): Promise<number>;
}

/** One registered subcommand. */
export interface CommandEntry {
  /** One line for `nlkit --help`. */
  summary: string;
  load(): Promise<CommandModule>;
}

/** Every subcommand by name. Family issues add their entries here. */
export const commands: Record<string, CommandEntry> = {
  ip: { summary: 'links, addresses, routes, neighbours, rules, nexthops, monitor, netns (iproute2 grammar, ip -j JSON)', load: () => import('./ip/index.js') },
  bridge: { summary: 'bridge FDB, port VLANs and tunnel mappings, port options, MDB, monitor (the bridge tool\'s grammar, bridge -j JSON)', load: () => import('./bridge/index.js') },
  tc: { summary: 'traffic control: qdiscs, classes, filters, actions, chains, monitor (tc\'s grammar, tc -j JSON, -batch)', load: () => import('./tc/index.js') },
  genl: { summary: 'generic netlink: the controller (families, ops, groups, policies, monitor) and any family by spec', load: () => import('./genl/index.js') },
  ethtool: { summary: 'device settings, features, rings and channels over ethtool netlink', load: () => import('./ethtool/index.js') },
  ss: { summary: 'socket statistics over sock_diag: tcp, udp, raw, unix, packet, netlink (ss\'s options and filters, -j NDJSON)', load: () => import('./ss/index.js') },
  queue: { summary: 'nfnetlink_queue: bind a queue number, print its packets, answer them (--verdict accept|drop, -j NDJSON)', load: () => import('./netfilter/queue.js') },
  conntrack: { summary: 'connection tracking over ctnetlink: -L, -G, -D, -F, -I, -U, -E, -C, -S (and the expect table) in the conntrack tool\'s grammar and line format', load: () => import('./netfilter/conntrack.js') },
  nft: { summary: 'nftables: list tables, chains, sets; add and delete set elements, tables and sets; monitor (nft\'s grammar, -j as nft -j)', load: () => import('./netfilter/nft.js') },
  nflog: { summary: 'NFLOG: bind a log group, print its packets with the rule\'s prefix (-j NDJSON)', load: () => import('./netfilter/nflog.js') },
  uevent: { summary: 'kernel device events (NETLINK_KOBJECT_UEVENT) as udevadm monitor --kernel --property prints them, -j NDJSON', load: () => import('./uevent.js') },
  proc: { summary: 'process events over the connector (fork, exec, uid/gid, sid, ptrace, comm, coredump, exit), -j NDJSON', load: () => import('./proc.js') },
  audit: { summary: 'the kernel audit subsystem (host-wide): status as auditctl -s, rules as auditctl -l, monitor the record stream (-j NDJSON events)', load: () => import('./audit.js') },
  completion: { summary: 'a bash or zsh completion script, generated from the parsers\' own tables (source <(nlkit completion bash))', load: () => import('./completion.js') },
  nlex: { summary: 'the tutorial\'s nlex example: serve it on NETLINK_USERSOCK, resolve, set, get, watch', load: () => import('./nlex.js') },
};
