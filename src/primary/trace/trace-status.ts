/**
 * What `status` shows of a run's trace: its utilization so far, peak RSS and, while it runs,
 * the chunk that has been running longest (from the in-flight snapshot the primary writes with
 * every heartbeat), so a stall or a straggler shows while the run goes.
 */
import { formatDuration } from '../../util/duration.js';
import type { DB, RunRecord } from '../store/store.js';
import { hasTrace } from './schema.js';
import { traceSummary } from './summary.js';

export interface InFlight {
  worker: number | null;
  pid: number | null;
  lo: number;
  hi: number;
  running_ms: number;
}

export interface TraceStatus {
  utilization: number | null;
  peak_rss: number | null;
  /** The chunk running longest, when the run is running; null otherwise. */
  slowest_in_flight: InFlight | null;
}

/** `state` as status shows it: only a 'running' run (not a stale one) has chunks in flight. */
export function traceStatus(db: DB, run: RunRecord, state: string, now = Date.now()): TraceStatus | null {
  if (!hasTrace(db)) return null;
  const running = state === 'running';
  const s = traceSummary(db, run.id, { buckets: 0, slowest: 0, ...(running ? { now } : {}) });
  if (!s.sessions.length) return null;
  const row = running
    ? (db
        .prepare(
          `SELECT worker, pid, lo, hi, running_since FROM trace_inflight WHERE run_id = ? AND running_since IS NOT NULL ORDER BY running_since LIMIT 1`,
        )
        .get(run.id) as (Omit<InFlight, 'running_ms'> & { running_since: number }) | undefined)
    : undefined;
  const inFlight = row
    ? { worker: row.worker, pid: row.pid, lo: row.lo, hi: row.hi, running_ms: Math.max(0, now - row.running_since) }
    : null;
  return { utilization: s.utilization, peak_rss: s.peak_rss, slowest_in_flight: inFlight };
}

/** One line: `trace: utilization 93.1%, peak RSS 71.2 MB; longest in flight: items 13..13 on worker 2 (pid 4242) for 12m03s`. */
export function traceStatusLine(t: TraceStatus): string {
  const util = t.utilization === null ? 'utilization unknown' : `utilization ${(100 * t.utilization).toFixed(1)}%`;
  const rss = t.peak_rss === null ? '' : `, peak RSS ${(t.peak_rss / 1e6).toFixed(1)} MB`;
  const f = t.slowest_in_flight;
  const flight = f
    ? `; longest in flight: items ${f.lo}..${f.hi} on worker ${f.worker ?? '?'} (pid ${f.pid ?? '?'}) for ${formatDuration(f.running_ms / 1000)}`
    : '';
  return `trace: ${util}${rss}${flight}`;
}
