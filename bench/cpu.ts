// CPU time of the calling thread for the benchmarks that compare CPU time on a loaded machine (the C
// anchor pairing in anchor.ts, the next-hop rows in scale.ts). One read of a /proc file per call.
import { existsSync, readFileSync } from 'node:fs';

const THREAD_CPU = '/proc/thread-self/schedstat';
let threadCpuOk: boolean | undefined;

/**
 * CPU ms of the calling (main JS) thread: the first field of Linux's /proc/thread-self/schedstat (ns).
 * Elsewhere the whole process's CPU time, which also counts V8's helper threads (concurrent GC,
 * compilation) — noisier.
 */
export function threadCpuMs(): number {
  if (threadCpuOk ?? (threadCpuOk = existsSync(THREAD_CPU))) return Number(readFileSync(THREAD_CPU, 'latin1').split(' ')[0]) / 1e6;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}
