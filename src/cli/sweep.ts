import type { Command } from 'commander';
import { parseParamFlag } from '../primary/run/params.js';
import { parseShard } from '../primary/run/shard.js';
import type { PreparedSweep } from '../primary/sweep/start.js';
import { MAX_VARIANTS } from '../primary/sweep/variants.js';
import { canonicalJson } from '../primary/run/params.js';
import { addSessionOptions, collect, forkEarly, intArg, sessionOptions, type SessionFlags } from './options.js';
import { writeRows } from './output.js';

interface SweepFlags extends SessionFlags {
  input: string;
  db: string;
  grid: string[];
  reforms?: string[];
  stack?: string[];
  seeds?: string;
  base?: string;
  param: string[];
  seed: number;
  shard?: string;
  dryRun: boolean;
  yes: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');

/** --dry-run: the variants (what each changes against the baseline) and the size of the job. */
function printDryRun(p: PreparedSweep): void {
  const k = p.plan.variants.length;
  process.stdout.write(
    `sweep of ${p.model.name} (${p.plan.kind}): ${n(k)} variants x ${n(p.items)} items = ${n(k * p.items)} rows, ` +
      `one pass over ${p.spec.uri}; nothing was run (--dry-run)\n`,
  );
  const rows = p.plan.variants.map((v, i) => [i, v.label, v.seed, canonicalJson(i === p.plan.baseOrd ? p.plan.baseline : v.changes)]);
  writeRows(['variant', 'label', 'seed', 'changes'], rows, 'table');
}

export function registerSweep(program: Command, exit: (code: number) => void): void {
  const cmd = program
    .command('sweep')
    .description(
      'Run <model> once per variant over every item of --input, in one pass: each worker parses an item once\n' +
        'and runs every variant on it, and a chunk commits the rows of all variants in one transaction. Each\n' +
        'variant is a run of its own (simrun status, query, export, report and compare work on it); the\n' +
        'sweep record links them (report --sweep N). Give one kind of variants:\n' +
        '  --grid name=a:b:step or name=v1,v2 (repeatable; the cartesian product, after the baseline)\n' +
        '  --reforms a.json b.json   each file against the baseline\n' +
        '  --stack a.json b.json     variant k applies files 1..k (stacked estimates)\n' +
        '  --seeds 1:20              replicates: the baseline params with each seed\n' +
        "The baseline is the model's defaults, or --base file.json (and --param k=v) on top of them.\n" +
        `More than ${n(MAX_VARIANTS)} variants, or rows past the free disk, need --yes. resume, --shard and merge\n` +
        'work on a sweep as on a run.',
    )
    .argument('<model>', 'built-in model name (see `simrun models`) or model file path')
    .requiredOption('-i, --input <src>', 'items: file.csv (header row), file.jsonl, a folder or glob of files, or range:N')
    .requiredOption('-d, --db <file>', 'SQLite database to write (created if missing)')
    .option(
      '--grid <name=values>',
      'a swept param: a:b:step (inclusive) or v1,v2,... (repeatable: cartesian product)',
      collect,
      [] as string[],
    )
    .option('--reforms <files...>', 'reform files (JSON param overrides), each a variant against the baseline')
    .option('--stack <files...>', 'reform files stacked: variant k applies files 1..k')
    .option('--seeds <lo:hi>', 'replicates: one variant per seed, lo:hi or a list 1,2,3')
    .option('--base <file.json>', "the baseline's param overrides (default: the model's defaults)")
    .option('--param <k=v>', 'override one baseline parameter (repeatable; dotted paths)', collect, [] as string[])
    .option('--seed <n>', 'seed of ctx.random() for every variant (not with --seeds)', intArg(0, 'seed'), 1)
    .option('--shard <i/N|slurm>', 'run only shard i of N of the input, every variant (join with simrun merge)')
    .option('--dry-run', 'print the variants and the size of the job, run nothing', false)
    .option('--yes', `run a sweep over ${n(MAX_VARIANTS)} variants or past the free disk`, false);
  addSessionOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  simrun sweep tax --input data/population-sample.csv --db sweep.db --grid ctc.amount=2000:4000:500 --grid ctc.fully_refundable=true,false\n' +
        '  simrun sweep tax --input data/population-sample.csv --db sweep.db --stack a.json b.json c.json\n' +
        '  simrun sweep montecarlo --input range:10000 --db mc.db --seeds 1:20 --dry-run\n' +
        '  simrun report --db sweep.db --sweep 1\n',
    )
    .action(async (model: string, f: SweepFlags) => {
      const shard = f.shard === undefined ? null : parseShard(f.shard);
      const session = sessionOptions(f);
      // As `run`: the workers start while the primary loads the model and scans the input (not for --dry-run).
      const forks = f.dryRun ? undefined : forkEarly(session.workers);
      const { prepareSweep, runSweep } = await import('../primary/sweep/start.js');
      const prepared = await prepareSweep({
        ...session,
        ...(forks ? { forks } : {}),
        model,
        input: f.input,
        db: f.db,
        shard,
        yes: f.yes,
        request: {
          grid: f.grid,
          reforms: f.reforms ?? [],
          stack: f.stack ?? [],
          seeds: f.seeds ?? null,
          base: f.base ?? null,
          params: f.param.map(parseParamFlag),
          seed: f.seed,
        },
      });
      if (f.dryRun) {
        printDryRun(prepared);
        return exit(0);
      }
      exit(await runSweep(prepared));
    });
}
