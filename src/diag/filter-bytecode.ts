// inet_diag bytecode from a filter tree, the way ss builds it: a block "passes" by running off
// its end and "fails" by jumping 4 bytes past it; `and` chains blocks (retargeting the first's
// failures), `or` puts a JMP between them, `not` a JMP after. The kernel audits every jump
// (inet_diag_bc_audit) and runs the program per socket (inet_diag_bc_run).
import { compileStruct } from '../schema/index.js';
import { HOST_LE } from '../wire/index.js';
import { INET_DIAG_BC } from './constants.js';
import type { FilterExpr } from './filter.js';
import { inetDiagBcOp, inetDiagHostcond, inetDiagMarkcond } from './structs.js';

const opCodec = compileStruct<{ code: number; yes: number; no: number }>(inetDiagBcOp);
const hostCodec = compileStruct<{ family: string; prefix_len: number; port: number }>(inetDiagHostcond);
const markCodec = compileStruct<{ mark: number; mask: number }>(inetDiagMarkcond);

/** One op plus its operand bytes, before layout. */
type Block = Uint8Array;

function op(code: number, yes: number, no: number, operand?: Uint8Array): Block {
  const out = new Uint8Array(4 + (operand?.length ?? 0));
  opCodec.write(new DataView(out.buffer), out, 0, { code, yes, no });
  if (operand) out.set(operand, 4);
  return out;
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A single-op condition of `size` bytes: passes to the next op, fails past the block's end. */
function cond(code: number, operand?: Uint8Array): Block {
  const size = 4 + (operand?.length ?? 0);
  return op(code, size, size + 4, operand);
}

/** A port comparison: the op and a second op whose `no` carries the port. */
function portCond(code: number, port: number): Block {
  return cat(op(code, 8, 12), op(0, 0, port));
}

/** Retargets a block's failure jumps (to len+4) so they fail past a block `reloc` bytes longer. */
function patch(a: Uint8Array, reloc: number): void {
  const dv = new DataView(a.buffer, a.byteOffset, a.byteLength);
  let at = 0;
  let len = a.length;
  while (len > 0) {
    const o = opCodec.decode(a, dv, at, at + 4);
    if (o.no === len + 4) opCodec.write(dv, a, at, { ...o, no: o.no + reloc });
    if (o.yes === 0) break;
    len -= o.yes;
    at += o.yes;
  }
}

function build(e: FilterExpr): Block | undefined {
  switch (e.op) {
    case 'and': {
      const a = build(e.left);
      const b = build(e.right);
      if (!a || !b) return undefined;
      patch(a, b.length);
      return cat(a, b);
    }
    case 'or': {
      const a = build(e.left);
      const b = build(e.right);
      if (!a || !b) return undefined;
      return cat(a, op(INET_DIAG_BC.JMP, 4, b.length + 4), b);
    }
    case 'not': {
      const a = build(e.expr);
      if (!a) return undefined;
      return cat(a, op(INET_DIAG_BC.JMP, 4, 8));
    }
    case 'port': {
      const s = e.side === 'src';
      const GE = s ? INET_DIAG_BC.S_GE : INET_DIAG_BC.D_GE;
      const LE = s ? INET_DIAG_BC.S_LE : INET_DIAG_BC.D_LE;
      const EQ = s ? INET_DIAG_BC.S_EQ : INET_DIAG_BC.D_EQ;
      switch (e.cmp) {
        case 'eq': return portCond(EQ, e.port);
        case 'ne': return cat(portCond(EQ, e.port), op(INET_DIAG_BC.JMP, 4, 8));
        case 'ge': return portCond(GE, e.port);
        case 'le': return portCond(LE, e.port);
        // gt = not le; lt = not ge (ss does the same).
        case 'gt': return cat(portCond(LE, e.port), op(INET_DIAG_BC.JMP, 4, 8));
        case 'lt': return cat(portCond(GE, e.port), op(INET_DIAG_BC.JMP, 4, 8));
      }
      return undefined;
    }
    case 'host': {
      // Unix name patterns are not the inet_diag bytecode's (they match no inet socket).
      if (e.pattern !== undefined) return undefined;
      // With an address the family is checked by the kernel even for a /0 prefix (`src ::/0` is
      // every IPv6 socket); a wildcard host carries no family.
      const alen = e.addr ? e.addr.length : 0;
      const hc = new Uint8Array(8 + alen);
      hostCodec.write(new DataView(hc.buffer), hc, 0, { family: e.family ?? 'unspec', prefix_len: e.prefixlen, port: e.port });
      if (alen) hc.set(e.addr!, 8);
      return cond(e.side === 'src' ? INET_DIAG_BC.S_COND : INET_DIAG_BC.D_COND, hc);
    }
    case 'dev': {
      const v = new Uint8Array(4);
      new DataView(v.buffer).setUint32(0, e.ifindex, HOST_LE);
      return cond(INET_DIAG_BC.DEV_COND, v);
    }
    case 'mark': {
      const v = new Uint8Array(8);
      markCodec.write(new DataView(v.buffer), v, 0, { mark: e.mark, mask: e.mask });
      return cond(INET_DIAG_BC.MARK_COND, v);
    }
    case 'autobound':
      return cond(INET_DIAG_BC.AUTO);
  }
}

/** inet_diag bytecode for a filter, or undefined when a term has no kernel operation. */
export function compileBytecode(e: FilterExpr): Uint8Array | undefined {
  const b = build(e);
  // The kernel's offsets are 8/16 bits; a program too long for them is left to user space.
  return b && b.length < 0xfff0 ? b : undefined;
}
