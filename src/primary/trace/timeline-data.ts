/**
 * A run's trace as a timeline: one lane per worker (per shard), the time each lane spent on
 * each chunk attempt, coloured by outcome, the worker restarts and the sessions. A failed
 * attempt ran from when it could start (its dispatch, or the lane's previous chunk's end) to
 * its worker's death; requeued and lost attempts never ran and are not drawn.
 */
import type { DB } from '../store/store.js';

export type SegmentKind = 'committed' | 'crash' | 'timeout';

export interface Segment {
  lane: number;
  from: number;
  to: number;
  kind: SegmentKind;
  label: string;
}

export interface TimelineData {
  /** Lane names in order: `worker 3`, or `shard 1 worker 3` in a merged run. */
  lanes: string[];
  segments: Segment[];
  restarts: { lane: number; at: number; label: string }[];
  /** Spans of time some session ran (gaps between them are drawn compressed), sorted. */
  active: [number, number][];
  /** Session starts after the first (a resume, or another shard's start), for a marker. */
  sessionStarts: { at: number; label: string }[];
}

interface Row {
  shard: number | null;
  session: number;
  worker: number;
  pid: number | null;
  lo: number;
  hi: number;
  dispatched_at: number | null;
  started_at: number | null;
  finished_at: number;
  wall_ms: number | null;
  outcome: string;
  cause: string | null;
}

const KIND: Record<string, SegmentKind | undefined> = {
  committed: 'committed',
  bisected: 'crash',
  retried: 'crash',
  crashed: 'crash',
  timed_out: 'timeout',
};

export function timelineData(db: DB, runId: number): TimelineData {
  const rows = db
    .prepare(
      `SELECT shard, session, worker, pid, lo, hi, dispatched_at, started_at, finished_at, wall_ms, outcome, cause FROM trace ` +
        `WHERE run_id = ? AND worker IS NOT NULL ORDER BY finished_at`,
    )
    .all(runId) as Row[];
  const workers = db
    .prepare(`SELECT shard, session, worker, pid, started_at, exited_at, exit_code, signal, cause FROM trace_workers WHERE run_id = ?`)
    .all(runId) as {
    shard: number | null;
    session: number;
    worker: number;
    pid: number;
    started_at: number;
    exited_at: number | null;
    cause: string | null;
  }[];
  const laneKeys = [...new Set([...workers, ...rows].map((r) => JSON.stringify([r.shard ?? -1, r.worker])))].sort((a, b) => {
    const [sa, wa] = JSON.parse(a) as [number, number];
    const [sb, wb] = JSON.parse(b) as [number, number];
    return sa - sb || wa - wb;
  });
  const laneOf = new Map(laneKeys.map((k, i) => [k, i]));
  const lane = (r: { shard: number | null; worker: number }) => laneOf.get(JSON.stringify([r.shard ?? -1, r.worker]))!;
  const sharded = workers.some((w) => w.shard !== null);
  const lanes = laneKeys.map((k) => {
    const [s, w] = JSON.parse(k) as [number, number];
    return sharded ? `shard ${s} worker ${w}` : `worker ${w}`;
  });
  const lastEnd = new Map<string, number>();
  const segments: Segment[] = [];
  for (const r of rows) {
    const kind = KIND[r.outcome];
    const key = `${r.shard}/${r.session}/${r.worker}`;
    if (!kind) continue;
    const from = r.started_at ?? Math.max(r.dispatched_at ?? r.finished_at, lastEnd.get(key) ?? 0);
    lastEnd.set(key, Math.max(lastEnd.get(key) ?? 0, r.finished_at));
    const what = r.outcome === 'committed' ? `${r.wall_ms?.toFixed(1) ?? '?'} ms` : `${r.outcome}: ${r.cause ?? ''}`;
    segments.push({
      lane: lane(r),
      from,
      to: r.finished_at,
      kind,
      label: `items ${r.lo}..${r.hi}, ${lanes[lane(r)]} (pid ${r.pid}): ${what}`,
    });
  }
  const restarts = workers
    .filter((w) => w.exited_at !== null && w.cause !== null && w.cause !== 'stopped')
    .map((w) => ({ lane: lane(w), at: w.exited_at!, label: `${lanes[lane(w)]} (pid ${w.pid}) died: ${w.cause}` }));
  const spans = new Map<string, [number, number]>();
  for (const w of workers) {
    const k = `${w.shard}/${w.session}`;
    const s = spans.get(k) ?? [w.started_at, w.started_at];
    spans.set(k, [Math.min(s[0], w.started_at), Math.max(s[1], w.exited_at ?? w.started_at)]);
  }
  for (const r of rows) {
    const k = `${r.shard}/${r.session}`;
    const s = spans.get(k) ?? [r.finished_at, r.finished_at];
    spans.set(k, [Math.min(s[0], r.started_at ?? r.finished_at), Math.max(s[1], r.finished_at)]);
  }
  const starts = [...spans].sort((a, b) => a[1][0] - b[1][0]);
  const sessionStarts = starts.slice(1).map(([k, [at]]) => {
    const [shard, session] = k.split('/');
    return { at, label: `${shard !== 'null' ? `shard ${shard} ` : ''}session ${session}` };
  });
  return { lanes, segments, restarts, active: union(starts.map(([, s]) => s)), sessionStarts };
}

function union(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, Math.max(a + 1, b)]);
  }
  return out;
}
