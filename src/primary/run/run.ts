/**
 * `run` and `resume`: everything is checked (model, params, input, database) before the
 * database is changed; then a RunSession drives the workers.
 */
import { ensureModelViews } from '../store/model-views.js';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dbError, EXIT, ModelError, RunFailedError, usageError } from '../../errors.js';
import { toUserError } from '../../system-errors.js';
import { createLogger } from '../../log.js';
import { changedFiles, type ModelFingerprint } from '../../worker/model-fingerprint.js';
import { loadFingerprintedModel, modelColumns, resolveModelRef } from '../../worker/model-loader.js';
import { canonicalJson, readParamsFile, resolveParams, type ResolvedParams } from './params.js';
import type { Model } from '../../api/model.js';
import { sweepOfRun } from '../sweep/sweep-store.js';
import { resumeSweep } from '../sweep/resume.js';
import { SIMRUN_VERSION } from '../../version.js';
import { RunSession, type SessionOptions } from './session.js';
import { beginNewRun, endNewRun, newRunPending } from './transactions.js';
import { claimRun, liveOwner } from '../store/claims.js';
import {
  addRunNote,
  createRun,
  ensureResultsTable,
  getRun,
  openStore,
  resultsTableMismatch,
  type DB,
  type RunRecord,
} from '../store/store.js';
import { scanInput, type ScanResult } from '../input/source.js';
import { parseInputSpec, type InputSpec } from '../input/sources.js';
import { closeStore, useWal } from '../store/journal.js';
import { formatShard, shardBlock, type Shard } from './shard.js';
import { checkRunTargets } from './run-targets.js';
import { flushPhases, mark } from '../../util/phases.js';

export interface RunOptions extends SessionOptions {
  model: string;
  input: string;
  db: string;
  params: [string, unknown][];
  paramsFile: string | null;
  seed: number;
  /** --shard i/N: run only that block of the input's indices (see shard.ts). */
  shard: Shard | null;
}

export interface ResumeOptions extends SessionOptions {
  db: string;
  runId: number | null;
  retryErrors: boolean;
  /** Accept a changed model version/params (recorded in runs.notes). */
  allowModelChange: boolean;
}

/** Creates the --out folder before the database is touched: a path that cannot be one fails first. */
export function prepareOutDir(dir: string | null): void {
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw usageError(`cannot create the --out folder ${dir}: ${(err as Error).message}`);
  }
}

/**
 * A session that failed once its run was kept (written, marked failed) exits 1, whatever its
 * cause: exit 2 promises that nothing was written (docs/cli.md, exit codes).
 */
export function keptRunFailure(err: unknown): Error {
  const e = toUserError(err);
  return e.exitCode === EXIT.usage ? new RunFailedError(e.message, { cause: err }) : e;
}

export function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

