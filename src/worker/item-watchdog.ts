/**
 * --item-timeout, enforced inside the worker process: the main thread writes which item it is
 * on and since when into shared memory, and a watchdog thread that the model cannot block
 * checks it. When an item overruns, the thread writes the item's index to a file the primary
 * named (timeoutFile) and kills its own process. The primary reads that file when the worker
 * exits, so the blame is exact: it never depends on IPC messages arriving on time.
 */
import { Worker } from 'node:worker_threads';

export interface TimedOutItem {
  idx: number;
  ms: number;
}

/** Slots of the shared Float64Array: item index, absolute start time in ms (0: between items). */
const IDX = 0;
const STARTED = 1;

export class ItemWatchdog {
  private readonly state = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));
  private readonly thread: Worker;

  constructor(timeoutMs: number, timeoutFile: string) {
    this.thread = new Worker(new URL('./item-watchdog-thread.js', import.meta.url), {
      workerData: { state: this.state, timeoutMs, timeoutFile },
    });
    this.thread.unref();
  }

  /** Item `idx` starts now. */
  start(idx: number): void {
    this.state[IDX] = idx;
    this.state[STARTED] = performance.timeOrigin + performance.now();
  }

  /** No item is running (the chunk ended). */
  idle(): void {
    this.state[STARTED] = 0;
  }
}
