// tc's grammar: a cursor over one command's words, the mistakes tc reports with their exit
// statuses, and the values tc parses (numbers as strtoul reads them, handles, classids,
// protocols, verdicts). tc's main() returns what the object returned, so `return -1` is 255,
// a parser's `return 1` is 1 and a kernel refusal 2.
import { TC_ACT, TC_H } from '../../route/constants.js';
import { formatTcHandle, tcHandle } from '../../route/index.js';
import { UsageError } from '../usage.js';

/** tc's exit statuses. */
export const TC_EXIT = {
  /** A kind's parser refused its options, or a device is missing. */
  FAILURE: 1,
  /** The kernel refused the request. */
  REFUSED: 2,
  /** A mistake in tc's own grammar (`return -1`, invarg(), duparg(), usage()). */
  INVARG: 255,
} as const;

/** True when `arg` is a non-empty prefix of `keyword` (iproute2's matches()). */
export function matches(arg: string | undefined, keyword: string): boolean {
  return arg !== undefined && arg.length > 0 && arg.length <= keyword.length && keyword.startsWith(arg);
}

/** A mistake tc reports with exit(-1): it ends the process, a -batch too, even with -force. */
export class TcExit extends UsageError {
  constructor(message: string) {
    super(message, undefined, TC_EXIT.INVARG);
    this.name = 'TcExit';
  }
}

/** A mistake reported on stderr as is (tc prints no hint of its own) with tc's status. */
export function fail(message: string, status: number = TC_EXIT.INVARG): UsageError {
  return new UsageError(message, undefined, status);
}

/** A mistake tc reports and exits on (invarg, duparg, an incomplete line, a kind's usage()). */
export function exit(message: string): TcExit {
  return new TcExit(message);
}

/** A device name that does not exist: `Cannot find device "X"`, exit 1. */
export function noDevice(dev: string): UsageError {
  return fail(`Cannot find device "${dev}"`, TC_EXIT.FAILURE);
}

/** A command of a tc object, as its modify() takes it. */
export type TcVerb = 'add' | 'change' | 'replace' | 'link' | 'del' | 'get';

// The command words in the order tc's do_qdisc/do_class/do_filter/do_chain try them (an
// abbreviation picks the first it is a prefix of).
const VERB_WORDS: [string, TcVerb][] = [['add', 'add'], ['change', 'change'], ['replace', 'replace'], ['link', 'link'], ['delete', 'del'], ['get', 'get']];

/** What a tc object does with its command words. */
export interface TcObject<V extends TcVerb> {
  /** Its name in messages (`qdisc`, `class`, …). */
  name: string;
  /** The commands it has, besides list/show/lst and help. */
  verbs: readonly V[];
  modify(verb: V, w: Words): Promise<number>;
  list(w: Words): Promise<number>;
  /** What `help` throws. */
  help(): UsageError;
}

/** One dispatcher for the objects' command words: no word lists; unknown ones as tc words them. */
export function runObject<V extends TcVerb>(o: TcObject<V>, argv: readonly string[]): Promise<number> {
  const w = new Words(argv);
  const cmd = w.next();
  if (cmd === undefined) return o.list(w);
  for (const [word, verb] of VERB_WORDS) if ((o.verbs as readonly TcVerb[]).includes(verb) && matches(cmd, word)) return o.modify(verb as V, w);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return o.list(w);
  if (matches(cmd, 'help')) throw o.help();
  throw fail(`Command "${cmd}" is unknown, try "tc ${o.name} help".`);
}

/** A cursor over one command's words. */
export class Words {
  private i = 0;
  constructor(private readonly argv: readonly string[]) {}

  /** The current word, or undefined at the end. */
  peek(): string | undefined {
    return this.argv[this.i];
  }

  /** The current word; moves past it. */
  next(): string | undefined {
    return this.i < this.argv.length ? this.argv[this.i++] : undefined;
  }

  /** How many words remain. */
  get left(): number {
    return this.argv.length - this.i;
  }

  /** Where the cursor is (to come back with {@link seek}). */
  get at(): number {
    return this.i;
  }

  /** Moves the cursor back to `at`. */
  seek(at: number): void {
    this.i = at;
  }

  /** The value after `kw` (NEXT_ARG): tc's incomplete_command() when the line ends. */
  value(_kw: string): string {
    const v = this.next();
    if (v === undefined) throw exit('Command line is not complete. Try option "help"');
    return v;
  }

  /** Steps back one word. */
  back(): void {
    this.i--;
  }
}

/** invarg(): `Error: argument "X" is wrong: MSG`, exit 255. */
export function invarg(what: string, arg: string): UsageError {
  return exit(`Error: argument "${arg}" is wrong: ${what}`);
}

