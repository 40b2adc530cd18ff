/**
 * `simrun merge --into all.db shard-*.db`: after merge-check.ts has proved the shards belong
 * together, copies each into one run of the target database, one transaction per shard
 * (ATTACH). The target keeps one `shards` row per shard (provenance). Idempotent and
 * resumable: a shard already merged with the same rows is skipped; a shard whose database
 * changed since (e.g. resumed further) replaces its own block, and nothing else.
 */
import os from 'node:os';
import { EXIT, usageError } from '../../errors.js';
import { SIMRUN_VERSION } from '../../version.js';
import { checkShardSet, codeDifference, describeMissing, missingCount, missingRanges, readShard, type ShardInfo } from './merge-check.js';
import { formatShard } from '../run/shard.js';
import {
  addRunNote,
  createRun,
  ensureResultsTable,
  getRun,
  openStore,
  quoteIdent,
  setRunStatus,
  type DB,
  type ShardRecord,
} from './store.js';
import { closeStore, useWal } from './journal.js';
import { ensureModelViews } from './model-views.js';
import { checkRowCount } from './row-count.js';
import { loadModel } from '../../worker/model-loader.js';
import { holdsSweep, mergeSweepShards } from '../sweep/merge.js';
import { copyShardTrace } from '../trace/merge-trace.js';

export interface MergeOptions {
  into: string;
  shards: string[];
  allowPartial: boolean;
  /** Accept shards whose model code fingerprints differ or are missing (recorded in runs.notes). */
  allowModelChange?: boolean;
  quiet: boolean;
}

function say(quiet: boolean, line: string): void {
  if (!quiet) process.stderr.write(`${line}\n`);
}

/** The run in `db` that earlier merges of this shard set went into, if any. */
function findMergedRun(db: DB, ref: ShardInfo): number | null {
  const r = ref.run;
  const id = db
    .prepare(
      `SELECT id FROM runs WHERE model = ? AND model_version = ? AND input_fingerprint = ? AND params_json = ? AND seed = ? ` +
        `AND shard_index IS NULL AND id IN (SELECT run_id FROM shards WHERE shard_count = ?) ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get(r.model, r.model_version, r.input_fingerprint, r.params_json, r.seed, r.shard_count) as number | undefined;
  return id ?? null;
}

export function createMergedRun(db: DB, shards: ShardInfo[]): number {
  const r = shards[0]!.run;
  return createRun(db, {
    model: r.model,
    model_ref: r.model_ref,
    model_version: r.model_version,
    model_fingerprint: r.model_fingerprint,
    model_files_json: r.model_files_json,
    heartbeat_at: null,
    input: r.input,
    input_fingerprint: r.input_fingerprint,
    params_json: r.params_json,
    param_overrides_json: r.param_overrides_json,
    seed: r.seed,
    chunk_size: r.chunk_size,
    status: 'interrupted',
    total: r.input_total!,
    created_at: shards.map((s) => s.run.created_at).sort()[0]!,
    simrun_version: SIMRUN_VERSION,
    host: os.hostname(),
    pid: process.pid,
    workers: 0,
    out_dir: null,
    shard_index: null,
    shard_count: null,
    input_total: r.input_total!,
  });
}

const sameSource = (a: ShardRecord, s: ShardInfo) =>
  a.source_run_id === s.run.id && a.created_at === s.run.created_at && a.host === s.run.host;
const unchanged = (a: ShardRecord, s: ShardInfo) =>
  sameSource(a, s) && a.done === s.rows && a.errors === s.errors && a.status === s.run.status;

/** Copies one shard into run `runId` (created in the same transaction when null). */
function mergeShard(db: DB, runId: number | null, s: ShardInfo, all: ShardInfo[]): number {
  const t = quoteIdent(s.run.model);
  const cols = ['idx', ...s.columns.map(([n]) => n)].map(quoteIdent).join(', ');
  const [lo, hi] = s.block;
  db.prepare(`ATTACH DATABASE ? AS shard`).run(s.path);
  try {
    return db.transaction(() => {
      const id = runId ?? createMergedRun(db, all);
      // Replace this shard's block only: a re-merge of a shard that moved on stays exact.
      db.prepare(`DELETE FROM main.${t} WHERE run_id = ? AND idx BETWEEN ? AND ?`).run(id, lo, hi);
      db.prepare(`DELETE FROM main.errors WHERE run_id = ? AND idx BETWEEN ? AND ?`).run(id, lo, hi);
      db.prepare(`DELETE FROM main.chunks WHERE run_id = ? AND lo >= ? AND hi <= ?`).run(id, lo, hi);
      const copied = db
        .prepare(`INSERT INTO main.${t} (run_id, ${cols}) SELECT ?, ${cols} FROM shard.${t} WHERE run_id = ? ORDER BY idx`)
        .run(id, s.run.id).changes;
      checkRowCount(s.file, s.run, copied, 'this shard was not merged');
      db.prepare(
        `INSERT INTO main.errors (run_id, idx, attempts, kind, name, message, stack, code, at) ` +
          `SELECT ?, idx, attempts, kind, name, message, stack, code, at FROM shard.errors WHERE run_id = ?`,
      ).run(id, s.run.id);
      copyShardTrace(db, id, s.run.id, s.shard.index);
      const now = new Date().toISOString();
      const addRange = db.prepare(`INSERT INTO main.chunks (run_id, lo, hi, at) VALUES (?, ?, ?, ?)`);
      for (const [a, b] of s.covered) addRange.run(id, a, b, now);
      db.prepare(
        `INSERT OR REPLACE INTO main.shards (run_id, shard_index, shard_count, lo, hi, source_db, source_run_id, status, total, done, errors, ` +
          `active_ms, host, workers, simrun_version, created_at, finished_at, merged_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ).run(
        id,
        s.shard.index,
        s.shard.count,
        lo,
        hi,
        s.path,
        s.run.id,
        s.run.status,
        s.run.total,
        s.rows,
        s.errors,
        s.run.active_ms,
        s.run.host,
        s.run.workers,
        s.run.simrun_version,
        s.run.created_at,
        s.run.finished_at,
        now,
      );
      // Shards ran side by side: the merged run's active time is the longest shard's.
      db.prepare(
        `UPDATE runs SET (done, errors, active_ms, workers) = (SELECT sum(done), sum(errors), max(active_ms), sum(workers) FROM shards WHERE run_id = @id), ` +
          `updated_at = @now WHERE id = @id`,
      ).run({ id, now });
      return id;
    })();
  } finally {
    db.prepare(`DETACH DATABASE shard`).run();
  }
}

