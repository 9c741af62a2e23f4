// nlkit genl call: any operation of any family, by a shipped declaration or a YNL spec, with the
// kernel's YNL CLI's options (tools/net/ynl/pyynl/cli.py): --family/--spec, --do/--dump,
// --json, --create/--excl/--replace/--append, --subscribe, --list-*. Requests and replies use
// the names the spec spells; replies print as JSON.
import {
  FamilyClient, ethtool, mptcpPm, netdev, nlctrl, taskstats, tcpMetrics, type FamilyDef, type OpDef,
} from '../../genl/index.js';
import { NetlinkError } from '../../socket/index.js';
import { UsageError } from '../errors.js';
import type { GlobalArgs } from './args.js';
import { refusalText } from './extack.js';
import { toJson } from './json.js';
import { CALL_OPTIONS, callOption } from './options.js';
import { renderMessage } from './render.js';
import { findSpec, loadSpecCached, specDirs, specFamilies } from './specs.js';
import { speller, type Speller } from './spell.js';
import { ValueError, addWord, merge, requestValue } from './values.js';

/** The families nlkit ships declared, by the name the controller knows (and lower case). */
export const shipped: Record<string, FamilyDef> = {
  nlctrl, ethtool, netdev, TASKSTATS: taskstats, taskstats, tcp_metrics: tcpMetrics, mptcp_pm: mptcpPm,
} as unknown as Record<string, FamilyDef>;

const HELP = `Usage: nlkit genl [--netns NAME] call [FAMILY] [OP] [attr=value …] [OPTIONS]
  FAMILY      a family nlkit ships (${Object.keys(shipped).join(', ')}),
              or any family with an installed YNL spec (--family NAME), or --spec FILE
  attr=value  nested as a.b=value, repeated items as a.0.b=value, fixed-header fields by name
              (ifi-index=3); names as the spec spells them
Options (as the kernel's YNL CLI):
${CALL_OPTIONS.map((o) => `  ${(o.names.join(', ') + (o.arg ? ` ${o.arg.toUpperCase()}` : '')).padEnd(34)}${o.help}`).join('\n')}
Exit status: 0 success, 1 the kernel refused or a value does not fit, 2 usage error.
`;

/** The parsed words of `genl call`. */
interface CallArgs {
  family?: string;
  /** The family was named by --family (its spec first) rather than as a word (nlkit's declaration first). */
  byFlag?: boolean;
  spec?: string;
  op?: string;
  dump: boolean;
  /** --do or --dump was given: that handler is asked for even where the spec lists only the other (tc's getqdisc dumps). */
  mode?: boolean;
  json?: string;
  words: string[];
  flags: number;
  subscribe?: string;
  duration?: number;
  outputJson: boolean;
  list?: 'families' | 'ops' | 'msgs' | 'attrs';
  /** --multi OP JSON, in order. */
  multi: { op: string; json: string }[];
  listAttrs?: string;
}

function parse(words: string[]): CallArgs | 'help' {
  const a: CallArgs = { dump: false, words: [], flags: 0, outputJson: false, multi: [] };
  const pos: string[] = [];
  let opFromFlag: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    const o = w.startsWith('-') ? callOption(name) : undefined;
    if (!o) {
      if (w.startsWith('-') && !/^-\d/.test(w)) throw new UsageError(`genl call: unknown option "${w}"`, 'Try "nlkit genl call --help".');
      pos.push(w);
      continue;
    }
    let value: string | undefined;
    if (o.arg) {
      if (eq > 0) value = w.slice(eq + 1);
      else if (!o.optionalArg || (words[i + 1] !== undefined && !words[i + 1]!.startsWith('-') && !words[i + 1]!.includes('='))) value = words[++i];
      if (value === undefined && !o.optionalArg) throw new UsageError(`genl call: ${name} needs ${o.arg === 'json' ? 'a JSON text' : `a ${o.arg}`}`, 'Try "nlkit genl call --help".');
    }
    switch (o.names[0]) {
      case '--help': return 'help';
      case '--family': a.family = value; a.byFlag = true; break;
      case '--spec': a.spec = value; break;
      case '--list-families': a.list = 'families'; break;
      case '--list-ops': a.list = 'ops'; break;
      case '--list-msgs': a.list = 'msgs'; break;
      case '--list-attrs': a.list = 'attrs'; a.listAttrs = value; break;
      case '--do': a.dump = false; a.mode = true; if (value !== undefined) opFromFlag = value; break;
      case '--dump': a.dump = true; a.mode = true; if (value !== undefined) opFromFlag = value; break;
      case '--json': a.json = value; break;
      case '--multi': {
        const json = words[++i];
        if (json === undefined) throw new UsageError('genl call: --multi needs an operation and a JSON text', 'Try "nlkit genl call --help".');
        a.multi.push({ op: value!, json });
        break;
      }
      case '--subscribe': a.subscribe = value; break;
      case '--duration': {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0) throw new UsageError(`genl call: ${name}: "${value}" is not a number of seconds`);
        a.duration = n;
        break;
      }
      case '--output-json': a.outputJson = true; break;
      default: a.flags |= o.nlmsgFlags ?? 0;
    }
  }
  // FAMILY comes first unless --family or --spec named it; OP next unless --do/--dump named it.
  if (a.family === undefined && a.spec === undefined && pos.length && !pos[0]!.includes('=')) a.family = pos.shift();
  if (opFromFlag !== undefined) a.op = opFromFlag;
  else if (pos.length && !pos[0]!.includes('=')) a.op = pos.shift();
  a.words = pos;
  return a;
}

