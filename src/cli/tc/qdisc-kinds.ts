// The qdisc kinds tc knows here: their options parsed from tc's words into the library's typed
// options, and printed back as tc prints them (q_htb.c, q_tbf.c, q_fifo.c, q_prio.c, q_ingress.c,
// q_clsact.c). A kind without an entry takes no options and prints none.
import {
  formatTcRate, formatTcSize, formatTcTime, parseTcRate, parseTcSize, parseTcTime, tcTicksPerUsec, tcXmitSize, tcXmitTime,
} from '../../route/index.js';
import { TC_LINKLAYER } from '../../route/constants.js';
import type { Output } from '../ip/output.js';
import type { TcContext } from './context.js';
import { fail, getU32, matches, TC_EXIT, type Words } from './grammar.js';

/** A qdisc kind: its option parsers (qdisc and class) and printers. */
export interface QdiscKind {
  /** Parses a qdisc's options; the words after the kind. Undefined options: none sent. */
  parse?(w: Words, ctx: TcContext): unknown;
  /** Parses a class's options (classful kinds). */
  parseClass?(w: Words, ctx: TcContext): unknown;
  /** Prints a qdisc's options. */
  print?(out: Output, o: any, ctx: TcContext): void;
  /** Prints a class's options. */
  printClass?(out: Output, o: any, ctx: TcContext): void;
  /** Prints TCA_STATS_APP. */
  printXstats?(out: Output, app: Uint8Array): void;
}

/** A parser's refusal: tc prints it and returns 1 from the command. */
const bad = (msg: string) => fail(msg, TC_EXIT.FAILURE);

const LINKLAYER: Record<string, number> = { ethernet: TC_LINKLAYER.ETHERNET, atm: TC_LINKLAYER.ATM, adsl: TC_LINKLAYER.ATM };
const LINKLAYER_TEXT: Record<number, string> = { [TC_LINKLAYER.UNAWARE]: 'unaware', [TC_LINKLAYER.ETHERNET]: 'ethernet', [TC_LINKLAYER.ATM]: 'atm' };
const linklayerText = (l: number): string => LINKLAYER_TEXT[l] ?? String(l);
/** TC_LINKLAYER_MASK: the link layer's bits of tc_ratespec.linklayer (a macro, not in the generated tables). */
const LINKLAYER_MASK = 0x0f;

/** get_size_and_cell: `32kb` or `32kb/8` (the cell a power of two). */
function sizeAndCell(s: string): { size: number; cellLog: number } | undefined {
  const [a, b] = s.split('/', 2);
  const size = parseTcSize(a!);
  if (size === undefined) return undefined;
  if (b === undefined) return { size, cellLog: -1 };
  const cell = parseTcSize(b);
  if (cell === undefined || cell <= 0 || (cell & (cell - 1)) !== 0) return undefined;
  return { size, cellLog: Math.log2(cell) };
}

/** tc_calc_rtable: the cell log for `mtu` and the 256-entry rate table the kernel still accepts. */
function rateTable(rate: number, cellLog: number, mtu: number, mpu: number): { cellLog: number; table: Uint8Array } {
  if (mtu === 0) mtu = 2047;
  if (cellLog < 0) {
    cellLog = 0;
    while (mtu >> cellLog > 255) cellLog++;
  }
  const table = new Uint8Array(1024);
  const dv = new DataView(table.buffer);
  for (let i = 0; i < 256; i++) dv.setUint32(i * 4, rate ? tcXmitTime(rate, Math.max((i + 1) << cellLog, mpu)) >>> 0 : 0, true);
  return { cellLog, table };
}

/** The psched ticks per second tc calls hz (get_hz). */
const hz = (): number => tcTicksPerUsec() * 1e6;

// ---- htb ----

function htbQdiscParse(w: Words): unknown {
  const init = { version: 3, rate2quantum: 10, defcls: 0, debug: 0, direct_pkts: 0 };
  let directQlen: number | undefined;
  let offload = false;
  const explain1 = (a: string) => bad(`Illegal "${a}"`);
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (matches(a, 'r2q')) init.rate2quantum = getU32(w.value(a), 10) ?? (() => { throw explain1('r2q'); })();
    else if (matches(a, 'default')) init.defcls = getU32(w.value(a), 16) ?? (() => { throw explain1('default'); })();
    else if (matches(a, 'debug')) init.debug = getU32(w.value(a), 10) ?? (() => { throw explain1('debug'); })();
    else if (matches(a, 'direct_qlen')) directQlen = getU32(w.value(a), 10) ?? (() => { throw explain1('direct_qlen'); })();
    else if (matches(a, 'offload')) offload = true;
    else throw bad(`What is "${a}"?\n${HTB_USAGE}`);
  }
  return { init, ...(directQlen !== undefined ? { direct_qlen: directQlen } : {}), ...(offload ? { offload: true } : {}) };
}

