import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { compareTable, GROUPINGS, reportTable, taxRun, type Grouping } from '../../models/tax/tables.js';
import { getRun, openStore } from '../primary/store/store.js';
import { compareReport, runReport } from '../primary/report/build.js';
import { checkComparable } from './compare.js';
import { intArg } from './options.js';
import { OUTPUT_FORMATS, writeRows, type OutputFormat } from './output.js';

export const byOption = () =>
  new Option('--by <group>', 'rows by weighted decile of AGI, filing status or number of children').choices(GROUPINGS).default('decile');
export const formatOption = () => new Option('-f, --format <fmt>', 'output format').choices(OUTPUT_FORMATS).default('table');

interface ReportFlags {
  db: string;
  run?: number;
  compare?: string[];
  html?: string;
  hist?: string;
  by: Grouping;
  format: OutputFormat;
}

function compareIds(raw: string[]): [number, number] {
  const ids = raw.map(intArg(1, '--compare run id'));
  if (ids.length !== 2) throw usageError('--compare takes two run ids: the base run and the reform run, e.g. --compare 1 2');
  return [ids[0]!, ids[1]!];
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('distribution table of a tax run, or a self-contained HTML report of any run (--html)')
    .description(
      'Weighted distribution table of a run of the tax model: per group the households represented,\n' +
        'mean and total ($bn) income tax, payroll tax, EITC, CTC+ACTC, and the average tax rate\n' +
        '(combined tax / gross income). Groups are weighted deciles of AGI unless --by says otherwise.\n' +
        '--compare A B gives the reform table of run B against base run A (as `simrun compare`).\n\n' +
        'With --html FILE, writes one self-contained HTML file (inline CSS and SVG charts, opens offline)\n' +
        'for a run of any model: provenance, status, item errors by kind, the model tables (tax:\n' +
        'deciles and reform differences with a bar chart by decile; thumbnail: formats, sizes,\n' +
        'near-duplicates), per-column count/min/mean/max and a histogram of one column (--hist).',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .option('--run <id>', 'run id (see simrun status)', intArg(1, 'run'))
    .option('--compare <ids...>', 'two tax runs over the same input: base and reform')
    .option('--html <file>', 'write a self-contained HTML report to this file')
    .option('--hist <column>', 'numeric column to draw as a histogram in the HTML report')
    .addOption(byOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  simrun report --db out/tax.db --run 1 --by filing_status\n' +
        '  simrun report --db out/tax.db --run 1 --html report.html --hist agi\n' +
        '  simrun report --db out/tax.db --compare 1 2 --html reform.html\n' +
        '  simrun report --db demo.db --run 1 --html demo.html           # any model\n',
    )
    .action((f: ReportFlags) => {
      if ((f.run === undefined) === (f.compare === undefined)) throw usageError('give either --run <id> or --compare <base> <reform>');
      const db = openStore(f.db, { readonly: true });
      try {
        if (f.compare) {
          const [base, reform] = compareIds(f.compare);
          checkComparable(db, f.db, base, reform, ['--compare', '--compare']);
          if (f.html) return writeHtml(f.html, compareReport(db, base, reform, { hist: f.hist }));
          const t = compareTable(db, base, reform, f.by);
          return void writeRows(t.columns, t.rows, f.format);
        }
        const id = f.run!;
        if (f.html) return writeHtml(f.html, runReport(db, id, { hist: f.hist }));
        const model = getRun(db, id)?.model;
        if (model !== undefined && model !== 'tax') {
          throw usageError(
            `--run ${id} is a run of model ${model}: report without --html prints the tax model's tables; ` +
              `an HTML report works for a run of any model: simrun report --db ${f.db} --run ${id} --html report.html`,
          );
        }
        const run = taxRun(db, id, '--run');
        if (run.status !== 'done')
          process.stderr.write(`simrun: note: run ${run.id} is ${run.status}; the table covers only its finished items\n`);
        const t = reportTable(db, run.id, f.by);
        writeRows(t.columns, t.rows, f.format);
      } finally {
        db.close();
      }
    });
}

function writeHtml(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw usageError(`cannot write ${file}: ${(err as Error).message}`);
  }
  process.stderr.write(`wrote ${file} (${Math.round(text.length / 1024)} kB)\n`);
}
