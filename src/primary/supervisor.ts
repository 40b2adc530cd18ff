/**
 * Worker lifecycle and dispatch. throng forks the workers (revival off, signals ours); this
 * class hands each worker at most MAX_IN_FLIGHT chunks, gives the next chunk to whichever
 * worker answers first, requeues a dead worker's chunks (bisecting the one it died on until a
 * poison item is isolated), and stops the run on a model that cannot load or a crash loop.
 */
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import throng from 'throng';
import { modelError, runFailed } from '../errors.js';
import { E_MODEL_LOAD_TIMEOUT } from '../model-loader.js';
import type { InitMessage, ResultMessage, WorkerMessage } from '../protocol.js';
import { positions, subChunk, type ChunkFeed, type Chunk } from './chunk-feed.js';
import type { ChunkSizer } from './chunk-size.js';

const MAX_IN_FLIGHT = 2;
const MAX_LOAD_CRASHES = 3;
const MAX_CRASH_STREAK = 40;
const MAX_POISON_STREAK = 3;
const workerEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../worker/entry.js');

export type Outcome = { kind: 'done' } | { kind: 'interrupted' } | { kind: 'failed'; error: Error };

export interface CrashInfo {
  code: number | null;
  signal: string | null;
}

export interface SupervisorOptions {
  workers: number;
  init: InitMessage;
  feed: ChunkFeed;
  sizer: ChunkSizer;
  /** Times a single item may crash a worker before it is recorded as an error. */
  retries: number;
  graceMs: number;
  /** Kill a worker whose current item runs longer than this (0: no limit). */
  itemTimeoutMs: number;
  /** range:N input: every item is its own index, so chunks travel without their items. */
  itemsAreIndices: boolean;
  log: Logger;
  onResult(chunk: Chunk, msg: ResultMessage): void;
  onPoisonItem(idx: number, crashes: number, info: CrashInfo): void;
  onTimedOutItem(idx: number, timeoutMs: number): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  retiring: boolean;
  pulling: number;
  inflight: Chunk[];
  /** --item-timeout watchdog: fires when the current item runs too long. */
  timer: NodeJS.Timeout | null;
  current: { id: number; k: number } | null;
}

