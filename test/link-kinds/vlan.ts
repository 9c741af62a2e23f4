// vlan (iplink_vlan.c): this kernel has no 8021q module.
import { encodeLink, RTM } from '../../src/route/index.js';
import { ARPHRD } from '../helpers/link-kinds.js';
import type { KindTable } from './table.js';

export const vlan: KindTable = {
  kinds: ['vlan'],
  arphrd: ARPHRD.ether,
  lines: [
    'link add link d0 name d0.5 type vlan id 5',
    'link add link d0 name d0.6 type vlan id 6 protocol 802.1ad',
  ],
  messages: () => [
    encodeLink(RTM.NEWLINK, 0, { ifindex: 40, ifname: 'v40', mtu: 1500, linkinfo: { kind: 'vlan', data: { id: 40, protocol: '802.1Q' } } }),
  ],
  mistakes: [
    'link add link d0 name d0.7 type vlan id 7 protocol 802.1x',
    'link add link d0 name d0.8 type vlan bogus',
  ],
};
