// nlkit/proc: connector process events (fork, exec, uid/gid, sid, ptrace, comm, coredump, exit).
export { procEvents, decodeProcEvent, type ProcEvent, type ProcBase, type ProcEventOptions } from './events.js';
export * from './gen/cn_proc.js';
