/**
 * Worker lifecycle and dispatch over WorkerHandles (worker-handle.ts: explicit states). throng
 * forks the workers (revival off, signals ours); this
 * class hands each worker at most MAX_IN_FLIGHT chunks, gives the next chunk to whichever
 * worker answers first, requeues a dead worker's chunks (bisecting the one it died on until a
 * poison item is isolated), and stops the run on a model that cannot load or a crash loop.
 */
import type { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { runFailed } from '../../errors.js';
import type { ColumnType } from '../../api/model.js';
import type { SerializedError } from '../../errors.js';
import type { ChunkMessage, InitMessage, ResultMessage, WorkerMessage } from '../../protocol.js';
import type { TimedOutItem } from '../../worker/item-watchdog.js';
import { WorkerHandle } from './worker-handle.js';
import type { ChunkFeed, Chunk } from '../run/chunk-feed.js';
import { afterWorkerDeath, attemptOutcomes, breakerTripped, type Failure } from './crash-policy.js';
import type { PoolTrace } from '../trace/recorder.js';
import type { ChunkSizer } from '../run/chunk-size.js';
import { endLeftovers } from './own-group.js';
import { WorkerForks } from './worker-forks.js';
import { protocolViolation } from './protocol-check.js';
import { mark } from '../../util/phases.js';
import { deathCause, describeExit, loadedOtherModel, loadFailure, type CrashInfo } from './worker-checks.js';

const MAX_IN_FLIGHT = 2;
const MAX_LOAD_CRASHES = 3;
/** How often, at most, workers are checked for a stall (--stall-warn). */
const STALL_CHECK_MS = 30_000;

export type Outcome = { kind: 'done' } | { kind: 'interrupted' } | { kind: 'failed'; error: Error };

export type { CrashInfo } from './worker-checks.js';

export interface SupervisorOptions {
  workers: number;
  /** Workers already forked (started while the run was being planned); forked here if absent. */
  forks?: Promise<WorkerForks>;
  init: InitMessage;
  /** What every worker must report having loaded: the run's columns and model code. */
  columns: [string, ColumnType][];
  modelFingerprint: string;
  feed: ChunkFeed;
  sizer: ChunkSizer;
  /** Times a single item may crash (or time out) a worker before it is recorded as an error. */
  retries: number;
  graceMs: number;
  /** What a chunk carries to the worker besides its indices (items or a byte range); may throw. */
  payload(chunk: Chunk): Pick<ChunkMessage, 'items' | 'slice'>;
  /** A worker could not read its chunk's input as scanned: the run's error. */
  inputFailed(error: SerializedError): Error;
  log: Logger;
  onResult(chunk: Chunk, msg: ResultMessage): void;
  onPoisonItem(idx: number, crashes: number, info: CrashInfo): void;
  onTimedOutItem(idx: number, attempts: number, item: TimedOutItem): void;
  /** A worker with work in flight has sent nothing for stallMs (0: never warn); `silentMs` 0 when it speaks again. */
  stallMs: number;
  onStall(pid: number, silentMs: number, chunk: Chunk | null): void;
  /** Told of every worker start and exit, dispatch and failed attempt (trace/recorder.ts). */
  trace?: PoolTrace;
}

export class Supervisor {
  private readonly slots = new Map<number, WorkerHandle>();
  private stopping = false;
  private finished = false;
  /** Crashes, and poison items isolated, since the last chunk that finished: the circuit breaker. */
  private crashStreak = 0;
  private poisonStreak = 0;
  private loadCrashes = 0;
  private graceTimer: NodeJS.Timeout | null = null;
  private dispatched = 0;
  /** Processes that workers left running (their process groups), ended at their exit. */
  private leftovers = 0;
  private resolve!: (o: Outcome) => void;
  private forks: WorkerForks | null = null;

  constructor(private readonly opts: SupervisorOptions) {}

  async run(): Promise<Outcome> {
    const outcome = new Promise<Outcome>((r) => (this.resolve = r));
    const forks = await (this.opts.forks ?? WorkerForks.start(this.opts.workers));
    this.forks = forks;
    if (!forks.grouped) this.opts.log.info('setsid(1) not found: processes a model spawns are not grouped with their worker');
    const stallCheck =
      this.opts.stallMs > 0 ? setInterval(() => this.checkStalls(), Math.min(STALL_CHECK_MS, this.opts.stallMs / 4)) : null;
    let result: Outcome;
    try {
      forks.attach({ fork: this.onFork, message: (w, msg) => this.onWorkerMessage(w, msg), exit: this.onExit });
      mark('pool: workers attached');
      result = await outcome;
      mark('pool: outcome');
      if (stallCheck) clearInterval(stallCheck);
      await this.stopWorkers();
      mark('pool: workers stopped');
    } finally {
      forks.close();
    }
    if (this.leftovers) this.opts.log.warn({ processes: this.leftovers }, 'ended processes that workers left running');
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

  private onFork = (worker: Worker, at: number): void => {
    this.slots.set(worker.id, new WorkerHandle(worker));
    this.opts.trace?.forked(worker, at);
    // A send to a worker that just died (EPIPE): its 'exit' is handled in onExit.
    worker.on('error', (err) => this.opts.log.debug({ err, pid: worker.process.pid }, 'worker channel error'));
  };

  private onWorkerMessage(worker: Worker, msg: WorkerMessage): void {
    const slot = this.slots.get(worker.id);
    if (slot) this.onMessage(slot, msg);
  }

  private onMessage(slot: WorkerHandle, msg: WorkerMessage): void {
    // A retired, dead or faulty worker's late messages are ignored: its chunks were requeued.
    if (this.finished || !this.slots.has(slot.worker.id) || slot.violation) return;
    const violation = protocolViolation(slot, msg);
    if (violation) return this.faulty(slot, violation);
    slot.heard();
    if (slot.stalled) {
      slot.stalled = false;
      this.opts.onStall(slot.pid, 0, null);
    }
    if (msg.type === 'hello') {
      mark(`pool: hello from ${slot.pid}`);
      slot.greeted = true;
      slot.worker.send(this.opts.init);
    } else if (msg.type === 'ready') {
      const mismatch = loadedOtherModel(slot.pid, msg, { ...this.opts, modelRef: this.opts.init.modelRef });
      if (mismatch) return this.finish({ kind: 'failed', error: mismatch });
      mark(`pool: ready from ${slot.pid}`);
      slot.markReady();
      this.opts.trace?.ready(slot.worker);
      this.pump(slot);
    } else if (msg.type === 'loadFailed') {
      this.finish({ kind: 'failed', error: loadFailure(msg.error, this.opts.init.modelRef) });
    } else if (msg.type === 'chunkFailed') {
      this.finish({ kind: 'failed', error: this.opts.inputFailed(msg.error) });
    } else if (msg.type === 'result') {
      const chunk = slot.complete(msg.id);
      if (!chunk) return;
      try {
        this.opts.onResult(chunk, msg);
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
        return;
      }
      this.opts.sizer.observe(chunk.count, msg.ms);
      this.crashStreak = 0;
      this.poisonStreak = 0;
      this.pump(slot);
      this.checkDone();
    }
  }

  /** A worker that broke the protocol is killed; its exit requeues its chunks like a crash's. */
  private faulty(slot: WorkerHandle, violation: string): void {
    slot.violation = violation;
    this.opts.log.error({ pid: slot.pid, violation }, 'worker broke the IPC protocol: killed, its chunks requeued, nothing it sent stored');
    slot.worker.process.kill('SIGKILL');
  }

  /** Warns once per silence about a worker that has work in flight but has sent nothing for stallMs. */
  private checkStalls(): void {
    const now = performance.now();
    for (const slot of this.slots.values()) {
      if (slot.stalled || slot.inflight.length === 0 || now - slot.heardAt < this.opts.stallMs) continue;
      slot.stalled = true;
      this.opts.onStall(slot.pid, now - slot.heardAt, slot.inflight[0] ?? null);
    }
  }

  private canDispatch(slot: WorkerHandle): boolean {
    return !this.stopping && !this.finished && slot.accepting && this.slots.has(slot.worker.id);
  }

  private pump(slot: WorkerHandle): void {
    while (this.canDispatch(slot) && slot.inflight.length < MAX_IN_FLIGHT) {
      const chunk = this.opts.feed.next();
      if (!chunk) break;
      let payload;
      try {
        payload = this.opts.payload(chunk);
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
        return;
      }
      slot.assign(chunk);
      this.opts.trace?.dispatched(chunk, slot.worker);
      if (!this.dispatched++)
        this.opts.log.info({ msSinceStart: Math.round(performance.now()), size: chunk.count }, 'first chunk dispatched');
      slot.worker.send({ type: 'chunk', id: chunk.id, start: chunk.start, count: chunk.count, ...payload });
    }
    this.checkDone();
  }

  private pumpAll(): void {
    for (const slot of this.slots.values()) this.pump(slot);
  }

  private onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    this.leftovers += endLeftovers(worker.process.pid, this.opts.log);
    const slot = this.slots.get(worker.id);
    if (!slot || slot.state === 'draining' || slot.state === 'dead') return this.opts.trace?.exited(worker, code, signal, 'stopped');
    this.slots.delete(worker.id);
    const loaded = slot.loaded;
    slot.markDead();
    const timedOut = slot.takeTimeoutReport(this.opts.init.timeoutDir);
    const info: CrashInfo = slot.violation ? { code, signal, violation: slot.violation } : { code, signal };
    this.opts.trace?.exited(
      worker,
      code,
      signal,
      loaded ? deathCause(info, timedOut) : `died while loading the model (${describeExit(info)})`,
    );
    if (this.finished) return;
    const { log } = this.opts;
    if (!loaded) {
      log.error({ pid: worker.process.pid, ...info }, 'worker died while loading the model');
      if (++this.loadCrashes >= MAX_LOAD_CRASHES) {
        this.finish({
          kind: 'failed',
          error: runFailed(`workers keep dying while loading model ${this.opts.init.modelRef} (${describeExit(info)})`),
        });
        return;
      }
    } else {
      if (timedOut) {
        log.warn(
          { pid: worker.process.pid, ...timedOut, timeoutMs: this.opts.init.itemTimeoutMs },
          'item timed out; its worker killed itself',
        );
        this.afterDeath(slot.inflight, { kind: 'timeout', idx: timedOut.idx }, info, timedOut);
      } else {
        log.warn({ pid: worker.process.pid, ...info, inflight: slot.inflight.length }, 'worker died; requeueing its chunks');
        this.afterDeath(slot.inflight, { kind: 'crash' }, info, null);
      }
      // Bisecting a poison chunk costs a few crashes per item; a model that crashes on
      // everything isolates item after item with no chunk finishing in between.
      this.crashStreak++;
      if (breakerTripped(this.crashStreak, this.poisonStreak, this.opts.workers)) {
        const what = `${this.crashStreak} crashes, ${this.poisonStreak} items isolated, no chunk done; last: ${deathCause(info, timedOut)}`;
        this.finish({ kind: 'failed', error: runFailed(`workers keep crashing (${what}); model ${this.opts.init.modelRef}`) });
        return;
      }
    }
    if (!this.stopping) this.forks?.forkOne();
    this.pumpAll();
    this.checkDone();
  };

  /** Requeues and records what the crash policy decides for a dead worker's chunks. */
  private afterDeath(inflight: Chunk[], failure: Failure, info: CrashInfo, timedOut: TimedOutItem | null): void {
    const { feed } = this.opts;
    const decision = afterWorkerDeath(inflight, failure, this.opts.retries);
    this.opts.trace?.failed(inflight, attemptOutcomes(inflight, failure, this.opts.retries), deathCause(info, timedOut));
    for (const r of decision.requeue) feed.requeue({ id: feed.newId(), ...r });
    for (const { idx, attempts } of decision.record) {
      this.poisonStreak++;
      try {
        if (timedOut) this.opts.onTimedOutItem(idx, attempts, timedOut);
        else this.opts.onPoisonItem(idx, attempts, info);
      } catch (err) {
        this.finish({ kind: 'failed', error: err as Error });
      }
    }
  }

  private checkDone(): void {
    if (this.finished) return;
    const idle = [...this.slots.values()].every((s) => s.inflight.length === 0);
    if (!idle) return;
    if (this.stopping) this.finish({ kind: 'interrupted' });
    else if (this.opts.feed.exhausted) this.finish({ kind: 'done' });
  }

  private finish(outcome: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.resolve(outcome);
  }

  private async stopWorkers(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => slot.stop()));
  }
}
