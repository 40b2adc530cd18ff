/** The trace's worker side (worker/chunk-timer.ts) and the outcome of each attempt a dead worker held (crash-policy.ts). */
import { describe, expect, it } from 'vitest';
import { attemptOutcomes } from '../../src/primary/pool/crash-policy.js';
import { ChunkTimer, SLOWEST_KEPT } from '../../src/worker/chunk-timer.js';

const chunk = (start: number, count: number, crashes = 0) => ({ start, count, crashes });

describe('ChunkTimer', () => {
  it('keeps the slowest units, slowest first, with their first index and size', () => {
    const t = new ChunkTimer(100);
    const ms = [5, 1, 9, 3, 7, 2];
    let now = 0;
    t.skip(0);
    ms.forEach((d, k) => t.mark(101 + k, (now += d)));
    const { trace } = t.finish(106, 6);
    expect(trace.slowest).toEqual([
      [102, 1, 9],
      [104, 1, 7],
      [100, 1, 5],
    ]);
    expect(trace.slowest.length).toBe(SLOWEST_KEPT);
    expect(trace.rss).toBeGreaterThan(0);
    expect(trace.peakRss).toBeGreaterThanOrEqual(trace.rss);
    expect(trace.cpuMs).toBeGreaterThanOrEqual(0);
  });

  it('a block of items is one unit; time skipped (the event loop turning) counts for none', () => {
    const t = new ChunkTimer(0);
    t.skip(0);
    t.mark(64, 10);
    t.skip(1000);
    t.mark(128, 1004);
    expect(t.finish(128, 128).trace.slowest).toEqual([
      [0, 64, 10],
      [64, 64, 4],
    ]);
  });
});

describe('attemptOutcomes', () => {
  it('a crash: the running chunk is bisected, or a single item retried, or crashed when out of retries; the rest requeued', () => {
    expect(attemptOutcomes([chunk(0, 7), chunk(7, 5)], { kind: 'crash' }, 2)).toEqual(['bisected', 'requeued']);
    expect(attemptOutcomes([chunk(9, 1, 1)], { kind: 'crash' }, 2)).toEqual(['retried']);
    expect(attemptOutcomes([chunk(9, 1, 2), chunk(10, 3)], { kind: 'crash' }, 2)).toEqual(['crashed', 'requeued']);
  });

  it('a timeout: the chunk that holds the item timed out, every other requeued', () => {
    expect(attemptOutcomes([chunk(0, 10), chunk(10, 10)], { kind: 'timeout', idx: 14 }, 1)).toEqual(['requeued', 'timed_out']);
    expect(attemptOutcomes([chunk(14, 1, 1)], { kind: 'timeout', idx: 14 }, 1)).toEqual(['timed_out']);
  });
});
