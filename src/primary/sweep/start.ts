/**
 * `simrun sweep`: the variants are checked (sweep/resolve.ts), then one transaction creates the
 * sweep record and one run per variant, and one RunSession runs them all in one pass over the
 * input: each worker parses an item once and runs every variant on it, and a chunk's rows of
 * every variant commit in one transaction (run/transactions.ts).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Model } from '../../api/model.js';
import { usageError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { SIMRUN_VERSION } from '../../version.js';
import { loadFingerprintedModel, modelColumns, resolveModelRef } from '../../worker/model-loader.js';
import type { ModelFingerprint } from '../../worker/model-fingerprint.js';
import { scanInput, type ScanResult } from '../input/source.js';
import { parseInputSpec, type InputSpec } from '../input/sources.js';
import { canonicalJson } from '../run/params.js';
import { firstSession, prepareOutDir, removeDbFiles } from '../run/run.js';
import { checkRunTargets } from '../run/run-targets.js';
import { RunSession, type SessionOptions } from '../run/session.js';
import { formatShard, shardBlock, type Shard } from '../run/shard.js';
import { beginNewRun, endNewRun } from '../run/transactions.js';
import { ensureModelViews } from '../store/model-views.js';
import { createRun, ensureResultsTable, getRun, openStore, type DB, type RunRecord } from '../store/store.js';
import { resolveSweep, type ResolvedSweep } from './resolve.js';
import { createSweep, linkRun, sweepVariants } from './sweep-store.js';
import { planSweep, type SweepRequest } from './variants.js';

export interface SweepOptions extends SessionOptions {
  model: string;
  input: string;
  db: string;
  request: SweepRequest;
  shard: Shard | null;
  /** Run a sweep over the size limits (variants, disk). */
  yes: boolean;
}

/** A sweep checked and ready to run: nothing written yet. */
export interface PreparedSweep extends ResolvedSweep {
  o: SweepOptions;
  modelRef: string;
  model: Model;
  fingerprint: ModelFingerprint;
  spec: InputSpec;
  scan: ScanResult;
  block: [number, number] | null;
  /** Items each variant runs (a shard's block, or the whole input). */
  items: number;
}

/** Loads the model, plans and checks every variant and scans the input; writes nothing. */
export async function prepareSweep(o: SweepOptions): Promise<PreparedSweep> {
  const modelRef = resolveModelRef(o.model);
  const { model, fingerprint } = await loadFingerprintedModel(modelRef);
  const planned = planSweep(o.request);
  const spec = parseInputSpec(o.input);
  const scan = await scanInput(spec);
  if (o.shard && o.shard.count > scan.total) {
    throw usageError(`--shard ${formatShard(o.shard)}: the input has only ${scan.total} item(s), fewer than ${o.shard.count} shards`);
  }
  const block = o.shard ? shardBlock(o.shard, scan.total) : null;
  const items = block ? block[1] - block[0] + 1 : scan.total;
  const resolved = resolveSweep(model, planned, { items, db: o.db, yes: o.yes, seed: o.request.seed });
  return { ...resolved, o, modelRef, model, fingerprint, spec, scan, block, items };
}

/** The variants' (params, seed) as one text: two sweeps with the same text run the same runs. */
const variantsKey = (pairs: [string, number][]) => JSON.stringify(pairs);

/** Refuses a second sweep of the same variants over the same input while the first is unfinished. */
function refuseUnfinished(db: DB, p: PreparedSweep, key: string): void {
  const candidates = db
    .prepare(
      `SELECT DISTINCT v.sweep_id FROM sweep_runs v JOIN runs r ON r.id = v.run_id JOIN sweeps s ON s.id = v.sweep_id ` +
        `WHERE s.model = ? AND s.variants = ? AND r.input_fingerprint = ? AND r.shard_index IS ? AND r.shard_count IS ? AND r.status != 'done'`,
    )
    .pluck()
    .all(p.model.name, p.plan.variants.length, p.scan.fingerprint, p.o.shard?.index ?? null, p.o.shard?.count ?? null) as number[];
  for (const id of candidates) {
    const runs = sweepVariants(db, id).map((v) => v.run);
    if (variantsKey(runs.map((r) => [r.params_json, r.seed])) === key)
      throw usageError(
        `${p.o.db} already holds sweep ${id} (runs ${runs[0]!.id}-${runs.at(-1)!.id}, unfinished) of the same variants over the same input; ` +
          `finish it with: simrun resume --db ${p.o.db} --run ${runs[0]!.id}`,
      );
  }
}

