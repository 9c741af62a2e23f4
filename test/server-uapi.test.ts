// The server's constants against the kernel UAPI headers: <linux/genetlink.h> for generic
// netlink and the controller, <linux/netlink.h> for the policy description enums.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as uapi from '../src/server/uapi.js';
import { NLE_MAX, NLE_MYVAR, NLEX_MSG_GET, NLEX_MSG_UPD } from '../src/server/nlex/protocol.js';
import { NLMSG_MIN_TYPE } from '../src/wire/index.js';
import { cConstants } from './helpers/c-header.js';

const GENETLINK_H = '/usr/include/linux/genetlink.h';
const NETLINK_H = '/usr/include/linux/netlink.h';

test('every constant of server/uapi.ts equals the header value', (t) => {
  if (!existsSync(GENETLINK_H) || !existsSync(NETLINK_H)) {
    t.skip('kernel UAPI headers are not installed');
    return;
  }
  const h = cConstants(GENETLINK_H, NETLINK_H);
  // GENL_HDRLEN is NLMSG_ALIGN(sizeof(struct genlmsghdr)): sum the struct's fields instead.
  const text = readFileSync(GENETLINK_H, 'utf8');
  assert.match(text, /#define\s+GENL_HDRLEN\s+NLMSG_ALIGN\(sizeof\(struct genlmsghdr\)\)/);
  const body = /struct genlmsghdr\s*\{([^}]*)\}/.exec(text)![1]!;
  const sizes: Record<string, number> = { __u8: 1, __u16: 2, __u32: 4 };
  const size = [...body.matchAll(/(__u\d+)\s+\w+;/g)].reduce((n, m) => n + sizes[m[1]!]!, 0);
  h.set('GENL_HDRLEN', (size + 3) & ~3);
  const bad: string[] = [];
  let checked = 0;
  for (const [name, value] of Object.entries(uapi)) {
    const hv = h.get(name);
    assert.notEqual(hv, undefined, `${name} is not defined by the headers`);
    checked++;
    if (hv !== value) bad.push(`${name}: nlkit ${value}, header ${hv}`);
  }
  assert.deepEqual(bad, []);
  assert.ok(checked >= 70, `only ${checked} constants checked`);
});

test('the nlex message types start at NLMSG_MIN_TYPE, as the tutorial\'s enum does', () => {
  // enum nlexample_msg_types { NLEX_MSG_BASE = NLMSG_MIN_TYPE, NLEX_MSG_UPD = NLEX_MSG_BASE, NLEX_MSG_GET, … }
  assert.equal(NLEX_MSG_UPD, NLMSG_MIN_TYPE);
  assert.equal(NLEX_MSG_GET, NLMSG_MIN_TYPE + 1);
  assert.equal(NLE_MYVAR, 1);
  assert.equal(NLE_MAX, 1);
});
