import { Option, type Command } from 'commander';
import { GROUPINGS, reportTable, taxRun, type Grouping } from '../../models/tax/tables.js';
import { openStore } from '../primary/store.js';
import { intArg } from './options.js';
import { OUTPUT_FORMATS, writeRows, type OutputFormat } from './output.js';

export const byOption = () =>
  new Option('--by <group>', 'rows by weighted decile of AGI, filing status or number of children').choices(GROUPINGS).default('decile');
export const formatOption = () => new Option('-f, --format <fmt>', 'output format').choices(OUTPUT_FORMATS).default('table');

export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('distribution table of one tax run (weighted counts, means and sums of taxes and credits)')
    .description(
      'Weighted distribution table of a run of the tax model: per group the households represented,\n' +
        'mean and total ($bn) income tax, payroll tax, EITC, CTC+ACTC, and the average tax rate\n' +
        '(combined tax / gross income). Groups are weighted deciles of AGI unless --by says otherwise.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .requiredOption('--run <id>', 'run id (see simrun status)', intArg(1, 'run'))
    .addOption(byOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  simrun report --db out/tax.db --run 1 --by filing_status\n')
    .action((f: { db: string; run: number; by: Grouping; format: OutputFormat }) => {
      const db = openStore(f.db, { readonly: true });
      try {
        const run = taxRun(db, f.run, '--run');
        if (run.status !== 'done') process.stderr.write(`simrun: note: run ${run.id} is ${run.status}; the table covers only its finished items\n`);
        const t = reportTable(db, run.id, f.by);
        writeRows(t.columns, t.rows, f.format);
      } finally {
        db.close();
      }
    });
}
