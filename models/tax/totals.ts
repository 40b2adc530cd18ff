/**
 * The tax model's totals per run, for `simrun report --sweep` (one row per variant): revenue and
 * its parts in whole $ millions (so a stack's increments sum exactly to the package), and against
 * the sweep's baseline the shares of households better and worse off and the mean change in tax
 * by decile of base AGI (the `compare` table's numbers).
 */
import type { ResultsReader, RunInfo, RunTotals } from '../../src/index.js';
import { compareTable, TABLE } from './tables.js';

const millions = (x: string) => `ROUND(SUM(weight * ${x}) / 1e6)`;

export function taxTotals(results: ResultsReader, run: RunInfo, base: RunInfo | undefined): RunTotals {
  const t = results.query(
    `SELECT ${millions('combined_tax')} AS revenue_m, ${millions('income_tax')} AS income_tax_m, ${millions('payroll_tax')} AS payroll_tax_m,
       ${millions('(ctc + actc)')} AS ctc_actc_m, ${millions('eitc')} AS eitc_m FROM "${TABLE}" WHERE run_id = @run`,
    { run: run.id },
  );
  const row = t.rows[0] ?? [];
  const totals = Object.fromEntries(t.columns.map((c, i) => [c, (row[i] as number | null) ?? null]));
  if (!base) return { totals };
  const c = compareTable(results, base.id, run.id, 'decile');
  const col = (name: string) => c.columns.indexOf(name);
  const versusBase: Record<string, number | null> = {};
  const all = c.rows.find((r) => r[0] === 'all');
  versusBase.better_off_pct = (all?.[col('tax_cut_pct')] as number | undefined) ?? null;
  versusBase.worse_off_pct = (all?.[col('tax_increase_pct')] as number | undefined) ?? null;
  for (const r of c.rows) if (r[0] !== 'all') versusBase[`tax_change_mean_d${String(r[0])}`] = r[col('tax_change_mean')] as number;
  return { totals, versusBase };
}