/** Creates the sweep and its runs (in the new-run transaction); returns the runs in variant order. */
function createSweepRuns(db: DB, p: PreparedSweep): { sweepId: number; runs: RunRecord[] } {
  const { o, plan, params, model, fingerprint, spec, scan } = p;
  const effective = params.map((r) => canonicalJson(r.effective));
  refuseUnfinished(db, p, variantsKey(plan.variants.map((v, k) => [effective[k]!, v.seed])));
  ensureResultsTable(db, model.name, modelColumns(model));
  ensureModelViews(db, model.name, model.views);
  const now = new Date().toISOString();
  const sweepId = createSweep(db, {
    model: model.name,
    kind: plan.kind,
    spec_json: canonicalJson(plan.spec),
    baseline_json: canonicalJson(plan.baseline),
    base_ord: plan.baseOrd,
    variants: plan.variants.length,
    created_at: now,
  });
  const runs = plan.variants.map((v, k) => {
    const id = createRun(db, {
      model: model.name,
      model_ref: p.modelRef,
      model_version: model.version,
      model_fingerprint: fingerprint.hash,
      model_files_json: JSON.stringify(fingerprint.files),
      heartbeat_at: Date.now(),
      input: spec.uri,
      input_fingerprint: scan.fingerprint,
      params_json: effective[k]!,
      param_overrides_json: canonicalJson(params[k]!.overrides),
      seed: v.seed,
      chunk_size: String(o.chunkSize),
      status: 'running',
      total: p.items,
      input_total: scan.total,
      shard_index: o.shard?.index ?? null,
      shard_count: o.shard?.count ?? null,
      created_at: now,
      simrun_version: SIMRUN_VERSION,
      host: os.hostname(),
      pid: process.pid,
      workers: o.workers,
      out_dir: o.outDir ? path.resolve(o.outDir) : null,
    });
    linkRun(db, sweepId, k, id, v.label, canonicalJson(v.changes));
    return getRun(db, id)!;
  });
  return { sweepId, runs };
}

export const sweepName = (id: number, runs: { id: number }[]) => `sweep ${id} (runs ${runs[0]!.id}-${runs.at(-1)!.id})`;

/** Writes the sweep and runs it; the exit code as `run` has it. */
export async function runSweep(p: PreparedSweep): Promise<number> {
  const { o, model, spec, scan } = p;
  checkRunTargets(o, spec, scan);
  prepareOutDir(o.outDir);
  const log = createLogger(o.logFile, o.logLevel, { role: 'primary' });
  const isNew = !existsSync(o.db);
  const db = openStore(o.db, { readonly: false });
  let created: { sweepId: number; runs: RunRecord[] };
  try {
    // As startRun: held open until the first chunk commits, so a model bug on it leaves no trace.
    beginNewRun(db);
    created = createSweepRuns(db, p);
  } catch (err) {
    endNewRun(db, false);
    db.close();
    if (isNew) removeDbFiles(o.db);
    throw err;
  }
  const { sweepId, runs } = created;
  log.info({ sweep: sweepId, kind: p.plan.kind, variants: runs.length, runs: runs.map((r) => r.id) }, 'sweep created');
  return firstSession(db, o.db, isNew, () =>
    new RunSession({
      db,
      dbFile: o.db,
      run: runs[0]!,
      model,
      fingerprint: p.fingerprint.hash,
      params: p.params[0]!.effective,
      spec,
      scan,
      log,
      options: { ...o, outDir: runs[0]!.out_dir },
      variants: runs.slice(1).map((run, k) => ({ run, params: p.params[k + 1]!.effective })),
      name: sweepName(sweepId, runs),
    }).run(),
  );
}
