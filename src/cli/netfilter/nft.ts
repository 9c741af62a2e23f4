// nlkit nft: nftables in nft's grammar for the commands automation uses most —
//   list tables|chains|sets [FAMILY], list set|table [FAMILY] TABLE [NAME], list ruleset [FAMILY],
//   add|create|delete element [FAMILY] TABLE SET '{ a, b timeout 30s, c . d }', flush set …,
//   add|create|delete table [FAMILY] NAME, add|create set [FAMILY] TABLE NAME '{ type …; flags …; }',
//   delete set …, add|create|delete chain [FAMILY] TABLE NAME ['{ type filter hook input priority 0; policy accept; }'], monitor; several commands separated by ";" as nft takes them
// with -j (nft -j's JSON) and --netns NAME. Errors are nft's: 'Error: …', the command line, a
// caret line under the culprit, exit 1 (nft's status for every failure).
import {
  addChain, addElements, addSet, addTable, deleteChain, deleteElements, deleteSet, deleteTable, flushSet, fromRawElements, getSet, listChains,
  listElements, listRules, listSets, listTables, nftEvents, NftValueError, parseTime, consistently, NFT_SET, NFT_SET_ELEM,
  type NftChainSpec, type NftElement, type NftEvent, type NftFamily, type NftSet, type NftSetSpec, type NftTable,
} from '../../netfilter/index.js';
import {
  chainJson, formatChain, formatChainInline, formatElementsInline, formatSet, formatSetInline, formatTableLine, listedSet,
  nftJsonText, priorityValue, setJson, tableJson,
} from '../../netfilter/nftables-format.js';
import { elementJson } from '../../netfilter/nftables-elements.js';
import { errnoMessage } from '../../socket/errno.js';
import type { FamilyOptions } from '../../socket/index.js';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const METAINFO = { metainfo: { version: 'nlkit', release_name: 'nlkit', json_schema_version: 1 } };

/** A mistake in the options: nft prints it alone ('nft: unrecognized option …'). */
class OptionError extends Error {}

// Where an NftError points: a word's index, the element list, or the end of the line.
const AT_ELEMENTS = -1;
const AT_END = -2;

/** An nft error: the message and the word of the command line it points at. */
class NftError extends Error {
  constructor(message: string, readonly at?: number) {
    super(message);
  }
}

interface Cmd {
  json: boolean;
  netns?: string;
  words: string[];
  /** The `{ … }` part, when given. */
  body?: string;
  /** Where each word starts in the command line nft would echo. */
  line: string;
  starts: number[];
  bodyStart: number;
  /** Where the command ends in the line. */
  end: number;
}

/** The command line: options, then commands separated by ';' (outside braces), as nft takes them. */
function parse(args: string[]): Cmd[] {
  let json = false;
  let netns: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (rest.length === 0 && (a === '-j' || a === '--json')) json = true;
    else if (rest.length === 0 && (a === '--netns' || a === '-N')) {
      netns = args[++i];
      if (netns === undefined) throw new OptionError(`nft: option '${a}' requires an argument`);
    } else if (rest.length === 0 && a.startsWith('-') && a !== '-') throw new OptionError(`nft: unrecognized option '${a}'`);
    else rest.push(a);
  }
  const line = rest.join(' ');
  const cmds: Cmd[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i <= line.length; i++) {
    const ch = line[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if ((ch === ';' && depth === 0) || i === line.length) {
      const seg = line.slice(from, i);
      if (seg.trim() !== '' || cmds.length === 0) cmds.push(command(line, from, seg, json, netns));
      from = i + 1;
    }
  }
  return cmds;
}

/** One command of the line: its words before any '{', where each starts in the line, and its body. */
function command(line: string, offset: number, seg: string, json: boolean, netns: string | undefined): Cmd {
  const brace = seg.indexOf('{');
  const head = brace < 0 ? seg : seg.slice(0, brace);
  const words: string[] = [];
  const starts: number[] = [];
  for (const m of head.matchAll(/\S+/g)) {
    words.push(m[0]);
    starts.push(offset + m.index!);
  }
  return {
    json, ...(netns !== undefined ? { netns } : {}), words, ...(brace >= 0 ? { body: seg.slice(brace) } : {}), line, starts,
    bodyStart: brace < 0 ? -1 : offset + brace, end: offset + seg.trimEnd().length,
  };
}

