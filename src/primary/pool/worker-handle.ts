/**
 * One forked worker as the pool sees it, with an explicit state:
 *
 *   starting --ready--> idle <--> busy      (busy while it holds chunks)
 *       |                 \        |
 *       +----------------> draining (asked to stop) --> dead (its process exited)
 *
 * The handle holds the worker's chunks in flight and when it last spoke (for --stall-warn);
 * the supervisor decides what to do with them.
 */
import type { Worker } from 'node:cluster';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Chunk } from '../run/chunk-feed.js';
import type { TimedOutItem } from '../../worker/item-watchdog.js';

export type WorkerState = 'starting' | 'idle' | 'busy' | 'draining' | 'dead';

/** How long a stopping worker may take to exit after disconnect before it is killed. */
export const STOP_KILL_MS = 2000;
/** How many answered chunks a handle remembers, to name a second answer to one. */
const ANSWERED_KEPT = 64;

export class WorkerHandle {
  private current: WorkerState = 'starting';
  readonly inflight: Chunk[] = [];
  private readonly answered = new Map<number, Chunk>();
  /** When the worker last sent anything, and whether its current silence was reported. */
  heardAt = performance.now();
  stalled = false;
  /** It said hello and was sent init. */
  greeted = false;
  /** The protocol violation it was killed for (protocol-check.ts), or null. */
  violation: string | null = null;

  constructor(readonly worker: Worker) {}

  get state(): WorkerState {
    return this.current;
  }

  get pid(): number {
    return this.worker.process.pid ?? 0;
  }

  /** It loaded the model and may take chunks. */
  get loaded(): boolean {
    return this.current === 'idle' || this.current === 'busy' || this.current === 'draining';
  }

  get accepting(): boolean {
    return this.current === 'idle' || this.current === 'busy';
  }

  heard(): void {
    this.heardAt = performance.now();
  }

  markReady(): void {
    if (this.current === 'starting') this.current = 'idle';
  }

  assign(chunk: Chunk): void {
    if (this.inflight.length === 0) this.heardAt = performance.now();
    this.inflight.push(chunk);
    if (this.current === 'idle') this.current = 'busy';
  }

  /** Takes back the chunk a result answers, or null for an id it does not hold. */
  complete(id: number): Chunk | null {
    const k = this.inflight.findIndex((c) => c.id === id);
    if (k < 0) return null;
    const [chunk] = this.inflight.splice(k, 1);
    if (this.current === 'busy' && this.inflight.length === 0) this.current = 'idle';
    if (chunk) {
      this.answered.set(chunk.id, chunk);
      if (this.answered.size > ANSWERED_KEPT) this.answered.delete(this.answered.keys().next().value!);
    }
    return chunk ?? null;
  }

  /** One of its last chunks that it already answered, by id (to name a second answer). */
  answeredChunk(id: number): Chunk | undefined {
    return this.answered.get(id);
  }

  markDead(): void {
    this.current = 'dead';
  }

  /**
   * The item this worker's watchdog reported before it killed the worker (see
   * item-watchdog.ts), read once and removed.
   */
  takeTimeoutReport(dir: string | null): TimedOutItem | null {
    if (!dir) return null;
    const file = path.join(dir, `${this.pid}.json`);
    try {
      const item = JSON.parse(readFileSync(file, 'utf8')) as TimedOutItem;
      rmSync(file, { force: true });
      return item;
    } catch {
      return null;
    }
  }

  /** Drains and stops: an idle worker exits on disconnect, a busy one (grace over, hung model) is killed. */
  stop(): Promise<void> {
    const w = this.worker;
    if (w.isDead()) {
      this.current = 'dead';
      return Promise.resolve();
    }
    this.current = 'draining';
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_KILL_MS);
      w.once('exit', () => {
        clearTimeout(kill);
        this.current = 'dead';
        resolve();
      });
      if (this.inflight.length || !w.isConnected()) w.process.kill('SIGKILL');
      else w.disconnect();
    });
  }
}