const HTB_USAGE = `Usage: ... qdisc add ... htb [default N] [r2q N]
                      [direct_qlen P] [offload]
 default  minor id of class to which unclassified packets are sent {0}
 r2q      DRR quantums are computed as rate in Bps/r2q {10}
 debug    string of 16 numbers each 0-3 {0}

 direct_qlen  Limit of the direct queue {in packets}
 offload  enable hardware offload
... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]
                      [prio P] [slot S] [pslot PS]
                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]
 rate     rate allocated to this class (class can still borrow)
 burst    max bytes burst which can be accumulated during idle period {computed}
 mpu      minimum packet size used in rate computations
 overhead per-packet size overhead used in rate computations
 linklay  adapting to a linklayer e.g. atm
 ceil     definite upper class rate (no borrows) {rate}
 cburst   burst but for ceil {computed}
 mtu      max packet size we create rate map for {1600}
 prio     priority of leaf; lower are served first {0}
 quantum  how much bytes to serve from leaf at once {use r2q}

TC HTB version 3.3`;

function htbClassParse(w: Words): unknown {
  let prio = 0, quantum = 0, mtu = 1600, mpu = 0, overhead = 0, linklayer: number = TC_LINKLAYER.ETHERNET;
  let rate = 0, ceil = 0, buffer = 0, cbuffer = 0, cellLog = -1, ccellLog = -1;
  const explain1 = (a: string) => bad(`Illegal "${a}"`);
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (matches(a, 'prio')) prio = getU32(w.value(a), 10) ?? (() => { throw explain1('prio'); })();
    else if (matches(a, 'mtu')) mtu = getU32(w.value(a), 10) ?? (() => { throw explain1('mtu'); })();
    else if (matches(a, 'mpu')) mpu = getU32(w.value(a), 10, 0xffff) ?? (() => { throw explain1('mpu'); })();
    else if (matches(a, 'overhead')) overhead = getU32(w.value(a), 10, 0xffff) ?? (() => { throw explain1('overhead'); })();
    else if (matches(a, 'linklayer')) linklayer = LINKLAYER[w.value(a)] ?? (() => { throw explain1('linklayer'); })();
    else if (matches(a, 'quantum')) quantum = getU32(w.value(a), 10) ?? (() => { throw explain1('quantum'); })();
    else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const v = sizeAndCell(w.value(a));
      if (!v) throw explain1('buffer');
      ({ size: buffer, cellLog } = v);
    } else if (matches(a, 'cburst') || a === 'cbuffer' || a === 'cmaxburst') {
      const v = sizeAndCell(w.value(a));
      if (!v) throw explain1('cbuffer');
      ({ size: cbuffer, cellLog: ccellLog } = v);
    } else if (a === 'ceil') {
      if (ceil) throw bad('Double "ceil" spec');
      ceil = parseTcRate(w.value(a)) ?? (() => { throw explain1('ceil'); })();
    } else if (a === 'rate') {
      if (rate) throw bad('Double "rate" spec');
      rate = parseTcRate(w.value(a)) ?? (() => { throw explain1('rate'); })();
    } else if (a === 'help') throw bad(HTB_USAGE);
    else throw bad(`What is "${a}"?\n${HTB_USAGE}`);
  }
  if (!rate) throw bad('"rate" is required.');
  if (!ceil) ceil = rate;
  if (!buffer) buffer = Math.trunc(rate / hz() + mtu);
  if (!cbuffer) cbuffer = Math.trunc(ceil / hz() + mtu);
  const r = rateTable(Math.min(rate, 0xffffffff), cellLog, mtu, mpu);
  const c = rateTable(Math.min(ceil, 0xffffffff), ccellLog, mtu, mpu);
  const spec = (p: string, v: number, cl: number) => ({
    [`${p}cell_log`]: cl, [`${p}linklayer`]: linklayer, [`${p}overhead`]: overhead, [`${p}cell_align`]: 0xffff, [`${p}mpu`]: mpu,
    [`${p}rate`]: v >= 2 ** 32 ? 0xffffffff : v,
  });
  return {
    ...(rate >= 2 ** 32 ? { rate64: rate } : {}),
    ...(ceil >= 2 ** 32 ? { ceil64: ceil } : {}),
    parms: {
      ...spec('rate_', rate, r.cellLog), ...spec('ceil_', ceil, c.cellLog),
      buffer: tcXmitTime(rate, buffer), cbuffer: tcXmitTime(ceil, cbuffer), quantum, level: 0, prio,
    },
    rtab: r.table,
    ctab: c.table,
  };
}

