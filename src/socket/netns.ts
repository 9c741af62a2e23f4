/** Where a network namespace is: a name under /run/netns, a path, a pid, or an open fd. */
export type NetnsSpec = string | number | { path: string } | { pid: number } | { fd: number };

/** The filesystem path of a namespace spec; a bare name means /run/netns/NAME, a number a pid. */
export function netnsPath(ns: NetnsSpec): string {
  if (typeof ns === 'number') return `/proc/${ns}/ns/net`;
  if (typeof ns === 'string') {
    if (ns.includes('/')) return ns;
    if (ns === '' || ns === '.' || ns === '..') throw new TypeError(`invalid network namespace name '${ns}'`);
    return `/run/netns/${ns}`;
  }
  if ('path' in ns) return ns.path;
  if ('pid' in ns) return `/proc/${ns.pid}/ns/net`;
  return `/proc/self/fd/${ns.fd}`;
}