/** Splits `[FAMILY] A [B]`: the family defaults to ip, as in nft. */
function target(c: Cmd, from: number, names: number): { family: NftFamily; names: string[]; at: number[] } {
  let i = from;
  let family: NftFamily = 'ip';
  if (c.words.length - from > names && FAMILIES.has(c.words[i]!)) family = c.words[i++] as NftFamily;
  const out = c.words.slice(i, i + names);
  if (out.length < names || c.words.length > i + names) throw new NftError(c.words.length > i + names ? 'syntax error, unexpected string' : 'syntax error, unexpected newline', c.words.length > i + names ? i + names : AT_END);
  return { family, names: out, at: out.map((_, k) => i + k) };
}

const out = (s: string) => process.stdout.write(s);
const jsonOut = (items: unknown[]) => out(`${nftJsonText({ nftables: [METAINFO, ...items] })}\n`);

async function sortedTables(fo: FamilyOptions, family?: NftFamily): Promise<NftTable[]> {
  return listTables(family ? { family } : {}, fo).toArray();
}

async function setsWithElements(sets: NftSet[], fo: FamilyOptions): Promise<[NftSet, NftElement[]][]> {
  const r: [NftSet, NftElement[]][] = [];
  for (const s of sets) r.push([s, await listElements(s, fo)]);
  return r;
}

const sameTable = (t: NftTable) => (x: { family: unknown; table: string }) => x.family === t.family && x.table === t.name;

async function list(c: Cmd, fo: FamilyOptions): Promise<number> {
  const what = c.words[1];
  const optFamily = (): NftFamily | undefined => {
    const f = c.words[2];
    if (f === undefined) return undefined;
    if (!FAMILIES.has(f) || c.words.length > 3) throw new NftError('syntax error, unexpected string', FAMILIES.has(f) ? 3 : 2);
    return f as NftFamily;
  };
  switch (what) {
    case 'tables': {
      const tables = await sortedTables(fo, optFamily());
      if (c.json) jsonOut(tables.map((t) => ({ table: tableJson(t) })));
      else out(tables.map((t) => `${formatTableLine(t)}\n`).join(''));
      return 0;
    }
    case 'chains': {
      const family = optFamily();
      const [tables, chains] = await consistently(async (o) => [await sortedTables(o, family), await listChains(family ? { family } : {}, o).toArray()] as const, fo);
      if (c.json) jsonOut(chains.map((x) => ({ chain: chainJson(x) })));
      else out(tables.map((t) => `${formatTableLine(t)} {\n${chains.filter(sameTable(t)).map((x) => formatChain(x)).join('')}}\n`).join(''));
      return 0;
    }
    case 'sets': {
      const family = optFamily();
      const [tables, sets] = await consistently(async (o) => [
        await sortedTables(o, family), await setsWithElements((await listSets(family ? { family } : {}, o).toArray()).filter(listedSet), o),
      ] as const, fo);
      if (c.json) jsonOut(sets.map(([s, e]) => ({ set: setJson(s, e) })));
      else out(tables.map((t) => `${formatTableLine(t)} {\n${sets.filter(([s]) => sameTable(t)(s)).map(([s, e]) => formatSet(s, e)).join('')}}\n`).join(''));
      return 0;
    }
    case 'set': {
      const { family, names: [table, name], at } = target(c, 2, 2);
      let s: NftSet;
      try {
        s = await getSet({ family, table: table!, name: name! }, fo);
      } catch (e) {
        throw await missing(e, family, table!, fo, at);
      }
      const elements = await listElements(s, fo);
      if (c.json) jsonOut([{ set: setJson(s, elements) }]);
      else out(`table ${family} ${table} {\n${formatSet(s, elements)}}\n`);
      return 0;
    }
    case 'table': case 'ruleset': {
      let tables: NftTable[];
      if (what === 'table') {
        const { family, names: [name], at } = target(c, 2, 1);
        tables = (await sortedTables(fo, family)).filter((t) => t.name === name);
        if (!tables.length) throw new NftError('No such file or directory', at[0]);
      } else tables = await sortedTables(fo, optFamily());
      const [chains, sets, rules] = await consistently(async (o) => [
        await listChains({}, o).toArray(), await setsWithElements((await listSets({}, o).toArray()).filter(listedSet), o), await listRules({}, o).toArray(),
      ] as const, fo);
      if (c.json) {
        const items: unknown[] = [];
        for (const t of tables) {
          items.push({ table: tableJson(t) });
          for (const x of chains.filter(sameTable(t))) items.push({ chain: chainJson(x) });
          for (const [s, e] of sets.filter(([s]) => sameTable(t)(s))) items.push({ set: setJson(s, e) });
          for (const r of rules.filter(sameTable(t))) items.push({ rule: { family: r.family, table: r.table, chain: r.chain, handle: r.handle } });
        }
        jsonOut(items);
        return 0;
      }
      const blocks = tables.map((t) => {
        const parts = [
          ...sets.filter(([s]) => sameTable(t)(s)).map(([s, e]) => formatSet(s, e)),
          ...chains.filter(sameTable(t)).map((x) => {
            const n = rules.filter((r) => sameTable(t)(r) && r.chain === x.name).length;
            return formatChain(x, n ? `\t\t# ${n} rule${n === 1 ? '' : 's'} (expressions are not decoded by nlkit)\n` : '');
          }),
        ];
        return `${formatTableLine(t)} {\n${parts.join('\n')}}\n`;
      });
      out(blocks.join(''));
      return 0;
    }
    default:
      throw new NftError(what === undefined ? 'syntax error, unexpected newline' : 'syntax error, unexpected string', what === undefined ? AT_END : 1);
  }
}

