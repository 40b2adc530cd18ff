/**
 * simrun's own commands: the one list of their names, the line `simrun --help` shows for each,
 * and the module that defines each (loaded only when that command runs, or for its own help).
 * `simrun --help` is printed from this list without loading any command module, so it costs
 * little more than Node's own start.
 */
import { Help, type Command } from 'commander';

type Exit = (code: number) => never;

export interface CoreCommand {
  /** What follows the name in the command list, e.g. `[options] <model>`. */
  usage: string;
  summary: string;
  register(program: Command, exit: Exit): Promise<void>;
}

export const CORE_COMMANDS: Readonly<Record<string, CoreCommand>> = {
  run: {
    usage: '[options] <model>',
    summary: 'run a model over every item of an input into a SQLite database',
    register: async (p, exit) => (await import('./run.js')).registerRun(p, exit),
  },
  sweep: {
    usage: '[options] <model>',
    summary: 'run many parameter sets (a grid, reforms, a stack, seeds) over one input in one pass',
    register: async (p, exit) => (await import('./sweep.js')).registerSweep(p, exit),
  },
  resume: {
    usage: '[options]',
    summary: 'finish an interrupted run: only the missing items, same results',
    register: async (p, exit) => (await import('./resume.js')).registerResume(p, exit),
  },
  status: {
    usage: '[options]',
    summary: 'show each run: status, progress, errors, throughput, ETA, provenance',
    register: async (p) => (await import('./status.js')).registerStatus(p),
  },
  merge: {
    usage: '[options] <shard-db...>',
    summary: 'join shard databases (run --shard i/N) into one run, checking nothing is missing or doubled',
    register: async (p, exit) => (await import('./merge.js')).registerMerge(p, exit),
  },
  query: {
    usage: '[options] <sql>',
    summary: 'run a read-only SQL query on a simrun database (also while a run writes it)',
    register: async (p) => (await import('./query.js')).registerQuery(p),
  },
  export: {
    usage: '[options]',
    summary: "write one run's results table to CSV, JSON Lines or Parquet (streamed)",
    register: async (p) => (await import('./export.js')).registerExport(p),
  },
  models: {
    usage: '[options]',
    summary: 'list the built-in models with their columns and params',
    register: async (p) => (await import('./models.js')).registerModels(p),
  },
  report: {
    usage: '[options]',
    summary: "a run's tables (those its model declares), or a self-contained HTML report of any run (--html)",
    register: async (p) => (await import('./report.js')).registerReport(p),
  },
  trace: {
    usage: '[options]',
    summary: "a run's trace: utilization, throughput over time, slowest items, restarts; or every chunk attempt",
    register: async (p) => (await import('./trace.js')).registerTrace(p),
  },
  check: {
    usage: '[options]',
    summary: 'check a database before publishing it: SQLite integrity, every run whole (rows, errors, indices, fingerprints)',
    register: async (p, exit) => (await import('./check.js')).registerCheck(p, exit),
  },
};

/** Defines command `name` from its module, with the summary of this list. */
export async function registerCore(program: Command, name: string, exit: Exit): Promise<void> {
  const c = CORE_COMMANDS[name]!;
  await c.register(program, exit);
  program.commands.find((cmd) => cmd.name() === name)?.summary(c.summary);
}

/**
 * Every command as a line of the command list only (for `simrun --help`): nothing loaded. The
 * list shows `usage` after each name, as commander would for the full definition.
 */
export function registerSummaries(program: Command): void {
  for (const [name, c] of Object.entries(CORE_COMMANDS)) summaryOnly.set(program.command(name).summary(c.summary), c.usage);
}

const summaryOnly = new WeakMap<Command, string>();

/** The help's term for a command: `name usage` for a summary-only line, commander's own otherwise. */
export function subcommandTerm(this: Help, cmd: Command): string {
  const usage = summaryOnly.get(cmd);
  return usage === undefined ? Help.prototype.subcommandTerm.call(this, cmd) : `${cmd.name()} ${usage}`;
}
