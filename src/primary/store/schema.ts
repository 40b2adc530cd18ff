/**
 * The store's schema: the first release's tables and the numbered migrations a writer runs on
 * open (PRAGMA user_version, mirrored in meta.schema_version). docs/store.md lists them.
 */
import type { DB } from './store.js';
import { SWEEP_SCHEMA } from '../sweep/schema.js';
import { TRACE_SCHEMA } from '../trace/schema.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, model TEXT NOT NULL, model_ref TEXT NOT NULL, model_version TEXT NOT NULL,
  input TEXT NOT NULL, input_fingerprint TEXT NOT NULL, params_json TEXT NOT NULL,
  param_overrides_json TEXT NOT NULL, seed INTEGER NOT NULL, chunk_size TEXT NOT NULL,
  status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0, active_ms REAL NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL, finished_at TEXT, simrun_version TEXT NOT NULL, host TEXT NOT NULL,
  pid INTEGER NOT NULL, workers INTEGER NOT NULL, out_dir TEXT, message TEXT, notes TEXT);
CREATE TABLE IF NOT EXISTS errors (
  run_id INTEGER NOT NULL, idx INTEGER NOT NULL, attempts INTEGER NOT NULL, kind TEXT NOT NULL,
  name TEXT, message TEXT, stack TEXT, code TEXT, at TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (run_id INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_run ON chunks (run_id, lo);
CREATE TABLE IF NOT EXISTS shards (
  run_id INTEGER NOT NULL, shard_index INTEGER NOT NULL, shard_count INTEGER NOT NULL,
  lo INTEGER NOT NULL, hi INTEGER NOT NULL, source_db TEXT NOT NULL, source_run_id INTEGER NOT NULL,
  status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL, errors INTEGER NOT NULL,
  active_ms REAL NOT NULL, host TEXT NOT NULL, workers INTEGER NOT NULL, simrun_version TEXT NOT NULL,
  created_at TEXT NOT NULL, finished_at TEXT, merged_at TEXT NOT NULL,
  PRIMARY KEY (run_id, shard_index));
`;

function addColumns(db: DB, table: string, columns: [string, string][]): void {
  const have = new Set(db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
  for (const [name, type] of columns) if (!have.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
}

/**
 * Numbered migrations, run on open by a writer: MIGRATIONS[k] brings a database from schema
 * version k to k + 1 (PRAGMA user_version, mirrored in meta.schema_version, which releases
 * before migrations wrote). Each runs in its own transaction; nullable columns or new tables only, so the
 * rows of every earlier release stay valid.
 */
const MIGRATIONS: ((db: DB) => void)[] = [
  // 1: the first release's tables, and the run columns added to it in place before migrations
  // existed (databases of those releases say version 1 but may lack some of them).
  (db) => {
    db.exec(SCHEMA);
    addColumns(db, 'runs', [
      ['notes', 'TEXT'],
      ['shard_index', 'INTEGER'],
      ['shard_count', 'INTEGER'],
      ['input_total', 'INTEGER'],
    ]);
  },
  // 2: the model code fingerprint (resume refuses changed code) and the run claim's heartbeat.
  (db) =>
    addColumns(db, 'runs', [
      ['model_fingerprint', 'TEXT'],
      ['model_files_json', 'TEXT'],
      ['heartbeat_at', 'INTEGER'],
    ]),
  // 3: sweeps (simrun sweep): one record per sweep, one sweep_runs row per variant (its run).
  (db) => db.exec(SWEEP_SCHEMA),
  // 4: the trace of every chunk attempt and worker process (trace/schema.ts).
  (db) => db.exec(TRACE_SCHEMA),
];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database's schema version: user_version, or meta.schema_version of releases before migrations. */
export function schemaVersion(db: DB): number {
  const user = db.pragma('user_version', { simple: true }) as number;
  const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'`).get();
  const meta = hasMeta ? Number(db.prepare(`SELECT value FROM meta WHERE key='schema_version'`).pluck().get() ?? 0) : 0;
  return Math.max(user, meta);
}

export function migrate(db: DB): void {
  for (let v = schemaVersion(db); v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
      db.prepare(
        `INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('app', 'simrun') ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ).run(String(v + 1));
    }).immediate();
  }
}
