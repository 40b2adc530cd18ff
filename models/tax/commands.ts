/** The tax model's subcommands: `generate population` (a synthetic input) and `compare` (a reform against its base). */
import { checkOutputTarget, type ModelCommand } from '../../src/index.js';
import { writePopulation } from './population.js';
import { CHANGE_THRESHOLD, compareTable, GROUPINGS, TABLE, type Grouping } from './tables.js';

const generate: ModelCommand = {
  name: 'generate',
  summary: 'generate synthetic inputs (see `generate population`)',
  define(cmd, tools) {
    cmd.addHelpText('after', '\nExample:\n  simrun generate population --n 100000 --seed 1 --output data/population.csv\n');
    cmd
      .command('population')
      .summary('write a synthetic US-like population of tax units (input of the tax model) as CSV')
      .requiredOption('-n, --n <households>', 'number of households (rows)', tools.intArg(1, 'n'))
      .option('--seed <n>', 'seed; the same n and seed give the same file', tools.intArg(0, 'seed'), 1)
      .requiredOption('-o, --output <file.csv>', 'CSV file to write (folders are created)')
      .addHelpText('after', '\nExample:\n  simrun generate population --n 1000000 --seed 1 --output data/population.csv\n')
      .action(async (f: { n: number; seed: number; output: string }) => {
        checkOutputTarget(f.output, '--output');
        const t0 = performance.now();
        try {
          await writePopulation({ n: f.n, seed: f.seed, output: f.output });
        } catch (err) {
          throw tools.usageError(`cannot write ${f.output}: ${(err as Error).message}`, err);
        }
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        process.stderr.write(`wrote ${f.n} households to ${f.output} in ${secs} s (weights sum to ~150M)\n`);
      });
  },
};

const compare: ModelCommand = {
  name: 'compare',
  summary: 'what a reform does to whom: base vs reform run of the tax model over the same input',
  define(cmd, tools) {
    cmd
      .description(
        'Compares two tax runs over the same input household by household, grouped by the base run\n' +
          '(weighted deciles of base AGI unless --by says otherwise): mean change in combined tax,\n' +
          `revenue change ($bn), shares of households with a tax cut / increase / no change (|change| < $${CHANGE_THRESHOLD}),\n` +
          'and the change in after-tax income.',
      )
      .requiredOption('-d, --db <file>', 'SQLite database holding both runs')
      .requiredOption('--base <id>', 'baseline run id', tools.intArg(1, 'base'))
      .requiredOption('--reform <id>', 'reform run id', tools.intArg(1, 'reform'))
      .addOption(
        cmd
          .createOption('--by <group>', 'rows by weighted decile of AGI, filing status or number of children')
          .choices(GROUPINGS)
          .default('decile'),
      )
      .addOption(cmd.createOption('-f, --format <fmt>', 'output format').choices(tools.formats).default('table'))
      .addHelpText('after', '\nExample:\n  simrun compare --db out/tax.db --base 1 --reform 2 --by children\n')
      .action((f: { db: string; base: number; reform: number; by: Grouping; format: string }) => {
        const c = tools.openComparison(f.db, f.base, f.reform, ['--base', '--reform'], TABLE);
        try {
          tools.printTable(compareTable(c.results, c.base.id, c.reform.id, f.by), f.format);
        } finally {
          c.results.close();
        }
      });
  },
};

export const taxCommands: ModelCommand[] = [generate, compare];
