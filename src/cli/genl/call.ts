// nlkit genl call FAMILY OP [--dump] [attr=value …] [--json JSON] [--spec FILE]: any operation of
// any family, by a shipped declaration or a YNL spec; replies as JSON.
import { existsSync, readdirSync } from 'node:fs';
import {
  FamilyClient, ethtool, loadSpecFile, mptcpPm, netdev, nlctrl, taskstats, tcpMetrics, type FamilyDef,
} from '../../genl/index.js';
import { UsageError } from '../errors.js';
import type { GlobalArgs } from './args.js';
import { toJson } from './json.js';
import { assign, camelKeys } from './values.js';

/** The families nlkit ships declared, by the name the controller knows (and lower case). */
export const shipped: Record<string, FamilyDef> = {
  nlctrl, ethtool, netdev, TASKSTATS: taskstats, taskstats, tcp_metrics: tcpMetrics, mptcp_pm: mptcpPm,
} as unknown as Record<string, FamilyDef>;

/** Where Debian's linux-doc packages put the kernel's YNL specs. */
export function specDirs(): string[] {
  const out: string[] = [];
  try {
    for (const d of readdirSync('/usr/share/doc')) {
      const p = `/usr/share/doc/${d}/Documentation/netlink/specs`;
      if (d.startsWith('linux-doc') && existsSync(p)) out.push(p);
    }
  } catch { /* no docs */ }
  return out.sort().reverse();
}

/** Finds the installed spec of a family (rt-link, rt_link, …). */
export function findSpec(family: string): string | undefined {
  const names = [family, family.replace(/-/g, '_'), family.replace(/_/g, '-')];
  for (const dir of specDirs()) {
    for (const n of names) for (const ext of ['.yaml', '.yaml.gz']) if (existsSync(`${dir}/${n}${ext}`)) return `${dir}/${n}${ext}`;
  }
  return undefined;
}

const HELP = `Usage: nlkit genl [--netns NAME] call FAMILY OP [--dump] [attr=value …] [--json JSON] [--spec FILE]
  FAMILY  a family nlkit ships (${Object.keys({ nlctrl, ethtool, netdev, TASKSTATS: 1, tcp_metrics: 1, mptcp_pm: 1 }).join(', ')})
          or any family with --spec FILE (a YNL spec; the kernel's are found in linux-doc when installed)
  attr=value  nested as a.b=value, repeated items as a.0.b=value; names as in the spec
`;

/** Runs `nlkit genl call …`. */
export async function call(g: GlobalArgs, words: string[]): Promise<number> {
  let dump = false;
  let spec: string | undefined;
  let json: string | undefined;
  const pos: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--dump' || w === '-d') dump = true;
    else if (w === '--do') dump = false;
    else if (w === '--spec') spec = words[++i];
    else if (w.startsWith('--spec=')) spec = w.slice(7);
    else if (w === '--json') json = words[++i];
    else if (w === '--help' || w === 'help') {
      process.stdout.write(HELP);
      return 0;
    } else pos.push(w);
  }
  const fromSpec = spec ? loadSpecFile(spec) : undefined;
  // With --spec, FAMILY may be left out: `call --spec rt_link.yaml getlink --dump`.
  if (fromSpec && pos[0] !== undefined && fromSpec.ops[pos[0]] && !fromSpec.ops[pos[1] ?? '']) pos.unshift(fromSpec.name);
  const [family, opName, ...assignments] = pos;
  if (!family || !opName) throw new UsageError('genl call: FAMILY and OP are required', 'Try "nlkit genl call help".');
  const def: FamilyDef | undefined = fromSpec ?? shipped[family] ?? (findSpec(family) ? loadSpecFile(findSpec(family)!) : undefined);
  if (!def) throw new UsageError(`genl call: no declaration of "${family}"`, 'Give its YNL spec with --spec FILE.');
  const op = def.ops[opName];
  if (!op) throw new UsageError(`genl call: ${def.name} has no operation "${opName}"`, `Known: ${Object.keys(def.ops).join(', ')}`);
  if (dump ? !op.dump && op.do : !op.do && op.dump) dump = !dump; // only one handler: use it
  const value: Record<string, unknown> = json ? (camelKeys(JSON.parse(json)) as Record<string, unknown>) : {};
  for (const a of assignments) assign(op.set, value, a);
  const client = await FamilyClient.open(def, g.netns ? { netns: g.netns } : {});
  try {
    if (dump) {
      const items = await client.dump(opName, value).toArray();
      process.stdout.write(g.json && !g.pretty ? items.map((x) => toJson(x, 0)).join('\n') + (items.length ? '\n' : '') : toJson(items) + '\n');
    } else {
      const reply = await client.do(opName, value);
      if (reply !== undefined) process.stdout.write(toJson(reply, g.json && !g.pretty ? 0 : 2) + '\n');
    }
    return 0;
  } finally {
    client.close();
  }
}
