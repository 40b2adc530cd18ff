/**
 * Drives one session of a run (a fresh run or a resume): workers, dispatch, commits, progress,
 * signals, and the final status. Returns the process exit code.
 */
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { EXIT, modelError, SimrunError } from '../errors.js';
import type { Model } from '../index.js';
import { modelColumns } from '../model-loader.js';
import type { Params } from '../index.js';
import { ChunkFeed } from './chunk-feed.js';
import { autoChunkSize, fixedChunkSize } from './chunk-size.js';
import { intervalCount } from './intervals.js';
import { createProgress } from './progress.js';
import { ResultsWriter, type ErrorRow } from './results-writer.js';
import { getRun, setRunStatus, type DB, type RunRecord } from './store.js';
import { useWal } from './store-journal.js';
import { openSource, type InputSpec } from './sources.js';
import { shardFeed } from './shard.js';
import { logSkippedFiles } from './skipped-files.js';
import { Supervisor, type CrashInfo } from './supervisor.js';

export interface SessionOptions {
  workers: number;
  chunkSize: number | 'auto';
  retries: number;
  graceMs: number;
  itemTimeoutMs: number;
  /** resume --retry-errors: run the items in `errors` again. */
  retryErrors?: boolean;
  outDir: string | null;
  logFile: string | null;
  logLevel: string;
  quiet: boolean;
}

const NEW_RUN_VISIBLE_MS = 2000;

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(`${line}\n`);
}