export async function startRun(o: RunOptions): Promise<number> {
  mark('run: start');
  const modelRef = resolveModelRef(o.model);
  const { model, fingerprint } = await loadFingerprintedModel(modelRef);
  mark('run: model loaded');
  const params = resolveParams(model, o.paramsFile ? readParamsFile(o.paramsFile) : {}, o.params, o.paramsFile ?? undefined);
  const spec = parseInputSpec(o.input);
  const scan = await scanInput(spec);
  mark('run: input scanned');
  if (o.shard && o.shard.count > scan.total) {
    throw usageError(`--shard ${formatShard(o.shard)}: the input has only ${scan.total} item(s), fewer than ${o.shard.count} shards`);
  }
  const block = o.shard ? shardBlock(o.shard, scan.total) : null;
  checkRunTargets(o, spec, scan);
  prepareOutDir(o.outDir);
  const log = createLogger(o.logFile, o.logLevel, { role: 'primary' });
  flushPhases(log);
  const isNew = !existsSync(o.db);
  const db = openStore(o.db, { readonly: false });
  let run: RunRecord;
  try {
    const paramsJson = canonicalJson(params.effective);
    // The new run stays in an open transaction until its first chunk commits (or 2 s pass, see
    // transactions.ts): a model whose rows do not match its columns is rolled back, leaving no trace.
    // The check for the same unfinished run is inside it: two runs started at once cannot both pass.
    beginNewRun(db);
    const unfinished = db
      .prepare(
        `SELECT id, status FROM runs WHERE model = ? AND input_fingerprint = ? AND params_json = ? AND seed = ? AND shard_index IS ? AND shard_count IS ? AND status != 'done' ORDER BY id DESC LIMIT 1`,
      )
      .get(model.name, scan.fingerprint, paramsJson, o.seed, o.shard?.index ?? null, o.shard?.count ?? null) as
      { id: number; status: string } | undefined;
    if (unfinished) {
      throw usageError(
        `${o.db} already holds run ${unfinished.id} (${unfinished.status}) of ${model.name} over the same input and params; finish it with: simrun resume --db ${o.db} --run ${unfinished.id}`,
      );
    }
    const id = (() => {
      ensureResultsTable(db, model.name, modelColumns(model));
      ensureModelViews(db, model.name, model.views);
      return createRun(db, {
        model: model.name,
        model_ref: modelRef,
        model_version: model.version,
        model_fingerprint: fingerprint.hash,
        model_files_json: JSON.stringify(fingerprint.files),
        heartbeat_at: Date.now(),
        input: spec.uri,
        input_fingerprint: scan.fingerprint,
        params_json: paramsJson,
        param_overrides_json: canonicalJson(params.overrides),
        seed: o.seed,
        chunk_size: String(o.chunkSize),
        status: 'running',
        total: block ? block[1] - block[0] + 1 : scan.total,
        input_total: scan.total,
        shard_index: o.shard?.index ?? null,
        shard_count: o.shard?.count ?? null,
        created_at: new Date().toISOString(),
        simrun_version: SIMRUN_VERSION,
        host: os.hostname(),
        pid: process.pid,
        workers: o.workers,
        out_dir: o.outDir ? path.resolve(o.outDir) : null,
      });
    })();
    run = getRun(db, id)!;
    mark('run: store opened, run created');
  } catch (err) {
    endNewRun(db, false);
    db.close();
    if (isNew) removeDbFiles(o.db);
    throw err;
  }
  const plan = { db, dbFile: o.db, run, model, fingerprint: fingerprint.hash, params: params.effective, spec, scan, log };
  return firstSession(db, o.db, isNew, () => new RunSession({ ...plan, options: { ...o, outDir: run.out_dir } }).run());
}

/**
 * The first session of a new run (or sweep), whose creation is still an open transaction
 * (beginNewRun): still uncommitted when it fails means no chunk was ever written, so a model bug
 * found on the first chunk (rows vs columns) leaves the database as it was (a new file removed);
 * other failures keep the run, marked failed. Closes the store either way.
 */
export async function firstSession(db: DB, dbFile: string, isNew: boolean, session: () => Promise<number>): Promise<number> {
  let discarded = false;
  try {
    return await session();
  } catch (err) {
    discarded = newRunPending(db) && err instanceof ModelError;
    throw discarded ? err : keptRunFailure(err);
  } finally {
    endNewRun(db, !discarded);
    closeStore(db);
    if (discarded && isNew) removeDbFiles(dbFile);
  }
}

function pickRun(db: DB, file: string, runId: number | null, retryErrors: boolean): RunRecord {
  if (runId !== null) {
    const run = getRun(db, runId);
    if (!run) throw usageError(`${file} has no run ${runId}; see: simrun status --db ${file}`);
    return run;
  }
  const where = retryErrors ? `status != 'done' OR errors > 0` : `status != 'done'`;
  const run = (db.prepare(`SELECT * FROM runs WHERE ${where} ORDER BY id DESC LIMIT 1`).get() ??
    db.prepare(`SELECT * FROM runs ORDER BY id DESC LIMIT 1`).get()) as RunRecord | undefined;
  if (!run) throw usageError(`${file} has no runs to resume; start one with simrun run`);
  return run;
}

export async function resumeRun(o: ResumeOptions): Promise<number> {
  const db = openStore(o.db, { readonly: false, mustExist: true });
  try {
    const run = pickRun(db, o.db, o.runId, o.retryErrors);
    // A variant of a sweep resumes with its whole sweep: they commit together (sweep/resume.ts).
    const sweepId = sweepOfRun(db, run.id);
    if (sweepId !== null) return await resumeSweep(db, sweepId, o);
    if (run.status === 'done' && !(o.retryErrors && run.errors > 0)) {
      if (!o.quiet) process.stderr.write(`run ${run.id} is already done${o.retryErrors ? ' with no errors' : ''}; nothing to resume\n`);
      return 0;
    }
    const outDir = o.outDir ?? run.out_dir;
    prepareOutDir(outDir);
    // A run another live process holds is refused at once, before any work; the claim itself
    // is taken atomically (one write transaction that checks again) after the read-only
    // checks below, so a resume they refuse leaves the database byte for byte as it was, and
    // of two resumes started together only the first to claim goes on.
    const owner = liveOwner(run, os.hostname());
    if (owner) throw dbError(`run ${run.id} is being run by ${owner}; wait for it to finish or stop it first`);
    return await checkedResume(db, run, o, outDir);
  } finally {
    closeStore(db);
  }
}

