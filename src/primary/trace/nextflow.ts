/**
 * The trace's attempt rows under Nextflow's trace field names where one applies, with values
 * as Nextflow writes them with `trace.raw = true` (times epoch ms, durations ms, memory bytes),
 * so scripts that read a Nextflow trace read this one; simrun's own fields follow.
 */
import type { DB } from '../store/store.js';

export const NEXTFLOW_FIELDS = [
  'task_id',
  'native_id',
  'name',
  'status',
  'exit',
  'attempt',
  'submit',
  'start',
  'complete',
  'duration',
  'realtime',
  '%cpu',
  'peak_rss',
  'rss',
  'hostname',
  'run_id',
  'session',
  'shard',
  'worker',
  'lo',
  'hi',
  'items',
  'errors',
  'outcome',
  'cause',
];

const SELECT = `
SELECT t.id, t.pid, 'chunk ' || t.lo || '-' || t.hi,
  CASE t.outcome WHEN 'committed' THEN 'COMPLETED' WHEN 'lost' THEN 'ABORTED' ELSE 'FAILED' END,
  CASE WHEN t.outcome = 'committed' AND t.worker IS NOT NULL THEN 0 ELSE
    (SELECT w.exit_code FROM trace_workers w WHERE w.run_id = t.run_id AND w.session = t.session AND w.pid = t.pid
       AND w.shard IS t.shard ORDER BY w.id DESC LIMIT 1) END,
  t.attempt, t.dispatched_at, t.started_at, t.finished_at, t.finished_at - t.dispatched_at, round(t.wall_ms, 3),
  CASE WHEN t.wall_ms > 0 THEN round(100.0 * t.cpu_ms / t.wall_ms, 1) END, t.peak_rss, t.rss, t.host,
  t.run_id, t.session, t.shard, t.worker, t.lo, t.hi, t.items, t.errors, t.outcome, t.cause
FROM trace t WHERE t.run_id = ? ORDER BY t.id`;

/** Every attempt of run `runId` as rows in NEXTFLOW_FIELDS order, streamed. */
export function nextflowRows(db: DB, runId: number): Iterable<unknown[]> {
  return db.prepare(SELECT).raw().iterate(runId) as Iterable<unknown[]>;
}