function describeExit({ code, signal }: CrashInfo): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export class Supervisor {
  private readonly slots = new Map<number, Slot>();
  private stopping = false;
  private finished = false;
  /** Crashes, and poison items isolated, since the last chunk that finished: the circuit breaker. */
  private crashStreak = 0;
  private poisonStreak = 0;
  private loadCrashes = 0;
  private graceTimer: NodeJS.Timeout | null = null;
  private dispatched = 0;
  private resolve!: (o: Outcome) => void;

  constructor(private readonly opts: SupervisorOptions) {}

  async run(): Promise<Outcome> {
    const outcome = new Promise<Outcome>((r) => (this.resolve = r));
    // glibc malloc fragments under native libraries (sharp/libvips); workers inherit this.
    process.env.MALLOC_ARENA_MAX ??= '2';
    cluster.setupPrimary({ exec: workerEntry, serialization: 'json' });
    cluster.on('fork', this.onFork);
    cluster.on('exit', this.onExit);
    await throng({ master: () => {}, worker: () => {}, count: this.opts.workers, lifetime: 0, signals: [] });
    const result = await outcome;
    await this.stopWorkers();
    cluster.off('fork', this.onFork);
    cluster.off('exit', this.onExit);
    return result;
  }

  /** First signal: stop dispatching, let in-flight chunks finish within the grace period. */
  interrupt(): void {
    if (this.stopping || this.finished) return;
    this.stopping = true;
    this.opts.log.info({ graceMs: this.opts.graceMs }, 'interrupt: finishing in-flight chunks');
    this.graceTimer = setTimeout(() => this.finish({ kind: 'interrupted' }), this.opts.graceMs);
    this.checkDone();
  }

  get inFlight(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.inflight.length;
    return n;
  }

  private onFork = (worker: Worker): void => {
    const slot: Slot = { worker, ready: false, retiring: false, pulling: 0, inflight: [], timer: null, current: null };
    this.slots.set(worker.id, slot);
    worker.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
    // A send to a worker that just died (EPIPE): its 'exit' is handled in onExit.
    worker.on('error', (err) => this.opts.log.debug({ err, pid: worker.process.pid }, 'worker channel error'));
  };

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if (this.finished) return;
    if (msg.type === 'hello') slot.worker.send(this.opts.init);
    else if (msg.type === 'item') this.watch(slot, msg.id, msg.k);
    else if (msg.type === 'ready') {
      slot.ready = true;
      void this.pump(slot);
    } else if (msg.type === 'loadFailed') {
      const e = msg.error;
      // Loading that hangs only in a worker is the model's fault, as in the primary: exit 2.
      if (e.code === E_MODEL_LOAD_TIMEOUT) return this.finish({ kind: 'failed', error: modelError(e.message) });
      this.finish({ kind: 'failed', error: runFailed(`model ${this.opts.init.modelRef} failed to start in a worker: ${e.name}: ${e.message}`) });
    } else if (msg.type === 'result') {
      const k = slot.inflight.findIndex((c) => c.id === msg.id);
      if (k < 0) return;
      const [chunk] = slot.inflight.splice(k, 1);
      this.unwatch(slot);
      try {
        this.opts.onResult(chunk!, msg);
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
        return;
      }
      this.opts.sizer.observe(chunk!.items.length, msg.ms);
      this.crashStreak = 0;
      this.poisonStreak = 0;
      void this.pump(slot);
      this.checkDone();
    }
  }

  private canDispatch(slot: Slot): boolean {
    return !this.stopping && !this.finished && slot.ready && !slot.retiring && this.slots.has(slot.worker.id);
  }

  private async pump(slot: Slot): Promise<void> {
    while (this.canDispatch(slot) && slot.inflight.length + slot.pulling < MAX_IN_FLIGHT) {
      slot.pulling++;
      let chunk: Chunk | null;
      try {
        chunk = await this.opts.feed.next();
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
        return;
      } finally {
        slot.pulling--;
      }
      if (chunk && !this.canDispatch(slot)) this.opts.feed.requeue(chunk);
      if (!chunk || !this.canDispatch(slot)) break;
      slot.inflight.push(chunk);
      if (!this.dispatched++) this.opts.log.info({ msSinceStart: Math.round(performance.now()), size: chunk.items.length }, 'first chunk dispatched');
      const items = this.opts.itemsAreIndices ? undefined : chunk.items;
      slot.worker.send({ type: 'chunk', id: chunk.id, start: chunk.start, count: chunk.items.length, indices: chunk.indices, items });
    }
    this.checkDone();
  }

  private pumpAll(): void {
    for (const slot of this.slots.values()) void this.pump(slot);
  }

  private watch(slot: Slot, id: number, k: number): void {
    slot.current = { id, k };
    if (slot.timer) slot.timer.refresh();
    else slot.timer = setTimeout(() => this.onItemTimeout(slot), this.opts.itemTimeoutMs);
  }

  private unwatch(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
  }

  /** The current item overran --item-timeout: record it, kill and replace the worker, requeue the rest. */
  private onItemTimeout(slot: Slot): void {
    const cur = slot.current;
    const chunk = slot.inflight.find((c) => c.id === cur?.id);
    this.unwatch(slot);
    if (!cur || !chunk || this.finished || !this.slots.has(slot.worker.id)) return;
    this.retire(slot);
    slot.worker.process.kill('SIGKILL');
    const idx = chunk.indices ? chunk.indices[cur.k]! : chunk.start + cur.k;
    this.opts.log.warn({ pid: slot.worker.process.pid, idx, timeoutMs: this.opts.itemTimeoutMs }, 'item timed out; worker killed');
    try {
      this.opts.onTimedOutItem(idx, this.opts.itemTimeoutMs);
    } catch (err) {
      this.finish({ kind: 'failed', error: err as Error });
      return;
    }
    for (const c of slot.inflight) {
      if (c !== chunk) this.opts.feed.requeue(c);
      else if (c.items.length > 1) this.opts.feed.requeue(subChunk(c, positions(c).filter((j) => j !== cur.k), this.opts.feed.newId()));
    }
    if (!this.stopping) cluster.fork();
    this.pumpAll();
    this.checkDone();
  }

  private retire(slot: Slot): void {
    slot.retiring = true;
    this.slots.delete(slot.worker.id);
  }

  private onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    const slot = this.slots.get(worker.id);
    if (!slot || slot.retiring) return;
    this.unwatch(slot);
    this.slots.delete(worker.id);
    if (this.finished) return;
    const info = { code, signal };
    const { log } = this.opts;
    if (!slot.ready) {
      log.error({ pid: worker.process.pid, ...info }, 'worker died while loading the model');
      if (++this.loadCrashes >= MAX_LOAD_CRASHES) {
        this.finish({ kind: 'failed', error: runFailed(`workers keep dying while loading model ${this.opts.init.modelRef} (${describeExit(info)})`) });
        return;
      }
    } else {
      log.warn({ pid: worker.process.pid, ...info, inflight: slot.inflight.length }, 'worker died; requeueing its chunks');
      this.requeueAfterCrash(slot.inflight, info);
      // Bisecting a poison chunk costs a few crashes per item; a model that crashes on
      // everything isolates item after item with no chunk finishing in between.
      this.crashStreak++;
      if (this.crashStreak >= MAX_CRASH_STREAK + 2 * this.opts.workers || this.poisonStreak >= MAX_POISON_STREAK) {
        const what = `${this.crashStreak} crashes, ${this.poisonStreak} items isolated, no chunk done; last: ${describeExit(info)}`;
        this.finish({ kind: 'failed', error: runFailed(`workers keep crashing (${what}); model ${this.opts.init.modelRef}`) });
        return;
      }
    }
    if (!this.stopping) cluster.fork();
    this.pumpAll();
    this.checkDone();
  };

  /** The oldest in-flight chunk was running when the worker died: bisect it; the rest are innocent. */
  private requeueAfterCrash(inflight: Chunk[], info: CrashInfo): void {
    const [suspect, ...innocent] = inflight;
    for (const c of innocent) this.opts.feed.requeue(c);
    if (!suspect) return;
    const n = suspect.items.length;
    if (n > 1) {
      const all = positions(suspect);
      const h = Math.ceil(n / 2);
      for (const half of [all.slice(0, h), all.slice(h)]) this.opts.feed.requeue(subChunk(suspect, half, this.opts.feed.newId()));
      return;
    }
    const crashes = suspect.crashes + 1;
    if (crashes > this.opts.retries) {
      this.poisonStreak++;
      try {
        this.opts.onPoisonItem(suspect.start, crashes, info);
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
      }
    } else this.opts.feed.requeue({ ...suspect, crashes });
  }

  private checkDone(): void {
    if (this.finished) return;
    const idle = [...this.slots.values()].every((s) => s.inflight.length === 0 && s.pulling === 0);
    if (!idle) return;
    if (this.stopping) this.finish({ kind: 'interrupted' });
    else if (this.opts.feed.exhausted) this.finish({ kind: 'done' });
  }

  private finish(outcome: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const slot of this.slots.values()) this.unwatch(slot);
    this.resolve(outcome);
  }

  private async stopWorkers(): Promise<void> {
    const exits = [...this.slots.values()].map((slot) => {
      slot.retiring = true;
      const w = slot.worker;
      if (w.isDead()) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const kill = setTimeout(() => w.process.kill('SIGKILL'), 2000);
        w.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        // Busy workers (grace expired, hung model) are killed; idle ones exit on disconnect.
        if (slot.inflight.length || !w.isConnected()) w.process.kill('SIGKILL');
        else w.disconnect();
      });
    });
    await Promise.all(exits);
  }
}
