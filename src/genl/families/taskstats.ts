// taskstats: per-task and per-thread-group accounting (delays, CPU, I/O, memory), declared from
// <linux/taskstats.h>. The kernel has no YNL spec for it; this is the declaration.
import { attrs, binary, nest, string, struct, structSpec, u32, type Decoded } from '../../schema/index.js';
import { genlFamily, op } from '../family-def.js';

/** TASKSTATS_VERSION of the struct declared here; newer kernels append fields (kept as $tail). */
export const TASKSTATS_VERSION = 13;
/** TS_COMM_LEN: bytes of ac_comm. */
export const TS_COMM_LEN = 32;

// Generic in the name so the struct's type lists each member (a plain string name widens to an
// index signature, TS2411 next to acComm: string).
const u64 = <const N extends string>(name: N) => ({ name, type: 'u64' as const });
const u32f = <const N extends string>(name: N) => ({ name, type: 'u32' as const });
const pad = (len: number) => ({ name: '', type: 'pad' as const, len });

/** struct taskstats, version 13, with the padding its aligned(8) members imply. */
export const taskstatsStruct = structSpec('taskstats', [
  { name: 'version', type: 'u16' }, pad(2), u32f('acExitcode'), { name: 'acFlag', type: 'u8' }, { name: 'acNice', type: 'u8' }, pad(6),
  u64('cpuCount'), u64('cpuDelayTotal'), u64('blkioCount'), u64('blkioDelayTotal'), u64('swapinCount'), u64('swapinDelayTotal'),
  u64('cpuRunRealTotal'), u64('cpuRunVirtualTotal'),
  { name: 'acComm', type: 'string', len: TS_COMM_LEN },
  { name: 'acSched', type: 'u8' }, pad(3), pad(4), u32f('acUid'), u32f('acGid'), u32f('acPid'), u32f('acPpid'), u32f('acBtime'), pad(4),
  u64('acEtime'), u64('acUtime'), u64('acStime'), u64('acMinflt'), u64('acMajflt'), u64('coremem'), u64('virtmem'),
  u64('hiwaterRss'), u64('hiwaterVm'), u64('readChar'), u64('writeChar'), u64('readSyscalls'), u64('writeSyscalls'),
  u64('readBytes'), u64('writeBytes'), u64('cancelledWriteBytes'), u64('nvcsw'), u64('nivcsw'), u64('acUtimescaled'),
  u64('acStimescaled'), u64('cpuScaledRunRealTotal'), u64('freepagesCount'), u64('freepagesDelayTotal'),
  u64('thrashingCount'), u64('thrashingDelayTotal'), u64('acBtime64'), u64('compactCount'), u64('compactDelayTotal'),
  u32f('acTgid'), pad(4), u64('acTgetime'), u64('acExeDev'), u64('acExeInode'), u64('wpcopyCount'), u64('wpcopyDelayTotal'),
] as const);

/** TASKSTATS_TYPE_PID/TGID + STATS inside an AGGR_* nest. */
export const aggrAttrs = attrs('taskstats-aggr', {
  pid: [1, u32()],
  tgid: [2, u32()],
  stats: [3, struct(taskstatsStruct)],
}, { nestedFlag: true });

/**
 * Top-level attributes of GET requests and NEW replies: the request's TASKSTATS_CMD_ATTR_PID/TGID
 * and the reply's TASKSTATS_TYPE_PID/TGID share numbers 1 and 2.
 */
export const taskstatsAttrs = attrs('taskstats', {
  pid: [1, u32()],
  tgid: [2, u32()],
  stats: [3, struct(taskstatsStruct)],
  aggrPid: [4, nest(aggrAttrs)],
  aggrTgid: [5, nest(aggrAttrs)],
  null: [6, binary()],
}, { nestedFlag: true });

/** TASKSTATS_CMD_ATTR_(DE)REGISTER_CPUMASK: CPU lists ("0-3") whose task exits this socket is sent. */
export const cpumaskAttrs = attrs('taskstats-cpumask', {
  registerCpumask: [3, string()],
  deregisterCpumask: [4, string()],
}, { nestedFlag: true });

/** A decoded reply: aggrPid or aggrTgid with the stats. */
export type TaskstatsReply = Decoded<typeof taskstatsAttrs>;
/** The decoded struct taskstats. */
export type Taskstats = Decoded<typeof aggrAttrs>['stats'];

/** The TASKSTATS family: GET (by pid or tgid) answered by NEW; exits are multicast per CPU mask. */
export const taskstats = genlFamily('TASKSTATS', 1, {
  get: op({ name: 'get', request: 1, reply: 2, set: taskstatsAttrs,
    do: { request: { attributes: ['pid', 'tgid'] }, reply: { attributes: ['aggrPid', 'aggrTgid'] } } }),
  register: op({ name: 'register', request: 1, set: cpumaskAttrs,
    do: { request: { attributes: ['registerCpumask', 'deregisterCpumask'] } } }),
  new: op({ name: 'new', reply: 2, set: taskstatsAttrs, notify: true }),
});
