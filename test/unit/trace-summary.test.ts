/** The trace summary's arithmetic (src/primary/trace/summary.ts) on a hand-written trace. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TRACE_SCHEMA } from '../../src/primary/trace/schema.js';
import { traceSummary } from '../../src/primary/trace/summary.js';

function db() {
  const d = new Database(':memory:');
  d.exec(TRACE_SCHEMA);
  const worker = d.prepare(
    `INSERT INTO trace_workers (run_id, session, host, worker, pid, started_at, exited_at, exit_code, cause) VALUES (1, 1, 'h', ?, ?, ?, ?, ?, ?)`,
  );
  const attempt = d.prepare(
    `INSERT INTO trace (run_id, session, host, lo, hi, attempt, worker, pid, started_at, finished_at, wall_ms, items, errors, outcome, peak_rss) VALUES (1, 1, 'h', ?, ?, 1, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  // Two lanes over 0..10 s. Lane 1: busy 0..8 s. Lane 2: a worker that crashed at 2 s, its replacement busy 4..6 s.
  worker.run(1, 11, 0, 10_000, 0, 'stopped');
  worker.run(2, 21, 0, 2_000, 1, 'exit code 1');
  worker.run(2, 22, 2_000, 10_000, 0, 'stopped');
  attempt.run(0, 799, 1, 11, 0, 8_000, 8_000, 800, 'committed', 50e6);
  attempt.run(800, 899, 2, 21, null, 2_000, null, 100, 'bisected', null);
  attempt.run(800, 999, 2, 22, 4_000, 6_000, 2_000, 200, 'committed', 70e6);
  d.prepare(`UPDATE trace SET slowest = ? WHERE lo = 0`).run('[[64,64,50],[5,1,30]]');
  d.prepare(`UPDATE trace SET slowest = ? WHERE lo = 800 AND outcome = 'committed'`).run('[[900,1,90]]');
  return d;
}

describe('traceSummary', () => {
  const s = traceSummary(db(), 1, { buckets: 5 });

  it('utilization per lane and overall: busy / the session wall time', () => {
    expect(s.sessions).toEqual([{ shard: null, session: 1, host: 'h', start: 0, end: 10_000, lanes: 2 }]);
    expect(s.workers.map((w) => [w.worker, w.processes, w.chunks, w.items, w.busy_ms, w.wall_ms, w.utilization, w.peak_rss])).toEqual([
      [1, 1, 1, 800, 8_000, 10_000, 0.8, 50e6],
      [2, 2, 1, 200, 2_000, 10_000, 0.2, 70e6],
    ]);
    expect(s.utilization).toBe(0.5);
    expect(s.peak_rss).toBe(70e6);
  });

  it('outcomes, restarts by cause, the slowest items', () => {
    expect(s.outcomes).toEqual({ committed: 2, bisected: 1 });
    expect(s.restarts).toEqual([{ cause: 'exit code 1', count: 1 }]);
    expect(s.slowest.map((x) => [x.idx, x.items, x.ms])).toEqual([
      [900, 1, 90],
      [64, 64, 50],
      [5, 1, 30],
    ]);
  });

  it('throughput and utilization over time, each chunk spread over its own span', () => {
    expect(s.throughput.map((b) => [b.at, Math.round(b.items_per_sec), b.utilization])).toEqual([
      [0, 100, 0.5],
      [2_000, 100, 0.5],
      [4_000, 200, 1],
      [6_000, 100, 0.5],
      [8_000, 0, 0],
    ]);
  });
});
