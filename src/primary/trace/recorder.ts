/**
 * Writes a run session's trace (schema.ts): each worker process from fork to exit, and each
 * chunk attempt. A committed attempt's row is written by `committed()` / `recorded()`, which
 * RunCommits calls inside the chunk's own transaction; a failed attempt's row when its worker
 * dies; chunks still in flight when the session ends are written as lost by `close()`.
 */
import os from 'node:os';
import type { Worker } from 'node:cluster';
import type { Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ResultMessage } from '../../protocol.js';
import type { Chunk } from '../run/chunk-feed.js';
import type { DB, RunRecord } from '../store/store.js';
import type { AttemptOutcome } from './schema.js';

/** The pool's side of the trace: what the supervisor tells it (all optional to a pool). */
export interface PoolTrace {
  /** `at`: when it was forked (Date.now()): workers are forked before the run's store is open. */
  forked(worker: Worker, at: number): void;
  ready(worker: Worker): void;
  dispatched(chunk: Chunk, worker: Worker): void;
  /** A worker died with these chunks in flight; `outcomes` aligned with them (crash-policy.ts). */
  failed(inflight: Chunk[], outcomes: AttemptOutcome[], cause: string): void;
  exited(worker: Worker, code: number | null, signal: string | null, cause: string): void;
}

interface Sent {
  chunk: Chunk;
  worker: number;
  pid: number;
  at: number;
}

const ATTEMPT_COLUMNS =
  'run_id, session, shard, host, lo, hi, attempt, worker, pid, dispatched_at, started_at, finished_at, wall_ms, cpu_ms, rss, peak_rss, items, errors, outcome, cause, slowest';

/** The session's trace, or null when SIMRUN_TRACE=0 turns it off (the bench's trace case compares). */
export function createTrace(db: DB, run: RunRecord, log: Logger): TraceRecorder | null {
  return process.env.SIMRUN_TRACE === '0' ? null : new TraceRecorder(db, run, log);
}

export class TraceRecorder implements PoolTrace {
  readonly session: number;
  private readonly host = os.hostname();
  private readonly shard: number | null;
  private readonly runId: number;
  /** cluster worker id -> [worker number, trace_workers row id] */
  private readonly workers = new Map<number, [number, number]>();
  private readonly sent = new Map<number, Sent>();
  private readonly insertAttempt: Statement;
  private readonly insertWorker: Statement;
  private readonly setReady: Statement;
  private readonly setExit: Statement;
  /** worker number -> when it last answered a chunk (its oldest chunk in flight runs since then). */
  private readonly answered = new Map<number, number>();

