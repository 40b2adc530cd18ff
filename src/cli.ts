#!/usr/bin/env node
/** simrun command line: one small module per command in src/cli/. */
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { reportFailure, stdoutFailure } from './cli/failure.js';
import { checkLimits } from './cli/limits.js';
import { SIMRUN_VERSION } from './version.js';
import { CORE_COMMANDS, registerCore, registerSummaries, subcommandTerm } from './cli/commands.js';

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
  .configureHelp({ helpWidth: 110, subcommandTerm });

/**
 * Each command is defined in its own module (commands.ts), and only the invoked command's module
 * is loaded: a run does not pay for the report's chart libraries, and `simrun --help` lists the
 * commands from their summaries without loading any.
 */
const invoked = process.argv[2];
const topLevelHelp = invoked === undefined || invoked === '-h' || invoked === '--help' || (invoked === 'help' && process.argv.length === 3);
const core = new Set(Object.keys(CORE_COMMANDS));

try {
  checkLimits(invoked);
  if (invoked !== undefined && core.has(invoked)) await registerCore(program, invoked, exit);
  else if (invoked !== '-V' && invoked !== '--version') {
    if (topLevelHelp) registerSummaries(program);
    else for (const name of core) await registerCore(program, name, exit);
    // A model's own commands (tax's generate, compare; a user model's: simrun ./model.ts <command>).
    const { registerModelCommands } = await import('./cli/model-commands.js');
    await registerModelCommands(program, invoked, core);
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
