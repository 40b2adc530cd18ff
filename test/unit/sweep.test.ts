/** Sweep variants from their flags (src/primary/sweep/variants.ts) and the report's arithmetic (report-table.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, sweepTable, tQuantile } from '../../src/primary/sweep/report-table.js';
import { deepMerge, expandGrid, planSweep, variantCount, type SweepRequest } from '../../src/primary/sweep/variants.js';

const request = (r: Partial<SweepRequest>): SweepRequest => ({
  grid: [],
  reforms: [],
  stack: [],
  seeds: null,
  base: null,
  params: [],
  seed: 1,
  ...r,
});

describe('sweep variants', () => {
  it('a grid: inclusive ranges without float drift, lists, the cartesian product after the baseline', () => {
    const plan = planSweep(request({ grid: ['a.x=0.1:0.3:0.1', 'b=true,false'], params: [['c', 5]] }));
    expect(plan.grid).toEqual([
      ['a.x', [0.1, 0.2, 0.3]],
      ['b', [true, false]],
    ]);
    expect(variantCount(plan)).toBe(7);
    const full = expandGrid(plan, 3);
    expect(full.variants.map((v) => v.label)).toEqual([
      'baseline',
      'a.x=0.1, b=true',
      'a.x=0.1, b=false',
      'a.x=0.2, b=true',
      'a.x=0.2, b=false',
      'a.x=0.3, b=true',
      'a.x=0.3, b=false',
    ]);
    expect(full.variants[3]).toMatchObject({ changes: { a: { x: 0.2 }, b: true }, overrides: { c: 5, a: { x: 0.2 }, b: true }, seed: 3 });
    expect(planSweep(request({ grid: ['n=1:3'] })).grid).toEqual([['n', [1, 2, 3]]]);
  });

  it('refuses bad grids and seeds, and two kinds at once', () => {
    expect(() => planSweep(request({ grid: ['x'] }))).toThrow(/bad --grid 'x'/);
    expect(() => planSweep(request({ grid: ['x=3:1'] }))).toThrow(/ends \(1\) before it starts \(3\)/);
    expect(() => planSweep(request({ grid: ['x=1:3:0'] }))).toThrow(/step must be above 0/);
    expect(() => planSweep(request({ grid: ['x=1', 'x=2'] }))).toThrow(/--grid x is given twice/);
    expect(() => planSweep(request({ seeds: '5:1' }))).toThrow(/bad --seeds/);
    expect(() => planSweep(request({ seeds: '1,1' }))).toThrow(/listed twice/);
    expect(() => planSweep(request({}))).toThrow(/give the variants/);
    expect(() => planSweep(request({ seeds: '1:2', stack: ['a.json'] }))).toThrow(/not --stack and --seeds/);
  });

  it('a stack applies files 1..k; reforms each alone; seeds are replicates of the baseline', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'simrun-unit-'));
    const f = (name: string, v: object) => {
      writeFileSync(path.join(dir, name), JSON.stringify(v));
      return path.join(dir, name);
    };
    const files = [
      f('a.json', { ctc: { amount: 3000, list: [1, 2] } }),
      f('b.json', { ctc: { refundable: true, list: [3] } }),
      f('c.json', { eitc: 1 }),
    ];
    const base = f('base.json', { std: 1 });
    const stack = planSweep(request({ stack: files, base }));
    expect(stack.variants.map((v) => [v.label, v.changes])).toEqual([
      ['baseline', {}],
      ['+ a', { ctc: { amount: 3000, list: [1, 2] } }],
      ['+ b', { ctc: { amount: 3000, list: [3], refundable: true } }],
      ['+ c', { ctc: { amount: 3000, list: [3], refundable: true }, eitc: 1 }],
    ]);
    expect(stack.variants[3]!.overrides).toEqual({ std: 1, ctc: { amount: 3000, list: [3], refundable: true }, eitc: 1 });
    expect(planSweep(request({ reforms: files })).variants[2]!.changes).toEqual({ ctc: { refundable: true, list: [3] } });
    const seeds = planSweep(request({ seeds: '4,9', base }));
    expect(seeds.baseOrd).toBeNull();
    expect(seeds.variants.map((v) => [v.seed, v.overrides])).toEqual([
      [4, { std: 1 }],
      [9, { std: 1 }],
    ]);
    expect(() => planSweep(request({ reforms: [path.join(dir, 'none.json')] }))).toThrow(/cannot read --reforms .*none.json/);
  });

  it('deepMerge merges objects and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: [1] } }, { a: { c: [2] }, d: 1 })).toEqual({ a: { b: 1, c: [2] }, d: 1 });
  });
});

describe('sweep report table', () => {
  const v = (ord: number, revenue: number | null, extra = {}) => ({
    ord,
    runId: ord + 1,
    label: `v${ord}`,
    changes: '{}',
    totals: { revenue },
    ...extra,
  });

  it('a stack: increments from the line above, the change their running sum', () => {
    const t = sweepTable('stack', 0, [v(0, 1000), v(1, 900), v(2, 850, { versusBase: { better: 10 } }), v(3, 875)]);
    expect(t.columns).toEqual(['variant', 'run', 'label', 'changes', 'revenue', 'revenue_increment', 'revenue_change', 'better']);
    expect(t.rows.map((r) => r.slice(4))).toEqual([
      [1000, null, 0, null],
      [900, -100, -100, null],
      [850, -50, -150, 10],
      [875, 25, -125, null],
    ]);
  });

  it('a grid: the change against the baseline; a missing total stays null', () => {
    const t = sweepTable('grid', 0, [v(0, 10), v(1, 12), v(2, null)]);
    expect(t.rows.map((r) => r.slice(4))).toEqual([
      [10, 0],
      [12, 2],
      [null, null],
    ]);
  });

  it('replicates: mean, sd and the 95 % interval of the mean (Student t)', () => {
    const t = sweepTable('seeds', null, [v(0, 1), v(1, 2), v(2, 3), v(3, 6)]);
    expect(t.columns).toEqual(['variant', 'run', 'label', 'changes', 'revenue']);
    const stats = Object.fromEntries(t.rows.slice(4).map((r) => [r[2], r[4]]));
    const sd = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3);
    expect(stats.mean).toBe(3);
    expect(stats.sd).toBeCloseTo(sd, 12);
    expect(stats.ci95_high as number).toBeCloseTo(3 + (3.182 * sd) / 2, 12);
    expect(summarize([null])).toBeNull();
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: 0, lo: 5, hi: 5 });
    expect(tQuantile(1)).toBe(12.706);
    expect(tQuantile(1000)).toBe(1.96);
  });
});
