import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { openStore } from '../primary/store/store.js';
import { exactRows } from '../primary/store/exact-values.js';
import { OUTPUT_FORMATS, writeRows, type OutputFormat } from './output.js';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description(
      'Run one SQL statement on the database, opened read-only. Tables: runs, errors, chunks, and one\n' +
        'results table per model (run_id, idx, then the model columns).',
    )
    .requiredOption('-d, --db <file>', 'SQLite database')
    .argument('<sql>', 'the SQL statement (quote it)')
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addHelpText(
      'after',
      `\nExample:\n  simrun query --db demo.db "SELECT run_id, count(*), avg(pi_estimate) FROM montecarlo GROUP BY run_id"\n`,
    )
    .action((sql: string, f: { db: string; format: OutputFormat }) => {
      const db = openStore(f.db, { readonly: true });
      try {
        let stmt;
        try {
          stmt = db.prepare(sql);
        } catch (err) {
          throw usageError(`SQL error: ${(err as Error).message}`);
        }
        if (!stmt.reader) throw usageError('query is read-only: it runs statements that return rows (SELECT, WITH, PRAGMA), not writes');
        const columns = stmt.columns().map((c) => c.name);
        try {
          writeRows(columns, exactRows(stmt.safeIntegers(true).raw().iterate() as Iterable<unknown[]>), f.format);
        } catch (err) {
          throw usageError(`SQL error: ${(err as Error).message}`);
        }
      } finally {
        db.close();
      }
    });
}
