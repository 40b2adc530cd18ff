/**
 * What to do when a worker dies with chunks in flight: a pure function of the chunks, what
 * killed the worker and --retries, so every case is unit-tested (test/unit/crash-policy.test.ts).
 *
 * - A crash: the oldest chunk in flight was running (a worker runs its chunks in order), so it
 *   is the suspect and is bisected until the poison item stands alone; the other chunks are
 *   innocent and go back as they are. A single item that crashed more than --retries times is
 *   recorded as an error.
 * - A timeout: the worker's watchdog named the item exactly, so only that item is suspect: it
 *   is retried alone (under --retries) or recorded; the rest of its chunk, and every other
 *   chunk, go back as innocent.
 * - The circuit breaker: a model that crashes on everything stops the run instead of forking
 *   forever (bisection costs a few crashes per item, so the limit grows with the workers).
 */
import type { Chunk } from '../run/chunk-feed.js';
import type { AttemptOutcome } from '../trace/schema.js';

/** A chunk to requeue: items [start, start + count), crashed or timed out `crashes` times. */
export interface Requeue {
  start: number;
  count: number;
  crashes: number;
}

export interface CrashDecision {
  requeue: Requeue[];
  /** Items to record as errors, with the number of attempts they had. */
  record: { idx: number; attempts: number }[];
}

export type Failure = { kind: 'crash' } | { kind: 'timeout'; idx: number };

export const MAX_CRASH_STREAK = 40;
export const MAX_POISON_STREAK = 3;

export function afterWorkerDeath(inflight: Pick<Chunk, 'start' | 'count' | 'crashes'>[], failure: Failure, retries: number): CrashDecision {
  const requeue: Requeue[] = [];
  const record: CrashDecision['record'] = [];
  const suspectOf = failure.kind === 'crash' ? (k: number) => k === 0 : () => false;
  inflight.forEach((c, k) => {
    const j = failure.kind === 'timeout' ? failure.idx - c.start : -1;
    const holdsTimedOut = failure.kind === 'timeout' && j >= 0 && j < c.count;
    if (!suspectOf(k) && !holdsTimedOut) {
      requeue.push({ start: c.start, count: c.count, crashes: c.crashes });
      return;
    }
    if (failure.kind === 'crash' && c.count > 1) {
      const h = Math.ceil(c.count / 2);
      requeue.push({ start: c.start, count: h, crashes: c.crashes }, { start: c.start + h, count: c.count - h, crashes: c.crashes });
      return;
    }
    const idx = failure.kind === 'timeout' ? failure.idx : c.start;
    if (failure.kind === 'timeout') {
      if (j > 0) requeue.push({ start: c.start, count: j, crashes: 0 });
      if (j < c.count - 1) requeue.push({ start: idx + 1, count: c.count - j - 1, crashes: 0 });
    }
    const attempts = (c.count === 1 ? c.crashes : 0) + 1;
    if (attempts <= retries) requeue.push({ start: idx, count: 1, crashes: attempts });
    else record.push({ idx, attempts });
  });
  return { requeue, record };
}

/** True when the run must stop: crashes with no chunk done in between, or items isolated in a row. */
export function breakerTripped(crashStreak: number, poisonStreak: number, workers: number): boolean {
  return crashStreak >= MAX_CRASH_STREAK + 2 * workers || poisonStreak >= MAX_POISON_STREAK;
}

/**
 * What each chunk in flight became, aligned with `inflight` (for the trace), as afterWorkerDeath
 * decides: a single item out of retries is 'crashed' (then recorded as an error).
 */
export function attemptOutcomes(
  inflight: Pick<Chunk, 'start' | 'count' | 'crashes'>[],
  failure: Failure,
  retries: number,
): AttemptOutcome[] {
  return inflight.map((c, k) => {
    if (failure.kind === 'timeout') return failure.idx >= c.start && failure.idx < c.start + c.count ? 'timed_out' : 'requeued';
    if (k > 0) return 'requeued';
    if (c.count > 1) return 'bisected';
    return c.crashes + 1 <= retries ? 'retried' : 'crashed';
  });
}
