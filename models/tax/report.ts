/** The tax model's report sections: the weighted distribution of a run, and a reform against its base. */
import type { ModelReport } from '../../src/index.js';
import { CHANGE_THRESHOLD, compareTable, GROUPINGS, reportTable, type Grouping } from './tables.js';
import { taxTotals } from './totals.js';

const groupOf = (by: string | undefined): Grouping => ((GROUPINGS as readonly string[]).includes(by ?? '') ? (by as Grouping) : 'decile');
/** How a grouping reads in a heading, on a chart axis, and in the base run of a comparison. */
const NAMES: Record<Grouping, { heading: string; axis: string; base: string }> = {
  decile: { heading: 'weighted decile of AGI', axis: 'decile of AGI', base: 'decile of base AGI' },
  filing_status: { heading: 'filing status', axis: 'filing status', base: 'base filing status' },
  children: { heading: 'number of children', axis: 'children', base: 'children' },
};

export const taxReport: ModelReport = {
  groupings: GROUPINGS,
  totals: taxTotals,
  // A record stands for `weight` households: histograms count households, not records.
  weight: { column: 'weight', label: 'households' },
  sections(results, run, by) {
    const g = groupOf(by);
    return [
      {
        title: `Distribution by ${NAMES[g].heading}`,
        note:
          'Weighted by `weight`; means in dollars per household, totals in $ billions (`_bn`); ' +
          `the same table as \`simrun report --run ${run.id}${g === 'decile' ? '' : ` --by ${g}`}\`.`,
        table: reportTable(results, run.id, g),
        chart: {
          kind: 'bar',
          label: g,
          value: 'avg_tax_rate_pct',
          exclude: ['all'],
          title: `Average tax rate by ${NAMES[g].axis}`,
          xLabel: NAMES[g].axis,
          yLabel: 'combined tax / gross income (%)',
          valueFormat: '.1f',
        },
      },
    ];
  },
  compare(results, base, reform, by) {
    const g = groupOf(by);
    const t = compareTable(results, base.id, reform.id, g);
    const all = t.rows.find((r) => r[0] === 'all');
    const revenue = all ? `${String(all[t.columns.indexOf('revenue_change_bn')])} $bn` : 'none';
    return [
      {
        title: `Reform: run ${reform.id} against base run ${base.id}, by ${NAMES[g].base}`,
        note:
          `Household by household (joined on \`idx\`), weighted; a change under $${CHANGE_THRESHOLD} either way counts as no change. ` +
          `Revenue change: ${revenue} (negative = revenue loss). The same table as \`simrun compare --base ${base.id} --reform ${reform.id}\`.`,
        table: t,
        chart: {
          kind: 'bar',
          label: g,
          value: 'tax_change_mean',
          exclude: ['all'],
          title: `Mean change in combined tax by ${NAMES[g].base}`,
          xLabel: NAMES[g].base,
          yLabel: 'dollars per household',
          valueFormat: ',.0f',
        },
      },
    ];
  },
};