function htbPrint(out: Output, o: any, ctx: TcContext): void {
  const d = ctx.opts.details;
  if (o.parms) {
    const p = o.parms;
    if (!p.level) {
      out.field('prio', p.prio, `prio ${p.prio} `);
      if (d) out.field('quantum', p.quantum, `quantum ${p.quantum} `);
    }
    const rate = Number(o.rate64 ?? p.rate_rate);
    const ceil = Number(o.ceil64 ?? p.ceil_rate);
    out.field('rate', rate, `rate ${formatTcRate(rate)} `);
    if (p.rate_overhead) out.fp(`overhead ${p.rate_overhead} `);
    const buffer = tcXmitSize(rate, p.buffer);
    out.field('ceil', ceil, `ceil ${formatTcRate(ceil)} `);
    const cbuffer = tcXmitSize(ceil, p.cbuffer);
    const ll = p.rate_linklayer & LINKLAYER_MASK;
    if (ll > TC_LINKLAYER.ETHERNET || d) out.fp(`linklayer ${linklayerText(ll)} `);
    if (d) {
      out.field('burst', buffer, `burst ${formatTcSize(buffer)}/${1 << p.rate_cell_log} `);
      out.field('mpu', p.rate_mpu, `mpu ${formatTcSize(p.rate_mpu)} `);
      out.field('cburst', cbuffer, `cburst ${formatTcSize(cbuffer)}/${1 << p.ceil_cell_log} `);
      out.fp(`mpu ${formatTcSize(p.ceil_mpu)} `);
      out.field('level', p.level, `level ${p.level} `);
    } else {
      out.field('burst', buffer, `burst ${formatTcSize(buffer)} `);
      out.field('cburst', cbuffer, `cburst ${formatTcSize(cbuffer)} `);
    }
  }
  if (o.init) {
    const g = o.init;
    out.field('r2q', g.rate2quantum, `r2q ${g.rate2quantum}`);
    const def = g.defcls ? `0x${g.defcls.toString(16)}` : '0';
    out.field('default', def, ` default ${def}`);
    out.field('direct_packets_stat', g.direct_pkts, ` direct_packets_stat ${g.direct_pkts}`);
    if (d) {
      const ver = `${g.version >>> 16}.${g.version & 0xffff}`;
      out.field('ver', ver, ` ver ${ver}`);
    }
  }
  if (o.direct_qlen !== undefined) out.field('direct_qlen', o.direct_qlen, ` direct_qlen ${o.direct_qlen}`);
  if (o.offload) out.field('offload', null, ' offload');
}

function htbXstats(out: Output, app: Uint8Array): void {
  if (app.byteLength < 20) return;
  const dv = new DataView(app.buffer, app.byteOffset, app.byteLength);
  out.field('lended', dv.getUint32(0, true), ` lended: ${dv.getUint32(0, true)} `);
  out.field('borrowed', dv.getUint32(4, true), `borrowed: ${dv.getUint32(4, true)} `);
  out.field('giants', dv.getUint32(8, true), `giants: ${dv.getUint32(8, true)}`);
  out.nl();
  out.field('tokens', dv.getInt32(12, true), ` tokens: ${dv.getInt32(12, true)} `);
  out.field('ctokens', dv.getInt32(16, true), `ctokens: ${dv.getInt32(16, true)}`);
  out.nl();
}

// ---- tbf ----

const TBF_USAGE = `Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]
	[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]`;

