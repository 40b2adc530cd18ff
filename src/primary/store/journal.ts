/**
 * The database's journal mode over its life: WAL while a writer works (readers never block a
 * run), rollback-journal mode at rest, so a finished database is one self-contained file that
 * opens read-only anywhere, also on read-only media.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';

type DB = Database.Database;

/** Connections that have written (called useWal): only they are put to rest on close. */
const wrote = new WeakSet<DB>();

/**
 * Writers work in WAL mode (readers never block a run): a new database is created in it, an
 * existing one at rest is switched when a writer first commits (outside a transaction). No-op
 * when it already is. If a reader holds the database at that moment the writer goes on in
 * rollback-journal mode (correct, commits just wait for readers) rather than fail.
 */
export function useWal(db: DB): void {
  wrote.add(db);
  try {
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  } catch {
    // busy: stays in rollback-journal mode for this session
  }
}

/**
 * Closes a database; a writer first leaves it at rest in rollback-journal mode when no other
 * connection has it open. The main file alone is then the whole database, with no -wal or
 * -shm beside it needed: copied to read-only media (an archive, a snapshot, a read-only
 * mount) it still opens read-only, which SQLite refuses for a WAL file whose folder cannot
 * take a -shm. If another process is reading, it stays in WAL mode (no wait, nothing lost).
 */
export function closeStore(db: DB): void {
  if (!db.open) return;
  // A command refused before it wrote leaves even an older WAL-at-rest file byte for byte as it was.
  if (!db.readonly && !db.inTransaction && wrote.has(db)) {
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('journal_mode = DELETE');
    } catch {
      // locked by a reader right now: it stays in WAL mode
    }
  }
  db.close();
}

/** The file header says WAL mode (bytes 18 and 19 are 2). */
export function isWalFile(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(2);
      return readSync(fd, b, 0, 2, 18) === 2 && b[0] === 2 && b[1] === 2;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
