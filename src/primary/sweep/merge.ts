/**
 * `simrun merge` of the shards of a sweep (`simrun sweep --shard i/N`): every shard database
 * holds one sweep with one shard run per variant. The shards must be pieces of one sweep (same
 * kind, spec, baseline and variants); each variant's shard runs are then checked and merged as
 * any run's (store/merge.ts), into one sweep of the target with one run per variant.
 */
import { usageError } from '../../errors.js';
import { closeStore, useWal } from '../store/journal.js';
import { readShard, type ShardInfo } from '../store/merge-check.js';
import {
  checkedShardSet,
  copyShards,
  createMergedRun,
  createViews,
  finish,
  refuseForeignShards,
  type MergeOptions,
} from '../store/merge.js';
import { ensureResultsTable, openStore, type DB } from '../store/store.js';
import { createSweep, linkRun, listSweeps, sweepVariants, type SweepRecord, type SweepVariant } from './sweep-store.js';

interface SweepShard {
  file: string;
  sweep: SweepRecord;
  variants: SweepVariant[];
}

/** True when the database holds a sweep (then it is merged as the shard of a sweep). */
export function holdsSweep(file: string): boolean {
  const db = openStore(file, { readonly: true });
  try {
    return listSweeps(db).length > 0;
  } finally {
    db.close();
  }
}

function readSweepShard(file: string): SweepShard {
  const db = openStore(file, { readonly: true });
  try {
    const sweeps = listSweeps(db);
    if (sweeps.length !== 1)
      throw usageError(`${file} holds ${sweeps.length} sweeps; merge takes the shard databases of one sweep (simrun sweep --shard i/N)`);
    const sweep = sweeps[0]!;
    const variants = sweepVariants(db, sweep.id);
    if (variants.some((v) => v.run.shard_index === null))
      throw usageError(`${file}: sweep ${sweep.id} is not sharded (made without --shard i/N); there is nothing to merge`);
    return { file, sweep, variants };
  } finally {
    db.close();
  }
}

/**
 * What makes shards pieces of one sweep: kind, baseline and variants (labels and changes; each
 * variant's params and seed are checked as a run's). Not the spec: it holds the reform files'
 * absolute paths, which differ between machines that ran the same files.
 */
const sweepKey = (s: Pick<SweepRecord, 'kind' | 'baseline_json'>, variants: Pick<SweepVariant, 'label' | 'changes_json'>[]) =>
  JSON.stringify([s.kind, s.baseline_json, variants.map((v) => [v.label, v.changes_json])]);

/** Refuses shards that are not pieces of one sweep. */
function checkSameSweep(shards: SweepShard[]): void {
  const ref = shards[0]!;
  for (const s of shards.slice(1)) {
    if (sweepKey(s.sweep, s.variants) !== sweepKey(ref.sweep, ref.variants))
      throw usageError(`${s.file} is not a shard of the same sweep as ${ref.file}: the kind, baseline or variants differ`);
  }
}

/** The runs (by variant) of the target's sweep that earlier merges of these shards went into, if any. */
function findMergedSweep(db: DB, ref: SweepShard, sets: ShardInfo[][]): number[] | null {
  for (const s of listSweeps(db)) {
    const variants = sweepVariants(db, s.id);
    if (sweepKey(s, variants) !== sweepKey(ref.sweep, ref.variants)) continue;
    const runs = variants.map((v) => v.run);
    const same = runs.every((r, k) => {
      const shard = sets[k]![0]!.run;
      return (
        r.shard_index === null &&
        r.params_json === shard.params_json &&
        r.seed === shard.seed &&
        r.input_fingerprint === shard.input_fingerprint
      );
    });
    if (same && runs.length === sets.length) return runs.map((r) => r.id);
  }
  return null;
}

/** The target's sweep and its runs (one per variant), in one transaction. */
function createMergedSweep(db: DB, ref: SweepShard, sets: ShardInfo[][]): number[] {
  return db.transaction(() => {
    const { id: _, ...sweep } = ref.sweep;
    const sweepId = createSweep(db, sweep);
    return sets.map((set, k) => {
      const runId = createMergedRun(db, set);
      linkRun(db, sweepId, k, runId, ref.variants[k]!.label, ref.variants[k]!.changes_json);
      return runId;
    });
  })();
}

export async function mergeSweepShards(o: MergeOptions): Promise<number> {
  const shards = o.shards.map(readSweepShard);
  checkSameSweep(shards);
  const ref = shards[0]!;
  const sets = ref.variants.map((_, k) =>
    checkedShardSet(
      shards.map((s) => readShard(s.file, s.variants[k]!.run.id)),
      o,
    ),
  );
  const first = sets[0]![0]!;
  const db = openStore(o.into, { readonly: false });
  try {
    useWal(db);
    ensureResultsTable(db, first.run.model, first.columns);
    const prior = findMergedSweep(db, ref, sets);
    sets.forEach((set, k) => refuseForeignShards(db, prior?.[k] ?? null, set, o.into));
    await createViews(db, first, o.quiet);
    const runIds = prior ?? createMergedSweep(db, ref, sets);
    let code = 0;
    sets.forEach((set, k) => {
      copyShards(db, runIds[k]!, set, o);
      code = Math.max(code, finish(db, runIds[k]!, set[0]!, o));
    });
    return code;
  } finally {
    closeStore(db);
  }
}
