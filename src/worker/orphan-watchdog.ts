/**
 * A worker busy in a long synchronous item cannot see its IPC channel close when the primary
 * is killed (kill -9, a scheduler's SIGKILL). This thread notices that the worker has been
 * re-parented and kills it, so no orphan keeps burning a core. A worker that leads its own process
 * group (primary/pool/own-group.ts) is killed with the whole group: what its model spawned too.
 *
 * The thread is started with the worker's first chunk, before its first item runs, not when the
 * worker starts: a thread costs ~40 ms of CPU to start, which would delay every run's start on
 * a machine whose cores are all starting workers. Before its first chunk a worker runs no model
 * code, and sees its channel close at once.
 */
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.ppid) {
    try { process.kill(-workerData.pid, 'SIGKILL'); } catch { process.kill(workerData.pid, 'SIGKILL'); }
  }
}, workerData.intervalMs);
`;

const ppid = process.ppid;
let started = false;

/** Starts the watch thread (once; later calls do nothing). */
export function killWhenOrphaned(intervalMs = 1000): void {
  if (started) return;
  started = true;
  const thread = new Worker(WATCH, { eval: true, workerData: { ppid, pid: process.pid, intervalMs } });
  thread.unref();
}
