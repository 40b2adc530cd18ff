/** Model-independent summaries of one run, computed in SQL: per-column stats, errors, histogram bins. */
import { scaleLinear } from 'd3-scale';
import { usageError } from '../../errors.js';
import { quoteIdent, type DB } from '../store/store.js';
import { isNumeric, type RunTable } from '../store/run-rows.js';
import type { Bin } from './charts.js';
import { fences } from './robust-range.js';

export const STATS_COLUMNS = ['column', 'type', 'count', 'nulls', 'distinct', 'min', 'mean', 'max'];

/** One row per model column: non-null count, nulls, distinct values, min, mean (numeric only), max. One table scan. */
export function columnStats(db: DB, t: RunTable): unknown[][] {
  const cols = t.columns.filter((c) => c.name !== 'run_id' && c.name !== 'idx');
  const aggs = cols.flatMap((c) => {
    const q = quoteIdent(c.name);
    return [`count(${q})`, `count(DISTINCT ${q})`, `min(${q})`, isNumeric(c) ? `avg(${q})` : 'NULL', `max(${q})`];
  });
  const row = db
    .prepare(`SELECT count(*), ${aggs.join(', ')} FROM ${quoteIdent(t.table)} WHERE run_id = ?`)
    .raw()
    .get(t.run.id) as unknown[];
  const n = row[0] as number;
  return cols.map((c, i) => {
    const [count, distinct, min, mean, max] = row.slice(1 + 5 * i, 6 + 5 * i) as [number, number, unknown, number | null, unknown];
    return [c.name, c.type.toLowerCase(), count, n - count, distinct, min, mean === null ? null : Number(mean.toPrecision(8)), max];
  });
}

export const ERROR_COLUMNS = ['kind', 'name', 'items', 'first idx', 'example message'];

/** Item errors of the run grouped by kind and error name, with the first failing index and its message. */
export function errorSummary(db: DB, runId: number): unknown[][] {
  return db
    .prepare(
      `SELECT kind, coalesce(name, '') AS name, count(*) AS items, min(idx) AS first_idx,
         (SELECT message FROM errors e2 WHERE e2.run_id = e.run_id AND e2.kind = e.kind AND coalesce(e2.name, '') = coalesce(e.name, '') ORDER BY idx LIMIT 1) AS message
       FROM errors e WHERE run_id = ? GROUP BY kind, coalesce(name, '') ORDER BY items DESC, kind, name`,
    )
    .raw()
    .all(runId) as unknown[][];
}

/** Histogram of a numeric column in ~`n` bins with nice edges (d3 ticks), counted in SQL (or, with
 * `weight`, the sum of that column per bin: weighted households, not records). When a few values
 * lie far out (robust-range.ts), the bins span the rest and two overflow bins count the values
 * below and above them. */
export function histogramBins(db: DB, t: RunTable, column: string, n = 30, weight?: string): Bin[] {
  const col = t.columns.find((c) => c.name === column);
  if (!col) throw usageError(`--hist ${column}: no such column in ${t.table} (columns: ${t.columns.map((c) => c.name).join(', ')})`);
  if (!isNumeric(col)) throw usageError(`--hist ${column}: column is ${col.type.toLowerCase()}, a histogram needs a number column`);
  const q = quoteIdent(column);
  const table = quoteIdent(t.table);
  const w = weight && t.columns.some((c) => c.name === weight && isNumeric(c)) ? `total(${quoteIdent(weight)})` : 'count(*)';
  const where = `run_id = @run AND ${q} IS NOT NULL`;
  const extent = (cond: string, lo: number, hi: number) =>
    db
      .prepare(`SELECT min(${q}) AS min, max(${q}) AS max, ${w} AS n FROM ${table} WHERE ${where} AND ${cond}`)
      .get({ run: t.run.id, lo, hi }) as { min: number; max: number; n: number };
  const r = db.prepare(`SELECT min(${q}) AS lo, max(${q}) AS hi, count(${q}) AS n FROM ${table} WHERE run_id = ?`).get(t.run.id) as {
    lo: number | null;
    hi: number | null;
    n: number;
  };
  if (r.lo === null || r.hi === null) return [];
  const nth = db.prepare(`SELECT ${q} AS v FROM ${table} WHERE ${where} ORDER BY ${q} LIMIT 1 OFFSET @k`).pluck();
  const quartile = (p: number) => nth.get({ run: t.run.id, k: Math.floor(p * (r.n - 1)) }) as number;
  const cut =
    r.n >= 4
      ? fences({ min: r.lo, q1: quartile(0.25), q3: quartile(0.75), max: r.hi }, (lo, hi) => extent(`${q} BETWEEN @lo AND @hi`, lo, hi))
      : null;
  const [lo, hi] = cut ? [cut.lo, cut.hi] : [r.lo, r.hi];
  const scale = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .nice(n);
  const ticks = scale.ticks(n);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  const start = scale.domain()[0]!;
  const count = Math.max(1, Math.round((scale.domain()[1]! - start) / step));
  const rows = db
    .prepare(
      `SELECT min(${count - 1}, CAST((${q} - @start) / @step AS INTEGER)) AS b, ${w} AS n FROM ${table} WHERE ${where} AND ${q} BETWEEN @lo AND @hi GROUP BY b`,
    )
    .all({ start, step, run: t.run.id, lo, hi }) as { b: number; n: number }[];
  const bins: Bin[] = Array.from({ length: count }, (_, k) => ({ x0: start + k * step, x1: start + (k + 1) * step, count: 0 }));
  for (const { b, n: c } of rows) bins[b]!.count += c;
  if (!cut) return bins;
  const below = extent(`${q} < @lo`, lo, hi);
  const above = extent(`${q} > @hi`, lo, hi);
  return [
    ...(r.lo < lo ? [{ x0: r.lo, x1: below.max, count: below.n, overflow: 'below' as const }] : []),
    ...bins,
    ...(r.hi > hi ? [{ x0: above.min, x1: r.hi, count: above.n, overflow: 'above' as const }] : []),
  ];
}

/** The column a histogram shows when --hist is not given. */
export function defaultHistColumn(t: RunTable): string | null {
  const preferred: Record<string, string> = { tax: 'average_rate', thumbnail: 'sharpness', montecarlo: 'pi_estimate' };
  const want = preferred[t.table];
  if (want && t.columns.some((c) => c.name === want)) return want;
  return t.columns.find((c) => c.type === 'REAL')?.name ?? null;
}
