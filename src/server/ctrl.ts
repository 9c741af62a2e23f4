// The generic netlink controller, nlctrl (GENL_ID_CTRL): CTRL_CMD_GETFAMILY by name or id and
// as a dump of all families, CTRL_CMD_GETPOLICY, and the `notify` group's announcements.
import type { MessageWriter } from '../wire/index.js';
import type { DumpCallback } from './dump.js';
import { EINVAL, ENODATA, ENOENT } from './errno.js';
import { doPolicy, dumpPolicy, opFlags, type Family, type GenlFamilyDef, type GenlInfo, GENL_DONT_VALIDATE_DUMP, GENL_DONT_VALIDATE_STRICT } from './genl-family.js';
import type { GenlServer } from './genl.js';
import { definePolicy, nla, type Policy } from './policy.js';
import { PolicyTable, isDescribable, writeAttrPolicy } from './policy-dump.js';
import {
  CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_MCAST_GROUPS,
  CTRL_ATTR_MCAST_GRP_ID, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_OP, CTRL_ATTR_OP_FLAGS, CTRL_ATTR_OP_ID,
  CTRL_ATTR_OP_POLICY, CTRL_ATTR_OPS, CTRL_ATTR_POLICY, CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP,
  CTRL_ATTR_VERSION, CTRL_CMD_DELFAMILY, CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, CTRL_CMD_NEWFAMILY, GENL_NAMSIZ,
} from './uapi.js';

/** ctrl_policy_family: what GETFAMILY accepts. */
export const ctrlPolicyFamily: Policy = definePolicy({
  [CTRL_ATTR_FAMILY_ID]: nla.u16(),
  [CTRL_ATTR_FAMILY_NAME]: nla.nulString({ maxLen: GENL_NAMSIZ - 1 }),
});

/** ctrl_policy_policy: what GETPOLICY accepts. */
export const ctrlPolicyPolicy: Policy = definePolicy({
  [CTRL_ATTR_FAMILY_ID]: nla.u16(),
  [CTRL_ATTR_FAMILY_NAME]: nla.nulString({ maxLen: GENL_NAMSIZ - 1 }),
  [CTRL_ATTR_OP]: nla.u32(),
});

/** ctrl_fill_info(): the family description of GETFAMILY replies, dumps and NEW/DELFAMILY. */
export function fillFamily(w: MessageWriter, f: Family): void {
  w.attrString(CTRL_ATTR_FAMILY_NAME, f.name);
  w.attrU16(CTRL_ATTR_FAMILY_ID, f.id);
  w.attrU32(CTRL_ATTR_VERSION, f.version);
  w.attrU32(CTRL_ATTR_HDRSIZE, f.hdrsize);
  w.attrU32(CTRL_ATTR_MAXATTR, f.maxattr);
  const ops = f.def.ops;
  if (ops.length > 0) {
    // nla_nest_start_noflag(): these nests predate NLA_F_NESTED and are sent without it.
    const nOps = w.beginNest(CTRL_ATTR_OPS, false);
    ops.forEach((op, i) => {
      const n = w.beginNest(i + 1, false);
      w.attrU32(CTRL_ATTR_OP_ID, op.cmd);
      w.attrU32(CTRL_ATTR_OP_FLAGS, opFlags(op, f.def));
      w.endNest(n);
    });
    w.endNest(nOps);
  }
  if (f.groups.length > 0) {
    const nGrps = w.beginNest(CTRL_ATTR_MCAST_GROUPS, false);
    f.groups.forEach((name, i) => {
      const n = w.beginNest(i + 1, false);
      w.attrU32(CTRL_ATTR_MCAST_GRP_ID, f.mcgrpOffset + i);
      w.attrString(CTRL_ATTR_MCAST_GRP_NAME, name);
      w.endNest(n);
    });
    w.endNest(nGrps);
  }
}

/** ctrl_build_mcgrp_msg(): the one-group description of NEW/DELMCAST_GRP. */
function fillGroup(w: MessageWriter, f: Family, index: number): void {
  w.attrString(CTRL_ATTR_FAMILY_NAME, f.name);
  w.attrU16(CTRL_ATTR_FAMILY_ID, f.id);
  const nGrps = w.beginNest(CTRL_ATTR_MCAST_GROUPS, false);
  const n = w.beginNest(1, false);
  w.attrU32(CTRL_ATTR_MCAST_GRP_ID, f.mcgrpOffset + index);
  w.attrString(CTRL_ATTR_MCAST_GRP_NAME, f.groups[index]!);
  w.endNest(n);
  w.endNest(nGrps);
}

interface PolicyDumpState {
  family: Family;
  table: PolicyTable;
  ops: { cmd: number; doit?: Policy; dumpit?: Policy }[];
  opIdx: number;
  policyIdx: number;
  attrIdx: number;
}

/**
 * Declares nlctrl on `server` and returns it with the function that announces family and
 * group changes on its `notify` group (genl_ctrl_event()).
 */
