// Generic netlink constants of <linux/genetlink.h> and the policy description enums of
// <linux/netlink.h>, generated into gen/genetlink.ts by scripts/gen-constants.mjs
// (`npm run gen`). test/gen-constants.test.ts regenerates and diffs.
export * from './gen/genetlink.js';
