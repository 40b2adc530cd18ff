/**
 * The table of `simrun report --sweep N`, one row per variant: what it changes, the model's
 * totals (ModelReport.totals), each total's change against the baseline, for a stack each line's
 * increment (the change is then the running sum of the increments, so the lines add up to the
 * whole package), and the model's measures against the baseline. Replicates (--seeds) get four
 * more rows: the mean, standard deviation and 95 % interval of the mean of each total.
 */
import type { Table } from '../../api/extensions.js';
import type { SweepKind } from './variants.js';

type Num = number | null;

export interface VariantTotals {
  ord: number;
  runId: number;
  label: string;
  changes: string;
  totals: Record<string, Num>;
  versusBase?: Record<string, Num>;
}

const keysOf = (records: (Record<string, Num> | undefined)[]) => [...new Set(records.flatMap((r) => Object.keys(r ?? {})))];
const minus = (a: Num | undefined, b: Num | undefined): Num => (a == null || b == null ? null : a - b);
const plus = (a: Num | undefined, b: Num | undefined): Num => (a == null || b == null ? null : a + b);

/** Student's t for a two-sided 95 % interval with `df` degrees of freedom (1.96 beyond the table). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const tQuantile = (df: number) => T975[df - 1] ?? (df > 120 ? 1.96 : 1.96 + 2.46 / df);

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
}

/** Mean, sample standard deviation and the 95 % interval of the mean (Student's t) of the values that are numbers. */
export function summarize(values: Num[]): Summary | null {
  const xs = values.filter((v): v is number => v !== null);
  const n = xs.length;
  if (!n) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (tQuantile(n - 1) * sd) / Math.sqrt(n) : 0;
  return { n, mean, sd, lo: mean - half, hi: mean + half };
}

export function sweepTable(kind: SweepKind, baseOrd: number | null, variants: VariantTotals[]): Table {
  const totals = keysOf(variants.map((v) => v.totals));
  const versus = keysOf(variants.map((v) => v.versusBase));
  const base = baseOrd === null ? undefined : variants.find((v) => v.ord === baseOrd);
  const stack = kind === 'stack' && base !== undefined;
  const columns = ['variant', 'run', 'label', 'changes'];
  for (const k of totals) columns.push(k, ...(stack ? [`${k}_increment`] : []), ...(base ? [`${k}_change`] : []));
  columns.push(...versus);
  const running: Record<string, Num> = {};
  const rows = variants.map((v, i) => {
    const row: unknown[] = [v.ord, v.runId, v.label, v.changes];
    for (const k of totals) {
      const level = v.totals[k] ?? null;
      row.push(level);
      if (stack) {
        // The baseline is line 0; line k adds file k to the lines above it.
        const increment = v.ord === baseOrd ? null : minus(level, variants[i - 1]?.totals[k]);
        running[k] = v.ord === baseOrd ? 0 : plus(running[k], increment);
        row.push(increment, running[k]);
      } else if (base) row.push(minus(level, base.totals[k]));
    }
    for (const k of versus) row.push(v.versusBase?.[k] ?? null);
    return row;
  });
  if (kind === 'seeds') rows.push(...replicateRows(columns, totals, variants));
  return { columns, rows };
}

/** The mean, sd and 95 % interval rows of replicates, in the total columns. */
function replicateRows(columns: string[], totals: string[], variants: VariantTotals[]): unknown[][] {
  const stats = new Map(totals.map((k) => [k, summarize(variants.map((v) => v.totals[k] ?? null))]));
  const line = (label: string, pick: (s: Summary) => number) =>
    columns.map((c, i) => (i === 2 ? label : stats.has(c) ? ((s) => (s ? pick(s) : null))(stats.get(c)) : null));
  return [line('mean', (s) => s.mean), line('sd', (s) => s.sd), line('ci95_low', (s) => s.lo), line('ci95_high', (s) => s.hi)];
}
