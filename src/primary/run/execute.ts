/**
 * Drives one session of a run (a fresh run or a resume): workers, dispatch, commits, progress,
 * signals, and the final status. Returns the process exit code.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import type { Logger } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EXIT, modelError, runFailed, SimrunError } from '../../errors.js';
import type { Model } from '../../api/model.js';
import { modelColumns } from '../../worker/model-loader.js';
import type { Params } from '../../api/model.js';
import { ChunkFeed } from './chunk-feed.js';
import { autoChunkSize, fixedChunkSize } from './chunk-size.js';
import { intervalCount } from './intervals.js';
import { formatDuration } from '../../util/duration.js';
import { createProgress } from './progress.js';
import { ResultsWriter, type ErrorRow } from '../store/results-writer.js';
import { resultShapeError } from '../pool/result-shape.js';
import { HEARTBEAT_MS, releaseClaim, renewClaim } from '../store/claims.js';
import { getRun, setRunStatus, type DB, type RunRecord } from '../store/store.js';
import { inputChangedError, openSource, type ScanResult } from '../input/source.js';
import type { InputSpec } from '../input/sources.js';
import { runBounds } from './shard.js';
import { useWal } from '../store/journal.js';
import { logSkippedFiles } from '../input/skipped-files.js';
import { Supervisor, type CrashInfo } from '../pool/supervisor.js';

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
}

const NEW_RUN_VISIBLE_MS = 2000;
/** Signals that drain a run: stop dispatching, finish in-flight chunks, commit, exit 128+n. */
const RUN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's convention: 128 + signal number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (os.constants.signals[sig] ?? 2);
}

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(`${line}\n`);
}

