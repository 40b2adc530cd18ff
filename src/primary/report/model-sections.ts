/** Renders the report sections a model declares (ReportSection of the public API) as HTML. */
import type { BarChart, ModelReport, ReportSection } from '../../api/extensions.js';
import type { DB } from '../store/store.js';
import type { RunTable } from '../store/run-rows.js';
import { barChart, histogram, responsive } from './charts.js';
import { html, section, table, type Html } from './html.js';
import { histogramBins } from './stats.js';

/** Plain text with `code` spans. */
function note(text: string): Html {
  const parts = text.split('`');
  return html`<p class="note">${parts.map((p, i) => (i % 2 ? html`<code>${p}</code>` : p))}</p>`;
}

function bars(s: ReportSection, c: BarChart): Html {
  const t = s.table;
  const li = t?.columns.indexOf(c.label) ?? -1;
  const vi = t?.columns.indexOf(c.value) ?? -1;
  if (!t || li < 0 || vi < 0) return note(`chart ${c.title}: the section's table has no columns ${c.label} and ${c.value}`);
  const points = t.rows.flatMap((r) => {
    const label = String(r[li]);
    const value = r[vi];
    return c.exclude?.includes(label) || value === null || value === undefined ? [] : [{ label, value: Number(value) }];
  });
  return responsive((w) => barChart(points, c, w));
}

function render(db: DB, t: RunTable, s: ReportSection, weight: ModelReport['weight']): Html {
  const chart = s.chart;
  let drawn: Html | null = null;
  if (chart?.kind === 'bar') drawn = bars(s, chart);
  else if (chart?.kind === 'histogram') {
    const bins = histogramBins(db, t, chart.column, chart.bins ?? 30, weight?.column);
    const yLabel = chart.yLabel ?? (weight ? `${weight.label} (sum of ${weight.column})` : undefined);
    drawn = responsive((w) => histogram(bins, { ...chart, yLabel }, w));
  }
  return section(
    s.title,
    s.note ? note(s.note) : '',
    s.table ? table(s.table.columns, s.table.rows, { className: 'model' }) : '',
    drawn ?? '',
  );
}

/**
 * A model's sections as HTML. A section function that throws (a bug in a model's report code)
 * becomes one section saying so: the rest of the report is still written.
 */
export function modelSections(db: DB, t: RunTable, report: ModelReport | undefined, make: () => ReportSection[] | undefined): Html[] {
  let sections: ReportSection[];
  try {
    sections = make() ?? [];
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return [section(`Sections of model ${t.run.model}`, note(`the model's report sections failed: ${msg}`))];
  }
  return sections.map((s) => render(db, t, s, report?.weight));
}