export async function executeRun(
  db: DB,
  dbFile: string,
  run: RunRecord,
  model: Model,
  params: Params,
  spec: InputSpec,
  o: SessionOptions,
  log: Logger,
): Promise<number> {
  const columns = modelColumns(model);
  const writer = new ResultsWriter(db, model.name, columns.length, run.id);
  /**
   * A new run's row is still uncommitted (see startRun) so that a model bug found on the first
   * chunk leaves no trace. It becomes visible with the first committed chunk, or after
   * NEW_RUN_VISIBLE_MS at the latest, so `status` shows a run whose first items are slow.
   */
  const publish = () => {
    if (!db.open || !db.inTransaction) return;
    db.exec('COMMIT');
    useWal(db); // only now: a run rolled back before this leaves the file byte for byte as it was
  };
  const publishTimer = setTimeout(publish, NEW_RUN_VISIBLE_MS);
  const commit: ResultsWriter['commit'] = (rows, errors, ms) => {
    writer.commit(rows, errors, ms);
    publish();
  };
  const done = writer.doneIntervals(o.retryErrors ?? false);
  const sizer = o.chunkSize === 'auto' ? autoChunkSize(o.workers) : fixedChunkSize(o.chunkSize);
  const source = await openSource(spec);
  if (spec.kind === 'files') await logSkippedFiles(spec.uri, log);
  const shard = shardFeed(source, run);
  const startDone = intervalCount(done);
  const feed = new ChunkFeed(shard.source, sizer, done, shard.only, run.total - startDone);
  setRunStatus(db, run.id, 'running', { pid: process.pid, workers: o.workers, message: null });
  log.info({ run: run.id, model: model.name, total: run.total, alreadyDone: startDone, workers: o.workers }, 'run session start');

  const t0 = Date.now();
  const activeMs = () => run.active_ms + (Date.now() - t0);
  let doneCount = startDone;
  let errorCount = run.errors;
  const progress = createProgress({ runId: run.id, total: run.total, startDone, quiet: o.quiet });

  let sawRow = false;
  const recordError = (e: ErrorRow) => {
    commit({ idx: [], start: e.idx, values: [] }, [e], activeMs());
    doneCount++;
    errorCount++;
    progress.update(doneCount, errorCount);
  };

  const sup = new Supervisor({
    workers: o.workers,
    init: { type: 'init', modelRef: run.model_ref, params, seed: run.seed, outDir: o.outDir, logFile: o.logFile, logLevel: o.logLevel, reportItems: o.itemTimeoutMs > 0, fields: source.fields },
    feed,
    sizer,
    retries: o.retries,
    graceMs: o.graceMs,
    itemTimeoutMs: o.itemTimeoutMs,
    itemsAreIndices: spec.kind === 'range',
    log,
    onResult(chunk, msg) {
      if (!sawRow && msg.errors.length === chunk.items.length && msg.errors.every((e) => e.kind === 'row')) {
        // Every row of the first chunk disagrees with the declared columns: a model bug, not bad items.
        throw modelError(`model ${model.name} returns rows that do not match its columns: ${msg.errors[0]!.error.message}`);
      }
      sawRow ||= msg.values.length > 0;
      const idx = msg.idx ?? chunk.indices ?? null;
      commit({ idx, start: chunk.start, values: msg.values }, msg.errors.map((e) => ({ ...e, attempts: chunk.crashes + 1 })), activeMs());
      doneCount += chunk.items.length;
      errorCount += msg.errors.length;
      progress.update(doneCount, errorCount);
    },
    onPoisonItem(idx: number, crashes: number, info: CrashInfo) {
      const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
      const message = `worker died (${how}) while running this item, ${crashes} time(s)`;
      log.error({ idx, crashes, ...info }, 'item crashes its worker; recorded as an error');
      recordError({ idx, attempts: crashes, kind: 'crash', error: { name: 'WorkerCrash', message, code: info.signal ?? String(info.code) } });
    },
    onTimedOutItem(idx: number, timeoutMs: number) {
      const message = `item ran longer than --item-timeout ${timeoutMs} ms; its worker was killed`;
      recordError({ idx, attempts: 1, kind: 'timeout', error: { name: 'ItemTimeout', message, code: 'ETIMEDOUT' } });
    },
  });

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) {
      say(o.quiet, `\nsimrun: ${sig}: finishing in-flight chunks (up to ${o.graceMs / 1000} s); press again to stop at once`);
      sup.interrupt();
      return;
    }
    // Second signal: every committed chunk is already durable (transactions are synchronous).
    setRunStatus(db, run.id, 'interrupted', { active_ms: activeMs() });
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    db.close();
    say(o.quiet, `simrun: stopped at once; finish with: simrun resume --db ${dbFile} --run ${run.id}`);
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const outcome = await sup.run();
    progress.stop();
    const secs = (Date.now() - t0) / 1000;
    const rate = Math.round((doneCount - startDone) / Math.max(secs, 0.001));
    const cpu = process.cpuUsage();
    log.info({ run: run.id, outcome: outcome.kind, items: doneCount - startDone, secs, itemsPerSec: rate, primaryCpuMs: Math.round((cpu.user + cpu.system) / 1000) }, 'run session end');
    if (outcome.kind === 'failed') {
      const msg = outcome.error.message;
      setRunStatus(db, run.id, 'failed', { message: msg, active_ms: activeMs() });
      log.info({ err: outcome.error }, 'run failed'); // stderr gets the one-line message from the CLI
      throw outcome.error instanceof SimrunError ? outcome.error : new SimrunError(msg, 'E_RUN_FAILED', EXIT.failed);
    }
    if (outcome.kind === 'interrupted') {
      setRunStatus(db, run.id, 'interrupted', { active_ms: activeMs() });
      say(o.quiet, `run ${run.id} interrupted at ${doneCount}/${run.total}; finish it with: simrun resume --db ${dbFile} --run ${run.id}`);
      return EXIT.interrupted;
    }
    setRunStatus(db, run.id, 'done', { active_ms: activeMs() });
    const final = getRun(db, run.id)!;
    const summary = `run ${run.id} done: ${final.done + final.errors}/${final.total} items in ${secs.toFixed(1)} s (${rate} items/s this session)`;
    if (final.errors > 0) {
      say(o.quiet, `${summary}, ${final.errors} item error(s); see: simrun query --db ${dbFile} "SELECT idx, kind, name, message FROM errors WHERE run_id = ${run.id}"`);
      return EXIT.itemErrors;
    }
    say(o.quiet, summary);
    return EXIT.done;
  } finally {
    clearTimeout(publishTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    source.close();
  }
}
