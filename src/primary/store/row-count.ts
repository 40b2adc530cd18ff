/**
 * A run's rows as read against the `done` count recorded with them. Every commit adds a
 * chunk's rows and their count in one transaction, so the two agree in any consistent snapshot;
 * when they do not, the database is damaged (SQLite's cursor can end early on a damaged page
 * without an error, which only PRAGMA integrity_check sees), and nothing may be exported,
 * reported or merged from it as if whole.
 */
import { usageError } from '../../errors.js';
import { quoteIdent, type DB, type RunRecord } from './store.js';

/** The one line for a run whose rows do not add up; `after` says what was (not) written. */
export function rowCountError(dbFile: string, run: Pick<RunRecord, 'id' | 'done'>, found: number, after = ''): Error {
  return usageError(
    `run ${run.id} in ${dbFile}: read ${found} rows but the run recorded ${run.done} done; ` +
      `the database is damaged${after ? ` (${after})` : ''}; see: simrun check --db ${dbFile} --run ${run.id}`,
  );
}

/** Throws rowCountError when `found` rows were read for `run` and it recorded another count. */
export function checkRowCount(dbFile: string, run: Pick<RunRecord, 'id' | 'done'>, found: number, after = ''): void {
  if (found !== run.done) throw rowCountError(dbFile, run, found, after);
}

/** Counts the run's rows in its results table and checks them against its `done`. */
export function checkStoredRows(db: DB, dbFile: string, run: Pick<RunRecord, 'id' | 'done' | 'model'>, after = ''): void {
  const found = db
    .prepare(`SELECT count(*) FROM ${quoteIdent(run.model)} WHERE run_id = ?`)
    .pluck()
    .get(run.id) as number;
  checkRowCount(dbFile, run, found, after);
}

/**
 * Runs `read` in one read transaction, so the run record and its rows come from the same
 * snapshot even while a run goes on writing. `read` may be async (a streamed export).
 */
export async function inSnapshot<T>(db: DB, read: () => Promise<T> | T): Promise<T> {
  db.exec('BEGIN');
  try {
    return await read();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
