/**
 * The SQLite store (better-sqlite3, WAL): schema, run records and provenance. Results are
 * written by results-writer.ts; this file owns opening, checking and the `runs` table.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, dbError } from '../../errors.js';
import type { ColumnType } from '../../api/model.js';
import { isWalFile } from './journal.js';
import { noteTarget, toUserError } from '../../system-errors.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './schema.js';

/** How long a writer waits for another writer's lock before failing (SIMRUN_BUSY_TIMEOUT_MS). */
const BUSY_TIMEOUT_MS = Number(process.env.SIMRUN_BUSY_TIMEOUT_MS ?? 10_000);
export type DB = Database.Database;
export type RunStatus = 'running' | 'interrupted' | 'failed' | 'done';

export interface RunRecord {
  id: number;
  model: string;
  model_ref: string;
  model_version: string;
  input: string;
  input_fingerprint: string;
  params_json: string;
  param_overrides_json: string;
  seed: number;
  chunk_size: string;
  status: RunStatus;
  total: number;
  done: number;
  errors: number;
  active_ms: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  simrun_version: string;
  host: string;
  pid: number;
  workers: number;
  out_dir: string | null;
  message: string | null;
  /** Append-only history of deliberate changes, e.g. a model version change on resume. */
  notes: string | null;
  /** --shard i/N (0-based) of a sharded run; null for an unsharded or a merged run. */
  shard_index: number | null;
  shard_count: number | null;
  /** Items in the whole input (a sharded run's `total` is its own block). */
  input_total: number | null;
  /** Fingerprint of the model's code (model-fingerprint.ts) and its files as JSON {file: sha256}. */
  model_fingerprint: string | null;
  model_files_json: string | null;
  /** The claim: the process in `host`/`pid` owns the run while heartbeat_at (epoch ms) is set and fresh. */
  heartbeat_at: number | null;
}

/** One shard merged into a run by `simrun merge` (provenance, shown by `simrun status`). */
export interface ShardRecord {
  run_id: number;
  shard_index: number;
  shard_count: number;
  lo: number;
  hi: number;
  source_db: string;
  source_run_id: number;
  status: string;
  total: number;
  done: number;
  errors: number;
  active_ms: number;
  host: string;
  workers: number;
  simrun_version: string;
  created_at: string;
  finished_at: string | null;
  merged_at: string;
}

function describeOpenError(file: string, err: unknown, readonly: boolean): Error {
  const code = (err as { code?: string }).code ?? '';
  const limit = toUserError(err);
  if (limit.code === 'E_LIMIT') return limit; // the open-file or memory limit, not the file
  if (readonly && (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY'))) {
    if (!isWalFile(file)) return dbError(`cannot read ${file}: ${(err as Error).message}; check its permissions`, err);
    return dbError(
      `cannot read ${file}: it is in WAL mode and its folder is read-only, and SQLite needs a ${path.basename(file)}-shm beside it; ` +
        `where it is writable, run: sqlite3 ${file} "PRAGMA journal_mode=DELETE" (simrun leaves finished databases that way), then copy it again`,
      err,
    );
  }
  if (code === 'SQLITE_NOTADB') return dbError(`${file} is not a SQLite database; give a new file name or a simrun database`, err);
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN')
    return dbError(`cannot write ${file} (read-only file or folder); use a writable location`, err);
  if (code === 'SQLITE_BUSY') return dbError(`${file} is locked by another writer; wait for it to finish or use another --db`, err);
  return dbError(`cannot open ${file}: ${(err as Error).message}`, err);
}

function checkSimrunDb(db: DB, file: string, walMissing: boolean, walAbsent: boolean): void {
  const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'`).get();
  const wal = `${path.basename(file)}-wal`;
  if (!hasMeta && walMissing)
    throw dbError(
      `${file}: its write-ahead log ${wal} is missing (deleted, or not copied with it), and every commit since the database was created was in it: ` +
        `its runs and results are lost. If you still have ${wal}, put it back beside ${file}; otherwise start the run again with a new --db`,
    );
  if (!hasMeta) throw dbError(`${file} is not a simrun database (no meta table); give a new file name`);
  if (walAbsent && existsSync(`${file}-shm`))
    process.stderr.write(
      `simrun: warning: ${file}: its write-ahead log ${wal} is missing but its -shm is there (a writer was killed and ${wal} deleted): ` +
        `the commits after the last checkpoint are lost; put ${wal} back if you have it, else check it (sqlite3 ${file} "PRAGMA integrity_check") before simrun resume redoes the lost items\n`,
    );
  const v = db.prepare(`SELECT value FROM meta WHERE key='schema_version'`).pluck().get() as string | undefined;
  if (v === undefined) throw dbError(`${file} is not a simrun database (no schema version)`);
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION)
    throw dbError(`${file} has schema version ${version}, newer than this simrun (${SCHEMA_VERSION}); upgrade simrun`);
}