/** The shards of one run, sorted and checked: of one run, none twice, none missing unless --allow-partial. */
export function checkedShardSet(shards: ShardInfo[], o: MergeOptions): ShardInfo[] {
  const sorted = [...shards].sort((a, b) => a.shard.index - b.shard.index);
  checkShardSet(sorted, o.into, o.allowModelChange);
  const ref = sorted[0]!;
  const missing = missingRanges(sorted);
  const total = ref.run.input_total!;
  if (missing.length && !o.allowPartial) {
    throw usageError(
      `cannot merge: ${missingCount(missing)} of ${total} indices are missing:\n${describeMissing(missing)}\n` +
        `merge what is there with --allow-partial, and merge again once the missing shards are done`,
    );
  }
  return sorted;
}

/** The shards already merged into run `runId` (none when it is null). */
function mergedShards(db: DB, runId: number | null): Map<number, ShardRecord> {
  const merged = new Map<number, ShardRecord>();
  if (runId === null) return merged;
  for (const r of db.prepare(`SELECT * FROM shards WHERE run_id = ?`).all(runId) as ShardRecord[]) merged.set(r.shard_index, r);
  return merged;
}

/** Refuses, before anything is written, a shard already merged into `runId` from another run of that shard. */
export function refuseForeignShards(db: DB, runId: number | null, shards: ShardInfo[], into: string): void {
  const merged = mergedShards(db, runId);
  for (const s of shards) {
    const had = merged.get(s.shard.index);
    if (had && !sameSource(had, s)) {
      throw usageError(
        `${into} run ${runId} already holds shard ${formatShard(s.shard)} from ${had.source_db} (run ${had.source_run_id} started ${had.created_at} on ${had.host}); ` +
          `${s.file} is another run of that shard; merge into a new --into`,
      );
    }
  }
}