/** The error for a lookup the kernel answered ENOENT: under the table's name when the table is missing, else the object's. */
async function missing(e: unknown, family: NftFamily, table: string, fo: FamilyOptions, at: number[]): Promise<unknown> {
  if ((e as { code?: string }).code !== 'ENOENT') return e;
  const tables = await listTables({ family }, fo).toArray();
  return new NftError('No such file or directory', tables.some((t) => t.name === table) ? at[at.length - 1] : at[0]);
}

/** Reads a set declaration body: `{ type ipv4_addr . inet_service; flags interval,timeout; timeout 30s; size 100; }`. */
function setSpec(body: string | undefined, ref: { family: NftFamily; table: string; name: string }): NftSetSpec {
  if (!body || !body.trim().endsWith('}')) throw new NftError('syntax error, unexpected newline');
  const spec: Partial<NftSetSpec> = { ...ref };
  for (const stmt of body.trim().slice(1, AT_ELEMENTS).split(/[;\n]/).map((x) => x.trim()).filter(Boolean)) {
    const [kw, ...rest] = stmt.split(/\s+/);
    if (kw === 'type') spec.type = rest.filter((w) => w !== '.');
    else if (kw === 'flags') spec.flags = rest.join('').split(',') as NftSetSpec['flags'];
    else if (kw === 'timeout') spec.timeout = parseTime(rest[0] ?? '');
    else if (kw === 'size') spec.size = Number(rest[0]);
    else throw new NftError(`syntax error, unexpected ${kw}`);
  }
  if (!spec.type || spec.type.length === 0) throw new NftError('set definition does not specify key');
  for (const f of spec.flags ?? []) if (!['interval', 'timeout', 'constant', 'dynamic'].includes(f)) throw new NftError(`syntax error, unexpected ${f}`);
  return spec as NftSetSpec;
}

/** Reads a chain body: `{ type filter hook input [device "eth0"] priority 0; policy accept; }` (or none: a regular chain). */
function chainSpec(body: string | undefined, ref: { family: NftFamily; table: string; name: string }): NftChainSpec {
  const spec: NftChainSpec = { ...ref };
  if (body === undefined) return spec;
  const inner = body.trim().replace(/^\{/, '').replace(/\}$/, '');
  for (const stmt of inner.split(/[;\n]/).map((x) => x.trim()).filter(Boolean)) {
    const m = /^type\s+(\S+)\s+hook\s+(\S+)(?:\s+device\s+"?([^"\s]+)"?)?\s+priority\s+(.+)$/.exec(stmt);
    const p = /^policy\s+(accept|drop)$/.exec(stmt);
    if (m) {
      const priority = priorityValue(ref.family, m[4]!);
      if (priority === undefined) throw new NftError(`'${m[4]}' is invalid priority in this context.`);
      Object.assign(spec, { type: m[1], hook: m[2], priority, ...(m[3] !== undefined ? { dev: m[3] } : {}) });
    } else if (p) spec.policy = p[1] as 'accept' | 'drop';
    else if (!stmt.startsWith('comment')) throw new NftError(`syntax error, unexpected ${stmt.split(/\s+/)[0]}`);
  }
  return spec;
}

