// `ethtool -k` and `-K`: netdev features as ethtool shows and sets them. The kernel names each
// feature (string set ETH_SS_FEATURES); ethtool groups them under the legacy offload flags it
// had before (off_flag_def in ethtool's common.c): a flag matching one feature prints under the
// flag's long name, one matching several prints the flag and then each feature indented.
import type { FamilyClient, ethtool } from '../../genl/index.js';
import { ETH_SS_FEATURES } from '../../genl/families/ethtool.js';
import { HOST_LE } from '../../wire/index.js';
import { EthtoolUsage } from './errors.js';

type Client = FamilyClient<typeof ethtool.ops>;

/** A legacy offload flag: `ethtool -K` short name, `-k` long name, and the kernel feature names it stands for. */
interface LegacyFlag {
  short: string;
  long: string;
  /** A kernel feature name, or a pattern with one '*'. */
  pattern: string;
  /** No kernel with ethtool netlink has UFO: ethtool skips it when showing. */
  hidden?: boolean;
}

/** ethtool's legacy flags, in its order. */
export const LEGACY_FLAGS: readonly LegacyFlag[] = [
  { short: 'rx', long: 'rx-checksumming', pattern: 'rx-checksum' },
  { short: 'tx', long: 'tx-checksumming', pattern: 'tx-checksum-*' },
  { short: 'sg', long: 'scatter-gather', pattern: 'tx-scatter-gather*' },
  { short: 'tso', long: 'tcp-segmentation-offload', pattern: 'tx-tcp*-segmentation' },
  { short: 'ufo', long: 'udp-fragmentation-offload', pattern: 'tx-udp-fragmentation', hidden: true },
  { short: 'gso', long: 'generic-segmentation-offload', pattern: 'tx-generic-segmentation' },
  { short: 'gro', long: 'generic-receive-offload', pattern: 'rx-gro' },
  { short: 'lro', long: 'large-receive-offload', pattern: 'rx-lro' },
  { short: 'rxvlan', long: 'rx-vlan-offload', pattern: 'rx-vlan-hw-parse' },
  { short: 'txvlan', long: 'tx-vlan-offload', pattern: 'tx-vlan-hw-insert' },
  { short: 'ntuple', long: 'ntuple-filters', pattern: 'rx-ntuple-filter' },
  { short: 'rxhash', long: 'receive-hashing', pattern: 'rx-hashing' },
];

/** True when a kernel feature name matches a legacy pattern (one '*' matches any run, maybe empty). */
export function patternMatch(name: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return name === pattern;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return name.length >= head.length + tail.length && name.startsWith(head) && name.endsWith(tail);
}

/** The kernel's feature names by bit (ETH_SS_FEATURES). */
export async function featureNames(c: Client, dev: string): Promise<string[]> {
  const r = await c.do('strset-get', { header: { devName: dev }, stringsets: { stringset: [{ id: ETH_SS_FEATURES }] } });
  const set = r?.stringsets?.stringset?.find((s) => s.id === ETH_SS_FEATURES);
  const out: string[] = [];
  for (const group of set?.strings ?? []) for (const s of group.string ?? []) out[s.index ?? out.length] = s.value ?? '';
  return out;
}

/** Reads bit i of a compact bitset's words (u32 in host order). */
function bit(words: Uint8Array | undefined, i: number): boolean {
  if (!words || (i >> 5) * 4 + 4 > words.byteLength) return false;
  return (new DataView(words.buffer, words.byteOffset, words.byteLength).getUint32((i >> 5) * 4, HOST_LE) & (2 ** (i & 31))) !== 0;
}

/** One feature's state. */
export interface FeatureState {
  name: string;
  active: boolean;
  fixed: boolean;
  /** The requested value when it differs from the active one (ethtool's "[requested on]"). */
  requested: boolean | undefined;
}

/** Every named feature of a device, by bit. */
export async function featureStates(c: Client, dev: string): Promise<FeatureState[]> {
  const [names, r] = [await featureNames(c, dev), await c.do('features-get', { header: { devName: dev, flags: ['compact-bitsets'] } })];
  const count = r?.hw?.size ?? 0;
  const out: FeatureState[] = [];
  for (let i = 0; i < count; i++) {
    const active = bit(r?.active?.value, i);
    const wanted = bit(r?.wanted?.value, i);
    const fixed = !bit(r?.hw?.value, i) || bit(r?.nochange?.value, i);
    out[i] = { name: names[i] ?? '', active, fixed, requested: !fixed && active !== wanted ? wanted : undefined };
  }
  return out;
}

function line(prefix: string, name: string, f: FeatureState): string {
  const suffix = f.fixed ? ' [fixed]' : f.requested !== undefined ? ` [requested ${f.requested ? 'on' : 'off'}]` : '';
  return `${prefix}${name}: ${f.active ? 'on' : 'off'}${suffix}\n`;
}