function family(a: CallArgs): FamilyDef {
  if (a.spec !== undefined) {
    try {
      return loadSpecCached(a.spec);
    } catch (e) {
      throw new ValueError(`genl call: cannot load spec ${a.spec}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const name = a.family!;
  const file = findSpec(name);
  // A positional FAMILY prefers nlkit's typed declaration; --family asks for the spec, as YNL does.
  const def = a.byFlag ? (file ? loadSpecCached(file) : undefined) ?? shipped[name] : shipped[name] ?? (file ? loadSpecCached(file) : undefined);
  if (!def) {
    const dirs = specDirs();
    throw new ValueError(`genl call: no spec of family "${name}" in ${dirs.length ? dirs.join(', ') : 'any YNL spec directory (install linux-doc)'}`,
      'Give its YNL spec with --spec FILE; --list-families lists the installed ones.');
  }
  return def;
}

function modes(o: OpDef): string {
  return [o.do ? 'do' : '', o.dump ? 'dump' : '', o.notify !== undefined ? (o.notify === true ? 'event' : 'notify') : ''].filter(Boolean).join(', ');
}

function listAttrs(def: FamilyDef, name: string, sp: Speller): string {
  const o = def.ops[name];
  if (!o) throw new ValueError(`Operation ${name} not found`);
  let s = `Operation: ${o.name}\n`;
  for (const [mode, m] of [['Do', o.do], ['Dump', o.dump]] as const) {
    if (m?.request) s += `\n${mode} request attributes:\n` + m.request.attributes.map((x) => `  - ${sp.ynl(x)}\n`).join('');
    if (m?.reply) s += `\n${mode} reply attributes:\n` + m.reply.attributes.map((x) => `  - ${sp.ynl(x)}\n`).join('');
  }
  return s;
}

// A request's raw values from a JSON text.
function jsonRequest(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ValueError(`genl call: --json: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ValueError('genl call: --json: expected a JSON object of attributes');
  return raw as Record<string, unknown>;
}

/**
 * --multi OP JSON …: several do operations sent together (pipelined on one socket, not awaited
 * one by one) and their replies printed as one list, in order, as YNL's do_multi.
 */
async function multi(g: GlobalArgs, a: CallArgs, def: FamilyDef, sp: Speller, io: CallIo): Promise<number> {
  const reqs = a.multi.map(({ op: name, json }) => {
    const op = def.ops[name];
    if (!op || !op.do) throw new ValueError(`genl call: ${def.name} has no do operation "${name}"`);
    return { op, value: requestValue(op, jsonRequest(json), sp) };
  });
  const client = await FamilyClient.open(def, g.netns ? { netns: g.netns } : {});
  try {
    const settled = await Promise.allSettled(reqs.map((r) => client.doAll(r.op.name, r.value, { flags: a.flags })));
    const replies: unknown[] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === 'rejected') {
        if (s.reason instanceof NetlinkError) {
          io.err(refusalText(s.reason, def, reqs[i]!.op, sp));
          return 1;
        }
        throw s.reason;
      }
      for (const m of s.value) replies.push(renderMessage(reqs[i]!.op, m as Record<string, unknown>, sp));
    }
    io.out(toJson(replies, a.outputJson || (g.json && !g.pretty) ? 0 : 2) + '\n');
    return 0;
  } finally {
    client.close();
  }
}

/** Where a command writes: stdout and stderr, or a test's buffers. */
export interface CallIo {
  out(s: string): void;
  err(s: string): void;
}

const stdio: CallIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/** Runs `nlkit genl call …`. */
export async function call(g: GlobalArgs, words: string[], io: CallIo = stdio): Promise<number> {
  const a = parse(words);
  if (a === 'help') {
    io.out(HELP);
    return 0;
  }
  if (a.list === 'families') {
    io.out(specFamilies().map((f) => `${f}\n`).join(''));
    return 0;
  }
  if (a.family === undefined && a.spec === undefined) throw new UsageError('genl call: FAMILY (or --family NAME, --spec FILE) is required', 'Try "nlkit genl call --help".');
  const def = family(a);
  const sp = speller(def);
  if (a.list === 'ops' || a.list === 'msgs') {
    const ops = Object.values(def.ops).filter((o) => a.list === 'msgs' || o.do || o.dump);
    io.out(ops.map((o) => `${o.name}  [ ${modes(o)} ]\n`).join(''));
    return 0;
  }
  if (a.list === 'attrs') {
    io.out(listAttrs(def, a.listAttrs!, sp));
    return 0;
  }
  if (a.multi.length) return multi(g, a, def, sp, io);
  if (a.op === undefined && a.subscribe === undefined) throw new UsageError('genl call: OP (or --do OP, --dump OP, --multi OP JSON, --subscribe GROUP) is required', 'Try "nlkit genl call --help".');
  const op = a.op === undefined ? undefined : def.ops[a.op];
  if (a.op !== undefined && (!op || (!op.do && !op.dump))) {
    throw new ValueError(`genl call: ${def.name} has no operation "${a.op}"`, `Known: ${Object.values(def.ops).filter((o) => o.do || o.dump).map((o) => o.name).join(', ')}`);
  }
  let dump = a.dump;
  if (op && !a.mode && (dump ? !op.dump && op.do : !op.do && op.dump)) dump = !dump; // only one handler: use it
  let value: Record<string, unknown> = {};
  if (op) {
    let raw: Record<string, unknown> = {};
    if (a.json !== undefined) raw = jsonRequest(a.json);
    const tree: Record<string, unknown> = {};
    for (const w of a.words) addWord(tree, w);
    value = requestValue(op, merge(raw, tree), sp);
  } else if (a.words.length) throw new UsageError(`genl call: "${a.words[0]}": attributes need an operation`);

  const client = await FamilyClient.open(def, g.netns ? { netns: g.netns } : {});
  const print = (msg: unknown, oneLine: boolean): void => {
    io.out(toJson(msg, oneLine ? 0 : 2) + '\n');
  };
  const oneLine = a.outputJson || (g.json && !g.pretty);
  try {
    // Subscribe first, so notifications caused by the request are seen (YNL does the same).
    const ac = new AbortController();
    let events: ReturnType<typeof client.events> | undefined;
    try {
      events = a.subscribe !== undefined ? client.events([a.subscribe], { signal: ac.signal }) : undefined;
    } catch (e) {
      // An unknown group: the client names the known ones.
      throw e instanceof TypeError ? new ValueError(`genl call: --subscribe: ${e.message}`) : e;
    }
    if (op) {
      try {
        if (dump) {
          const items = (await client.dump(op.name, value).toArray()).map((x) => renderMessage(op, x as Record<string, unknown>, sp));
          if (a.outputJson || !g.json || g.pretty) print(items, oneLine);
          else for (const x of items) print(x, true);
        } else {
          const reply = await client.do(op.name, value, { flags: a.flags });
          if (reply !== undefined) print(renderMessage(op, reply as Record<string, unknown>, sp), oneLine);
          else if (a.outputJson) io.out('null\n');
        }
      } catch (e) {
        if (e instanceof NetlinkError) {
          io.err(refusalText(e, def, op, sp));
          ac.abort();
          return 1;
        }
        if (e instanceof TypeError) throw new ValueError(`genl call: ${e.message}`);
        throw e;
      }
    }
    if (events) {
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = a.duration !== undefined ? setTimeout(stop, a.duration * 1000) : undefined;
      try {
        for await (const ev of events) {
          if ('overrun' in ev) {
            print({ overrun: true }, true);
            continue;
          }
          const o = def.ops[ev.op]!;
          print({ name: ev.op, msg: renderMessage(o, ev.value as Record<string, unknown>, sp) }, oneLine);
        }
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
    return 0;
  } finally {
    client.close();
  }
}