async function change(c: Cmd, fo: FamilyOptions): Promise<number> {
  const verb = c.words[0]!;
  const obj = c.words[1];
  const create = verb === 'create';
  const kernel = async (fn: () => Promise<void>, at?: number) => {
    try {
      await fn();
    } catch (e) {
      const errno = (e as { errno?: number }).errno;
      if (typeof errno === 'number') throw new NftError(`Could not process rule: ${errnoMessage(errno)}`, at);
      throw e;
    }
  };
  if (obj === 'element') {
    if (verb === 'flush') throw new NftError('syntax error, unexpected element', 1);
    const { family, names: [table, name], at } = target(c, 2, 2);
    if (c.body === undefined) throw new NftError('syntax error, unexpected newline, expecting \'{\' or \'$\'', AT_END);
    let s: NftSet;
    try {
      s = await getSet({ family, table: table!, name: name! }, fo);
    } catch (e) {
      throw await missing(e, family, table!, fo, at);
    }
    let elements: string[];
    try {
      elements = [c.body];
      if (verb === 'delete') await kernel(() => deleteElements(s, elements, fo), AT_ELEMENTS);
      else await kernel(() => addElements(s, elements, { ...fo, create }), AT_ELEMENTS);
    } catch (e) {
      if (e instanceof NftValueError) throw new NftError(e.message, AT_ELEMENTS);
      throw e;
    }
    return 0;
  }
  if (obj === 'table') {
    if (verb === 'flush') throw new NftError('flush table is not supported by nlkit (rules are not decoded)', 1);
    const { family, names: [name], at } = target(c, 2, 1);
    if (verb === 'delete') await kernel(() => deleteTable({ family, name: name! }, fo), at[0]);
    else await kernel(() => addTable({ family, name: name! }, { ...fo, create }), at[0]);
    return 0;
  }
  if (obj === 'chain') {
    const { family, names: [table, name], at } = target(c, 2, 2);
    if (verb === 'delete') await kernel(() => deleteChain({ family, table: table!, name: name! }, fo), at[1]);
    else if (verb === 'flush') throw new NftError('flush chain is not supported by nlkit (rules are not decoded)', 1);
    else await kernel(() => addChain(chainSpec(c.body, { family, table: table!, name: name! }), { ...fo, create }), at[1]);
    return 0;
  }
  if (obj === 'set') {
    const { family, names: [table, name], at } = target(c, 2, 2);
    if (verb === 'delete') await kernel(() => deleteSet({ family, table: table!, name: name! }, fo), at[1]);
    else if (verb === 'flush') await kernel(() => flushSet({ family, table: table!, name: name! }, fo), at[1]);
    else {
      let spec: NftSetSpec;
      try {
        spec = setSpec(c.body, { family, table: table!, name: name! });
      } catch (e) {
        if (e instanceof NftValueError) throw new NftError(e.message, AT_ELEMENTS);
        throw e;
      }
      await kernel(() => addSet(spec, { ...fo, create }), at[1]);
    }
    return 0;
  }
  throw new NftError(obj === undefined ? 'syntax error, unexpected newline' : 'syntax error, unexpected string', obj === undefined ? AT_END : 1);
}

