/**
 * `simrun resume` of a sweep (of any of its runs): the sweep goes on as a whole, since its
 * variants commit together. The checks of a run's resume apply to every variant (model code,
 * columns, params, input), then every run is claimed and one session runs the missing items;
 * with --retry-errors also the items that failed in any variant.
 */
import os from 'node:os';
import { dbError, usageError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { loadFingerprintedModel, modelColumns } from '../../worker/model-loader.js';
import { canonicalJson } from '../run/params.js';
import { keptRunFailure, prepareOutDir, recordResumeChanges, rescanInput, resumeChanges, type ResumeOptions } from '../run/run.js';
import { checkRunTargets } from '../run/run-targets.js';
import { RunSession } from '../run/session.js';
import { claimRun, liveOwner } from '../store/claims.js';
import { useWal } from '../store/journal.js';
import { ResultsWriter } from '../store/results-writer.js';
import { addRunNote, getRun, resultsTableMismatch, type DB, type RunRecord } from '../store/store.js';
import { subtractPoints, type Interval } from '../run/intervals.js';
import type { Keep } from './retry-rows.js';
import { sweepName } from './start.js';
import { sweepVariants } from './sweep-store.js';

/** Whether `idx` is in one of the sorted intervals. */
function within(iv: Interval[], idx: number): boolean {
  let lo = 0;
  let hi = iv.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = iv[mid]!;
    if (idx < a) hi = mid - 1;
    else if (idx > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * --retry-errors: the items that failed in any variant run again (and those never run); each
 * variant keeps from them only its own failed items and the ones never run (retry-rows.ts).
 */
function retryPlan(db: DB, runs: RunRecord[], finished: Interval[]): { done: Interval[]; keep: Keep[] } {
  const failed = runs.map((run) => new Set(db.prepare(`SELECT idx FROM errors WHERE run_id = ?`).pluck().all(run.id) as number[]));
  const all = [...new Set(failed.flatMap((f) => [...f]))].sort((a, b) => a - b);
  runs.forEach((run, k) => addRunNote(db, run.id, `resume --retry-errors: retrying ${failed[k]!.size} item(s) in errors`));
  return { done: subtractPoints(finished, all), keep: failed.map((f) => (idx: number) => f.has(idx) || !within(finished, idx)) };
}

export async function resumeSweep(db: DB, sweepId: number, o: ResumeOptions): Promise<number> {
  const variants = sweepVariants(db, sweepId);
  const runs = variants.map((v) => v.run);
  const first = runs[0];
  if (!first) throw usageError(`${o.db}: sweep ${sweepId} has no runs`);
  const name = sweepName(sweepId, runs);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  if (runs.every((r) => r.status === 'done') && !(o.retryErrors && errors > 0)) {
    if (!o.quiet) process.stderr.write(`${name} is already done${o.retryErrors ? ' with no errors' : ''}; nothing to resume\n`);
    return 0;
  }
  const outDir = o.outDir ?? first.out_dir;
  prepareOutDir(outDir);
  for (const run of runs) {
    const owner = liveOwner(run, os.hostname());
    if (owner) throw dbError(`${name}: run ${run.id} is being run by ${owner}; wait for it to finish or stop it first`);
  }
  const { model, fingerprint } = await loadFingerprintedModel(first.model_ref);
  const columns = modelColumns(model);
  const mismatch = resultsTableMismatch(db, first.model, columns);
  if (mismatch) throw usageError(`cannot resume ${name}: ${mismatch}; start a new sweep in another --db`);
  const resolved = runs.map((run) => resumeChanges(run, model, fingerprint));
  const changes = resolved.flatMap((r, k) => r.changes.map((c) => `run ${runs[k]!.id}: ${c}`));
  if (changes.length && !o.allowModelChange)
    throw usageError(`cannot resume ${name}: ${changes.join('; ')}; start a new sweep, or pass --allow-model-change if that is intended`);
  // Every variant commits with every chunk: they must have finished the same items.
  const finished = runs.map((run) => new ResultsWriter(db, model.name, columns.length, run.id).doneIntervals(false));
  const done = finished.map((d) => JSON.stringify(d));
  const odd = done.findIndex((d) => d !== done[0]);
  if (odd > 0)
    throw usageError(`cannot resume ${name}: run ${runs[odd]!.id} has finished other items than run ${first.id}; not a sweep simrun wrote`);
  const { spec, scan } = await rescanInput(first);
  checkRunTargets({ ...o, outDir }, spec, scan);
  const log = createLogger(o.logFile, o.logLevel, { role: 'primary' });
  for (const run of runs) claimRun(db, run.id, os.hostname());
  useWal(db);
  runs.forEach((run, k) =>
    recordResumeChanges(db, run, resolved[k]!.changes, model, fingerprint, canonicalJson(resolved[k]!.params.effective)),
  );
  const retry = o.retryErrors ? retryPlan(db, runs, finished[0]!) : undefined;
  const fresh = runs.map((r) => getRun(db, r.id)!);
  const session = new RunSession({
    db,
    dbFile: o.db,
    run: fresh[0]!,
    model,
    fingerprint: fingerprint.hash,
    params: resolved[0]!.params.effective,
    spec,
    scan,
    log,
    options: { ...o, outDir },
    variants: fresh.slice(1).map((run, k) => ({ run, params: resolved[k + 1]!.params.effective })),
    name,
    ...(retry ? { retry } : {}),
  });
  return session.run().catch((err: unknown) => {
    throw keptRunFailure(err);
  });
}
