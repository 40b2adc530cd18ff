/**
 * Shards: `--shard i/N` (0-based, like SLURM_ARRAY_TASK_ID of `--array=0-N-1`) takes the i-th of
 * N contiguous blocks of the input's global indices. Block sizes differ by at most one item.
 *
 * Contiguous blocks rather than round-robin: a shard's chunks stay contiguous (the compact
 * wire format with implicit indices, one `chunks` range per chunk), a shard stops reading its
 * input after its block, and a shard covers exactly one index range, so merge can prove
 * coverage with a range check and name a missing shard by its indices. The cost: when item
 * cost drifts along the input, blocks are less even than round-robin would be.
 */
import { usageError } from '../../errors.js';
import type { Interval } from './intervals.js';

export interface Shard {
  index: number;
  count: number;
}

const MAX_SHARDS = 100_000;

function whole(raw: string | undefined): number | null {
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : null;
}

/** Parses `--shard i/N` (0 <= i < N) or `--shard slurm` (from the job array's environment). */
export function parseShard(raw: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (raw === 'slurm') return slurmShard(env);
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const bad = (why: string) => usageError(`bad --shard '${raw}': ${why}`);
  if (!m) throw bad(`use i/N with 0 <= i < N (0-based, e.g. 0/4 ... 3/4), or 'slurm'`);
  const index = Number(m[1]),
    count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw bad(`the shard count N must be between 1 and ${MAX_SHARDS}`);
  if (index >= count) throw bad(`shard indices are 0-based: i must be 0..${count - 1}`);
  return { index, count };
}

function slurmShard(env: NodeJS.ProcessEnv): Shard {
  const id = whole(env.SLURM_ARRAY_TASK_ID),
    count = whole(env.SLURM_ARRAY_TASK_COUNT);
  const min = whole(env.SLURM_ARRAY_TASK_MIN) ?? 0,
    max = whole(env.SLURM_ARRAY_TASK_MAX);
  if (id === null || count === null) {
    throw usageError(
      `--shard slurm needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT: run it in an sbatch --array=0-<N-1> job, or give --shard i/N`,
    );
  }
  if (max !== null && max - min + 1 !== count) {
    throw usageError(
      `--shard slurm needs a contiguous job array (--array=0-${count - 1}); this one has ${count} tasks from ${min} to ${max}`,
    );
  }
  if (count === 1 && min > 0) {
    throw usageError(
      `--shard slurm: a one-task array (--array=${min}) looks like a re-run of one shard, which Slurm numbers 0 of 1; give --shard ${min}/N instead`,
    );
  }
  if (id < min || id - min >= count)
    throw usageError(`--shard slurm: SLURM_ARRAY_TASK_ID ${id} is outside the array ${min}-${min + count - 1}`);
  return { index: id - min, count };
}

/** The shard's block [lo, hi] of indices 0..total-1 (sizes differ by at most one). */
export function shardBlock(shard: Shard, total: number): Interval {
  const q = Math.floor(total / shard.count),
    r = total % shard.count;
  const lo = shard.index * q + Math.min(shard.index, r);
  return [lo, lo + q + (shard.index < r ? 1 : 0) - 1];
}

export const formatShard = (s: Shard) => `${s.index}/${s.count}`;

/** The shard a run record belongs to, or null for an unsharded (or merged) run. */
export function runShard(run: { shard_index?: number | null; shard_count?: number | null }): Shard | null {
  return run.shard_index == null || run.shard_count == null ? null : { index: run.shard_index, count: run.shard_count };
}

/** The index range [lo, hi] a run covers: its shard's block, or the whole input. */
export function runBounds(run: {
  total: number;
  shard_index?: number | null;
  shard_count?: number | null;
  input_total?: number | null;
}): Interval {
  const shard = runShard(run);
  if (!shard || run.input_total == null) return [0, run.total - 1];
  return shardBlock(shard, run.input_total);
}