/** `ethtool -k DEV`'s text, line for line. */
export function featuresText(dev: string, fs: readonly FeatureState[]): string {
  const flagOf = fs.map((f) => (f.name ? LEGACY_FLAGS.findIndex((l) => patternMatch(f.name, l.pattern)) : -1));
  let s = `Features for ${dev}:\n`;
  LEGACY_FLAGS.forEach((l, i) => {
    if (l.hidden) return;
    const members = fs.map((f, j) => ({ f, j })).filter(({ j }) => flagOf[j] === i);
    if (members.length !== 1) s += `${l.long}: ${members.some(({ f }) => f.active) ? 'on' : 'off'}\n`;
    for (const { f } of members) s += members.length === 1 ? line('', l.long, f) : line('\t', f.name, f);
  });
  fs.forEach((f, j) => {
    if (f.name && flagOf[j] === -1) s += line('', f.name, f);
  });
  return s;
}

/** `ethtool -K DEV NAME on|off …`: sets the named features (legacy names stand for their kernel features). */
export async function setFeatures(c: Client, dev: string, words: readonly string[]): Promise<string> {
  const names = await featureNames(c, dev);
  const bits: { name: string; value?: true }[] = [];
  const requested = new Set<number>();
  for (let i = 0; i < words.length; i += 2) {
    const name = words[i]!;
    const v = words[i + 1];
    if (v !== 'on' && v !== 'off') {
      // ethtool prints its arguments through %s of NULL pointers here; so does this, as "(null)".
      throw new EthtoolUsage(`ethtool (-K): flag '${v ?? '(null)'}' for parameter '(null)' is not followed by 'on' or 'off'`);
    }
    const on = v === 'on';
    const legacy = LEGACY_FLAGS.find((l) => l.short === name || l.long === name);
    if (legacy) {
      names.forEach((n, j) => {
        if (n && patternMatch(n, legacy.pattern)) {
          bits.push({ name: n, ...(on ? { value: true as const } : {}) });
          requested.add(j);
        }
      });
    } else {
      bits.push({ name, ...(on ? { value: true as const } : {}) });
      const j = names.indexOf(name);
      if (j >= 0) requested.add(j);
    }
  }
  const r = await c.do('features-set', { header: { devName: dev, flags: ['compact-bitsets'] }, wanted: { bits: { bit: bits } } });
  // The reply carries what differs from the request: wanted (not as asked) and active (changed too).
  const wv = r?.wanted?.value, wm = r?.wanted?.mask, av = r?.active?.value, am = r?.active?.mask;
  const count = names.length;
  let diff = false;
  // Only a result other than the request is news: a wanted bit the kernel did not take, or a
  // feature that changed without being asked for (ethtool's show_feature_changes).
  for (let i = 0; i < count; i++) if (bit(wm, i) || (bit(am, i) && !requested.has(i))) diff = true;
  if (!diff) return '';
  let s = 'Actual changes:\n';
  for (let i = 0; i < count; i++) {
    if (!bit(wm, i) && !bit(am, i)) continue;
    s += `${names[i]}: `;
    if (bit(wm, i)) s += `${bit(wv, i) ? 'off' : 'on'} [requested ${bit(wv, i) ? 'on' : 'off'}]`;
    else if (!requested.has(i)) s += `${bit(av, i) ? 'on' : 'off'} [not requested]`;
    else s += bit(av, i) ? 'on' : 'off';
    s += '\n';
  }
  return s;
}

// ethtool's JSON writer (json_writer.c, pretty): members one a line, four spaces a level.
function member(name: string, v: { active: boolean; fixed: boolean | null; requested: boolean | null }): string {
  const j = (x: boolean | null) => (x === null ? 'null' : String(x));
  return `        ${JSON.stringify(name)}: {\n            "active": ${j(v.active)},\n            "fixed": ${j(v.fixed)},\n            "requested": ${j(v.requested)}\n        }`;
}

/** `ethtool --json -k DEV`, byte for byte: each feature's active, fixed and requested (wanted) state. */
export function featuresJson(dev: string, fs: readonly FeatureState[]): string {
  const flagOf = fs.map((f) => (f.name ? LEGACY_FLAGS.findIndex((l) => patternMatch(f.name, l.pattern)) : -1));
  const wanted = (f: FeatureState) => f.requested ?? f.active;
  const out: string[] = [`        "ifname": ${JSON.stringify(dev)}`];
  LEGACY_FLAGS.forEach((l, i) => {
    if (l.hidden) return;
    const members = fs.filter((_, j) => flagOf[j] === i);
    if (members.length !== 1) out.push(member(l.long, { active: members.some((f) => f.active), fixed: null, requested: null }));
    for (const f of members) out.push(member(members.length === 1 ? l.long : f.name, { active: f.active, fixed: f.fixed, requested: wanted(f) }));
  });
  fs.forEach((f, j) => {
    if (f.name && flagOf[j] === -1) out.push(member(f.name, { active: f.active, fixed: f.fixed, requested: wanted(f) }));
  });
  return `[ {\n${out.join(',\n')}\n    } ]\n`;
}
