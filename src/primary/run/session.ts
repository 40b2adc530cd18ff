/**
 * A run session: one fresh run or one resume, from the first dispatch to the final status. It
 * owns the workers (through the Supervisor), every commit (through RunCommits), the progress
 * line and the signals: the first SIGINT/SIGTERM/SIGHUP drains, a second stops at once, and both
 * end through `interrupted()`, so the database is valid and resumable either way.
 */
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Model, Params } from '../../api/model.js';
import { EXIT, runFailed, SimrunError } from '../../errors.js';
import { modelColumns } from '../../worker/model-loader.js';
import { inputChangedError, openSource, type ScanResult } from '../input/source.js';
import type { InputSpec } from '../input/sources.js';
import { logSkippedFiles } from '../input/skipped-files.js';
import { Supervisor, type Outcome } from '../pool/supervisor.js';
import { HEARTBEAT_MS, renewClaim } from '../store/claims.js';
import { ResultsWriter } from '../store/results-writer.js';
import { getRun, type DB, type RunRecord } from '../store/store.js';
import { ChunkFeed } from './chunk-feed.js';
import { autoChunkSize, fixedChunkSize } from './chunk-size.js';
import { intervalCount, type Interval } from './intervals.js';
import { createProgress, type Progress } from './progress.js';
import { sessionEvents, type SessionCounts } from './session-events.js';
import { runBounds } from './shard.js';
import { RunCommits } from './transactions.js';
import type { Keep } from '../sweep/retry-rows.js';
import { createTrace, type TraceRecorder } from '../trace/recorder.js';
import { endProcessGroup } from '../../util/process-group.js';
import type { WorkerForks } from '../pool/worker-forks.js';

export interface SessionOptions {
  workers: number;
  chunkSize: number | 'auto';
  retries: number;
  /** Delay before the first retry of an item's transient error (then doubling, with jitter). */
  retryDelayMs: number;
  graceMs: number;
  itemTimeoutMs: number;
  /** Warn when a worker with work in flight has reported nothing for this long (0: never). */
  stallWarnMs: number;
  /** resume --retry-errors: run the items in `errors` again. */
  retryErrors?: boolean;
  outDir: string | null;
  logFile: string | null;
  logLevel: string;
  quiet: boolean;
  /** The session's workers, forked early by the CLI (worker-forks.ts); forked by the Supervisor if absent. */
  forks?: Promise<WorkerForks>;
}

/** Everything a session needs, checked and opened by startRun / resumeRun. */
export interface SessionPlan {
  db: DB;
  dbFile: string;
  run: RunRecord;
  model: Model;
  /** The model code's fingerprint every worker must report having loaded. */
  fingerprint: string;
  params: Params;
  spec: InputSpec;
  scan: ScanResult;
  options: SessionOptions;
  log: Logger;
  /** A sweep (simrun sweep): its other variants, each a run with its params; `run` is the first variant. */
  variants?: SessionVariant[];
  /** What the session's lines call it: `run 3` (default), or `sweep 1 (runs 3-11)`. */
  name?: string;
  /** resume --retry-errors of a sweep: the items already finished in every variant, and which items each variant takes. */
  retry?: { done: Interval[]; keep: Keep[] };
}

/** One more variant of a sweep: its run and effective params. */
export interface SessionVariant {
  run: RunRecord;
  params: Params;
}

/** Signals that drain a run: stop dispatching, finish in-flight chunks, commit, exit 128+n. */
const RUN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's convention: 128 + signal number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (os.constants.signals[sig] ?? 2);
}

export class RunSession {
  private readonly commits: RunCommits;
  /** The trace (null with SIMRUN_TRACE=0). */
  private readonly trace: TraceRecorder | null;
  private readonly source: ReturnType<typeof openSource>;
  /** Index ranges already committed (by earlier sessions of the run). */
  private readonly done: Interval[];
  private readonly counts: SessionCounts;
  private readonly startDone: number;
  private readonly t0 = Date.now();
  private progress!: Progress;
  private supervisor!: Supervisor;
  private signals = 0;
  private exitCode: number = EXIT.interrupted;

