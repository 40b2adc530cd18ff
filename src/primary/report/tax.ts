/** Tax sections of the HTML report: the weighted decile table of a run, and a reform's differences. */
import { compareTable, reportTable } from '../../../models/tax/tables.js';
import type { DB } from '../store/store.js';
import { barChart } from './charts.js';
import { html, section, table, type Html } from './html.js';

const column = (t: { columns: string[]; rows: unknown[][] }, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);

/** Decile rows only (the `all` row is left out of charts). */
function decileBars(t: { columns: string[]; rows: unknown[][] }, value: string) {
  const labels = column(t, 'decile');
  const values = column(t, value);
  return labels.flatMap((l, i) => (l === 'all' || values[i] === null ? [] : [{ label: String(l), value: Number(values[i]) }]));
}

export function taxRunSections(db: DB, runId: number): Html[] {
  const t = reportTable(db, runId, 'decile');
  return [
    section(
      'Distribution by weighted decile of AGI',
      html`<p class="note">Weighted by <code>weight</code>; means in dollars per household, totals in $ billions (<code>_bn</code>); the same table as <code>simrun report --run ${runId}</code>.</p>`,
      table(t.columns, t.rows, { className: 'deciles' }),
      html`<div class="grid">${barChart(decileBars(t, 'avg_tax_rate_pct'), { title: 'Average tax rate by decile of AGI', xLabel: 'decile of AGI', yLabel: 'combined tax / gross income (%)', valueFormat: '.1f' })}</div>`,
    ),
  ];
}

export function taxCompareSections(db: DB, base: number, reform: number): Html[] {
  const t = compareTable(db, base, reform, 'decile');
  const all = t.rows.find((r) => r[0] === 'all');
  const revenue = all ? Number(all[t.columns.indexOf('revenue_change_bn')]) : null;
  return [
    section(
      `Reform: run ${reform} against base run ${base}, by decile of base AGI`,
      html`<p class="note">Household by household (joined on <code>idx</code>), weighted; a change under $10 either way counts as no change. Revenue change: <b>${revenue === null ? '' : `${revenue} $bn`}</b> (negative = revenue loss). The same table as <code>simrun compare --base ${base} --reform ${reform}</code>.</p>`,
      table(t.columns, t.rows, { className: 'compare' }),
      barChart(decileBars(t, 'tax_change_mean'), {
        title: 'Mean change in combined tax by decile of base AGI',
        xLabel: 'decile of base AGI',
        yLabel: 'dollars per household',
        valueFormat: ',.0f',
      }),
    ),
  ];
}
