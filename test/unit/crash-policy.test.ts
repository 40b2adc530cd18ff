/** The crash policy, case by case: what a dead worker's chunks become (src/primary/pool/crash-policy.ts). */
import { describe, expect, it } from 'vitest';
import { afterWorkerDeath, breakerTripped, MAX_CRASH_STREAK, MAX_POISON_STREAK } from '../../src/primary/pool/crash-policy.js';

const chunk = (start: number, count: number, crashes = 0) => ({ start, count, crashes });

describe('after a crash', () => {
  it('bisects the oldest chunk in flight and requeues the others as they are', () => {
    expect(afterWorkerDeath([chunk(0, 7), chunk(7, 5, 1)], { kind: 'crash' }, 2)).toEqual({
      requeue: [chunk(0, 4), chunk(4, 3), chunk(7, 5, 1)],
      record: [],
    });
  });

  it('retries a single item under --retries, counting its crashes', () => {
    expect(afterWorkerDeath([chunk(9, 1, 1)], { kind: 'crash' }, 2)).toEqual({ requeue: [chunk(9, 1, 2)], record: [] });
  });

  it('records a single item that crashed more than --retries times', () => {
    expect(afterWorkerDeath([chunk(9, 1, 2), chunk(10, 3)], { kind: 'crash' }, 2)).toEqual({
      requeue: [chunk(10, 3)],
      record: [{ idx: 9, attempts: 3 }],
    });
    expect(afterWorkerDeath([chunk(9, 1)], { kind: 'crash' }, 0)).toEqual({ requeue: [], record: [{ idx: 9, attempts: 1 }] });
  });

  it('with nothing in flight, does nothing', () => {
    expect(afterWorkerDeath([], { kind: 'crash' }, 2)).toEqual({ requeue: [], record: [] });
  });
});

describe('after a timeout (the watchdog names the item)', () => {
  it('splits the chunk around the item, retries the item alone, and keeps every other chunk innocent', () => {
    expect(afterWorkerDeath([chunk(0, 10), chunk(10, 10)], { kind: 'timeout', idx: 4 }, 1)).toEqual({
      requeue: [chunk(0, 4), chunk(5, 5), chunk(4, 1, 1), chunk(10, 10)],
      record: [],
    });
  });

  it('blames the item even in a later chunk than the oldest (a result still on its way)', () => {
    expect(afterWorkerDeath([chunk(0, 10), chunk(10, 10)], { kind: 'timeout', idx: 19 }, 1)).toEqual({
      requeue: [chunk(0, 10), chunk(10, 9), chunk(19, 1, 1)],
      record: [],
    });
  });

  it('records the item once it timed out more than --retries times', () => {
    expect(afterWorkerDeath([chunk(4, 1, 1)], { kind: 'timeout', idx: 4 }, 1)).toEqual({ requeue: [], record: [{ idx: 4, attempts: 2 }] });
  });

  it('an item at the edge of its chunk leaves one piece, not an empty one', () => {
    expect(afterWorkerDeath([chunk(0, 3)], { kind: 'timeout', idx: 0 }, 0)).toEqual({
      requeue: [chunk(1, 2)],
      record: [{ idx: 0, attempts: 1 }],
    });
    expect(afterWorkerDeath([chunk(0, 3)], { kind: 'timeout', idx: 2 }, 0)).toEqual({
      requeue: [chunk(0, 2)],
      record: [{ idx: 2, attempts: 1 }],
    });
  });

  it('an item in no chunk in flight: every chunk is innocent', () => {
    expect(afterWorkerDeath([chunk(0, 3)], { kind: 'timeout', idx: 99 }, 2)).toEqual({ requeue: [chunk(0, 3)], record: [] });
  });
});

describe('the circuit breaker', () => {
  it('trips on a crash streak that grows with the workers, or on isolated items in a row', () => {
    expect(breakerTripped(MAX_CRASH_STREAK + 3, 0, 2)).toBe(false);
    expect(breakerTripped(MAX_CRASH_STREAK + 4, 0, 2)).toBe(true);
    expect(breakerTripped(1, MAX_POISON_STREAK - 1, 2)).toBe(false);
    expect(breakerTripped(1, MAX_POISON_STREAK, 2)).toBe(true);
  });
});
