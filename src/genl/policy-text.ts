// Policies as text: one line per attribute, in the spirit of `genl ctrl policy`.
import type { FamilyPolicy, PolicyRule } from './controller.js';

/** One rule as text: "type=u32 range:[0,4294967295]", "type=nul-string max len:15", "type=nested policy:1 maxattr:3". */
export function formatRule(r: PolicyRule): string {
  let s = `type=${r.type}`;
  if (r.minValue !== undefined || r.maxValue !== undefined) s += ` range:[${r.minValue ?? ''},${r.maxValue ?? ''}]`;
  if (r.minLength !== undefined) s += ` min len:${r.minLength}`;
  if (r.maxLength !== undefined) s += ` max len:${r.maxLength}`;
  if (r.policyIdx !== undefined) s += ` policy:${r.policyIdx}`;
  if (r.policyMaxtype !== undefined) s += ` maxattr:${r.policyMaxtype}`;
  if (r.bitfield32Mask !== undefined) s += ` bitfield32 mask:0x${r.bitfield32Mask.toString(16)}`;
  if (r.mask !== undefined) s += ` mask:0x${r.mask.toString(16)}`;
  return s;
}

/** A family's policies as lines: which policy each op uses, then every policy's attributes. */
export function formatPolicy(p: FamilyPolicy, opName: (cmd: number) => string = String): string[] {
  const out: string[] = [];
  for (const [cmd, h] of [...p.ops].sort((a, b) => a[0] - b[0])) {
    const parts = [h.do !== undefined ? `do=${h.do}` : '', h.dump !== undefined ? `dump=${h.dump}` : ''].filter(Boolean);
    out.push(`op ${opName(cmd)} policies: ${parts.join(' ')}`);
  }
  for (const [idx, attrs] of [...p.policies].sort((a, b) => a[0] - b[0])) {
    for (const [type, r] of [...attrs].sort((a, b) => a[0] - b[0])) out.push(`policy[${idx}]:attr[${type}]: ${formatRule(r)}`);
  }
  return out;
}
