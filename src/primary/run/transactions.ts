/**
 * Every transaction a run session writes in begins and ends here:
 *  - a new run's first transaction, held open from startRun until its first chunk commits (or
 *    NEW_RUN_VISIBLE_MS after the first dispatch), so a model bug found on the first chunk
 *    (rows that do not match its columns) is rolled back and leaves no trace;
 *  - one transaction per returned chunk (ResultsWriter.write inside it): whole or not at all; in
 *    a sweep, the chunk's rows of every variant (each a run of its own) in that one transaction;
 *  - the session's end (status and claim), also when a second signal stops it at once.
 */
import { releaseClaim } from '../store/claims.js';
import { useWal } from '../store/journal.js';
import type { ErrorRow, ResultsWriter, RowBatch } from '../store/results-writer.js';
import { setRunStatus, type DB, type RunRecord } from '../store/store.js';

/** How long after the first dispatch a new run becomes visible at the latest (`status` shows it). */
export const NEW_RUN_VISIBLE_MS = 2000;

/** startRun: the new run's row (and its results table and views) are written in this transaction. */
export function beginNewRun(db: DB): void {
  db.exec('BEGIN IMMEDIATE');
}

/** Ends a new run's first transaction if it is still open: kept (COMMIT) or discarded (ROLLBACK). */
export function endNewRun(db: DB, keep: boolean): void {
  if (db.open && db.inTransaction) db.exec(keep ? 'COMMIT' : 'ROLLBACK');
}

/** True while a new run's first transaction is open (no chunk was ever committed). */
export const newRunPending = (db: DB): boolean => db.open && db.inTransaction;

/** A sweep variant's part of a chunk: its rows and item errors. */
export interface VariantWrite {
  rows: RowBatch;
  errors: ErrorRow[];
}

/** A sweep's other variants: each a run with its own writer (the session's run is the first variant). */
export interface VariantRun {
  run: RunRecord;
  writer: ResultsWriter;
}

export class RunCommits {
  private publishTimer: NodeJS.Timeout | undefined;
  private readonly commitChunk: (rows: RowBatch, errors: ErrorRow[], activeMs: number, more: VariantWrite[], trace?: () => void) => void;
  private readonly runIds: number[];

  constructor(
    private readonly db: DB,
    run: RunRecord,
    writer: ResultsWriter,
    variants: VariantRun[] = [],
  ) {
    this.runIds = [run.id, ...variants.map((v) => v.run.id)];
    // Inside the held first transaction better-sqlite3 makes this a savepoint: still whole or nothing.
    this.commitChunk = db.transaction((rows: RowBatch, errors: ErrorRow[], activeMs: number, more: VariantWrite[], trace?: () => void) => {
      writer.write(rows, errors, activeMs);
      if (more.length !== variants.length) throw new Error(`a chunk of ${more.length + 1} variant(s) for a sweep of ${this.runIds.length}`);
      more.forEach((m, k) => variants[k]!.writer.write(m.rows, m.errors, activeMs));
      trace?.();
    });
  }

  /** The ids of the runs every commit writes to: the run, and a sweep's other variants. */
  get runs(): readonly number[] {
    return this.runIds;
  }

  /**
   * A returned chunk (rows and item errors; in a sweep, every variant's; and its trace row, one
   * for all variants) in one transaction; then the run is visible.
   */
  commit(rows: RowBatch, errors: ErrorRow[], activeMs: number, more: VariantWrite[] = [], trace?: () => void): void {
    this.commitChunk(rows, errors, activeMs, more, trace);
    this.publish();
  }

  /** Called on every dispatch: the first one starts the NEW_RUN_VISIBLE_MS clock. */
  dispatched(): void {
    this.publishTimer ??= setTimeout(() => this.publish(), NEW_RUN_VISIBLE_MS);
  }

  /** Commits a new run's first transaction; only now WAL, so a run rolled back before leaves the file as it was. */
  private publish(): void {
    if (!newRunPending(this.db)) return;
    this.db.exec('COMMIT');
    useWal(this.db);
  }

  /** The session's status at its start. */
  start(workers: number): void {
    this.db.transaction(() => {
      for (const id of this.runIds) setRunStatus(this.db, id, 'running', { workers, message: null });
    })();
  }

  /** The run's status at the session's end (done, failed, interrupted), with its active time. */
  end(status: 'done' | 'failed' | 'interrupted', activeMs: number, message?: string): void {
    clearTimeout(this.publishTimer);
    if (!this.db.open) return;
    const fields = { active_ms: activeMs, ...(message === undefined ? {} : { message }) };
    this.db.transaction(() => {
      for (const id of this.runIds) setRunStatus(this.db, id, status, fields);
    })();
  }

  /** Stops the clock and releases the run's claim: the last write of every session. */
  close(): void {
    clearTimeout(this.publishTimer);
    if (this.db.open) for (const id of this.runIds) releaseClaim(this.db, id);
  }
}
