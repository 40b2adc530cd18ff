#!/usr/bin/env node
/** simrun command line: one small module per command in src/cli/. */
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { reportFailure, stdoutFailure } from './cli/failure.js';
import { checkLimits } from './cli/limits.js';
import { SIMRUN_VERSION } from './version.js';

/** Stdout that could not be written (/dev/full, a full disk): one line, exit 1; a reader gone (`| head`): exit 0. */
function failStdout(err: NodeJS.ErrnoException): never {
  const { line, code } = stdoutFailure(err);
  if (line) process.stderr.write(`${line}\n`);
  process.exit(code);
}

function exit(code: number): never {
  // A write to a file or /dev/full fails synchronously, but its 'error' event comes on the next tick.
  const failed = process.stdout.errored as NodeJS.ErrnoException | null;
  if (failed) failStdout(failed);
  process.exit(code);
}

process.stdout.on('error', failStdout);
// An error thrown outside the command's promise (an event handler): one line too, never a stack.
process.on('uncaughtException', (err) => exit(reportFailure(err)));

const program = new Command('simrun')
  .description('Run large batch jobs over all cores into a resumable, queryable SQLite database.')
  .version(SIMRUN_VERSION)
  .exitOverride()
  // Descriptions are written as lines of up to ~100 characters; don't re-wrap them at 80.
  .configureHelp({ helpWidth: 110 });

/**
 * Each command registers itself from its own module. Only the invoked command's module is
 * loaded (a run does not pay for the report's chart libraries); help loads them all.
 */
const commands: Record<string, () => Promise<void>> = {
  run: async () => (await import('./cli/run.js')).registerRun(program, exit),
  resume: async () => (await import('./cli/resume.js')).registerResume(program, exit),
  status: async () => (await import('./cli/status.js')).registerStatus(program),
  merge: async () => (await import('./cli/merge.js')).registerMerge(program, exit),
  query: async () => (await import('./cli/query.js')).registerQuery(program),
  export: async () => (await import('./cli/export.js')).registerExport(program),
  models: async () => (await import('./cli/models.js')).registerModels(program),
  report: async () => (await import('./cli/report.js')).registerReport(program),
  check: async () => (await import('./cli/check.js')).registerCheck(program, exit),
  trace: async () => (await import('./cli/trace.js')).registerTrace(program),
};
const invoked = process.argv[2];

try {
  checkLimits(invoked);
  if (invoked !== undefined && Object.hasOwn(commands, invoked)) await commands[invoked]!();
  else {
    for (const register of Object.values(commands)) await register();
    // A model's own commands (tax's generate, compare; a user model's: simrun ./model.ts <command>).
    const { registerModelCommands } = await import('./cli/model-commands.js');
    await registerModelCommands(program, invoked, new Set(Object.keys(commands)));
  }
  program.commands.forEach((c) => c.exitOverride());
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help / version).
    exit(err.exitCode === 0 ? 0 : EXIT.usage);
  }
  exit(reportFailure(err));
}