/** What changed since a run started (model version, code, params), and its params now. */
export function resumeChanges(run: RunRecord, model: Model, fingerprint: ModelFingerprint): { params: ResolvedParams; changes: string[] } {
  const params = resolveParams(model, JSON.parse(run.param_overrides_json), []);
  const changes: string[] = [];
  if (model.version !== run.model_version)
    changes.push(`model ${run.model} is now version ${model.version}, the run used ${run.model_version}`);
  if (run.model_fingerprint !== null && fingerprint.hash !== run.model_fingerprint) {
    const files = changedFiles(JSON.parse(run.model_files_json ?? '{}') as Record<string, string>, fingerprint.files);
    changes.push(`the code of model ${run.model} changed since the run started (${files.join(', ') || 'its files'})`);
  }
  if (canonicalJson(params.effective) !== run.params_json) changes.push(`the params of model ${run.model} changed since the run started`);
  return { params, changes };
}

/** The input of a run to resume, scanned again: refused when its content changed. */
export async function rescanInput(run: RunRecord): Promise<{ spec: InputSpec; scan: ScanResult }> {
  const spec = parseInputSpec(run.input);
  const scan = await scanInput(spec);
  if (scan.fingerprint !== run.input_fingerprint)
    throw usageError(
      `cannot resume run ${run.id}: input ${run.input} changed since the run started (content fingerprint differs); start a new run instead`,
    );
  return { spec, scan };
}

/** Records an accepted change (--allow-model-change) and the code the run now goes on with. */
export function recordResumeChanges(
  db: DB,
  run: RunRecord,
  changes: string[],
  model: Model,
  fingerprint: ModelFingerprint,
  paramsJson: string,
): void {
  if (changes.length)
    addRunNote(
      db,
      run.id,
      `resume --allow-model-change: ${changes.join('; ')} (was version ${run.model_version}, code ${run.model_fingerprint}, params ${run.params_json})`,
    );
  if (changes.length || run.model_fingerprint === null) {
    db.prepare(`UPDATE runs SET model_version = ?, params_json = ?, model_fingerprint = ?, model_files_json = ? WHERE id = ?`).run(
      model.version,
      paramsJson,
      fingerprint.hash,
      JSON.stringify(fingerprint.files),
      run.id,
    );
  }
}

/** The checks a resume must pass (model code, columns, params, input), the claim, then the session. */
async function checkedResume(db: DB, run: RunRecord, o: ResumeOptions, outDir: string | null): Promise<number> {
  const refuse = (what: string) =>
    usageError(`cannot resume run ${run.id}: ${what}; start a new run, or pass --allow-model-change if that is intended`);
  const { model, fingerprint } = await loadFingerprintedModel(run.model_ref);
  const mismatch = resultsTableMismatch(db, run.model, modelColumns(model));
  if (mismatch) throw usageError(`cannot resume run ${run.id}: ${mismatch}; start a new run in another --db`);
  const { params, changes } = resumeChanges(run, model, fingerprint);
  const paramsJson = canonicalJson(params.effective);
  if (changes.length && !o.allowModelChange) throw refuse(changes.join('; '));
  const { spec, scan } = await rescanInput(run);
  checkRunTargets({ ...o, outDir }, spec, scan);
  const log = createLogger(o.logFile, o.logLevel, { role: 'primary' });
  flushPhases(log);
  claimRun(db, run.id, os.hostname());
  useWal(db);
  recordResumeChanges(db, run, changes, model, fingerprint, paramsJson);
  if (o.retryErrors) addRunNote(db, run.id, `resume --retry-errors: retrying ${run.errors} item(s) in errors`);
  const plan = {
    db,
    dbFile: o.db,
    run: getRun(db, run.id)!,
    model,
    fingerprint: fingerprint.hash,
    params: params.effective,
    spec,
    scan,
    log,
  };
  return new RunSession({ ...plan, options: { ...o, outDir } }).run().catch((err: unknown) => {
    throw keptRunFailure(err);
  });
}
