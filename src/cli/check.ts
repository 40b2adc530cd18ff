import type { Command } from 'commander';
import { EXIT, usageError } from '../errors.js';
import { checkDatabase, type DbCheck, type Finding } from '../primary/store/check.js';
import { openStore } from '../primary/store/store.js';
import { intArg } from './options.js';

const mark = (f: Finding) => (f.ok ? '  ok    ' : f.itemErrors ? '  ERRORS' : '  FAIL  ');

function print(file: string, c: DbCheck): void {
  const lines = [`database ${file}`, `${mark(c.integrity)}${c.integrity.line}`];
  if (!c.runs.length) lines.push('  (no runs)');
  for (const { run, findings } of c.runs) {
    lines.push(`run ${run.id}: ${run.model} ${run.model_version}, ${run.status}, ${run.total} items, input ${run.input}`);
    for (const f of findings) lines.push(`${mark(f)}${f.line}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** 0 when everything holds, 3 when the only findings are item errors, else 1; and the summary line. */
function verdict(c: DbCheck): { code: number; line: string } {
  const failed = c.runs.filter((r) => r.findings.some((f) => !f.ok && !f.itemErrors)).map((r) => r.run.id);
  const withErrors = c.runs.filter((r) => r.findings.some((f) => f.itemErrors)).map((r) => r.run.id);
  const parts = [
    ...(c.integrity.ok ? [] : ['the SQLite integrity check']),
    ...(failed.length ? [`run${failed.length > 1 ? 's' : ''} ${failed.join(', ')}`] : []),
  ];
  if (parts.length) return { code: EXIT.failed, line: `check failed: ${parts.join(' and ')} (FAIL lines above)` };
  if (withErrors.length)
    return {
      code: EXIT.itemErrors,
      line: `every check holds, but run${withErrors.length > 1 ? 's' : ''} ${withErrors.join(', ')} had item errors`,
    };
  return { code: EXIT.done, line: `every check holds (${c.runs.length} run${c.runs.length === 1 ? '' : 's'})` };
}

export function registerCheck(program: Command, exit: (code: number) => void): void {
  program
    .command('check')
    .description(
      "Checks a database, read-only: SQLite's PRAGMA integrity_check, then for each run (or --run N):\n" +
        'its result rows against the done count it recorded, its error rows against its errors count,\n' +
        "every index of the run (a shard's block for a shard) present as a row or an error row (missing\n" +
        'ones listed as ranges), and the stored fingerprints of its input and model code. Prints one line\n' +
        'per check. Exit 0 when every check holds; 3 when all hold but a run has item errors; 1 when any\n' +
        'check fails (damage, lost or missing rows, an unfinished run, no fingerprint); 2 for bad usage.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database to check')
    .option('--run <id>', 'check only this run (the integrity check is of the whole file)', intArg(1, 'run'))
    .addHelpText(
      'after',
      '\nExamples:\n  simrun check --db out/tax.db\n  simrun merge --into all.db shard-*.db && simrun check --db all.db\n',
    )
    .action((f: { db: string; run?: number }) => {
      const db = openStore(f.db, { readonly: true });
      let c: DbCheck | null;
      try {
        c = checkDatabase(db, f.db, f.run);
      } finally {
        db.close();
      }
      if (!c) throw usageError(`--run ${f.run}: no such run in ${f.db} (see: simrun status --db ${f.db})`);
      print(f.db, c);
      const v = verdict(c);
      process.stdout.write(`${v.line}\n`);
      if (v.code !== EXIT.done) process.stderr.write(`simrun: ${v.line}\n`);
      exit(v.code);
    });
}
