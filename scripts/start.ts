/**
 * `npm start`: the tax microsimulation in one command. Generates a population of 200,000
 * households (once; reused after), runs 2024 law and a reform (a $3,000 child tax credit, fully
 * refundable as in 2021) into out/tax-demo.db, prints the baseline's distribution table and
 * the reform's change table, and the commands to try next. Every step is the CLI itself,
 * printed as it runs.
 *
 *   npm start [-- --households N] [-- --workers N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli.js');
const here = (file: string) => path.relative(process.cwd(), file) || '.';

function usage(message: string): never {
  process.stderr.write(`npm start: ${message}\nusage: npm start [-- --households N] [-- --workers N]\n`);
  process.exit(2);
}

let values: { households?: string; workers?: string };
try {
  ({ values } = parseArgs({ options: { households: { type: 'string' }, workers: { type: 'string' } } }));
} catch (err) {
  usage((err as Error).message);
}
const households = Number(values.households ?? 200_000);
// At least one household per decile of the report.
if (!Number.isInteger(households) || households < 10) usage(`--households must be a whole number >= 10, got ${values.households}`);
if (values.workers !== undefined && !/^[1-9][0-9]*$/.test(values.workers))
  usage(`--workers must be a whole number >= 1, got ${values.workers}`);

const out = path.resolve('out');
const population = path.join(out, households === 200_000 ? 'population-200k.csv' : `population-${households}.csv`);
const db = path.join(out, 'tax-demo.db');
const reform = path.join(root, 'models/tax/reforms/ctc-3000-fully-refundable.json');
const workers = values.workers ? ['--workers', values.workers] : [];

/** Runs one CLI command with the terminal attached (progress bars and tables show as usual). */
function simrun(args: string[]): void {
  process.stdout.write(`\n$ simrun ${args.map((a) => (/[\s"*]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`npm start: that command failed (${r.signal ?? `exit code ${r.status}`}); nothing more to do\n`);
    process.exit(r.status ?? 1);
  }
}

process.stdout.write(
  `simrun demo: the tax model (US federal income + payroll tax, 2024) on ${households.toLocaleString('en-US')} generated households,\n` +
    `2024 law (run 1) against a reform (run 2: a $3,000 child tax credit, fully refundable as in 2021).\n` +
    `(simrun here is node dist/src/cli.js; npx simrun works too)\n`,
);
try {
  mkdirSync(out, { recursive: true });
  // The demo's own database starts empty each time, so its runs are always 1 and 2.
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
} catch (err) {
  process.stderr.write(`npm start: cannot prepare ${here(out)}: ${(err as Error).message}\n`);
  process.exit(1);
}
if (existsSync(population)) process.stdout.write(`\nusing ${here(population)} (delete it to generate it again)\n`);
else simrun(['generate', 'population', '--n', String(households), '--seed', '1', '--output', here(population)]);

simrun(['run', 'tax', '--input', here(population), '--db', here(db), ...workers]);
simrun(['run', 'tax', '--input', here(population), '--db', here(db), '--params', here(reform), ...workers]);
simrun(['report', '--db', here(db), '--run', '1']);
simrun(['compare', '--db', here(db), '--base', '1', '--reform', '2']);

const d = here(db);
process.stdout.write(
  [
    '',
    `Done. The results are in ${d} (SQLite: tables tax, runs, errors; any SQLite client reads it). Next, try:`,
    `  npx simrun status  --db ${d}`,
    `  npx simrun report  --db ${d} --run 1 --by filing_status --format csv`,
    `  npx simrun compare --db ${d} --base 1 --reform 2 --by children`,
    `  npx simrun query   --db ${d} "SELECT filing_status, round(sum(weight * income_tax) / 1e9, 1) AS income_tax_bn FROM tax WHERE run_id = 1 GROUP BY filing_status"`,
    `  npx simrun report  --db ${d} --compare 1 2 --html out/report.html     # charts, one self-contained file`,
    `  npx simrun run tax --input ${here(population)} --db ${d} --param ctc.amount=2500   # your own reform: run 3`,
    `  npx simrun models                                                      # every model, column and parameter`,
    '',
  ].join('\n'),
);
