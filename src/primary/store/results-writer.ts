/**
 * Writes one returned chunk (in the transaction RunCommits holds): its rows into the model's table (multi-row
 * prepared INSERTs), its failed items into `errors`, its finished index ranges into `chunks`,
 * and the run's counters. A chunk is committed whole or not at all.
 */
import type { Statement } from 'better-sqlite3';
import os from 'node:os';
import { runFailed, type SerializedError } from '../../errors.js';
import type { ResultColumn } from '../../protocol.js';
import { mergeIntervals, subtractPoints, toIntervals, type Interval } from '../run/intervals.js';
import { quoteIdent, type DB } from './store.js';

/**
 * Rows as they come from a worker (protocol.ts ResultMessage): `rows` rows as columns; row k
 * has index `idx[k]`, or `start + k` when idx is null.
 */
export interface RowBatch {
  idx: number[] | null;
  start: number;
  rows: number;
  columns: ResultColumn[];
  specials: [number, number, string][] | null;
}

export interface ErrorRow {
  idx: number;
  attempts: number;
  kind: string;
  error: SerializedError;
}

const MAX_SQL_PARAMS = 32000;

export class ResultsWriter {
  private readonly batch: number;
  private readonly host = os.hostname();
  private readonly insertMany: Statement;
  private readonly insertOne: Statement;
  private readonly insertError: Statement;
  private readonly deleteErrors: Statement;
  private readonly deleteError: Statement;
  private readonly insertRange: Statement;
  private readonly bumpRun: Statement;

  constructor(
    private readonly db: DB,
    table: string,
    private readonly width: number,
    private readonly runId: number,
  ) {
    // run_id is a literal: one bound parameter fewer per row.
    const rowSql = `(${Number(runId)},${new Array(width + 1).fill('?').join(',')})`;
    const insert = `INSERT OR REPLACE INTO ${quoteIdent(table)} VALUES `;
    this.batch = Math.max(1, Math.min(256, Math.floor(MAX_SQL_PARAMS / (width + 1))));
    this.insertMany = db.prepare(insert + new Array(this.batch).fill(rowSql).join(','));
    this.insertOne = db.prepare(insert + rowSql);
    this.insertError = db.prepare(
      `INSERT OR REPLACE INTO errors (run_id, idx, attempts, kind, name, message, stack, code, at) VALUES (?,?,?,?,?,?,?,?,?)`,
    );
    this.deleteErrors = db.prepare(`DELETE FROM errors WHERE run_id = ? AND idx BETWEEN ? AND ?`);
    this.deleteError = db.prepare(`DELETE FROM errors WHERE run_id = ? AND idx = ?`);
    this.insertRange = db.prepare(`INSERT INTO chunks (run_id, lo, hi, at) VALUES (?,?,?,?)`);
    // Only the process that holds the run's claim may commit to it (see claimRun in store.ts).
    this.bumpRun = db.prepare(
      `UPDATE runs SET done = done + ?, errors = errors + ?, active_ms = ?, updated_at = ? WHERE id = ? AND pid = ? AND host = ?`,
    );
  }

  /** Writes one chunk; the caller (RunCommits) holds the transaction that makes it whole or nothing. */
  write(rows: RowBatch, errors: ErrorRow[], activeMs: number): void {
    const { batch, width } = this;
    const { idx, start, rows: n, columns } = rows;
    const exact = rows.specials ? specialsMap(rows.specials, width) : null;
    const put = (params: unknown[], p: number, r: number): number => {
      params[p++] = idx ? idx[r] : start + r;
      for (let c = 0; c < width; c++) {
        const v = columns[c]![r];
        // NaN marks NULL in a numeric column (a model's NaN is refused in the worker).
        params[p++] = v !== v ? null : v;
      }
      if (exact) for (let c = 0; c < width; c++) params[p - width + c] = exact.get(r * width + c) ?? params[p - width + c];
      return p;
    };
    let k = 0;
    if (n >= batch) {
      const params: unknown[] = new Array(batch * (width + 1));
      for (; k + batch <= n; k += batch) {
        let p = 0;
        for (let r = k; r < k + batch; r++) p = put(params, p, r);
        this.insertMany.run(params);
      }
    }
    const one: unknown[] = new Array(width + 1);
    for (; k < n; k++) {
      put(one, 0, k);
      this.insertOne.run(one);
    }
    const at = new Date().toISOString();
    const okRanges: Interval[] = idx ? toIntervals(idx) : n ? [[start, start + n - 1]] : [];
    // A retried item (resume --retry-errors) replaces its old error row: count it once.
    let retired = 0;
    for (const [lo, hi] of okRanges) retired += this.deleteErrors.run(this.runId, lo, hi).changes;
    for (const e of errors) {
      retired += this.deleteError.run(this.runId, e.idx).changes;
      const { name, message, stack, code } = e.error;
      this.insertError.run(this.runId, e.idx, e.attempts, e.kind, name, message, stack ?? null, code ?? null, at);
    }
    const ranges = mergeIntervals([...okRanges, ...toIntervals(errors.map((e) => e.idx))].sort((a, b) => a[0] - b[0]));
    for (const [lo, hi] of ranges) this.insertRange.run(this.runId, lo, hi, at);
    if (this.bumpRun.run(n, errors.length - retired, activeMs, at, this.runId, process.pid, this.host).changes !== 1) {
      throw runFailed(`run ${this.runId} was taken over by another process (see simrun status); this one stops without writing more`);
    }
  }

  /** Intervals of indices this run has already finished (results, and errors unless retried). */
  doneIntervals(retryErrors: boolean): Interval[] {
    const done = mergeIntervals(
      this.db.prepare(`SELECT lo, hi FROM chunks WHERE run_id = ? ORDER BY lo`).raw().all(this.runId) as Interval[],
    );
    if (!retryErrors) return done;
    const failed = this.db.prepare(`SELECT idx FROM errors WHERE run_id = ? ORDER BY idx`).pluck().all(this.runId) as number[];
    return subtractPoints(done, failed);
  }
}

/** [row, column, digits] of integers beyond 2^53 as exact bigints, keyed row * width + column. */
function specialsMap(specials: [number, number, string][], width: number): Map<number, bigint> {
  return new Map(specials.map(([r, c, digits]) => [r * width + c, BigInt(digits)]));
}