  constructor(private readonly plan: SessionPlan) {
    const { db, run, model } = plan;
    const width = modelColumns(model).length;
    const writer = new ResultsWriter(db, model.name, width, run.id);
    // A sweep's variants commit together, so they have finished the same items: the first's are theirs.
    const variants = (plan.variants ?? []).map((v) => ({ run: v.run, writer: new ResultsWriter(db, model.name, width, v.run.id) }));
    this.commits = new RunCommits(db, run, writer, variants);
    this.trace = createTrace(db, run, plan.log);
    this.source = openSource(plan.spec, plan.scan);
    this.done = plan.retry?.done ?? writer.doneIntervals(plan.options.retryErrors ?? false);
    this.startDone = intervalCount(this.done);
    this.counts = { done: this.startDone, errors: run.errors };
  }

  private readonly activeMs = () => this.plan.run.active_ms + (Date.now() - this.t0);
  private get name(): string {
    return this.plan.name ?? `run ${this.plan.run.id}`;
  }

  private say(line: string): void {
    if (!this.plan.options.quiet) process.stderr.write(`${line}\n`);
  }

  /** Runs the session to its end; the process exit code (a failed run throws its error). */
  async run(): Promise<number> {
    const { db, run, model, spec, options: o, log } = this.plan;
    const heartbeat = setInterval(() => {
      for (const id of this.commits.runs)
        if (db.open && !renewClaim(db, id)) log.error({ run: id }, 'the run was taken over by another process');
      this.trace?.snapshot();
    }, HEARTBEAT_MS);
    const timeoutDir = o.itemTimeoutMs > 0 ? mkdtempSync(path.join(os.tmpdir(), 'simrun-timeouts-')) : null;
    const onSignal = (sig: NodeJS.Signals) => this.onSignal(sig);
    for (const sig of RUN_SIGNALS) process.on(sig, onSignal);
    try {
      if (spec.kind === 'files') await logSkippedFiles(spec.uri, log);
      this.commits.start(o.workers);
      log.info({ run: run.id, model: model.name, total: run.total, alreadyDone: this.startDone, workers: o.workers }, 'run session start');
      this.progress = createProgress({ runId: run.id, total: run.total, startDone: this.startDone, quiet: o.quiet });
      this.supervisor = this.createSupervisor(timeoutDir);
      let outcome = await this.supervisor.run();
      // Done means done on the scanned input: it must still be as scanned.
      if (outcome.kind === 'done') await this.source.verifyEnd().catch((error: Error) => (outcome = { kind: 'failed', error }));
      return this.finish(outcome);
    } finally {
      this.progress?.stop();
      clearInterval(heartbeat);
      this.trace?.close();
      this.commits.close();
      if (timeoutDir) rmSync(timeoutDir, { recursive: true, force: true });
      for (const sig of RUN_SIGNALS) process.off(sig, onSignal);
    }
  }

  private createSupervisor(timeoutDir: string | null): Supervisor {
    const { run, model, params, spec, scan, options: o, log } = this.plan;
    const columns = modelColumns(model);
    const sizer = o.chunkSize === 'auto' ? autoChunkSize(o.workers) : fixedChunkSize(o.chunkSize);
    return new Supervisor({
      workers: o.workers,
      forks: o.forks,
      init: {
        type: 'init',
        modelRef: run.model_ref,
        params,
        seed: run.seed,
        outDir: o.outDir,
        logFile: o.logFile,
        logLevel: o.logLevel,
        retries: o.retries,
        retryDelayMs: o.retryDelayMs,
        itemTimeoutMs: o.itemTimeoutMs,
        timeoutDir,
        input: scan.text,
        ...(this.plan.variants?.length ? { variants: this.plan.variants.map((v) => ({ params: v.params, seed: v.run.seed })) } : {}),
      },
      columns,
      modelFingerprint: this.plan.fingerprint,
      feed: new ChunkFeed(sizer, runBounds(run), this.done),
      sizer,
      retries: o.retries,
      graceMs: o.graceMs,
      payload: (chunk) => {
        this.commits.dispatched();
        return this.source.payload(chunk.start, chunk.count);
      },
      inputFailed: (e) =>
        e.code === 'E_INPUT_CHANGED' ? inputChangedError(spec, e.message) : runFailed(`${e.message}; the run is marked failed`),
      log,
      ...(this.trace ? { trace: this.trace } : {}),
      stallMs: o.stallWarnMs,
      ...sessionEvents({
        model: model.name,
        columns,
        itemTimeoutMs: o.itemTimeoutMs,
        commits: this.commits,
        variants: this.plan.variants?.length ?? 0,
        ...(this.plan.retry ? { keep: this.plan.retry.keep } : {}),
        counts: this.counts,
        progress: this.progress,
        activeMs: this.activeMs,
        trace: this.trace,
        log,
      }),
    });
  }