function tbfParse(w: Words): unknown {
  let limit = 0, latency = 0, buffer = 0, mtu = 0, mpu = 0, overhead = 0, linklayer: number = TC_LINKLAYER.ETHERNET, rate = 0, prate = 0;
  let rcell = -1, pcell = -1;
  const explain1 = (a: string, v: string) => bad(`tbf: illegal value for "${a}": "${v}"\n${TBF_USAGE}`);
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (matches(a, 'limit')) {
      const v = w.value(a);
      if (limit) throw bad('tbf: duplicate "limit" specification');
      if (latency) throw bad('tbf: specifying both "latency" and "limit" is not allowed');
      limit = parseTcSize(v) ?? (() => { throw explain1('limit', v); })();
    } else if (matches(a, 'latency')) {
      const v = w.value(a);
      if (latency) throw bad('tbf: duplicate "latency" specification');
      if (limit) throw bad('tbf: specifying both "limit" and "/latency/" is not allowed');
      latency = parseTcTime(v) ?? (() => { throw explain1('latency', v); })();
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const v = w.value(a);
      if (buffer) throw bad('tbf: duplicate "buffer/burst/maxburst" specification');
      const s = sizeAndCell(v);
      if (!s) throw explain1(a, v);
      ({ size: buffer, cellLog: rcell } = s);
    } else if (a === 'mtu' || a === 'minburst') {
      const v = w.value(a);
      if (mtu) throw bad('tbf: duplicate "mtu/minburst" specification');
      const s = sizeAndCell(v);
      if (!s) throw explain1(a, v);
      ({ size: mtu, cellLog: pcell } = s);
    } else if (a === 'mpu') {
      const v = w.value(a);
      mpu = parseTcSize(v) ?? (() => { throw explain1('mpu', v); })();
    } else if (a === 'rate') {
      const v = w.value(a);
      if (rate) throw bad('tbf: duplicate "rate" specification');
      rate = parseTcRate(v) ?? (() => { throw explain1('rate', v); })();
    } else if (matches(a, 'peakrate')) {
      const v = w.value(a);
      if (prate) throw bad('tbf: duplicate "peakrate" specification');
      prate = parseTcRate(v) ?? (() => { throw explain1('peakrate', v); })();
    } else if (matches(a, 'overhead')) {
      const v = w.value(a);
      overhead = getU32(v, 10, 0xffff) ?? (() => { throw explain1('overhead', v); })();
    } else if (matches(a, 'linklayer')) {
      const v = w.value(a);
      linklayer = LINKLAYER[v] ?? (() => { throw explain1('linklayer', v); })();
    } else if (a === 'help') throw bad(TBF_USAGE);
    else throw bad(`tbf: unknown parameter "${a}"\n${TBF_USAGE}`);
  }
  const errors: string[] = [];
  if (!rate) errors.push('tbf: the "rate" parameter is mandatory.');
  if (!buffer) errors.push('tbf: the "burst" parameter is mandatory.');
  if (prate && !mtu) errors.push('tbf: when "peakrate" is specified, "mtu" must also be specified.');
  if (!limit && !latency) errors.push('tbf: either "limit" or "latency" is required.');
  if (errors.length) throw bad(`${errors.join('\n')}\n${TBF_USAGE}`);
  if (!limit) {
    let lim = (rate * latency) / 1e6 + buffer;
    if (prate) lim = Math.min(lim, (prate * latency) / 1e6 + mtu);
    limit = Math.trunc(lim);
  }
  const r = rateTable(Math.min(rate, 0xffffffff), rcell, mtu, mpu);
  const parms: Record<string, number> = {
    rate_cell_log: r.cellLog, rate_linklayer: linklayer, rate_overhead: overhead, rate_cell_align: 0xffff, rate_mpu: mpu,
    rate_rate: Math.min(rate, 0xffffffff), limit, buffer: tcXmitTime(Math.min(rate, 0xffffffff), buffer), mtu: 0,
  };
  const o: Record<string, unknown> = { parms, burst: buffer, ...(rate >= 2 ** 32 ? { rate64: rate } : {}), rtab: r.table };
  if (prate) {
    const p = rateTable(Math.min(prate, 0xffffffff), pcell, mtu, mpu);
    Object.assign(parms, {
      peakrate_cell_log: p.cellLog, peakrate_linklayer: linklayer, peakrate_overhead: overhead, peakrate_cell_align: 0xffff,
      peakrate_mpu: mpu, peakrate_rate: Math.min(prate, 0xffffffff), mtu: tcXmitTime(Math.min(prate, 0xffffffff), mtu),
    });
    if (prate >= 2 ** 32) o.prate64 = prate;
    o.pburst = mtu;
    o.ptab = p.table;
  }
  return o;
}

