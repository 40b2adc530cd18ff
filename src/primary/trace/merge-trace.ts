/**
 * `simrun merge`: each shard's trace goes into the merged run with the shard's index (its rows
 * already name their host), replacing what an earlier merge of that shard brought. Runs inside
 * the shard's merge transaction, with the shard database attached as `shard`.
 */
import type { DB } from '../store/store.js';

const TABLES: [string, string][] = [
  [
    'trace',
    'session, host, lo, hi, attempt, worker, pid, dispatched_at, started_at, finished_at, wall_ms, cpu_ms, rss, peak_rss, items, errors, outcome, cause, slowest',
  ],
  ['trace_workers', 'session, host, worker, pid, started_at, ready_at, exited_at, exit_code, signal, cause'],
];

/** Copies shard run `sourceRunId`'s trace into run `runId` as shard `shard`; a shard of a release before the trace brings none. */
export function copyShardTrace(db: DB, runId: number, sourceRunId: number, shard: number): void {
  const has = db.prepare(`SELECT 1 FROM shard.sqlite_master WHERE type = 'table' AND name = 'trace'`).get();
  for (const [table, cols] of TABLES) {
    db.prepare(`DELETE FROM main.${table} WHERE run_id = ? AND shard = ?`).run(runId, shard);
    if (has) {
      db.prepare(`INSERT INTO main.${table} (run_id, shard, ${cols}) SELECT ?, ?, ${cols} FROM shard.${table} WHERE run_id = ?`).run(
        runId,
        shard,
        sourceRunId,
      );
    }
  }
}