/** duparg(): `Error: duplicate "KEY": "ARG" is the second value.`, exit 255. */
export function duparg(key: string, arg: string): UsageError {
  return exit(`Error: duplicate "${key}": "${arg}" is the second value.`);
}

/** strtoul with tc's base (0: 0x hex, 0 octal, decimal), the whole word, at most `max`. */
export function getU32(s: string, base = 0, max = 0xffffffff): number | undefined {
  let v: number;
  if (base === 16) {
    const m = /^(?:0[xX])?([0-9a-fA-F]+)$/.exec(s);
    if (!m) return undefined;
    v = parseInt(m[1]!, 16);
  } else if (base === 10) {
    if (!/^[0-9]+$/.test(s)) return undefined;
    v = Number(s);
  } else if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8);
  else if (/^[1-9][0-9]*$/.test(s)) v = Number(s);
  else return undefined;
  return Number.isSafeInteger(v) && v <= max ? v : undefined;
}

/** get_qdisc_handle: `1:` or `1` (hexadecimal major), `none`; undefined when malformed. */
export function qdiscHandle(s: string): number | undefined {
  if (s === 'none') return 0;
  const m = /^([0-9a-fA-F]{1,4}):?$/.exec(s);
  return m ? tcHandle(parseInt(m[1]!, 16), 0) : undefined;
}

/** get_tc_classid: `root`, `none`, `1:10`, `:10`, `1:`, `ffff:fff1` (hexadecimal). */
export function classid(s: string): number | undefined {
  if (s === 'root') return TC_H.ROOT;
  if (s === 'none') return TC_H.UNSPEC;
  const m = /^([0-9a-fA-F]{0,4}):([0-9a-fA-F]{0,4})$/.exec(s) ?? /^([0-9a-fA-F]{1,4})$/.exec(s);
  if (!m) return undefined;
  return tcHandle(m[1] ? parseInt(m[1], 16) : 0, m[2] ? parseInt(m[2], 16) : 0);
}

/** print_tc_classid: `root`, `none`, `:10`, `1:`, `1:10` (the library's formatTcHandle). */
export const classidText = formatTcHandle;

// iproute2's llproto_names (lib/ll_proto.c), the protocols tc names.
const PROTOCOLS: [string, number][] = [
  ['loop', 0x0060], ['pup', 0x0200], ['pupat', 0x0201], ['ip', 0x0800], ['x25', 0x0805], ['arp', 0x0806],
  ['bpq', 0x08ff], ['ieeepup', 0x0a00], ['ieeepupat', 0x0a01], ['dec', 0x6000], ['dna_dl', 0x6001],
  ['dna_rc', 0x6002], ['dna_rt', 0x6003], ['lat', 0x6004], ['diag', 0x6005], ['cust', 0x6006], ['sca', 0x6007],
  ['rarp', 0x8035], ['atalk', 0x809b], ['aarp', 0x80f3], ['ipx', 0x8137], ['ipv6', 0x86dd], ['ppp_disc', 0x8863],
  ['ppp_ses', 0x8864], ['atmmpoa', 0x884c], ['atmfate', 0x8884], ['802.3', 0x0001], ['ax25', 0x0002],
  ['all', 0x0003], ['802.2', 0x0004], ['snap', 0x0005], ['ddcmp', 0x0006], ['wan_ppp', 0x0007],
  ['ppp_mp', 0x0008], ['localtalk', 0x0009], ['can', 0x000c], ['ppptalk', 0x0010], ['tr_802.2', 0x0011],
  ['mobitex', 0x0015], ['control', 0x0016], ['irda', 0x0017], ['econet', 0x0018], ['tipc', 0x88ca],
  ['profinet', 0x8892], ['aoe', 0x88a2], ['ieee802.1Q', 0x8100], ['802.1Q', 0x8100], ['802.1ad', 0x88a8],
  ['mpls_uc', 0x8847], ['mpls_mc', 0x8848], ['teb', 0x6558], ['lldp', 0x88cc],
];
const PROTO_NAME = new Map<number, string>();
for (const [n, v] of PROTOCOLS) if (!PROTO_NAME.has(v) || n === '802.1Q') PROTO_NAME.set(v, n);

/** ll_proto_n2a: a protocol's name, or `[N]`. */
export function protocolText(p: number): string {
  return PROTO_NAME.get(p) ?? `[${p}]`;
}

/** ll_proto_a2n: a protocol by name (case-insensitive) or number; undefined when unknown. */
export function protocolNumber(s: string): number | undefined {
  const lower = s.toLowerCase();
  for (const [n, v] of PROTOCOLS) if (n.toLowerCase() === lower) return v;
  return getU32(s, 0, 0xffff);
}

