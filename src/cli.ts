#!/usr/bin/env node
/** simrun command line: one small module per command in src/commands/. */
import { Command, CommanderError } from 'commander';
import { EXIT, SimrunError } from './errors.js';
import { SIMRUN_VERSION } from './version.js';
import { registerCompare } from './commands/compare.js';
import { registerExport } from './commands/export.js';
import { registerGenerate } from './commands/generate.js';
import { registerMerge } from './commands/merge.js';
import { registerModels } from './commands/models.js';
import { registerQuery } from './commands/query.js';
import { registerReport } from './commands/report.js';
import { registerResume } from './commands/resume.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';

function exit(code: number): never {
  process.exit(code);
}

// `simrun query ... | head`: the reader went away, which is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') exit(0);
  throw err;
});

const program = new Command('simrun')
  .description('Run large batch jobs over all cores into a resumable, queryable SQLite database.')
  .version(SIMRUN_VERSION)
  .exitOverride()
  .showHelpAfterError('(add --help for usage)');

registerRun(program, exit);
registerResume(program, exit);
registerStatus(program);
registerMerge(program, exit);
registerQuery(program);
registerExport(program);
registerModels(program);
registerGenerate(program);
registerReport(program);
registerCompare(program);
program.commands.forEach((c) => c.exitOverride());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help / version).
    exit(err.exitCode === 0 ? 0 : EXIT.usage);
  }
  if (err instanceof SimrunError) {
    process.stderr.write(`simrun: ${err.message}\n`);
    exit(err.exitCode);
  }
  process.stderr.write(`simrun: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exit(EXIT.failed);
}
