/**
 * The read-only half of `simrun merge`: reads each shard database and proves, from the rows
 * themselves, that the shards are pieces of one run (same model, version, input fingerprint,
 * params, seed and shard count), that no shard is given twice, and which indices are missing.
 * Nothing is written here; every refusal leaves all databases untouched.
 */
import path from 'node:path';
import { usageError } from '../../errors.js';
import type { ColumnType } from '../../api/model.js';
import { intervalCount, type Interval } from '../run/intervals.js';
import { formatShard, runShard, shardBlock, type Shard } from '../run/shard.js';
import { openStore, quoteIdent, type RunRecord } from './store.js';
import { checkRowCount } from './row-count.js';
import { databaseFiles, refuseOutputTarget } from '../../util/output-target.js';

export interface ShardInfo {
  /** As given on the command line, and resolved. */
  file: string;
  path: string;
  run: RunRecord;
  shard: Shard;
  block: Interval;
  columns: [string, ColumnType][];
  /** Indices of the block that have a result row or an error row. */
  covered: Interval[];
  rows: number;
  errors: number;
  /** Every index of the block is there and the run says done. */
  complete: boolean;
}

export interface MissingRange {
  lo: number;
  hi: number;
  why: string;
}

const fmtRange = ([lo, hi]: Interval) => (lo === hi ? `${lo}` : `${lo}-${hi}`);

/** Reads one shard database: its single sharded run (or run `runId`, a sweep's variant) and what its rows cover. */
export function readShard(file: string, runId?: number): ShardInfo {
  const db = openStore(file, { readonly: true });
  try {
    const hasShardCols = db.prepare(`SELECT 1 FROM pragma_table_info('runs') WHERE name = 'shard_index'`).get();
    const which = runId === undefined ? '' : ` AND id = ${Number(runId)}`;
    const runs = hasShardCols
      ? (db.prepare(`SELECT * FROM runs WHERE shard_index IS NOT NULL${which} ORDER BY id`).all() as RunRecord[])
      : [];
    if (!runs.length) throw usageError(`${file} holds no shard run (one made by simrun run --shard i/N)`);
    if (runs.length > 1)
      throw usageError(
        `${file} holds ${runs.length} shard runs (ids ${runs.map((r) => r.id).join(', ')}); merge takes one shard run per database`,
      );
    const run = runs[0]!;
    const shard = runShard(run)!;
    const block = shardBlock(shard, run.input_total!);
    if (run.total !== block[1] - block[0] + 1)
      throw usageError(
        `${file}: run ${run.id} has ${run.total} items, but shard ${formatShard(shard)} of ${run.input_total} has ${block[1] - block[0] + 1}; not a simrun shard database`,
      );
    const t = quoteIdent(run.model);
    const columns = (
      db.prepare(`SELECT name, lower(type) AS type FROM pragma_table_info(?)`).raw().all(run.model) as [string, ColumnType][]
    ).slice(2);
    if (!columns.length) throw usageError(`${file} has no results table ${run.model}`);
    const one = (sql: string) => db.prepare(sql).pluck().get(run.id, block[0], block[1]) as number;
    const rows = one(`SELECT count(*) FROM ${t} WHERE run_id = ? AND idx BETWEEN ? AND ?`);
    const errors = one(`SELECT count(*) FROM errors WHERE run_id = ? AND idx BETWEEN ? AND ?`);
    const all = db
      .prepare(`SELECT (SELECT count(*) FROM ${t} WHERE run_id = @id) + (SELECT count(*) FROM errors WHERE run_id = @id)`)
      .pluck()
      .get({ id: run.id }) as number;
    if (all !== rows + errors) {
      throw usageError(
        `${file}: run ${run.id} holds ${all - rows - errors} index(es) outside its shard ${formatShard(shard)} block ${fmtRange(block)}; not a simrun shard database`,
      );
    }
    // A damaged file can end a scan early without an error: the rows must add up to the run's count.
    checkRowCount(file, run, rows, 'nothing was merged');
    const both = one(
      `SELECT count(*) FROM errors e JOIN ${t} r ON r.run_id = e.run_id AND r.idx = e.idx WHERE e.run_id = ? AND e.idx BETWEEN ? AND ?`,
    );
    const size = block[1] - block[0] + 1;
    // Fast path: within the block, (run_id, idx) is unique, so count == size means all present.
    const covered: Interval[] =
      rows + errors - both === size
        ? [[block[0], block[1]]]
        : (db
            .prepare(
              `SELECT min(idx), max(idx) FROM (SELECT idx, idx - row_number() OVER (ORDER BY idx) AS g FROM ` +
                `(SELECT idx FROM ${t} WHERE run_id = @id UNION SELECT idx FROM errors WHERE run_id = @id)) GROUP BY g ORDER BY 1`,
            )
            .raw()
            .all({ id: run.id }) as Interval[]);
    const complete = run.status === 'done' && intervalCount(covered) === size;
    return { file, path: path.resolve(file), run, shard, block, columns, covered, rows, errors, complete };
  } finally {
    db.close();
  }
}