/** Opens (and for writers creates) a simrun database; refuses anything else without touching it. */
export function openStore(file: string, opts: { readonly: boolean; mustExist?: boolean }): DB {
  const present = existsSync(file);
  const exists = present && statSync(file).size > 0;
  // A database in WAL mode whose -wal is gone (a killed writer's, deleted): its last commits are lost.
  // (A reader leaves an empty -wal behind: for a database with no tables yet, that is as missing.)
  const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : -1;
  const walMissing = exists && walSize <= 0 && isWalFile(file);
  if ((opts.readonly || opts.mustExist) && !exists) throw dbError(`database not found: ${file}`);
  if (!opts.readonly) noteTarget(file);
  let db: DB | undefined;
  try {
    if (!opts.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, { readonly: opts.readonly, fileMustExist: opts.readonly });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (exists) checkSimrunDb(db, file, walMissing, walMissing && walSize < 0);
    if (!opts.readonly) {
      // Before the first table: 16 KiB pages insert wide result rows ~12 % faster than 4 KiB.
      if (!exists) db.pragma('page_size = 16384');
      // An existing database at rest (see closeStore) turns to WAL only when written (useWal),
      // so a command refused after opening leaves its file byte for byte as it was.
      if (!exists) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    return db;
  } catch (err) {
    db?.close();
    // A database this call created is removed again: a failed open leaves no 0-byte file behind.
    if (!present && !opts.readonly) for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
    if (err instanceof DatabaseError) throw err;
    throw describeOpenError(file, err, opts.readonly);
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** How an existing results table differs from the model's columns (names, order, types), or null if it does not. */
export function resultsTableMismatch(db: DB, table: string, columns: [string, ColumnType][]): string | null {
  const existing = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[];
  if (!existing.length) return null;
  const want = [['run_id', 'INTEGER'], ['idx', 'INTEGER'], ...columns.map(([n, t]) => [n, t.toUpperCase()])];
  const same = existing.length === want.length && existing.every((c, i) => c.name === want[i]![0] && c.type === want[i]![1]);
  if (same) return null;
  const show = (cols: { name: string; type: string }[]) => cols.map((c) => `${c.name} ${c.type.toLowerCase()}`).join(', ');
  return `table ${table} has columns (${show(existing.slice(2))}) but model ${table} declares (${show(columns.map(([name, type]) => ({ name, type })))})`;
}

/** Creates the model's results table, or checks that an existing one has the same columns. */
export function ensureResultsTable(db: DB, table: string, columns: [string, ColumnType][]): void {
  const mismatch = resultsTableMismatch(db, table, columns);
  if (mismatch) throw dbError(`${mismatch}; use another --db for this model version`);
  const exists = db.prepare(`SELECT 1 FROM pragma_table_info(?)`).get(table);
  if (!exists) {
    const cols = columns.map(([n, t]) => `${quoteIdent(n)} ${t.toUpperCase()}`).join(', ');
    db.exec(
      `CREATE TABLE ${quoteIdent(table)} (run_id INTEGER NOT NULL, idx INTEGER NOT NULL, ${cols}, PRIMARY KEY (run_id, idx)) WITHOUT ROWID`,
    );
  }
  ensureLatestView(db, table);
}

/**
 * `v_<table>`: the rows of the newest finished (status 'done') run of that model, so
 * `SELECT * FROM v_tax` works in any SQLite client without knowing run ids. Created with the
 * table, and on the next run for databases made before views existed.
 */
export function ensureLatestView(db: DB, table: string): void {
  const t = quoteIdent(table);
  const model = `'${table.replace(/'/g, "''")}'`;
  db.exec(
    `CREATE VIEW IF NOT EXISTS ${quoteIdent('v_' + table)} AS SELECT * FROM ${t} ` +
      `WHERE run_id = (SELECT max(id) FROM runs WHERE model = ${model} AND status = 'done')`,
  );
}

export type NewRun = Omit<RunRecord, 'id' | 'done' | 'errors' | 'active_ms' | 'updated_at' | 'finished_at' | 'message' | 'notes'>;

export function createRun(db: DB, run: NewRun): number {
  const cols = Object.keys(run);
  const info = db
    .prepare(`INSERT INTO runs (${cols.join(', ')}, updated_at) VALUES (${cols.map((c) => '@' + c).join(', ')}, @created_at)`)
    .run(run);
  return Number(info.lastInsertRowid);
}

export function getRun(db: DB, id: number): RunRecord | undefined {
  return db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRecord | undefined;
}

export function listRuns(db: DB): RunRecord[] {
  return db.prepare(`SELECT * FROM runs ORDER BY id`).all() as RunRecord[];
}

export function setRunStatus(
  db: DB,
  id: number,
  status: RunStatus,
  fields: Partial<Pick<RunRecord, 'message' | 'pid' | 'workers' | 'active_ms'>> = {},
): void {
  const now = new Date().toISOString();
  const sets = Object.keys(fields).map((k) => `${k} = @${k}`);
  db.prepare(
    `UPDATE runs SET status = @status, updated_at = @now, finished_at = CASE WHEN @status = 'done' THEN @now ELSE finished_at END${sets.map((s) => ', ' + s).join('')} WHERE id = @id`,
  ).run({ id, status, now, ...fields });
}

/** Shards merged into each run (empty for a database that never received a merge). */
export function listShards(db: DB): ShardRecord[] {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='shards'`).get();
  return has ? (db.prepare(`SELECT * FROM shards ORDER BY run_id, shard_index`).all() as ShardRecord[]) : [];
}

export function addRunNote(db: DB, id: number, note: string): void {
  const line = `${new Date().toISOString()} ${note}`;
  db.prepare(`UPDATE runs SET notes = CASE WHEN notes IS NULL THEN @line ELSE notes || char(10) || @line END WHERE id = @id`).run({
    id,
    line,
  });
}