export async function executeRun(
  db: DB,
  dbFile: string,
  run: RunRecord,
  { model, fingerprint }: { model: Model; fingerprint: string },
  params: Params,
  { spec, scan }: { spec: InputSpec; scan: ScanResult },
  o: SessionOptions,
  log: Logger,
): Promise<number> {
  const columns = modelColumns(model);
  const heartbeat = setInterval(() => {
    if (db.open && !renewClaim(db, run.id)) log.error({ run: run.id }, 'the run was taken over by another process');
  }, HEARTBEAT_MS);
  const writer = new ResultsWriter(db, model.name, columns.length, run.id);
  /**
   * A new run's row is still uncommitted (see startRun) so that a model bug found on the first
   * chunk leaves no trace. It becomes visible with the first committed chunk, or after
   * NEW_RUN_VISIBLE_MS after the first chunk went out at the latest, so `status` shows a run
   * whose first items are slow (timed from the first dispatch: a slow worker start-up on a busy
   * machine must not publish a run before its first chunk could show a model bug).
   */
  const publish = () => {
    if (!db.open || !db.inTransaction) return;
    db.exec('COMMIT');
    useWal(db); // only now: a run rolled back before this leaves the file byte for byte as it was
  };
  let publishTimer: NodeJS.Timeout | undefined;
  const commit: ResultsWriter['commit'] = (rows, errors, ms) => {
    writer.commit(rows, errors, ms);
    publish();
  };
  const done = writer.doneIntervals(o.retryErrors ?? false);
  const sizer = o.chunkSize === 'auto' ? autoChunkSize(o.workers) : fixedChunkSize(o.chunkSize);
  const source = openSource(spec, scan);
  const timeoutDir = o.itemTimeoutMs > 0 ? mkdtempSync(path.join(os.tmpdir(), 'simrun-timeouts-')) : null;
  if (spec.kind === 'files') await logSkippedFiles(spec.uri, log);

  const startDone = intervalCount(done);
  const feed = new ChunkFeed(sizer, runBounds(run), done);
  setRunStatus(db, run.id, 'running', { workers: o.workers, message: null });
  log.info({ run: run.id, model: model.name, total: run.total, alreadyDone: startDone, workers: o.workers }, 'run session start');

  const t0 = Date.now();
  const activeMs = () => run.active_ms + (Date.now() - t0);
  let doneCount = startDone;
  let errorCount = run.errors;
  const progress = createProgress({ runId: run.id, total: run.total, startDone, quiet: o.quiet });

  let sawRow = false;
  const recordError = (e: ErrorRow) => {
    commit({ idx: [], start: e.idx, rows: 0, columns: [], specials: null }, [e], activeMs());
    doneCount++;
    errorCount++;
    progress.update(doneCount, errorCount);
  };

  const sup = new Supervisor({
    workers: o.workers,
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
    },
    columns,
    modelFingerprint: fingerprint,
    feed,
    sizer,
    retries: o.retries,
    graceMs: o.graceMs,
    payload: (chunk) => {
      publishTimer ??= setTimeout(publish, NEW_RUN_VISIBLE_MS);
      return source.payload(chunk.start, chunk.count);
    },
    inputFailed: (e) =>
      e.code === 'E_INPUT_CHANGED' ? inputChangedError(spec, e.message) : runFailed(`${e.message}; the run is marked failed`),
    log,
    onResult(chunk, msg) {
      if (!sawRow && msg.errors.length === chunk.count && msg.errors.every((e) => e.kind === 'row')) {
        // Every row of the first chunk disagrees with the declared columns: a model bug, not bad items.
        throw modelError(`model ${model.name} returns rows that do not match its columns: ${msg.errors[0]!.error.message}`);
      }
      const malformed = resultShapeError(chunk, msg, columns.length);
      if (malformed) throw runFailed(`a worker sent a malformed result for chunk ${chunk.start}..: ${malformed}; the run is stopped`);
      sawRow ||= msg.rows > 0;
      commit(
        { idx: msg.idx, start: chunk.start, rows: msg.rows, columns: msg.columns, specials: msg.specials },
        msg.errors.map((e) => ({ ...e, attempts: e.attempts ?? chunk.crashes + 1 })),
        activeMs(),
      );
      doneCount += chunk.count;
      errorCount += msg.errors.length;
      progress.update(doneCount, errorCount);
    },
    onPoisonItem(idx: number, crashes: number, info: CrashInfo) {
      const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
      const message = `worker died (${how}) while running this item, ${crashes} time(s)`;
      log.error({ idx, crashes, ...info }, 'item crashes its worker; recorded as an error');
      recordError({
        idx,
        attempts: crashes,
        kind: 'crash',
        error: { name: 'WorkerCrash', message, code: info.signal ?? String(info.code) },
      });
    },
    stallMs: o.stallWarnMs,
    onStall(pid, silentMs, chunk) {
      if (silentMs === 0) {
        log.info({ pid }, 'worker reports again');
        progress.warn('');
        return;
      }
      const items = chunk ? `items ${chunk.start}..${chunk.start + chunk.count - 1}` : 'its chunk';
      const text = `worker ${pid} has reported nothing for ${formatDuration(silentMs / 1000)} (${items}); a hung item? --item-timeout limits each item`;
      log.warn({ pid, silentMs: Math.round(silentMs), start: chunk?.start, count: chunk?.count }, 'worker stalled');
      progress.warn(text);
    },
    onTimedOutItem(idx: number, attempts: number) {
      const message = `item ran longer than --item-timeout ${o.itemTimeoutMs} ms, ${attempts} time(s); its worker was killed`;
      log.error({ idx, attempts, timeoutMs: o.itemTimeoutMs }, 'item times out; recorded as an error');
      recordError({ idx, attempts, kind: 'timeout', error: { name: 'ItemTimeout', message, code: 'ETIMEDOUT' } });
    },
  });

  let signals = 0;
  let exitCode: number = EXIT.interrupted;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) {
      exitCode = signalExitCode(sig);
      say(o.quiet, `\nsimrun: ${sig}: finishing in-flight chunks (up to ${o.graceMs / 1000} s); press again to stop at once`);
      log.warn({ signal: sig, graceMs: o.graceMs }, 'signal: draining');
      sup.interrupt();
      return;
    }
    // Second signal: every committed chunk is already durable (transactions are synchronous).
    setRunStatus(db, run.id, 'interrupted', { active_ms: activeMs() });
    releaseClaim(db, run.id);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    db.close();
    say(o.quiet, `simrun: stopped at once; finish with: simrun resume --db ${dbFile} --run ${run.id}`);
    process.exit(exitCode);
  };
  for (const sig of RUN_SIGNALS) process.on(sig, onSignal);

  try {
    let outcome = await sup.run();
    if (outcome.kind === 'done') {
      // Done means done on the scanned input: it must still be as scanned.
      await source.verifyEnd().catch((error: Error) => (outcome = { kind: 'failed', error }));
    }
    progress.stop();
    const secs = (Date.now() - t0) / 1000;
    const rate = Math.round((doneCount - startDone) / Math.max(secs, 0.001));
    const cpu = process.cpuUsage();
    log.info(
      {
        run: run.id,
        outcome: outcome.kind,
        items: doneCount - startDone,
        secs,
        itemsPerSec: rate,
        primaryCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      },
      'run session end',
    );
    if (outcome.kind === 'failed') {
      const msg = outcome.error.message;
      setRunStatus(db, run.id, 'failed', { message: msg, active_ms: activeMs() });
      log.info({ err: outcome.error }, 'run failed'); // stderr gets the one-line message from the CLI
      throw outcome.error instanceof SimrunError ? outcome.error : runFailed(msg, outcome.error);
    }
    if (outcome.kind === 'interrupted') {
      setRunStatus(db, run.id, 'interrupted', { active_ms: activeMs() });
      say(o.quiet, `run ${run.id} interrupted at ${doneCount}/${run.total}; finish it with: simrun resume --db ${dbFile} --run ${run.id}`);
      return exitCode;
    }
    setRunStatus(db, run.id, 'done', { active_ms: activeMs() });
    const final = getRun(db, run.id)!;
    const summary = `run ${run.id} done: ${final.done + final.errors}/${final.total} items in ${secs.toFixed(1)} s (${rate} items/s this session)`;
    if (final.errors > 0) {
      say(
        o.quiet,
        `${summary}, ${final.errors} item error(s); see: simrun query --db ${dbFile} "SELECT idx, kind, name, message FROM errors WHERE run_id = ${run.id}"`,
      );
      return EXIT.itemErrors;
    }
    say(o.quiet, summary);
    return EXIT.done;
  } finally {
    clearTimeout(publishTimer);
    clearInterval(heartbeat);
    if (db.open) releaseClaim(db, run.id);
    if (timeoutDir) rmSync(timeoutDir, { recursive: true, force: true });
    for (const sig of RUN_SIGNALS) process.off(sig, onSignal);
  }
}
