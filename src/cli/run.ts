import type { Command } from 'commander';
import { parseParamFlag } from '../primary/run/params.js';
import { parseShard } from '../primary/run/shard.js';
import { addSessionOptions, collect, forkEarly, intArg, sessionOptions, type SessionFlags } from './options.js';

interface RunFlags extends SessionFlags {
  input: string;
  db: string;
  param: string[];
  params?: string;
  seed: number;
  shard?: string;
}

export function registerRun(program: Command, exit: (code: number) => void): void {
  const cmd = program
    .command('run')
    .description(
      'Run <model> (a built-in name, or a path to a .js/.mjs/.cjs/.ts model file) over every item of --input,\n' +
        'on all cores, writing one row per item to the --db SQLite file. Interrupt with Ctrl-C and\n' +
        'continue later with `simrun resume`.',
    )
    .argument('<model>', 'built-in model name (see `simrun models`) or model file path')
    .requiredOption('-i, --input <src>', 'items: file.csv (header row), file.jsonl, a folder or glob of files, or range:N')
    .requiredOption('-d, --db <file>', 'SQLite database to write (created if missing)')
    .option('--param <k=v>', 'override one model parameter (repeatable; dotted paths for nested ones)', collect, [] as string[])
    .option('--params <file.json>', 'JSON object of parameter overrides')
    .option('--seed <n>', 'seed of ctx.random(); results depend only on item, params and seed', intArg(0, 'seed'), 1)
    .option(
      '--shard <i/N|slurm>',
      'run only shard i of N (0-based: 0/4 ... 3/4), the i-th contiguous block of the input; ' +
        "'slurm' takes i and N from SLURM_ARRAY_TASK_ID/_COUNT/_MIN. Join shard databases with `simrun merge`",
    );
  addSessionOptions(cmd)
    .addHelpText(
      'after',
      '\nExample:\n  simrun run montecarlo --input range:100000 --db demo.db --workers 2 --param draws=200\n' +
        '  simrun run montecarlo --input range:100000 --db shard-0.db --shard 0/4   # then 1/4, 2/4, 3/4; simrun merge\n',
    )
    .action(async (model: string, f: RunFlags) => {
      const shard = f.shard === undefined ? null : parseShard(f.shard);
      const session = sessionOptions(f);
      // The workers start now, while the primary loads its modules and the model, scans the input
      // and opens the store (worker-forks.ts).
      const forks = forkEarly(session.workers);
      const { startRun } = await import('../primary/run/run.js');
      exit(
        await startRun({
          ...session,
          forks,
          model,
          input: f.input,
          db: f.db,
          params: f.param.map(parseParamFlag),
          paramsFile: f.params ?? null,
          seed: f.seed,
          shard,
        }),
      );
    });
}
