/**
 * A worker busy in a long synchronous item cannot see its IPC channel close when the primary
 * is killed (kill -9, a scheduler's SIGKILL). This thread notices that the worker has been
 * re-parented and kills it, so no orphan keeps burning a core. A worker that leads its own process
 * group (primary/pool/own-group.ts) is killed with the whole group: what its model spawned too.
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

export function killWhenOrphaned(intervalMs = 1000): void {
  const thread = new Worker(WATCH, { eval: true, workerData: { ppid: process.ppid, pid: process.pid, intervalMs } });
  thread.unref();
}
