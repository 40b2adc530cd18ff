/**
 * The trace in the HTML report of a run: where the time went (utilization, outcomes, restarts,
 * the timeline), throughput and utilization over time, per-worker use, the slowest items. None
 * for a database written before the trace.
 */
import type { DB, RunRecord } from '../store/store.js';
import { hasTrace } from '../trace/schema.js';
import { traceSummary, type TimeBucket } from '../trace/summary.js';
import { timelineData } from '../trace/timeline-data.js';
import { histogram, responsive } from './charts.js';
import { html, section, table, type Html } from './html.js';
import { timelineChart } from './timeline.js';

const BUCKETS = 60;
const MAX_WORKER_ROWS = 64;
const pct = (x: number | null) => (x === null ? 'unknown' : `${(100 * x).toFixed(1)}%`);
const mb = (b: number | null) => (b === null ? null : Math.round(b / 1e5) / 10);

function overTime(b: TimeBucket[], value: (x: TimeBucket) => number, title: string, yLabel: string): Html {
  const t0 = b[0]?.at ?? 0;
  const bins = b.map((x) => ({ x0: (x.at - t0) / 1000, x1: (x.at + x.ms - t0) / 1000, count: Math.round(value(x)) }));
  return responsive((w) => histogram(bins, { title, xLabel: 'seconds since the run started', yLabel }, w));
}

/** The timeline drawn at each of the report's widths (charts.ts responsive), shown as the page fits. */
function timelineOf(db: DB, run: RunRecord): Html {
  const data = timelineData(db, run.id);
  return responsive((w) => timelineChart(data, `Timeline of run ${run.id}: chunks by worker`, w));
}

export function traceSections(db: DB, run: RunRecord): Html[] {
  if (!hasTrace(db)) return [];
  const s = traceSummary(db, run.id, { buckets: BUCKETS, ...(run.status === 'running' ? { now: Date.now() } : {}) });
  if (!s.sessions.length) return [];
  const outcomes = Object.entries(s.outcomes)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const restarts = s.restarts.reduce((n, r) => n + r.count, 0);
  const workers = s.workers.slice(0, MAX_WORKER_ROWS);
  return [
    section(
      `Trace: where the time went (run ${run.id})`,
      html`<p>Utilization ${pct(s.utilization)} (busy / wall time of ${s.workers.length} worker lanes over ${s.sessions.length} session(s)); ${s.attempts} chunk attempts (${outcomes}); ${restarts} worker restart(s); peak worker RSS ${mb(s.peak_rss) ?? '?'} MB.</p>`,
      timelineOf(db, run),
      restarts
        ? table(
            ['restart cause', 'workers'],
            s.restarts.map((r) => [r.cause, r.count]),
          )
        : '',
      html`<p class="note">Every attempt: <code>simrun trace --db … --run ${run.id} --format csv</code>, or <code>SELECT * FROM trace WHERE run_id = ${run.id}</code>.</p>`,
    ),
    section(
      `Throughput and utilization over time (run ${run.id})`,
      overTime(s.throughput, (b) => b.items_per_sec, `Throughput of run ${run.id}`, 'items/s'),
      overTime(s.throughput, (b) => 100 * b.utilization, `Utilization of run ${run.id}`, '% of worker time busy'),
    ),
    section(
      `Workers and slowest items (run ${run.id})`,
      html`<div class="grid"><div>${table(
        ['session', 'worker', 'processes', 'chunks', 'items', 'busy s', 'wall s', 'utilization %', 'peak RSS MB'],
        workers.map((w) => [
          w.session,
          w.shard === null ? w.worker : `${w.shard}/${w.worker}`,
          w.processes,
          w.chunks,
          w.items,
          Math.round(w.busy_ms / 100) / 10,
          Math.round(w.wall_ms / 100) / 10,
          Math.round(1000 * w.utilization) / 10,
          mb(w.peak_rss),
        ]),
        { caption: s.workers.length > MAX_WORKER_ROWS ? `first ${MAX_WORKER_ROWS} of ${s.workers.length} worker lanes` : 'worker lanes' },
      )}</div><div>${table(
        ['item', 'items timed', 'ms'],
        s.slowest.map((x) => [x.idx, x.items, x.ms]),
        { caption: `${s.slowest.length} slowest items` },
      )}</div></div>`,
    ),
  ];
}
