/**
 * The self-contained HTML report of one run (any model) or of a tax reform against its base:
 * provenance, status, errors, model tables, per-column stats and charts, all in one file.
 */
import { hostsText, viewRun, workersText } from '../store/run-status.js';
import { listShards, type DB, type RunRecord } from '../store/store.js';
import { provenance } from '../store/provenance.js';
import { runTable, type RunTable } from '../store/run-rows.js';
import { SIMRUN_VERSION } from '../../version.js';
import { localTime } from '../../util/local-time.js';
import { histogram, responsive, type Bin } from './charts.js';
import { foldedJson, html, keyValues, page, section, table, type Html } from './html.js';
import { columnStats, defaultHistColumn, ERROR_COLUMNS, errorSummary, histogramBins, STATS_COLUMNS } from './stats.js';
import type { ModelReport } from '../../api/extensions.js';
import { resultsReader, runInfo } from '../store/results-reader.js';
import { modelSections } from './model-sections.js';
import { traceSections } from './trace-sections.js';

export interface ReportOptions {
  /** numeric column for the histogram; default per model (see defaultHistColumn) */
  hist?: string;
  /** the run's model's report sections (none when the model declares none or cannot be loaded) */
  report?: ModelReport;
  /** `--by`: the grouping of the model's sections (one of report.groupings; its default when absent) */
  by?: string;
}

function runSection(db: DB, run: RunRecord, heading: string): Html {
  const v = viewRun(run);
  const shards = listShards(db).filter((s) => s.run_id === run.id);
  const p = provenance(run);
  const state = html`<span class="status-${v.state}">${v.state}</span>`;
  const progress = `${v.finished_items} of ${run.total} items (${run.done} rows, ${run.errors} errors)`;
  const speed =
    v.items_per_sec === null
      ? ''
      : `${v.items_per_sec} items/s over ${v.elapsed_sec} s of work${shards.length ? ' (the longest shard)' : ''} on ${workersText(run, shards)}`;
  return section(
    heading,
    html`<p>Status ${state}: ${progress}${speed ? `; ${speed}` : ''}.</p>`,
    keyValues([
      ['model', `${p.model} ${p.model_version}`],
      ['model source', p.model_ref],
      ['input', p.input],
      ['input fingerprint', p.input_fingerprint],
      ['seed', p.seed],
      ['parameter overrides', p.param_overrides],
      ['parameters (effective)', foldedJson(p.params, `all ${Object.keys((p.params as object) ?? {}).length} parameter groups`)],
      ['chunk size', p.chunk_size],
      ['started', localTime(p.created_at)],
      ['finished', p.finished_at ? localTime(p.finished_at) : ''],
      ['simrun version', p.simrun_version],
      [shards.length > 1 ? 'hosts' : 'host', hostsText(run, shards)],
    ]),
  );
}

function errorSection(db: DB, run: RunRecord): Html {
  const rows = errorSummary(db, run.id);
  return section(
    `Item errors (run ${run.id})`,
    rows.length
      ? html`${table(ERROR_COLUMNS, rows)}<p class="note">Details: <code>SELECT * FROM errors WHERE run_id = ${run.id}</code></p>`
      : html`<p>No item errors.</p>`,
  );
}

const histogramSet = (bins: Bin[], o: Parameters<typeof histogram>[1]) => responsive((w) => histogram(bins, o, w));

function genericSections(db: DB, t: RunTable, o: ReportOptions): Html[] {
  const col = o.hist ?? defaultHistColumn(t);
  const weight = o.report?.weight;
  const out = [section(`Columns of ${t.table} (run ${t.run.id})`, table(STATS_COLUMNS, columnStats(db, t)))];
  if (col)
    out.push(
      section(
        `Distribution of ${col}`,
        histogramSet(histogramBins(db, t, col, 30, weight?.column), {
          title: `Histogram of ${col} (run ${t.run.id})`,
          xLabel: col,
          yLabel: weight ? `${weight.label} (sum of ${weight.column})` : 'records',
        }),
      ),
    );
  return out;
}

function footer(): Html {
  return html`<p class="note">Made by simrun ${SIMRUN_VERSION} on ${localTime(new Date().toISOString())}. Charts are inline SVG; the file needs no network.</p>`;
}

export function runReport(db: DB, runId: number, o: ReportOptions = {}): string {
  const t = runTable(db, runId);
  const results = resultsReader(db, '', false);
  const model = modelSections(db, t, o.report, () => o.report?.sections?.(results, runInfo(t.run), o.by));
  return page(`simrun report: run ${runId} (${t.run.model})`, `${t.run.input} · ${t.run.model} ${t.run.model_version}`, [
    runSection(db, t.run, `Run ${runId}`),
    errorSection(db, t.run),
    ...model,
    ...genericSections(db, t, o),
    ...traceSections(db, t.run),
    footer(),
  ]);
}

/** Two runs of one model: the model's comparison sections, the two runs' provenance, then the reform run's own tables. */
export function compareReport(db: DB, base: number, reform: number, o: ReportOptions = {}): string {
  const b = runTable(db, base, '--compare');
  const r = runTable(db, reform, '--compare');
  const results = resultsReader(db, '', false);
  const [bi, ri] = [runInfo(b.run), runInfo(r.run)];
  return page(
    `simrun report: run ${reform} against run ${base} (${r.run.model})`,
    `${r.run.input} · ${r.run.model} ${r.run.model_version}`,
    [
      ...modelSections(db, r, o.report, () => o.report?.compare?.(results, bi, ri, o.by)),
      html`<div class="grid">${runSection(db, b.run, `Base: run ${base}`)}${runSection(db, r.run, `Reform: run ${reform}`)}</div>`,
      errorSection(db, b.run),
      errorSection(db, r.run),
      ...modelSections(db, r, o.report, () => o.report?.sections?.(results, ri, o.by)),
      ...genericSections(db, r, o),
      footer(),
    ],
  );
}
