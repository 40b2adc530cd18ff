import type { Command } from 'commander';
import { resumeRun } from '../primary/run.js';
import { addSessionOptions, intArg, sessionOptions, type SessionFlags } from './options.js';

export function registerResume(program: Command, exit: (code: number) => void): void {
  const cmd = program
    .command('resume')
    .summary('finish an interrupted run: only the missing items, same results')
    .description(
      'Finish an unfinished run (interrupted, failed, or whose primary was killed): runs only the items\n' +
        'that have no result or error yet. Refuses if the input content, the model version or the params\n' +
        'changed since the run started.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .option('--run <id>', 'run id (default: the newest unfinished run)', intArg(1, 'run id'));
  addSessionOptions(cmd)
    .addHelpText('after', '\nExample:\n  simrun resume --db demo.db\n')
    .action(async (f: SessionFlags & { db: string; run?: number }) => {
      exit(await resumeRun({ ...sessionOptions(f), db: f.db, runId: f.run ?? null }));
    });
}
