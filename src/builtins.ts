// Node's built-in modules for the library's own modules, taken with process.getBuiltinModule
// (Node 20.16+) instead of `import`. An import of a built-in builds an ES module facade that
// reads every export; node:fs's lazy ReadStream getter then loads all of node:stream, a few
// milliseconds of every program's start that has nothing to do with Netlink.

/** node:fs. */
export const fs = process.getBuiltinModule('node:fs');
/** node:path. */
export const path = process.getBuiltinModule('node:path');
/** node:url. */
export const url = process.getBuiltinModule('node:url');
/** node:os. */
export const os = process.getBuiltinModule('node:os');
/** node:module. */
export const nodeModule = process.getBuiltinModule('node:module');