// TC_ACT_* by tc's words (action_a2n), and the words it prints (action_n2a).
const VERDICTS: [string, number][] = [
  ['continue', TC_ACT.UNSPEC], ['drop', TC_ACT.SHOT], ['shot', TC_ACT.SHOT], ['pass', TC_ACT.OK], ['ok', TC_ACT.OK],
  ['reclassify', TC_ACT.RECLASSIFY], ['pipe', TC_ACT.PIPE], ['stolen', TC_ACT.STOLEN], ['trap', TC_ACT.TRAP],
];
const GOTO_CHAIN = TC_ACT.GOTO_CHAIN;
const JUMP = TC_ACT.JUMP;
// TC_ACT_EXT_OPCODE_MAX / TC_ACT_EXT_VAL_MASK: the opcode bits above the value bits (pkt_cls.h macros).
const EXT_VAL = JUMP - 1;
const EXT_MASK = ~EXT_VAL;

/** action_n2a: `pass`, `drop`, `goto` (with the chain in `chain`), `jump`, or the number. */
export function verdictText(v: number): string {
  switch (v) {
    case TC_ACT.UNSPEC: return 'continue';
    case TC_ACT.OK: return 'pass';
    case TC_ACT.SHOT: return 'drop';
    case TC_ACT.RECLASSIFY: return 'reclassify';
    case TC_ACT.PIPE: return 'pipe';
    case TC_ACT.STOLEN: return 'stolen';
    case TC_ACT.TRAP: return 'trap';
  }
  if ((v & EXT_MASK) === GOTO_CHAIN) return 'goto';
  if ((v & EXT_MASK) === JUMP) return 'jump';
  return String(v);
}

/** The chain of a `goto chain N` verdict, the count of `jump N`, else undefined. */
export function verdictExt(v: number): { chain?: number; jump?: number } {
  if ((v & EXT_MASK) === GOTO_CHAIN) return { chain: v & EXT_VAL };
  if ((v & EXT_MASK) === JUMP) return { jump: v & EXT_VAL };
  return {};
}

/** True when `w` is a verdict word (action_a2n succeeds). */
export function isVerdict(w: string | undefined): boolean {
  return w !== undefined && (VERDICTS.some(([n]) => n === w) || w === 'goto' || w === 'jump');
}

/**
 * parse_action_control: a verdict at the cursor (`drop`, `goto chain 3`, `jump 2`); the cursor
 * moves past it. Undefined (cursor unmoved) when the word is not one.
 */
export function parseVerdict(w: Words): number | undefined {
  const word = w.peek();
  const hit = VERDICTS.find(([n]) => n === word);
  if (hit) {
    w.next();
    return hit[1];
  }
  if (word === 'goto') {
    w.next();
    if (w.next() !== 'chain') throw fail('Bad action type goto');
    const n = getU32(w.value('chain'), 10);
    if (n === undefined) throw fail('Illegal "chain index"');
    return (GOTO_CHAIN | n) >>> 0 | 0;
  }
  if (word === 'jump') {
    w.next();
    const n = getU32(w.value('jump'), 10);
    if (n === undefined) throw fail('Illegal "jump index"');
    return (JUMP | n) | 0;
  }
  return undefined;
}

/** New commands that end a list of actions (new_cmd). */
export function isNewCommand(w: string | undefined): boolean {
  return w === 'change' || w === 'replace' || w === 'delete' || w === 'add' || w === 'get' || w === 'list' || w === 'flush' || w === 'show';
}

/**
 * parse_estimator: `estimator INTERVAL TIME_CONSTANT` (times, `1sec 8sec`) into struct
 * tc_estimator as tc_setup_estimator computes it; the cursor is after the keyword.
 */
export function parseEstimator(w: Words, parseTime: (s: string) => number | undefined): { interval: number; ewma_log: number } {
  const a = parseTime(w.value('estimator'));
  if (a === undefined) throw invarg('invalid estimator interval', 'estimator');
  const tc = parseTime(w.value('estimator'));
  if (tc === undefined) throw invarg('invalid estimator time constant', 'estimator');
  let interval = 0;
  for (; interval <= 5; interval++) if (a <= (1 << interval) * (1e6 / 4)) break;
  let ewma = 1;
  for (; ewma < 32; ewma++) {
    const wgt = 1 - 1 / 2 ** ewma;
    if (a / -Math.log(wgt) > tc) break;
  }
  ewma--;
  if (interval > 5 || ewma === 0 || ewma >= 31) throw fail('Error: estimator parameters are out of range.');
  return { interval: (interval - 2) & 0xff, ewma_log: ewma };
}