/** `nft monitor`: one line per change (or nft -j monitor's objects); interval starts wait for their ends. */
async function monitor(c: Cmd, fo: FamilyOptions): Promise<number> {
  const sets = new Map<string, NftSet>();
  const pending = new Map<string, Extract<NftEvent, { object: 'element' }>>();
  const key = (f: unknown, t: string, n: string) => `${f} ${t} ${n}`;
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const printElements = (e: Extract<NftEvent, { object: 'element' }>, s: NftSet) => {
    const els = fromRawElements(s, e.elements);
    if (!els.length) return;
    const verb = e.event;
    if (c.json) out(`${nftJsonText({ [verb]: { element: { family: e.family, table: e.table, name: e.set, elem: { set: els.map((x) => elementJson(s, x)) } } } })}\n`);
    else out(`${verb} element ${e.family} ${e.table} ${e.set} ${formatElementsInline(s, els)}\n`);
  };
  try {
    for await (const ev of nftEvents({ ...fo, signal: ac.signal })) {
      if ('overrun' in ev) {
        process.stderr.write('nft (nlkit): events lost (receive buffer overrun)\n');
        continue;
      }
      if (ev.event === 'generation') {
        if (!c.json) out(`# new generation ${ev.id}${ev.pid !== undefined ? ` by process ${ev.pid} (${ev.process ?? ''})` : ''}\n`);
        continue;
      }
      switch (ev.object) {
        case 'table':
          if (c.json) out(`${nftJsonText({ [ev.event]: { table: tableJson(ev.table) } })}\n`);
          else out(`${ev.event} table ${ev.table.family} ${ev.table.name}\n`);
          break;
        case 'chain':
          if (c.json) out(`${nftJsonText({ [ev.event]: { chain: chainJson(ev.chain) } })}\n`);
          else out(`${ev.event} chain ${ev.chain.family} ${ev.chain.table} ${ev.chain.name}${ev.event === 'add' ? formatChainInline(ev.chain) : ''}\n`);
          break;
        case 'set':
          if (!listedSet(ev.set)) break;
          if (ev.event === 'add') sets.set(key(ev.set.family, ev.set.table, ev.set.name), ev.set);
          if (c.json) out(`${nftJsonText({ [ev.event]: { set: setJson(ev.set) } })}\n`);
          else out(`${ev.event} set ${ev.set.family} ${ev.set.table} ${ev.set.name}${ev.event === 'add' ? ` ${formatSetInline(ev.set)} ` : ''}\n`);
          break;
        case 'rule':
          if (c.json) out(`${nftJsonText({ [ev.event]: { rule: { family: ev.rule.family, table: ev.rule.table, chain: ev.rule.chain, handle: ev.rule.handle } } })}\n`);
          else out(`${ev.event} rule ${ev.rule.family} ${ev.rule.table} ${ev.rule.chain} handle ${ev.rule.handle}\n`);
          break;
        case 'element': {
          const k = key(ev.family, ev.table, ev.set);
          let s = sets.get(k);
          if (!s) {
            try {
              s = await getSet({ family: ev.family, table: ev.table, name: ev.set }, fo);
              sets.set(k, s);
            } catch {
              break; // an anonymous set of a rule, or gone already
            }
          }
          if (!listedSet(s)) break;
          // An rbtree interval arrives as a start and, in the next message, its end.
          const prev = pending.get(k);
          const merged = prev && prev.event === ev.event ? { ...ev, elements: [...prev.elements, ...ev.elements] } : ev;
          pending.delete(k);
          if (prev && prev.event !== ev.event) printElements(prev, s);
          const interval = (s.flags & NFT_SET.INTERVAL) !== 0 && s.types.length === 1;
          if (interval && merged.elements.length % 2 === 1 && !(merged.elements.at(-1)!.flags & NFT_SET_ELEM.INTERVAL_END)) pending.set(k, merged);
          else printElements(merged, s);
          break;
        }
      }
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  }
  return 0;
}

/** Runs `nlkit nft ARGS`; resolves with the exit status (1 for every failure, as nft). */
export async function run(args: string[]): Promise<number> {
  let c: Cmd | undefined;
  try {
    const cmds = parse(args);
    c = cmds[0]!;
    if (cmds.length === 1 && c.words.length === 0 && c.body === undefined) {
      process.stderr.write('nft: no command specified\n');
      return 1;
    }
    const fo: FamilyOptions = c.netns !== undefined ? { netns: c.netns } : {};
    // Commands run in order; the first that fails ends the line.
    for (c of cmds) {
      switch (c.words[0]) {
        case 'list': await list(c, fo); break;
        case 'add': case 'create': case 'delete': case 'flush': await change(c, fo); break;
        case 'monitor': await monitor(c, fo); break;
        default: throw new NftError(c.words[0] === undefined ? 'syntax error, unexpected newline' : 'syntax error, unexpected string', c.words[0] === undefined ? AT_END : 0);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof OptionError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (!(e instanceof NftError) && !(e instanceof NftValueError)) {
      const errno = (e as { errno?: number }).errno;
      if (typeof errno !== 'number') throw e;
      e = new NftError(errnoMessage(errno));
    }
    const err = e as NftError;
    let msg = `Error: ${err.message}\n`;
    if (c && c.line) {
      msg += `${c.line}\n`;
      const at = err.at;
      if (at === AT_END) msg += `${' '.repeat(c.end)}^\n`;
      else if (at === AT_ELEMENTS && c.bodyStart >= 0) {
        const inner = c.line.slice(c.bodyStart, c.end).replace(/^\{\s*/, '').replace(/\s*\}\s*$/, '');
        const from = c.line.indexOf(inner, c.bodyStart);
        msg += `${' '.repeat(from)}${'^'.repeat(Math.max(1, inner.length))}\n`;
      } else if (at !== undefined && at >= 0 && at < c.words.length) msg += `${' '.repeat(c.starts[at]!)}${'^'.repeat(c.words[at]!.length)}\n`;
    }
    process.stderr.write(msg);
    return 1;
  }
}
