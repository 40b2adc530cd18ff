/**
 * One run's results as the researcher sees them: the run record, its results table, the table's
 * columns with their SQL types, and a streaming iterator over the rows (idx order, bounded memory).
 */
import { usageError } from '../../errors.js';
import { exactRows } from './exact-values.js';
import { getRun, quoteIdent, type DB, type RunRecord } from './store.js';

export interface Column {
  name: string;
  /** declared SQL type: INTEGER, REAL, TEXT or BLOB */
  type: string;
}

export interface RunTable {
  run: RunRecord;
  table: string;
  columns: Column[];
}

/** Loads run `id` and its results table; a usage error (exit 2) when either is missing. */
export function runTable(db: DB, id: number, flag = '--run'): RunTable {
  const run = getRun(db, id);
  if (!run) throw usageError(`${flag} ${id}: no such run in this database (see: simrun status --db <file>)`);
  const columns = db.prepare(`SELECT name, upper(type) AS type FROM pragma_table_info(?) ORDER BY cid`).all(run.model) as Column[];
  if (!columns.length) throw usageError(`run ${id} (${run.model}) has no results table in this database yet`);
  return { run, table: run.model, columns };
}

/** The run's rows as arrays in `columns` order; a lazy iterator over one SQLite statement. */
export function iterateRows(db: DB, t: RunTable): Iterable<unknown[]> {
  const stmt = db.prepare(`SELECT * FROM ${quoteIdent(t.table)} WHERE run_id = ? ORDER BY idx`).safeIntegers(true);
  return exactRows(stmt.raw().iterate(t.run.id) as Iterable<unknown[]>);
}

export const rowCount = (db: DB, t: RunTable): number =>
  db
    .prepare(`SELECT count(*) FROM ${quoteIdent(t.table)} WHERE run_id = ?`)
    .pluck()
    .get(t.run.id) as number;

export const isNumeric = (c: Column) => c.type === 'INTEGER' || c.type === 'REAL';