export function registerController(
  server: GenlServer, make: (def: GenlFamilyDef, server: GenlServer) => Family,
): { family: Family; event: (cmd: number, f: Family, group?: number) => void } {
  let ctrl!: Family;

  const getFamily = (info: GenlInfo): number => {
    const a = info.attrs;
    let res: Family | undefined;
    let err = -EINVAL;
    if (a?.has(CTRL_ATTR_FAMILY_ID)) {
      res = server.family(a.u16(CTRL_ATTR_FAMILY_ID)!);
      err = -ENOENT;
    }
    if (a?.has(CTRL_ATTR_FAMILY_NAME)) {
      res = server.family(a.string(CTRL_ATTR_FAMILY_NAME)!);
      err = -ENOENT;
    }
    if (!res) return err;
    const found = res;
    return info.reply(CTRL_CMD_NEWFAMILY, (w) => fillFamily(w, found));
  };

  const dumpFamilies = (cb: DumpCallback<number>): void => {
    const all = server.families();
    while (cb.state < all.length) {
      const f = all[cb.state]!;
      if (!ctrl.put(cb, CTRL_CMD_NEWFAMILY, (w) => fillFamily(w, f))) return;
      cb.state++;
    }
  };

  const policyStart = (cb: DumpCallback<PolicyDumpState | undefined>): number => {
    const a = cb.attrs;
    if (!a || (!a.has(CTRL_ATTR_FAMILY_ID) && !a.has(CTRL_ATTR_FAMILY_NAME))) return -EINVAL;
    let id: number;
    if (a.has(CTRL_ATTR_FAMILY_ID)) {
      id = a.u16(CTRL_ATTR_FAMILY_ID)!;
    } else {
      const byName = server.family(a.string(CTRL_ATTR_FAMILY_NAME)!);
      if (!byName) return -ENOENT;
      id = byName.id;
    }
    const family = server.family(id);
    if (!family) return -ENOENT;
    const table = new PolicyTable();
    const ops: PolicyDumpState['ops'] = [];
    const wanted = a.has(CTRL_ATTR_OP) ? a.u32(CTRL_ATTR_OP)! : undefined;
    for (const op of family.def.ops) {
      if (wanted !== undefined && op.cmd !== wanted) continue;
      // One op: its declared policies only; all ops: with the split ops' REJECT_ALL filled in.
      const fill = wanted === undefined;
      const doPol = op.doit ? doPolicy(op, family.def, fill) : undefined;
      const dumpPol = op.dump ? dumpPolicy(op, family.def, fill) : undefined;
      const entry = { cmd: op.cmd, ...(doPol?.maxtype ? { doit: doPol } : {}), ...(dumpPol?.maxtype ? { dumpit: dumpPol } : {}) };
      table.add(entry.doit);
      table.add(entry.dumpit);
      if (entry.doit || entry.dumpit) ops.push(entry);
    }
    if (wanted !== undefined && !family.op(wanted)) {
      cb.extack.setBadAttr(a.offset(CTRL_ATTR_OP)!);
      return -ENOENT;
    }
    if (table.policies.length === 0) return -ENODATA;
    cb.state = { family, table, ops, opIdx: 0, policyIdx: 0, attrIdx: 0 };
    return 0;
  };

  const policyDump = (cb: DumpCallback<PolicyDumpState | undefined>): void => {
    const st = cb.state!;
    const put = (fill: (w: MessageWriter) => void) => ctrl.put(cb, CTRL_CMD_GETPOLICY, (w) => {
      w.attrU16(CTRL_ATTR_FAMILY_ID, st.family.id);
      fill(w);
    });
    while (st.opIdx < st.ops.length) {
      const op = st.ops[st.opIdx]!;
      const ok = put((w) => {
        const nPol = w.beginNest(CTRL_ATTR_OP_POLICY);
        // The kernel names this nest by the do-op's command, which is 0 for a dump-only
        // op (seen on 6.18: GETPOLICY's entry arrives as nest 0); clients see the same here.
        const nOp = w.beginNest(op.doit ? op.cmd : 0);
        if (op.doit) w.attrU32(CTRL_ATTR_POLICY_DO, st.table.index(op.doit));
        if (op.dumpit) w.attrU32(CTRL_ATTR_POLICY_DUMP, st.table.index(op.dumpit));
        w.endNest(nOp);
        w.endNest(nPol);
      });
      if (!ok) return;
      st.opIdx++;
    }
    while (st.policyIdx < st.table.policies.length) {
      const pol = st.table.policies[st.policyIdx]!;
      if (st.attrIdx > pol.maxtype) {
        st.policyIdx++;
        st.attrIdx = 0;
        continue;
      }
      const ap = pol.attrs.get(st.attrIdx);
      if (!ap || !isDescribable(ap)) {
        st.attrIdx++;
        continue;
      }
      const ok = put((w) => {
        const nAll = w.beginNest(CTRL_ATTR_POLICY);
        const nPol = w.beginNest(st.policyIdx);
        const nAttr = w.beginNest(st.attrIdx);
        writeAttrPolicy(w, ap, (p) => st.table.index(p));
        w.endNest(nAttr);
        w.endNest(nPol);
        w.endNest(nAll);
      });
      if (!ok) return;
      st.attrIdx++;
    }
  };

  const def: GenlFamilyDef = {
    name: 'nlctrl',
    version: 2,
    maxattr: 0,
    resvStartOp: CTRL_CMD_GETPOLICY + 1,
    mcgrps: ['notify'],
    ops: [
      {
        cmd: CTRL_CMD_GETFAMILY,
        validate: GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,
        policy: ctrlPolicyFamily,
        doit: getFamily,
        dump: { init: () => 0, dump: dumpFamilies },
      },
      {
        cmd: CTRL_CMD_GETPOLICY,
        policy: ctrlPolicyPolicy,
        dump: { init: () => undefined, start: policyStart, dump: policyDump },
      },
    ],
  };
  ctrl = make(def, server);

  const event = (cmd: number, f: Family, group?: number): void => {
    const fill = cmd === CTRL_CMD_NEWFAMILY || cmd === CTRL_CMD_DELFAMILY
      ? (w: MessageWriter) => fillFamily(w, f)
      : (w: MessageWriter) => fillGroup(w, f, group ?? 0);
    // Nobody listening, or no transport yet, is not an error for an announcement.
    ctrl.multicast('notify', cmd, fill);
  };
  return { family: ctrl, event };
}
