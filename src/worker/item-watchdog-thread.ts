/** The watchdog thread of item-watchdog.ts: polls the current item's start time. */
import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { TimedOutItem } from './item-watchdog.js';

const { state, timeoutMs, timeoutFile } = workerData as { state: Float64Array; timeoutMs: number; timeoutFile: string };
const POLL_MS = Math.max(5, Math.min(250, timeoutMs / 8));
const sleeper = new Int32Array(new SharedArrayBuffer(4));

for (;;) {
  Atomics.wait(sleeper, 0, 0, POLL_MS);
  const started = state[1]!;
  const now = performance.timeOrigin + performance.now();
  if (started > 0 && now - started > timeoutMs) {
    const item: TimedOutItem = { idx: state[0]!, ms: Math.round(now - started) };
    // The item may have ended while we looked: only blame it if it is still the one running.
    if (state[1] === started) {
      writeFileSync(timeoutFile, JSON.stringify(item));
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
