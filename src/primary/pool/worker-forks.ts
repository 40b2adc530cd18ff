/**
 * The forked worker processes, started early: `run` and `resume` fork them as soon as their
 * flags are checked, so each worker's Node start-up (~0.2 s) overlaps the primary's own (loading
 * simrun's modules and the model, scanning the input, opening the store) instead of following
 * it. What the workers do before the Supervisor attaches (fork, their `hello`, an early exit)
 * is kept in order and handed to it on `attach`; after that events go straight to it.
 *
 * A worker does nothing but wait for `init` until the Supervisor sends it, so a run refused
 * after the fork (bad input, a model that fails to load) has touched nothing: as the primary
 * exits, workers no Supervisor took are killed (SIGKILL: they ran no model code), so none is
 * left starting up against a closed channel (an EPIPE stack on the terminal).
 */
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerMessage } from '../../protocol.js';
import { startCluster } from './cluster-start.js';
import { forkingWith, ownGroupForks } from './own-group.js';
import { startOrphanReaper, type OrphanReaper } from './orphan-reaper.js';

const workerEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../worker/entry.js');

export interface WorkerEvents {
  /** `at`: when it was forked (Date.now()), which may be before the listener attached. */
  fork(worker: Worker, at: number): void;
  message(worker: Worker, msg: WorkerMessage): void;
  exit(worker: Worker, code: number | null, signal: string | null): void;
}

export class WorkerForks {
  private listener: WorkerEvents | null = null;
  private readonly early: ((l: WorkerEvents) => void)[] = [];
  private readonly execPath: string;
  private readonly reaper: OrphanReaper | null;
  /** Workers lead their own process group (setsid(1) found): what a model spawns ends with them. */
  readonly grouped: boolean;

  private constructor() {
    // glibc malloc fragments under native libraries (sharp/libvips); workers inherit this.
    process.env.MALLOC_ARENA_MAX ??= '2';
    const groups = ownGroupForks();
    this.grouped = groups.grouped;
    this.execPath = groups.execPath;
    this.reaper = startOrphanReaper();
    cluster.setupPrimary({ exec: workerEntry, serialization: 'advanced', execArgv: groups.execArgv });
    cluster.on('fork', this.onFork);
    cluster.on('exit', this.onExit);
    process.on('exit', this.killUntaken);
  }

  /** Forks `count` workers (through throng); replacements come from `forkOne`. */
  static async start(count: number): Promise<WorkerForks> {
    const forks = new WorkerForks();
    await forks.forking(() => startCluster(count));
    return forks;
  }

  /** From now on events go to `listener`; those that came before are replayed first, in order. */
  attach(listener: WorkerEvents): void {
    process.off('exit', this.killUntaken);
    this.listener = listener;
    for (const event of this.early.splice(0)) event(listener);
  }

  forkOne(): void {
    this.forking(() => cluster.fork());
  }

  /** Forks with the workers' executable (setsid) and environment (the reaper's mark). */
  private forking<T>(fork: () => T): T {
    const [name, value] = this.reaper ? this.reaper.mark.split(/=(.*)/s) : [];
    return forkingWith(this.execPath, name ? { [name]: value! } : {}, fork);
  }

  /** Stops listening, and the orphan reaper (the workers are stopped). */
  close(): void {
    this.reaper?.stop();
    cluster.off('fork', this.onFork);
    cluster.off('exit', this.onExit);
    process.off('exit', this.killUntaken);
    this.listener = null;
  }

  private readonly killUntaken = (): void => {
    for (const w of Object.values(cluster.workers ?? {})) if (w && !w.isDead()) w.process.kill('SIGKILL');
  };

  private emit(event: (l: WorkerEvents) => void): void {
    if (this.listener) event(this.listener);
    else this.early.push(event);
  }

  private readonly onFork = (worker: Worker): void => {
    worker.on('message', (msg: WorkerMessage) => this.emit((l) => l.message(worker, msg)));
    // A send to a worker that just died (EPIPE): its 'exit' is what counts.
    worker.on('error', () => {});
    const at = Date.now();
    this.emit((l) => l.fork(worker, at));
  };

  private readonly onExit = (worker: Worker, code: number | null, signal: string | null): void =>
    this.emit((l) => l.exit(worker, code, signal));
}
