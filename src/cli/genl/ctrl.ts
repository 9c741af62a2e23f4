// nlkit genl ctrl: list | get name NAME | get id ID | monitor | policy name NAME [op CMD].
import { GenlClient, capabilityText, formatPolicy, type ControllerEvent, type FamilyInfo } from '../../genl/index.js';
import { UsageError } from '../errors.js';
import type { GlobalArgs } from './args.js';
import type { CallIo } from './call.js';
import { toJson } from './json.js';

/**
 * A family in iproute2's `genl ctrl list` text shape. iproute2 prints an operation's
 * capabilities only for families whose version is 2 or more; so does this.
 */
export function familyText(f: FamilyInfo): string {
  let s = `\nName: ${f.name}\n`;
  s += `\tID: 0x${f.id.toString(16)}  Version: 0x${f.version.toString(16)}  header size: ${f.hdrsize}  max attribs: ${f.maxattr} \n`;
  if (f.ops.length) {
    s += '\tcommands supported: \n';
    f.ops.forEach((o, i) => {
      s += `\t\t#${i + 1}:  ID-0x${o.id.toString(16)} `;
      if (f.version >= 2) s += `\n\t\tCapabilities (0x${o.flags.toString(16)}):\n ` + (o.flags ? `\t\t ${capabilityText(o.flags)}\n` : '\n');
      s += '\n';
    });
    s += '\n';
  }
  if (f.groups.length) {
    s += '\tmulticast groups:\n';
    f.groups.forEach((g, i) => {
      s += `\t\t#${i + 1}:  ID-0x${g.id.toString(16)}  name: ${g.name} \n`;
    });
    s += '\n';
  }
  return s;
}

/** A family as JSON-ready data. */
export function familyJson(f: FamilyInfo): Record<string, unknown> {
  return {
    name: f.name, id: f.id, version: f.version, hdrsize: f.hdrsize, maxattr: f.maxattr,
    ops: f.ops.map((o) => ({ id: o.id, flags: o.flags, capabilities: o.capabilities })),
    mcast_groups: f.groups.map((g) => ({ name: g.name, id: g.id })),
  };
}

function eventText(e: ControllerEvent): string {
  const f = e.family;
  switch (e.kind) {
    case 'new-family': case 'del-family':
      return `[${e.kind === 'new-family' ? 'NEW' : 'DEL'}FAMILY] ${f.name} id 0x${f.id.toString(16)} version ${f.version}` +
        (f.groups.length ? ` groups ${f.groups.map((g) => `${g.name}:0x${g.id.toString(16)}`).join(',')}` : '');
    default:
      return `[${e.kind === 'new-group' ? 'NEW' : 'DEL'}MCAST_GRP] ${f.name} id 0x${f.id.toString(16)} group ${f.groups.map((g) => `${g.name}:0x${g.id.toString(16)}`).join(',')}`;
  }
}

function familyArg(words: string[], what: string): string | number {
  const [k, v] = words;
  if (k === 'name' && v) return v;
  if (k === 'id' && v && /^(0x[0-9a-f]+|\d+)$/i.test(v)) return Number(v);
  throw new UsageError(`genl ctrl ${what}: expected "name NAME" or "id ID"`, 'Try "nlkit genl ctrl help".');
}

const HELP = `Usage: nlkit genl [--netns NAME] [-j] ctrl { list | get name NAME | get id ID | monitor | policy name NAME [op CMD] }
`;

/** Runs `nlkit genl ctrl …`. */
export async function ctrl(g: GlobalArgs, words: string[], io: CallIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) }): Promise<number> {
  const [verb, ...rest] = words;
  if (verb === undefined || verb === 'help' || verb === '--help') {
    io.out(HELP);
    return verb === undefined ? 2 : 0;
  }
  const client = GenlClient.open(g.netns ? { netns: g.netns } : {});
  try {
    switch (verb) {
      case 'list': case 'ls': case 'show': {
        const fams = await client.controller.dumpFamilies().toArray();
        io.out(g.json ? toJson(fams.map(familyJson), g.pretty ? 2 : 0) + '\n' : fams.map(familyText).join(''));
        return 0;
      }
      case 'get': {
        const f = await client.controller.getFamily(familyArg(rest, 'get'));
        io.out(g.json ? toJson(familyJson(f), g.pretty ? 2 : 0) + '\n' : familyText(f));
        return 0;
      }
      case 'policy': {
        const fam = familyArg(rest, 'policy');
        const opIdx = rest.indexOf('op');
        const op = opIdx >= 0 ? Number(rest[opIdx + 1]) : undefined;
        if (op !== undefined && !Number.isInteger(op)) throw new UsageError('genl ctrl policy: op needs a command number');
        const p = await client.controller.getPolicy(fam, op !== undefined ? { op } : {});
        if (g.json) {
          const policies = Object.fromEntries([...p.policies].map(([i, m]) => [i, Object.fromEntries(m)]));
          io.out(toJson({ family_id: p.familyId, ops: Object.fromEntries(p.ops), policies }, g.pretty ? 2 : 0) + '\n');
        } else {
          for (const line of formatPolicy(p)) io.out(`\tID: 0x${p.familyId.toString(16)}  ${line}\n`);
        }
        return 0;
      }
      case 'monitor': {
        const ac = new AbortController();
        const stop = () => ac.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        for await (const e of client.controller.events(['notify'], { signal: ac.signal })) {
          if ('overrun' in e) {
            io.out(g.json ? toJson({ overrun: true, code: e.code }, 0) + '\n' : `[OVERRUN] events were lost (${e.code})\n`);
            continue;
          }
          io.out(g.json ? toJson({ event: e.kind, ...familyJson(e.family) }, 0) + '\n' : eventText(e) + '\n');
        }
        return 0;
      }
      default:
        throw new UsageError(`genl ctrl: unknown command "${verb}"`, 'Try "nlkit genl ctrl help".');
    }
  } finally {
    client.close();
  }
}
