import type { Command } from 'commander';
import { addSessionOptions, forkEarly, intArg, sessionOptions, type SessionFlags } from './options.js';

export function registerResume(program: Command, exit: (code: number) => void): void {
  const cmd = program
    .command('resume')
    .description(
      'Finish an unfinished run (interrupted, failed, or whose primary was killed): runs only the items\n' +
        'that have no result or error yet. Refuses if the input content, the model version or the params\n' +
        'changed since the run started.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .option('--run <id>', 'run id (default: the newest unfinished run)', intArg(1, 'run id'))
    .option('--retry-errors', 'also run again the items recorded in errors (e.g. after fixing a model bug)', false)
    .option('--allow-model-change', 'accept a changed model version or params (recorded in runs.notes)', false);
  addSessionOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  simrun resume --db demo.db\n  simrun resume --db demo.db --run 3 --retry-errors --allow-model-change\n',
    )
    .action(async (f: SessionFlags & { db: string; run?: number; retryErrors: boolean; allowModelChange: boolean }) => {
      const session = { ...sessionOptions(f), retryErrors: f.retryErrors };
      const forks = forkEarly(session.workers);
      const { resumeRun } = await import('../primary/run/run.js');
      exit(await resumeRun({ ...session, forks, db: f.db, runId: f.run ?? null, allowModelChange: f.allowModelChange }));
    });
}
