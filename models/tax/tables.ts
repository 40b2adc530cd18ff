/**
 * Researcher tables over the `tax` results table, computed in SQL (weighted by `weight`):
 * `report` (one run, distribution by group) and `compare` (base vs reform, per household
 * joined on idx, grouped by the base run). Deciles are weighted deciles of AGI computed with
 * window functions: a household's decile is set by the weight of the households below it.
 */
import type { ResultsReader, Table } from '../../src/index.js';

export const GROUPINGS = ['decile', 'filing_status', 'children'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const TABLE = 'tax';
/** A change in combined tax smaller than this (dollars) counts as no change (TPC uses $10). */
export const CHANGE_THRESHOLD = 10;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function groupExpr(by: Grouping): string {
  if (by === 'decile') return 'MIN(10, 1 + CAST(10.0 * (SUM(weight) OVER w - weight) / SUM(weight) OVER () AS INTEGER))';
  if (by === 'children') return `CASE WHEN children >= 3 THEN '3+' ELSE CAST(children AS TEXT) END`;
  return 'filing_status';
}

/** `source` is a SELECT giving at least idx, weight, agi, filing_status, children. */
function grouped(source: string, by: Grouping): string {
  return `grouped AS MATERIALIZED (SELECT s.*, ${groupExpr(by)} AS grp FROM (${source}) s WINDOW w AS (ORDER BY agi, idx ROWS UNBOUNDED PRECEDING))`;
}

/** One row per group, then an `all` row; `aggs` are [column name, SQL aggregate] pairs. */
function groupedQuery(db: ResultsReader, source: string, by: Grouping, aggs: [string, string][], params: Record<string, number>): Table {
  const select = aggs.map(([name, expr]) => `${expr} AS ${quoteIdent(name)}`).join(', ');
  const sql = `WITH ${grouped(source, by)}
    SELECT ${[by, ...aggs.map(([n]) => n)].map(quoteIdent).join(', ')} FROM (
      SELECT 0 AS k, grp AS ${quoteIdent(by)}, ${select} FROM grouped GROUP BY grp
      UNION ALL
      SELECT 1, 'all', ${select} FROM grouped)
    ORDER BY k, ${quoteIdent(by)}`;
  return db.query(sql, params);
}

const mean = (x: string) => `ROUND(SUM(weight * ${x}) / SUM(weight), 2)`;
const billions = (x: string) => `ROUND(SUM(weight * ${x}) / 1e9, 3)`;
const pct = (cond: string) => `ROUND(100.0 * SUM(CASE WHEN ${cond} THEN weight ELSE 0 END) / SUM(weight), 2)`;

export function reportTable(db: ResultsReader, run: number, by: Grouping): Table {
  const source = `SELECT * FROM ${quoteIdent(TABLE)} WHERE run_id = @run`;
  return groupedQuery(
    db,
    source,
    by,
    [
      ['records', 'COUNT(*)'],
      ['households', 'ROUND(SUM(weight))'],
      ['agi_mean', mean('agi')],
      ['income_tax_mean', mean('income_tax')],
      ['income_tax_bn', billions('income_tax')],
      ['payroll_tax_mean', mean('payroll_tax')],
      ['payroll_tax_bn', billions('payroll_tax')],
      ['eitc_mean', mean('eitc')],
      ['eitc_bn', billions('eitc')],
      ['ctc_actc_mean', mean('(ctc + actc)')],
      ['ctc_actc_bn', billions('(ctc + actc)')],
      ['avg_tax_rate_pct', 'ROUND(100.0 * SUM(weight * combined_tax) / NULLIF(SUM(weight * gross_income), 0), 2)'],
    ],
    { run },
  );
}

export function compareTable(db: ResultsReader, base: number, reform: number, by: Grouping): Table {
  const source = `SELECT b.idx, b.weight, b.agi, b.filing_status, b.children, b.combined_tax AS base_tax,
      r.combined_tax - b.combined_tax AS d, b.after_tax_income AS base_ati, r.after_tax_income AS reform_ati
    FROM ${quoteIdent(TABLE)} b JOIN ${quoteIdent(TABLE)} r ON r.run_id = @reform AND r.idx = b.idx
    WHERE b.run_id = @base`;
  return groupedQuery(
    db,
    source,
    by,
    [
      ['households', 'ROUND(SUM(weight))'],
      ['base_tax_mean', mean('base_tax')],
      ['tax_change_mean', mean('d')],
      ['revenue_change_bn', billions('d')],
      ['tax_cut_pct', pct(`d <= -${CHANGE_THRESHOLD}`)],
      ['tax_increase_pct', pct(`d >= ${CHANGE_THRESHOLD}`)],
      ['no_change_pct', pct(`ABS(d) < ${CHANGE_THRESHOLD}`)],
      ['after_tax_income_change_pct', 'ROUND(100.0 * (SUM(weight * reform_ati) / NULLIF(SUM(weight * base_ati), 0) - 1), 3)'],
    ],
    { base, reform },
  );
}