function tbfPrint(out: Output, o: any, ctx: TcContext): void {
  const q = o.parms;
  if (!q) return;
  const d = ctx.opts.details;
  const rate = Number(o.rate64 ?? q.rate_rate);
  const prate = Number(o.prate64 ?? q.peakrate_rate);
  out.field('rate', rate, `rate ${formatTcRate(rate)} `);
  const buffer = tcXmitSize(rate, q.buffer);
  if (d) {
    const b = `${formatTcSize(buffer)}/${1 << q.rate_cell_log}`;
    out.field('burst', b, `burst ${b} `);
    out.field('mpu', q.rate_mpu, `mpu ${formatTcSize(q.rate_mpu)} `);
  } else {
    out.field('burst', buffer, `burst ${formatTcSize(buffer)} `);
  }
  if (prate) {
    out.fp(`peakrate ${formatTcRate(prate)} `);
    if (q.mtu || q.peakrate_mpu) {
      const mtu = tcXmitSize(prate, q.mtu);
      if (d) {
        const m = `${formatTcSize(mtu)}/${1 << q.peakrate_cell_log}`;
        out.field('mtu', m, `mtu ${m} `);
        out.field('mpu', q.peakrate_mpu, `mpu ${formatTcSize(q.peakrate_mpu)} `);
      } else {
        out.field('minburst', mtu, `minburst ${formatTcSize(mtu)} `);
      }
    }
  }
  let latency = 1e6 * (q.limit / rate) - q.buffer / tcTicksPerUsec();
  if (prate) {
    const lat2 = 1e6 * (q.limit / prate) - q.mtu / tcTicksPerUsec();
    if (lat2 > latency) latency = lat2;
  }
  if (latency >= 0) {
    const us = Math.trunc(latency) >>> 0;
    out.field('lat', us, `lat ${formatTcTime(us)} `);
  } else {
    out.field('limit', q.limit, `limit ${formatTcSize(q.limit)} `);
  }
  if (q.rate_overhead) out.field('overhead', q.rate_overhead, `overhead ${q.rate_overhead}`);
  const ll = q.rate_linklayer & LINKLAYER_MASK;
  if (ll > TC_LINKLAYER.ETHERNET || d) out.field('linklayer', linklayerText(ll), `linklayer ${linklayerText(ll)} `);
}

// ---- fifos ----

function fifoParse(kind: string) {
  const usage = 'Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]';
  return (w: Words): unknown => {
    let limit: number | undefined;
    for (let a = w.next(); a !== undefined; a = w.next()) {
      if (matches(a, 'limit')) {
        const v = w.value(a);
        limit = parseTcSize(v);
        if (limit === undefined) throw bad(`${kind}: Illegal value for "limit": "${v}"`);
      } else if (matches(a, 'help')) throw bad(usage);
      else throw bad(`${kind}: unknown parameter "${a}"\n${usage}`);
    }
    return limit === undefined ? undefined : { limit };
  };
}

// ---- prio / pfifo_fast ----

const PRIO_USAGE = 'Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]';

function prioParse(w: Words): unknown {
  let bands = 3;
  const map = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
  let pmap = false;
  let idx = 0;
  for (let a = w.next(); a !== undefined; a = w.next()) {
    if (a === 'bands') {
      if (pmap) throw bad(PRIO_USAGE);
      const v = getU32(w.value(a), 10);
      if (v === undefined) throw bad('Illegal "bands"');
      bands = v;
    } else if (a === 'priomap') {
      if (pmap) throw bad('Error: duplicate priomap');
      pmap = true;
    } else if (a === 'help') throw bad(PRIO_USAGE);
    else {
      if (!pmap) throw bad(`What is "${a}"?\n${PRIO_USAGE}`);
      const band = getU32(a, 10);
      if (band === undefined) throw bad('Illegal "priomap" element');
      if (band >= bands) throw bad('"priomap" element is out of bands');
      if (idx > 15) throw bad('"priomap" index > TC_PRIO_MAX=15');
      map[idx++] = band;
    }
  }
  return { bands, priomap: Uint8Array.from(map) };
}

function prioPrint(out: Output, o: any): void {
  out.field('bands', o.bands, `bands ${o.bands} `);
  out.openArray('priomap');
  out.fp('priomap');
  const map: Uint8Array = o.priomap ?? new Uint8Array(16);
  for (const b of map) out.item(b, ` ${b}`);
  out.closeArray();
  out.jfield('multiqueue', false);
}

/** The qdisc kinds by name. */
export const QDISC_KINDS: Record<string, QdiscKind> = {
  htb: { parse: htbQdiscParse, parseClass: htbClassParse, print: htbPrint, printClass: htbPrint, printXstats: htbXstats },
  tbf: { parse: tbfParse, print: tbfPrint },
  pfifo: { parse: fifoParse('pfifo'), print: (out, o) => out.field('limit', o.limit, `limit ${o.limit}p`) },
  pfifo_head_drop: { parse: fifoParse('pfifo_head_drop'), print: (out, o) => out.field('limit', o.limit, `limit ${o.limit}p`) },
  bfifo: { parse: fifoParse('bfifo'), print: (out, o) => out.field('limit', o.limit, `limit ${formatTcSize(o.limit)}`) },
  prio: { parse: prioParse, print: prioPrint },
  pfifo_fast: { print: prioPrint },
  ingress: { parse: () => undefined, print: (out) => out.fp('---------------- ') },
  clsact: { parse: () => undefined, print: () => undefined },
};
