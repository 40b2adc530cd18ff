/**
 * What a run's trace says, read from the trace tables (schema.ts): per worker and overall
 * utilization (busy time / wall time), throughput and utilization over time, the slowest
 * items, worker restarts by cause and peak RSS. `simrun trace`, `status` and the HTML report
 * show it. A session's wall time runs from its first worker's fork to its last worker's exit
 * (or its last chunk, or now while it runs); a worker's busy time is the worker-measured time
 * of its committed chunks.
 */
import type { DB } from '../store/store.js';

interface AttemptRow {
  shard: number | null;
  session: number;
  host: string;
  worker: number | null;
  started_at: number | null;
  finished_at: number;
  wall_ms: number | null;
  items: number;
  outcome: string;
  peak_rss: number | null;
}

interface WorkerRow {
  shard: number | null;
  session: number;
  host: string;
  worker: number;
  started_at: number;
  exited_at: number | null;
  cause: string | null;
}

export interface SessionSpan {
  shard: number | null;
  session: number;
  host: string;
  start: number;
  end: number;
  /** Worker lanes (the most workers it ran at once: --workers). */
  lanes: number;
}

export interface WorkerUse {
  shard: number | null;
  session: number;
  host: string;
  worker: number;
  /** Processes that ran in this lane (1 + restarts). */
  processes: number;
  chunks: number;
  items: number;
  busy_ms: number;
  wall_ms: number;
  utilization: number;
  peak_rss: number | null;
}

export interface TimeBucket {
  /** Start of the bucket, epoch ms, and its width. */
  at: number;
  ms: number;
  items_per_sec: number;
  /** Busy worker time / (lanes of the sessions running x bucket width). */
  utilization: number;
}

export interface TraceSummary {
  run: number;
  attempts: number;
  outcomes: Record<string, number>;
  sessions: SessionSpan[];
  workers: WorkerUse[];
  /** Busy / wall over every worker lane of every session; null with no trace. */
  utilization: number | null;
  throughput: TimeBucket[];
  slowest: { idx: number; items: number; ms: number; shard: number | null }[];
  restarts: { cause: string; count: number }[];
  peak_rss: number | null;
}

const laneKey = (shard: number | null, session: number, worker: number) => `${shard ?? ''}/${session}/${worker}`;
const sessionKey = (shard: number | null, session: number) => `${shard ?? ''}/${session}`;

/** Reads run `runId`'s trace; `now` ends a session that has not ended (a running run). */
export function traceSummary(db: DB, runId: number, o: { buckets?: number; slowest?: number; now?: number } = {}): TraceSummary {
  const attempts = db
    .prepare(
      `SELECT shard, session, host, worker, started_at, finished_at, wall_ms, items, outcome, peak_rss FROM trace WHERE run_id = ? ORDER BY id`,
    )
    .all(runId) as AttemptRow[];
  const workerRows = db
    .prepare(`SELECT shard, session, host, worker, started_at, exited_at, cause FROM trace_workers WHERE run_id = ? ORDER BY id`)
    .all(runId) as WorkerRow[];
  const sessions = spans(attempts, workerRows, o.now);
  const outcomes: Record<string, number> = {};
  for (const a of attempts) outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  const workers = lanes(attempts, workerRows, sessions);
  const busy = workers.reduce((s, w) => s + w.busy_ms, 0);
  const wall = workers.reduce((s, w) => s + w.wall_ms, 0);
  const restarts = new Map<string, number>();
  for (const w of workerRows) if (w.cause && w.cause !== 'stopped') restarts.set(w.cause, (restarts.get(w.cause) ?? 0) + 1);
  const peaks = workers.map((w) => w.peak_rss).filter((p) => p !== null);
  return {
    run: runId,
    attempts: attempts.length,
    outcomes,
    sessions,
    workers,
    utilization: wall > 0 ? busy / wall : null,
    throughput: buckets(attempts, sessions, o.buckets ?? 20),
    slowest: db
      .prepare(`SELECT idx, items, ms, shard FROM trace_items WHERE run_id = ? ORDER BY ms DESC LIMIT ?`)
      .all(runId, o.slowest ?? 10) as TraceSummary['slowest'],
    restarts: [...restarts].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count),
    peak_rss: peaks.length ? Math.max(...peaks) : null,
  };
}

