/**
 * The HTML page of a sweep (`simrun report --sweep N --html f`): what was swept, the table of
 * variants, and a chart of the first total: against the swept parameter for a one-parameter
 * numeric grid, the stacked estimate for a stack, a bar per variant otherwise.
 */
import { SIMRUN_VERSION } from '../../version.js';
import { barChart, responsive } from '../report/charts.js';
import { html, keyValues, page, section, table, type Html } from '../report/html.js';
import { lineChart, stackedBars } from '../report/sweep-charts.js';
import type { SweepReport } from './report.js';

const col = (r: SweepReport, name: string) => r.table.columns.indexOf(name);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first total's chart, or null when the model reports no totals. */
function chart(r: SweepReport): Html | null {
  const total = r.totals[0];
  if (total === undefined) return null;
  const { sweep, variants } = r;
  const rows = r.table.rows.slice(0, variants.length);
  const hasBase = sweep.base_ord !== null;
  const shown = hasBase ? `${total}_change` : total;
  const yLabel = hasBase ? `${total}: change against the baseline` : total;
  const value = (row: unknown[]) => num(row[col(r, shown)]);
  const others = rows.filter((row) => row[0] !== sweep.base_ord);
  if (sweep.kind === 'stack') {
    const steps = others.map((row) => ({ label: String(row[2]), increment: num(row[col(r, `${total}_increment`)]) ?? 0 }));
    const o = {
      title: `Stacked estimate: ${total}, line by line`,
      xLabel: 'provision (added to the lines before it)',
      yLabel: `${total} increment`,
      total: 'package',
    };
    return responsive((w) => stackedBars(steps, o, w));
  }
  const grid = JSON.parse(sweep.spec_json) as { grid?: [string, unknown[]][] };
  const key = grid.grid?.length === 1 ? grid.grid[0]! : null;
  if (sweep.kind === 'grid' && key && key[1].every((v) => typeof v === 'number')) {
    const points = others.flatMap((row, i) => {
      const y = value(row);
      return y === null ? [] : [{ x: key[1][i] as number, y }];
    });
    const o = { title: `${shown} against ${key[0]}`, xLabel: key[0], yLabel };
    if (points.length) return responsive((w) => lineChart(points, o, w));
  }
  const bars = (sweep.kind === 'seeds' ? rows : others).flatMap((row) => {
    const v = value(row);
    return v === null ? [] : [{ label: String(row[2]), value: v }];
  });
  const o = { title: `${shown} by variant`, xLabel: 'variant', yLabel };
  return bars.length ? responsive((w) => barChart(bars, o, w)) : null;
}

const stackNote = (kind: string) => (kind === 'stack' ? ", the running sum of the lines' _increment" : '');

export function sweepHtml(r: SweepReport, file: string): string {
  const { sweep, variants } = r;
  const first = variants[0]!.run;
  const made = chart(r);
  return page(
    `simrun report: sweep ${sweep.id} (${sweep.model}, ${sweep.kind})`,
    `${first.input} · ${first.model} ${first.model_version}`,
    [
      section(
        `Sweep ${sweep.id}`,
        keyValues([
          ['kind', sweep.kind],
          ['variants', `${variants.length} (runs ${first.id}-${variants.at(-1)!.run.id})`],
          ['baseline overrides', JSON.parse(sweep.baseline_json) as unknown],
          ['spec', JSON.parse(sweep.spec_json) as unknown],
          ['input', `${first.input} (${first.input_fingerprint})`],
          ['database', file],
        ]),
      ),
      section(
        'Variants',
        table(r.table.columns, r.table.rows),
        html`<p class="note">One row per variant (a run of its own: <code>simrun report --db ${file} --run N</code>). Totals are the model's; <code>_change</code> is against the baseline${stackNote(sweep.kind)}.</p>`,
      ),
      made ? section('Chart', made) : '',
      html`<p class="note">Made by simrun ${SIMRUN_VERSION} on ${new Date().toISOString()}. Charts are inline SVG; the file needs no network.</p>`,
    ],
  );
}
