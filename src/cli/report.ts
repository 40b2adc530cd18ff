import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ModelReport, ReportSection } from '../api/extensions.js';
import { modelError, SimrunError, usageError } from '../errors.js';
import { openStore, type DB, type RunRecord } from '../primary/store/store.js';
import { checkComparable, resultsReader, runInfo } from '../primary/store/results-reader.js';
import { compareReport, runReport } from '../primary/report/build.js';
import { loadModel } from '../worker/model-loader.js';
import { runTable } from '../primary/store/run-rows.js';
import { checkStoredRows } from '../primary/store/row-count.js';
import { databaseFiles, refuseOutputTarget, refuseStdoutTarget } from '../util/output-target.js';
import { intArg } from './options.js';
import { OUTPUT_FORMATS, writeRows, type OutputFormat } from './output.js';

interface ReportFlags {
  db: string;
  run?: number;
  compare?: string[];
  sweep?: number;
  html?: string;
  hist?: string;
  by?: string;
  format: OutputFormat;
}

function compareIds(raw: string[]): [number, number] {
  const ids = raw.map(intArg(1, '--compare run id'));
  if (ids.length !== 2) throw usageError('--compare takes two run ids: the base run and the reform run, e.g. --compare 1 2');
  return [ids[0]!, ids[1]!];
}

/**
 * The report sections of the run's model, loaded from where the run loaded it. For an HTML report
 * a model that cannot be loaded any more (a user's file moved) costs only its sections.
 */
async function modelReport(run: RunRecord, html: boolean): Promise<ModelReport | undefined> {
  try {
    return (await loadModel(run.model_ref)).report;
  } catch (err) {
    const why = `model ${run.model} (${run.model_ref}) cannot be loaded: ${(err as Error).message}`;
    if (!html) throw usageError(`${why}; an HTML report (--html) still shows the generic tables`, err);
    process.stderr.write(`simrun: note: ${why}; the report has no sections of the model\n`);
    return undefined;
  }
}

function checkGrouping(report: ModelReport | undefined, model: string, by: string | undefined): void {
  if (by === undefined) return;
  const allowed = report?.groupings ?? [];
  if (!allowed.includes(by))
    throw usageError(`--by ${by}: model ${model} ${allowed.length ? `groups by ${allowed.join(', ')}` : 'has no groupings'}`);
}

/** The first table of a model's sections; a section function that throws is a one-line model error. */
function firstTable(model: string, make: () => ReportSection[] | undefined, what: string): NonNullable<ReportSection['table']> {
  let sections: ReportSection[] | undefined;
  try {
    sections = make();
  } catch (err) {
    if (err instanceof SimrunError) throw err;
    throw modelError(`model ${model}: its report sections failed: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const t = sections?.find((s) => s.table)?.table;
  if (!t) throw usageError(what);
  return t;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Prints the main table of a run as its model defines it (tax: the weighted distribution by decile of\n' +
        'AGI, or by --by filing_status / children), or with --compare A B the comparison of run B against\n' +
        'base run A (both finished runs of one model over the same input).\n\n' +
        'With --html FILE, writes one self-contained HTML file (inline CSS and SVG charts, opens offline)\n' +
        "for a run of any model: provenance, status, item errors by kind, the model's own sections (tax:\n" +
        'deciles and reform differences with a bar chart; thumbnail: formats, sizes, near-duplicates),\n' +
        'per-column count/min/mean/max and a histogram of one column (--hist).',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .option('--run <id>', 'run id (see simrun status)', intArg(1, 'run'))
    .option('--compare <ids...>', 'two runs of one model over the same input: base and reform')
    .option('--sweep <id>', 'a sweep (simrun sweep): one row per variant with the model totals and their change', intArg(1, 'sweep'))
    .option('--html <file>', 'write a self-contained HTML report to this file')
    .option('--hist <column>', 'numeric column to draw as a histogram in the HTML report')
    .option('--by <group>', "rows by this group, one the run's model offers (tax: decile, filing_status, children)")
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  simrun report --db out/tax.db --run 1 --by filing_status\n' +
        '  simrun report --db out/tax.db --run 1 --html report.html --hist agi\n' +
        '  simrun report --db out/tax.db --compare 1 2 --html reform.html\n' +
        '  simrun report --db demo.db --run 1 --html demo.html           # any model\n' +
        '  simrun report --db sweep.db --sweep 1 --format csv            # a sweep: one row per variant\n',
    )
    .action(async (f: ReportFlags) => {
      const given = [f.run, f.compare, f.sweep].filter((x) => x !== undefined).length;
      if (given !== 1) throw usageError('give one of --run <id>, --compare <base> <reform> or --sweep <id>');
      if (f.html !== undefined) refuseOutputTarget(f.html, '--html', databaseFiles(f.db));
      else refuseStdoutTarget(databaseFiles(f.db));
      const db = openStore(f.db, { readonly: true });
      const results = resultsReader(db, f.db, false);
      // One snapshot for the run records, their row counts and every table of the report.
      db.exec('BEGIN');
      try {
        if (f.sweep !== undefined) return await reportSweep(db, f, f.sweep);
        if (f.compare) {
          const [baseId, reformId] = compareIds(f.compare);
          const { base, reform } = checkComparable(results, baseId, reformId, ['--compare', '--compare']);
          for (const id of [base.id, reform.id]) checkStoredRows(db, f.db, runTable(db, id).run, nothing(f));
          const report = await modelReport(runTable(db, reform.id).run, f.html !== undefined);
          checkGrouping(report, reform.model, f.by);
          if (f.html) return writeHtml(f.html, compareReport(db, base.id, reform.id, { hist: f.hist, report, by: f.by }));
          const why = `model ${reform.model} declares no comparison table; an HTML report shows both runs: --html reform.html`;
          const t = firstTable(reform.model, () => report?.compare?.(results, base, reform, f.by), why);
          return void writeRows(t.columns, t.rows, f.format);
        }
        const run = runTable(db, f.run!).run;
        checkStoredRows(db, f.db, run, nothing(f));
        const report = await modelReport(run, f.html !== undefined);
        checkGrouping(report, run.model, f.by);
        if (f.html) return writeHtml(f.html, runReport(db, run.id, { hist: f.hist, report, by: f.by }));
        const why =
          `--run ${run.id} is a run of model ${run.model}, which declares no report table; ` +
          `an HTML report works for a run of any model: simrun report --db ${f.db} --run ${run.id} --html report.html`;
        const t = firstTable(run.model, () => report?.sections?.(results, runInfo(run), f.by), why);
        if (run.status !== 'done')
          process.stderr.write(`simrun: note: run ${run.id} is ${run.status}; the table covers only its finished items\n`);
        writeRows(t.columns, t.rows, f.format);
      } finally {
        db.close();
      }
    });
}

/** --sweep N: the table of variants, or its HTML page. */
async function reportSweep(db: DB, f: ReportFlags, id: number): Promise<void> {
  const { buildSweepReport } = await import('../primary/sweep/report.js');
  const r = await buildSweepReport(db, f.db, id, nothing(f));
  if (f.html) return writeHtml(f.html, (await import('../primary/sweep/report-html.js')).sweepHtml(r, f.db));
  writeRows(r.table.columns, r.table.rows, f.format);
}

const nothing = (f: ReportFlags) => (f.html === undefined ? 'no report was printed' : `${f.html} was not written`);

function writeHtml(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw usageError(`cannot write ${file}: ${(err as Error).message}`);
  }
  process.stderr.write(`wrote ${file} (${Math.round(text.length / 1024)} kB)\n`);
}
