// CPU time of the calling thread, for the C anchor pairing (anchor.ts), which compares CPU time on a
// loaded machine over windows of a few hundred ms. One read of a /proc file per call; the kernel brings
// the figure up to date at scheduler ticks (a few ms), so it is not for short intervals.
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
