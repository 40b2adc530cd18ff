import type { Command } from 'commander';
import { writePopulation } from '../../models/tax/population.js';
import { usageError } from '../errors.js';
import { intArg } from './options.js';

export function registerGenerate(program: Command): void {
  const gen = program
    .command('generate')
    .summary('generate synthetic inputs (see `generate population`)')
    .addHelpText('after', '\nExample:\n  simrun generate population --n 100000 --seed 1 --output data/population.csv\n');
  gen
    .command('population')
    .summary('write a synthetic US-like population of tax units (input of the tax model) as CSV')
    .requiredOption('-n, --n <households>', 'number of households (rows)', intArg(1, 'n'))
    .option('--seed <n>', 'seed; the same n and seed give the same file', intArg(0, 'seed'), 1)
    .requiredOption('-o, --output <file.csv>', 'CSV file to write (folders are created)')
    .addHelpText('after', '\nExample:\n  simrun generate population --n 1000000 --seed 1 --output data/population.csv\n')
    .action(async (f: { n: number; seed: number; output: string }) => {
      const t0 = performance.now();
      try {
        await writePopulation({ n: f.n, seed: f.seed, output: f.output });
      } catch (err) {
        throw usageError(`cannot write ${f.output}: ${(err as Error).message}`);
      }
      process.stderr.write(
        `wrote ${f.n} households to ${f.output} in ${((performance.now() - t0) / 1000).toFixed(1)} s (weights sum to ~150M)\n`,
      );
    });
  gen.commands.forEach((c) => c.exitOverride());
}