  constructor(
    private readonly db: DB,
    run: RunRecord,
    private readonly log: Logger,
  ) {
    this.runId = run.id;
    this.shard = run.shard_index;
    this.session = db.prepare(`SELECT coalesce(max(session), 0) + 1 FROM trace_workers WHERE run_id = ?`).pluck().get(run.id) as number;
    this.insertAttempt = db.prepare(`INSERT INTO trace (${ATTEMPT_COLUMNS}) VALUES (${ATTEMPT_COLUMNS.replace(/\w+/g, '?')})`);
    this.insertWorker = db.prepare(
      `INSERT INTO trace_workers (run_id, session, shard, host, worker, pid, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.setReady = db.prepare(`UPDATE trace_workers SET ready_at = ? WHERE id = ?`);
    this.setExit = db.prepare(`UPDATE trace_workers SET exited_at = ?, exit_code = ?, signal = ?, cause = ? WHERE id = ?`);
  }

  /** A trace write outside a chunk's transaction: a failure is logged, never the run's end. */
  private write(what: string, fn: () => void): void {
    if (!this.db.open) return;
    try {
      fn();
    } catch (err) {
      this.log.warn({ err, what }, 'trace: could not write');
    }
  }

  forked(worker: Worker, at: number): void {
    const taken = new Set([...this.workers.values()].map(([n]) => n));
    let n = 1;
    while (taken.has(n)) n++;
    const pid = worker.process.pid ?? 0;
    this.write('worker start', () => {
      const id = Number(this.insertWorker.run(this.runId, this.session, this.shard, this.host, n, pid, at).lastInsertRowid);
      this.workers.set(worker.id, [n, id]);
    });
  }

  ready(worker: Worker): void {
    const w = this.workers.get(worker.id);
    if (w) this.write('worker ready', () => this.setReady.run(Date.now(), w[1]));
  }

  dispatched(chunk: Chunk, worker: Worker): void {
    this.sent.set(chunk.id, { chunk, worker: this.workers.get(worker.id)?.[0] ?? 0, pid: worker.process.pid ?? 0, at: Date.now() });
  }

  /** In the chunk's commit transaction: its attempt row, with its slowest items. */
  committed(chunk: Chunk, msg: ResultMessage): void {
    const s = this.sent.get(chunk.id);
    this.sent.delete(chunk.id);
    if (s) this.answered.set(s.worker, Date.now());
    const t = msg.trace;
    const started = t ? Math.round(t.startedAt) : null;
    this.insertAttempt.run(
      ...this.range(chunk),
      s?.worker ?? null,
      s?.pid ?? null,
      s?.at ?? null,
      started,
      started === null ? Date.now() : Math.round(t!.startedAt + msg.ms),
      msg.ms,
      t?.cpuMs ?? null,
      t?.rss ?? null,
      t?.peakRss ?? null,
      chunk.count,
      msg.errors.length,
      'committed',
      null,
      t?.slowest.length ? JSON.stringify(t.slowest) : null,
    );
  }

  /** In the transaction that records an item as an error after crashes or timeouts: its committed row. */
  recorded(idx: number, attempts: number, cause: string): void {
    const item = { id: 0, start: idx, count: 1, crashes: attempts - 1 };
    this.insertAttempt.run(...this.range(item), null, null, null, null, Date.now(), null, null, null, null, 1, 1, 'committed', cause, null);
  }

  failed(inflight: Chunk[], outcomes: AttemptOutcome[], cause: string): void {
    this.write('failed attempts', () => {
      const now = Date.now();
      inflight.forEach((c, k) => this.lostOrFailed(c, outcomes[k] ?? 'requeued', cause, now));
    });
  }

  exited(worker: Worker, code: number | null, signal: string | null, cause: string): void {
    const w = this.workers.get(worker.id);
    this.workers.delete(worker.id);
    if (w) this.write('worker exit', () => this.setExit.run(Date.now(), code, signal, cause, w[1]));
  }

  /** With every heartbeat: the chunks in flight, for `status` (the oldest of each worker is the one running). */
  snapshot(): void {
    const now = Date.now();
    const running = new Set<number>();
    this.write('in flight', () =>
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM trace_inflight WHERE run_id = ?`).run(this.runId);
        const add = this.db.prepare(`INSERT INTO trace_inflight VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const { chunk, worker, pid, at } of [...this.sent.values()].sort((a, b) => a.at - b.at)) {
          const since = running.has(worker) ? null : Math.max(at, this.answered.get(worker) ?? 0);
          running.add(worker);
          add.run(this.runId, worker, pid, chunk.start, chunk.start + chunk.count - 1, at, since, now);
        }
      })(),
    );
  }

  /** The session's end: chunks still in flight (grace over, or a second signal) are lost. */
  close(): void {
    const now = Date.now();
    this.write('lost attempts', () => {
      for (const { chunk } of [...this.sent.values()]) this.lostOrFailed(chunk, 'lost', 'in flight when the session ended', now);
      this.db.prepare(`DELETE FROM trace_inflight WHERE run_id = ?`).run(this.runId);
    });
  }

  private lostOrFailed(c: Chunk, outcome: AttemptOutcome, cause: string, now: number): void {
    const s = this.sent.get(c.id);
    this.sent.delete(c.id);
    this.insertAttempt.run(
      ...this.range(c),
      s?.worker ?? null,
      s?.pid ?? null,
      s?.at ?? null,
      null,
      now,
      null,
      null,
      null,
      null,
      c.count,
      0,
      outcome,
      cause,
      null,
    );
  }

  private range(c: Chunk): [number, number, number | null, string, number, number, number] {
    return [this.runId, this.session, this.shard, this.host, c.start, c.start + c.count - 1, c.crashes + 1];
  }
}