const SAME: [keyof RunRecord, string][] = [
  ['model', 'model'],
  ['model_version', 'model version'],
  ['input_fingerprint', 'input fingerprint (input content)'],
  ['input_total', 'input item count'],
  ['params_json', 'params'],
  ['seed', 'seed'],
  ['shard_count', 'shard count N'],
];

const short = (fingerprint: string) => `${fingerprint.slice(0, 19)}…`;

/**
 * Why two shards' model code fingerprints differ, or null when they agree. A shard of a release
 * before fingerprints has none: simrun cannot tell whether its code was the same.
 */
export function codeDifference(s: ShardInfo, ref: ShardInfo): string | null {
  const [a, b] = [s.run.model_fingerprint, ref.run.model_fingerprint];
  if (a === b) return null;
  if (a === null || b === null) {
    const [old, other] = a === null ? [s, ref] : [ref, s];
    return (
      `${old.file} was made by simrun ${old.run.simrun_version}, which recorded no fingerprint of the model's code, so simrun cannot tell ` +
      `whether it ran the same code of model ${s.run.model} as ${other.file} (${short(other.run.model_fingerprint!)})`
    );
  }
  return `${s.file} and ${ref.file} ran different code of model ${s.run.model} (fingerprints ${short(a)} vs ${short(b)})`;
}

/** Refuses shards of different runs, doubled shards, and an --into that is one of the shards. */
export function checkShardSet(shards: ShardInfo[], into: string, allowModelChange = false): void {
  const ref = shards[0]!;
  for (const s of shards.slice(1)) {
    const code = codeDifference(s, ref);
    if (code && !allowModelChange)
      throw usageError(
        `cannot merge: ${code}; if the shards ran the same model (or the change does not touch results), merge with --allow-model-change`,
      );
    for (const [key, what] of SAME) {
      if (s.run[key] !== ref.run[key]) {
        throw usageError(
          `${s.file} is not a shard of the same run as ${ref.file}: ${what} differs (${String(s.run[key])} vs ${String(ref.run[key])})`,
        );
      }
    }
    if (JSON.stringify(s.columns) !== JSON.stringify(ref.columns))
      throw usageError(`${s.file}: table ${s.run.model} has other columns than in ${ref.file}`);
  }
  const byIndex = new Map<number, ShardInfo>();
  for (const s of shards) {
    const prev = byIndex.get(s.shard.index);
    if (prev) {
      throw usageError(
        `shard ${formatShard(s.shard)} is given twice (${prev.file} and ${s.file}): indices ${fmtRange(s.block)} would be doubled; give each shard once`,
      );
    }
    byIndex.set(s.shard.index, s);
  }
  const guarded = shards.flatMap((s) => databaseFiles(s.file, `one of the shard databases (${s.file})`));
  refuseOutputTarget(into, '--into', guarded, { database: true, hint: 'merge into a new file' });
}

/** Index ranges the shards do not cover, each with the reason (absent shard, unfinished run). */
export function missingRanges(shards: ShardInfo[]): MissingRange[] {
  const { shard_count: count, input_total: total } = shards[0]!.run;
  const byIndex = new Map(shards.map((s) => [s.shard.index, s]));
  const out: MissingRange[] = [];
  for (let i = 0; i < count!; i++) {
    const s = byIndex.get(i);
    const label = `shard ${i}/${count}`;
    if (!s) {
      const [lo, hi] = shardBlock({ index: i, count: count! }, total!);
      out.push({ lo, hi, why: `${label}: no database given` });
      continue;
    }
    const finish = `finish it with: simrun resume --db ${s.file}`;
    let from = s.block[0];
    const gaps: Interval[] = [];
    for (const [lo, hi] of [...s.covered, [s.block[1] + 1, s.block[1] + 1] as Interval]) {
      if (lo > from) gaps.push([from, lo - 1]);
      from = hi + 1;
    }
    for (const [lo, hi] of gaps) out.push({ lo, hi, why: `${label}: run ${s.run.id} in ${s.file} is ${s.run.status}; ${finish}` });
    if (!gaps.length && s.run.status !== 'done')
      out.push({
        lo: s.block[0],
        hi: -1,
        why: `${label}: every index is there but run ${s.run.id} in ${s.file} is ${s.run.status}; ${finish}`,
      });
  }
  return out;
}

/** "indices 2500-4999 (shard 1/4: no database given)" lines, at most `max` of them. */
export function describeMissing(missing: MissingRange[], max = 20): string {
  const lines = missing.slice(0, max).map((m) => (m.hi < 0 ? `  ${m.why}` : `  indices ${fmtRange([m.lo, m.hi])} (${m.why})`));
  if (missing.length > max) lines.push(`  ... and ${missing.length - max} more range(s)`);
  return lines.join('\n');
}

export const missingCount = (missing: MissingRange[]) => missing.reduce((n, m) => n + (m.hi < 0 ? 0 : m.hi - m.lo + 1), 0);
