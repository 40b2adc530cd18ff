/** A run as `status` and the report show it: its record plus what follows from it (stale, rate, ETA). */
import os from 'node:os';
import { liveOwner } from './claims.js';
import type { RunRecord, ShardRecord } from './store.js';

export interface RunStatusView extends RunRecord {
  /** status as recorded, or 'stale' when it says running but its primary is gone. */
  state: string;
  finished_items: number;
  items_per_sec: number | null;
  elapsed_sec: number;
  eta_sec: number | null;
  /** For a merged run: the shards it was merged from (provenance). */
  shards?: ShardRecord[];
}

/** `status` shows an ETA once a run has worked this long (or done a quarter of its items). */
export const ETA_AFTER_ACTIVE_MS = 10_000;

export function viewRun(run: RunRecord): RunStatusView {
  const finished = run.done + run.errors;
  const rate = run.active_ms > 0 ? finished / (run.active_ms / 1000) : null;
  const stale = run.status === 'running' && !liveOwner(run, os.hostname());
  // An ETA only for a run that is going: a failed, interrupted, stale or done one will not finish by itself.
  const going = run.status === 'running' && !stale;
  // ...and once its rate is known: active_ms includes starting the workers and loading the model,
  // which made the first ETA wild; after 10 s of work (or a quarter of the items) it weighs little.
  const known = run.active_ms >= ETA_AFTER_ACTIVE_MS || finished >= run.total / 4;
  return {
    ...run,
    state: stale ? 'stale' : run.status,
    finished_items: finished,
    items_per_sec: rate === null ? null : Math.round(rate),
    elapsed_sec: Math.round(run.active_ms / 100) / 10,
    eta_sec: going && known && rate ? Math.round((run.total - finished) / rate) : null,
  };
}

/**
 * The workers that ran a run: "2 workers", or for a merged run its shards' own (they ran side by
 * side, each on its machine): "4 shards of 2 workers each", "3 shards of 2, 4, 2 workers".
 */
export function workersText(run: RunRecord, shards: readonly ShardRecord[]): string {
  if (!shards.length) return `${run.workers} worker${run.workers === 1 ? '' : 's'}`;
  const counts = shards.map((s) => s.workers);
  const each = counts.every((w) => w === counts[0]);
  return `${shards.length} shards of ${each ? `${counts[0]} worker${counts[0] === 1 ? '' : 's'} each` : `${counts.join(', ')} workers`}`;
}

/** The host a run ran on, or a merged run's shards' hosts (each once). */
export function hostsText(run: RunRecord, shards: readonly ShardRecord[]): string {
  return shards.length ? [...new Set(shards.map((s) => s.host))].join(', ') : run.host;
}
