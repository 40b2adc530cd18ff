import { describe, expect, it } from 'vitest';
import { autoChunkSize, AUTO_FIRST, AUTO_MAX, fixedChunkSize } from '../../src/primary/run/chunk-size.js';
import { intervalCount, mergeIntervals, subtractIntervals, subtractPoints, toIntervals } from '../../src/primary/run/intervals.js';
import { canonicalJson, parseParamFlag, resolveParams } from '../../src/primary/run/params.js';
import { itemRandom } from '../../src/worker/random.js';
import type { Model } from '../../src/index.js';
import { formatDuration } from '../../src/util/duration.js';

describe('chunk size', () => {
  it('auto starts small, grows at most 4x per observation toward ~100 ms, and caps', () => {
    const s = autoChunkSize(2);
    expect(s.sizeFor(1e9)).toBe(AUTO_FIRST);
    s.observe(8, 0.008); // 1 us per item: ideal is 100,000
    expect(s.sizeFor(1e9)).toBe(AUTO_FIRST * 4);
    for (let i = 0; i < 10; i++) s.observe(1000, 1);
    expect(s.sizeFor(1e9)).toBe(AUTO_MAX);
    const slow = autoChunkSize(2);
    slow.observe(8, 400); // 50 ms per item: 2 items make ~100 ms
    expect(slow.sizeFor(1e9)).toBe(2);
  });

  it('auto shrinks the tail to at most 2 chunks per worker of what is left; fixed never changes', () => {
    const s = autoChunkSize(4);
    for (let i = 0; i < 10; i++) s.observe(1000, 10);
    expect(s.sizeFor(1e9)).toBe(AUTO_MAX);
    expect(s.sizeFor(800)).toBe(100);
    expect(s.sizeFor(3)).toBe(1);
    expect(fixedChunkSize(500).sizeFor(3)).toBe(500);
  });
});

describe('intervals', () => {
  it('compresses, merges, counts, skips and subtracts', () => {
    expect(toIntervals([5, 3, 4, 9, 10, 1])).toEqual([
      [1, 1],
      [3, 5],
      [9, 10],
    ]);
    expect(
      mergeIntervals([
        [0, 4],
        [5, 9],
        [8, 12],
        [20, 20],
      ]),
    ).toEqual([
      [0, 12],
      [20, 20],
    ]);
    expect(
      intervalCount([
        [0, 12],
        [20, 20],
      ]),
    ).toBe(14);
    // What a resumed shard still has to do: its block minus the finished intervals.
    expect(
      subtractIntervals(
        [[0, 20]],
        [
          [0, 3],
          [8, 8],
          [15, 30],
        ],
      ),
    ).toEqual([
      [4, 7],
      [9, 14],
    ]);
    expect(subtractIntervals([[5, 9]], [])).toEqual([[5, 9]]);
    expect(subtractIntervals([[5, 9]], [[0, 100]])).toEqual([]);
    expect(
      subtractPoints(
        [
          [0, 9],
          [20, 22],
        ],
        [0, 5, 9, 21],
      ),
    ).toEqual([
      [1, 4],
      [6, 8],
      [20, 20],
      [22, 22],
    ]);
  });
});

describe('params', () => {
  const model = { name: 'm', params: { rate: 0.2, nested: { low: 10, tags: ['a'] }, label: 'x' } } as unknown as Model;
  it('--param values parse as JSON when they can; overrides keep the default types', () => {
    expect(parseParamFlag('nested.tags=["b","c"]')).toEqual(['nested.tags', ['b', 'c']]);
    expect(parseParamFlag('label=hello world')).toEqual(['label', 'hello world']);
    const r = resolveParams(model, { rate: 0.3 }, [parseParamFlag('nested.low=5')]);
    expect(r.effective).toEqual({ rate: 0.3, nested: { low: 5, tags: ['a'] }, label: 'x' });
    expect(r.overrides).toEqual({ rate: 0.3, nested: { low: 5 } });
    expect(() => resolveParams(model, {}, [['nested.high', 1]])).toThrow(
      /unknown parameter 'nested.high' for model m \(known: nested.low, nested.tags\)/,
    );
    expect(() => resolveParams(model, {}, [['rate', '0.5%']])).toThrow(/'rate' of model m must be number, got string/);
    expect(() => resolveParams(model, {}, [['nested', 3]])).toThrow(/is an object; set its fields/);
    expect(() => parseParamFlag('=3')).toThrow(/use --param name=value/);
  });
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
  });
});

describe('ctx.random', () => {
  it('depends only on (seed, index): same stream every time, different across items and seeds', () => {
    const draw = (seed: number, idx: number) => Array.from({ length: 5 }, itemRandom(seed, idx));
    expect(draw(1, 42)).toEqual(draw(1, 42));
    expect(draw(1, 42)).not.toEqual(draw(1, 43));
    expect(draw(1, 42)).not.toEqual(draw(2, 42));
    const xs = Array.from({ length: 20000 }, itemRandom(7, 0));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.01);
  });
});

describe('formatDuration', () => {
  it('prints seconds, minutes and hours, and ? when unknown', () => {
    expect([5, 59.9, 60, 187, 7500, Infinity, NaN].map(formatDuration)).toEqual(['5s', '59s', '1m00s', '3m07s', '2h05m', '?', '?']);
  });
});
