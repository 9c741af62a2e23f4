// tun (iptuntap.c's print_opt for `ip -d link`): created by `ip tuntap`, the kernel refuses
// RTM_NEWLINK for it, so `link add type tun` takes no options and the kernel says why.

import type { Output } from '../output.js';
import { num as dnum, onOff, registerKind, type Data } from './kinds.js';

registerKind(['tun'], {
  print: (o, _c, d) => printTun(o, d),
});

function printTun(o: Output, d: Data): void {
  const t = dnum(d, 'type');
  if (t !== undefined) {
    const s = t === 1 ? 'tun' : t === 2 ? 'tap' : 'UNKNOWN';
    o.field('type', s, `type ${s} `);
  }
  onOff(o, 'pi', 'pi', dnum(d, 'pi'));
  onOff(o, 'vnet_hdr', 'vnet_hdr', dnum(d, 'vnet_hdr'));
  const mq = dnum(d, 'multi_queue');
  if (mq !== undefined) {
    o.jfield('multi_queue', mq !== 0);
    if (mq) {
      o.fp('multi_queue ');
      const q = dnum(d, 'num_queues');
      if (q !== undefined) o.field('numqueues', q, `numqueues ${q} `);
      const dq = dnum(d, 'num_disabled_queues');
      if (dq !== undefined) o.field('numdisabled', dq, `numdisabled ${dq} `);
    }
  }
  onOff(o, 'persist', 'persist', dnum(d, 'persist'));
  const owner = dnum(d, 'owner');
  if (owner !== undefined && owner !== 0xffffffff) o.field('user', owner, `user ${owner} `);
  const group = dnum(d, 'group');
  if (group !== undefined && group !== 0xffffffff) o.field('group', group, `group ${group} `);
}