  private onSignal(sig: NodeJS.Signals): void {
    const { options: o, log } = this.plan;
    if (++this.signals === 1) {
      this.exitCode = signalExitCode(sig);
      this.say(`\nsimrun: ${sig}: finishing in-flight chunks (up to ${o.graceMs / 1000} s); press again to stop at once`);
      // Said on the terminal just above; the log (info: --log files) keeps it.
      log.info({ signal: sig, graceMs: o.graceMs }, 'signal: draining');
      this.supervisor?.interrupt();
      return;
    }
    // Second signal: every committed chunk is already durable (transactions are synchronous);
    // in-flight chunks are dropped, their items stay missing for `resume`.
    log.info({ signal: sig }, 'second signal: stopping at once');
    // Each worker with what its model spawned (its process group; the worker alone without one).
    for (const w of Object.values(cluster.workers ?? {})) if (w?.process.pid && !endProcessGroup(w.process.pid)) w.process.kill('SIGKILL');
    const code = this.interrupted(true);
    this.trace?.close();
    this.commits.close();
    this.plan.db.close();
    process.exit(code);
  }

  /** The one way a session ends interrupted: by a drained first signal or at once by a second. */
  private interrupted(atOnce: boolean): number {
    const { dbFile, run } = this.plan;
    this.commits.end('interrupted', this.activeMs());
    const resume = `simrun resume --db ${dbFile} --run ${run.id}`;
    if (atOnce) this.say(`simrun: stopped at once; finish with: ${resume}`);
    else this.say(`${this.name} interrupted at ${this.counts.done}/${run.total}; finish it with: ${resume}`);
    return this.exitCode;
  }

  private finish(outcome: Outcome): number {
    const { db, dbFile, run, log } = this.plan;
    this.progress.stop();
    const secs = (Date.now() - this.t0) / 1000;
    const items = this.counts.done - this.startDone;
    const rate = Math.round(items / Math.max(secs, 0.001));
    const cpu = process.cpuUsage();
    const primaryCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    log.info({ run: run.id, outcome: outcome.kind, items, secs, itemsPerSec: rate, primaryCpuMs }, 'run session end');
    if (outcome.kind === 'failed') {
      this.commits.end('failed', this.activeMs(), outcome.error.message);
      log.info({ err: outcome.error }, 'run failed'); // stderr gets the one-line message from the CLI
      throw outcome.error instanceof SimrunError ? outcome.error : runFailed(outcome.error.message, outcome.error);
    }
    if (outcome.kind === 'interrupted') return this.interrupted(false);
    this.commits.end('done', this.activeMs());
    const final = getRun(db, run.id)!;
    const summary = `${this.name} done: ${final.done + final.errors}/${final.total} items in ${secs.toFixed(1)} s (${rate} items/s this session)`;
    const errors = this.commits.runs.reduce((n, id) => n + getRun(db, id)!.errors, 0);
    if (errors === 0) {
      this.say(summary);
      return EXIT.done;
    }
    // A sweep's runs were created together: their ids are consecutive.
    const ids = this.commits.runs;
    const sql =
      ids.length > 1
        ? `SELECT run_id, idx, kind, name, message FROM errors WHERE run_id BETWEEN ${ids[0]} AND ${ids.at(-1)}`
        : `SELECT idx, kind, name, message FROM errors WHERE run_id = ${run.id}`;
    const see = `simrun query --db ${dbFile} "${sql}"`;
    this.say(`${summary}, ${errors} item error(s); see: ${see}`);
    return EXIT.itemErrors;
  }
}