/** Copies the shards (one transaction each, unchanged ones skipped) into run `runId`, created when null; its id. */
export function copyShards(db: DB, runId: number | null, shards: ShardInfo[], o: MergeOptions): number {
  const merged = mergedShards(db, runId);
  for (const s of shards) {
    const had = merged.get(s.shard.index);
    if (had && unchanged(had, s)) {
      say(o.quiet, `shard ${formatShard(s.shard)} (${s.file}): already merged, unchanged`);
      continue;
    }
    const t0 = Date.now();
    runId = mergeShard(db, runId, s, shards);
    say(
      o.quiet,
      `shard ${formatShard(s.shard)} (${s.file}): ${s.rows} rows, ${s.errors} errors merged in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const ref = shards[0]!;
  const changes = shards.map((s) => codeDifference(s, ref)).filter((c) => c !== null);
  const note = `merge --allow-model-change: ${changes.join('; ')}`;
  if (changes.length && !getRun(db, runId!)!.notes?.includes(note)) addRunNote(db, runId!, note);
  return runId!;
}

export async function mergeShards(o: MergeOptions): Promise<number> {
  if (!o.shards.length) throw usageError('give the shard databases to merge, e.g. simrun merge --into all.db shard-*.db');
  // The shards of a sweep hold one shard run per variant: merged variant by variant (sweep/merge.ts).
  if (holdsSweep(o.shards[0]!)) return mergeSweepShards(o);
  const shards = checkedShardSet(
    o.shards.map((f) => readShard(f)),
    o,
  );
  const ref = shards[0]!;
  const db = openStore(o.into, { readonly: false });
  try {
    useWal(db);
    ensureResultsTable(db, ref.run.model, ref.columns);
    const prior = findMergedRun(db, ref);
    refuseForeignShards(db, prior, shards, o.into);
    await createViews(db, ref, o.quiet);
    return finish(db, copyShards(db, prior, shards, o), ref, o);
  } finally {
    closeStore(db);
  }
}

/**
 * The views the model declares, as `run` creates them (model-views.ts): the model is loaded
 * from where the shards loaded it; one that cannot be loaded any more costs only its views.
 */
export async function createViews(db: DB, ref: ShardInfo, quiet: boolean): Promise<void> {
  let views: Record<string, string> | undefined;
  try {
    views = (await loadModel(ref.run.model_ref)).views;
  } catch (err) {
    say(
      quiet,
      `simrun: note: model ${ref.run.model} (${ref.run.model_ref}) cannot be loaded (${(err as Error).message}); its views are not created`,
    );
    return;
  }
  ensureModelViews(db, ref.run.model, views);
}

/** Sets the merged run's status from every shard merged so far (also from earlier merges). */
export function finish(db: DB, runId: number, ref: ShardInfo, o: MergeOptions): number {
  const recs = db.prepare(`SELECT * FROM shards WHERE run_id = ?`).all(runId) as ShardRecord[];
  const count = ref.run.shard_count!;
  const total = ref.run.input_total!;
  const present = recs.reduce((n, r) => n + r.done + r.errors, 0);
  const complete = recs.length === count && present === total && recs.every((r) => r.status === 'done');
  const { done, errors } = db.prepare(`SELECT done, errors FROM runs WHERE id = ?`).get(runId) as { done: number; errors: number };
  if (complete) {
    setRunStatus(db, runId, 'done', { message: null });
    const line = `run ${runId} in ${o.into}: ${count} shards merged, ${done + errors}/${total} items`;
    if (errors) {
      say(
        o.quiet,
        `${line}, ${errors} item error(s); see: simrun query --db ${o.into} "SELECT idx, kind, name, message FROM errors WHERE run_id = ${runId}"`,
      );
      return EXIT.itemErrors;
    }
    say(o.quiet, line);
    return EXIT.done;
  }
  const message = `partial merge: ${recs.length} of ${count} shards, ${present} of ${total} items; merge again with the missing shards`;
  setRunStatus(db, runId, 'interrupted', { message });
  say(o.quiet, `run ${runId} in ${o.into}: ${message}`);
  return EXIT.done;
}
