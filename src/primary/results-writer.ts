/**
 * Writes one returned chunk per transaction: its rows into the model's table (multi-row
 * prepared INSERTs), its failed items into `errors`, its finished index ranges into `chunks`,
 * and the run's counters. A chunk is committed whole or not at all.
 */
import type { Statement } from 'better-sqlite3';
import type { SerializedError } from '../errors.js';
import { mergeIntervals, toIntervals, type Interval } from './intervals.js';
import { quoteIdent, type DB } from './store.js';

export interface ErrorRow {
  idx: number;
  attempts: number;
  kind: string;
  error: SerializedError;
}

const MAX_SQL_PARAMS = 32000;

export class ResultsWriter {
  private readonly batch: number;
  private readonly insertMany: Statement;
  private readonly insertOne: Statement;
  private readonly insertError: Statement;
  private readonly deleteErrors: Statement;
  private readonly insertRange: Statement;
  private readonly bumpRun: Statement;
  readonly commit: (rows: unknown[][], errors: ErrorRow[], activeMs: number) => void;

  constructor(
    private readonly db: DB,
    table: string,
    private readonly width: number,
    private readonly runId: number,
  ) {
    const rowSql = `(${new Array(width + 2).fill('?').join(',')})`;
    const insert = `INSERT OR REPLACE INTO ${quoteIdent(table)} VALUES `;
    this.batch = Math.max(1, Math.min(256, Math.floor(MAX_SQL_PARAMS / (width + 2))));
    this.insertMany = db.prepare(insert + new Array(this.batch).fill(rowSql).join(','));
    this.insertOne = db.prepare(insert + rowSql);
    this.insertError = db.prepare(
      `INSERT OR REPLACE INTO errors (run_id, idx, attempts, kind, name, message, stack, code, at) VALUES (?,?,?,?,?,?,?,?,?)`,
    );
    this.deleteErrors = db.prepare(`DELETE FROM errors WHERE run_id = ? AND idx BETWEEN ? AND ?`);
    this.insertRange = db.prepare(`INSERT INTO chunks (run_id, lo, hi, at) VALUES (?,?,?,?)`);
    this.bumpRun = db.prepare(`UPDATE runs SET done = done + ?, errors = errors + ?, active_ms = ?, updated_at = ? WHERE id = ?`);
    this.commit = db.transaction((rows: unknown[][], errors: ErrorRow[], activeMs: number) => this.write(rows, errors, activeMs));
  }

  private write(rows: unknown[][], errors: ErrorRow[], activeMs: number): void {
    const { runId, batch } = this;
    let k = 0;
    if (rows.length >= batch) {
      const params: unknown[] = new Array(batch * (this.width + 2));
      for (; k + batch <= rows.length; k += batch) {
        let p = 0;
        for (let r = k; r < k + batch; r++) {
          params[p++] = runId;
          for (const v of rows[r]!) params[p++] = v;
        }
        this.insertMany.run(params);
      }
    }
    for (; k < rows.length; k++) this.insertOne.run(runId, ...rows[k]!);
    const at = new Date().toISOString();
    const okRanges = toIntervals(rows.map((r) => r[0] as number));
    // An item that succeeds now (a retry) is no longer an error.
    for (const [lo, hi] of okRanges) this.deleteErrors.run(runId, lo, hi);
    for (const e of errors) {
      const { name, message, stack, code } = e.error;
      this.insertError.run(runId, e.idx, e.attempts, e.kind, name, message, stack ?? null, code ?? null, at);
    }
    const ranges = mergeIntervals([...okRanges, ...toIntervals(errors.map((e) => e.idx))].sort((a, b) => a[0] - b[0]));
    for (const [lo, hi] of ranges) this.insertRange.run(runId, lo, hi, at);
    this.bumpRun.run(rows.length, errors.length, activeMs, at, runId);
  }

  /** Intervals of indices this run has already finished (results or errors). */
  doneIntervals(): Interval[] {
    const rows = this.db.prepare(`SELECT lo, hi FROM chunks WHERE run_id = ? ORDER BY lo`).raw().all(this.runId) as Interval[];
    return mergeIntervals(rows);
  }
}