function spans(attempts: AttemptRow[], workers: WorkerRow[], now: number | undefined): SessionSpan[] {
  const by = new Map<string, SessionSpan & { open: boolean; ids: Set<number> }>();
  const get = (r: { shard: number | null; session: number; host: string }, t: number) => {
    const k = sessionKey(r.shard, r.session);
    let s = by.get(k);
    if (!s) by.set(k, (s = { shard: r.shard, session: r.session, host: r.host, start: t, end: t, lanes: 0, open: false, ids: new Set() }));
    return s;
  };
  for (const w of workers) {
    const s = get(w, w.started_at);
    s.start = Math.min(s.start, w.started_at);
    s.end = Math.max(s.end, w.exited_at ?? w.started_at);
    if (w.exited_at === null) s.open = true;
    s.ids.add(w.worker);
  }
  for (const a of attempts) {
    const s = get(a, a.started_at ?? a.finished_at);
    s.start = Math.min(s.start, a.started_at ?? a.finished_at);
    s.end = Math.max(s.end, a.finished_at);
  }
  return [...by.values()]
    .map(({ open, ids, ...s }) => ({ ...s, end: open && now !== undefined ? Math.max(s.end, now) : s.end, lanes: ids.size }))
    .sort((a, b) => a.start - b.start);
}

function lanes(attempts: AttemptRow[], workers: WorkerRow[], sessions: SessionSpan[]): WorkerUse[] {
  const span = new Map(sessions.map((s) => [sessionKey(s.shard, s.session), s.end - s.start]));
  const by = new Map<string, WorkerUse>();
  const get = (r: { shard: number | null; session: number; host: string; worker: number }) => {
    const k = laneKey(r.shard, r.session, r.worker);
    let w = by.get(k);
    if (!w) {
      const wall = span.get(sessionKey(r.shard, r.session)) ?? 0;
      const lane = { shard: r.shard, session: r.session, host: r.host, worker: r.worker };
      by.set(k, (w = { ...lane, processes: 0, chunks: 0, items: 0, busy_ms: 0, wall_ms: wall, utilization: 0, peak_rss: null }));
    }
    return w;
  };
  for (const w of workers) get(w).processes++;
  for (const a of attempts) {
    if (a.worker === null || a.outcome !== 'committed') continue;
    const w = get({ ...a, worker: a.worker });
    w.chunks++;
    w.items += a.items;
    w.busy_ms += a.wall_ms ?? 0;
    if (a.peak_rss !== null) w.peak_rss = Math.max(w.peak_rss ?? 0, a.peak_rss);
  }
  return [...by.values()]
    .map((w) => ({ ...w, utilization: w.wall_ms > 0 ? Math.min(1, w.busy_ms / w.wall_ms) : 0 }))
    .sort((a, b) => a.session - b.session || (a.shard ?? -1) - (b.shard ?? -1) || a.worker - b.worker);
}

/** Items/s and utilization in `n` equal buckets over the run's time; each chunk spread over its own span. */
function buckets(attempts: AttemptRow[], sessions: SessionSpan[], n: number): TimeBucket[] {
  if (!sessions.length || n < 1) return [];
  const t0 = Math.min(...sessions.map((s) => s.start));
  const t1 = Math.max(...sessions.map((s) => s.end));
  const width = Math.max(1, (t1 - t0) / n);
  const items = new Float64Array(n);
  const busy = new Float64Array(n);
  const lanes = new Float64Array(n);
  const spread = (from: number, to: number, add: (k: number, share: number) => void) => {
    const len = Math.max(to - from, 1e-9);
    for (let k = Math.max(0, Math.floor((from - t0) / width)); k < n && t0 + k * width < to; k++) {
      const a = Math.max(from, t0 + k * width);
      const b = Math.min(to, t0 + (k + 1) * width);
      if (b > a || len <= 1e-9) add(k, len <= 1e-9 ? 1 : (b - a) / len);
    }
  };
  for (const a of attempts) {
    if (a.outcome !== 'committed' || a.started_at === null) continue;
    spread(a.started_at, a.finished_at, (k, share) => {
      items[k]! += a.items * share;
      busy[k]! += (a.finished_at - a.started_at!) * share;
    });
  }
  for (const s of sessions) spread(s.start, s.end, (k, share) => (lanes[k]! += (s.lanes * (s.end - s.start) * share) / width));
  return Array.from({ length: n }, (_, k) => ({
    at: Math.round(t0 + k * width),
    ms: width,
    items_per_sec: (items[k]! * 1000) / width,
    utilization: lanes[k]! > 0 ? Math.min(1, busy[k]! / (lanes[k]! * width)) : 0,
  }));
}
