import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { CHANGE_THRESHOLD, compareTable, matchedCount, taxRun, type Grouping } from '../../models/tax/tables.js';
import { openStore, type DB } from '../primary/store/store.js';
import { intArg } from './options.js';
import { writeRows, type OutputFormat } from './output.js';
import { byOption, formatOption } from './report.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .summary('what a reform does to whom: base vs reform run of the tax model over the same input')
    .description(
      'Compares two tax runs over the same input household by household, grouped by the base run\n' +
        '(weighted deciles of base AGI unless --by says otherwise): mean change in combined tax,\n' +
        `revenue change ($bn), shares of households with a tax cut / increase / no change (|change| < $${CHANGE_THRESHOLD}),\n` +
        'and the change in after-tax income.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database holding both runs')
    .requiredOption('--base <id>', 'baseline run id', intArg(1, 'base'))
    .requiredOption('--reform <id>', 'reform run id', intArg(1, 'reform'))
    .addOption(byOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  simrun compare --db out/tax.db --base 1 --reform 2 --by children\n')
    .action((f: { db: string; base: number; reform: number; by: Grouping; format: OutputFormat }) => {
      const db = openStore(f.db, { readonly: true });
      try {
        checkComparable(db, f.db, f.base, f.reform, ['--base', '--reform']);
        const t = compareTable(db, f.base, f.reform, f.by);
        writeRows(t.columns, t.rows, f.format);
      } finally {
        db.close();
      }
    });
}

/** Refuses (exit 2) runs that are not finished tax runs over the same input; notes households left out. */
export function checkComparable(db: DB, file: string, baseId: number, reformId: number, flags: [string, string]): void {
  const base = taxRun(db, baseId, flags[0]);
  const reform = taxRun(db, reformId, flags[1]);
  if (base.input_fingerprint !== reform.input_fingerprint) {
    throw usageError(
      `runs ${base.id} and ${reform.id} are over different inputs (${base.input} vs ${reform.input}); compare needs the same households`,
    );
  }
  for (const r of [base, reform]) {
    if (r.status !== 'done')
      throw usageError(`run ${r.id} is ${r.status}, not done; finish it first: simrun resume --db ${file} --run ${r.id}`);
  }
  const n = matchedCount(db, base.id, reform.id);
  if (n.both < Math.max(n.base, n.reform)) {
    process.stderr.write(
      `simrun: note: ${n.both} households are in both runs (base ${n.base}, reform ${n.reform}); the others had item errors and are left out\n`,
    );
  }
}
