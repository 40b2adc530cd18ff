/**
 * The trace tables (schema migration 3, see store.ts). One `trace` row per chunk attempt: the
 * committed attempt's row is written in the chunk's own transaction (so the trace never
 * disagrees with the results), a failed attempt's when it fails; a committed row holds its
 * chunk's slowest items as JSON (`slowest`), which the view `trace_items` lists one per row.
 * No index and no second table is written per chunk: each would add a 16 KiB page to every
 * commit's WAL write (measured: +20 % of the primary's CPU at 1000-item chunks with both).
 * `trace_workers` has one row per worker process, from its fork
 * to its exit; `trace_inflight` the chunks in flight of a running run, rewritten with every
 * heartbeat (for `status`). Times are epoch milliseconds; sizes bytes; `shard` is the run's
 * --shard index.
 */
export const TRACE_SCHEMA = `
CREATE TABLE IF NOT EXISTS trace (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, session INTEGER NOT NULL, shard INTEGER, host TEXT NOT NULL,
  lo INTEGER NOT NULL, hi INTEGER NOT NULL, attempt INTEGER NOT NULL, worker INTEGER, pid INTEGER,
  dispatched_at INTEGER, started_at INTEGER, finished_at INTEGER NOT NULL, wall_ms REAL, cpu_ms REAL,
  rss INTEGER, peak_rss INTEGER, items INTEGER NOT NULL, errors INTEGER NOT NULL, outcome TEXT NOT NULL, cause TEXT,
  slowest TEXT);
CREATE VIEW IF NOT EXISTS trace_items AS
  SELECT t.run_id, t.shard, json_extract(j.value, '$[0]') AS idx, json_extract(j.value, '$[1]') AS items,
    json_extract(j.value, '$[2]') AS ms, t.id AS trace_id
  FROM trace t, json_each(t.slowest) j;
CREATE TABLE IF NOT EXISTS trace_workers (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, session INTEGER NOT NULL, shard INTEGER, host TEXT NOT NULL,
  worker INTEGER NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL, ready_at INTEGER,
  exited_at INTEGER, exit_code INTEGER, signal TEXT, cause TEXT);
CREATE TABLE IF NOT EXISTS trace_inflight (
  run_id INTEGER NOT NULL, worker INTEGER, pid INTEGER, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
  dispatched_at INTEGER NOT NULL, running_since INTEGER, at INTEGER NOT NULL);
`;

/**
 * What became of a chunk attempt. committed: its rows and errors were committed (a row the
 * primary writes for an item it records as an error after crashes or timeouts is committed
 * too, with no worker, and says why in `cause`); requeued: its worker died on another chunk,
 * it went back whole; bisected: it was running when its worker crashed, split in two halves;
 * retried: a single item that crashed its worker, tried again alone; crashed: such an item
 * out of --retries (then recorded as an error); timed_out: it held an item that outlasted
 * --item-timeout (that item is tried alone or recorded, the rest requeued); lost: in flight
 * when the session ended (interrupted).
 */
export type AttemptOutcome = 'committed' | 'requeued' | 'bisected' | 'retried' | 'crashed' | 'timed_out' | 'lost';

/** True when the database has the trace tables (schema 3 or newer). */
export function hasTrace(db: { prepare(sql: string): { get(): unknown } }): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='trace'`).get() !== undefined;
}
