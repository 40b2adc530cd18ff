/**
 * Charts with an outlier: one decile's value dwarfs the rest (the npm start demo's decile 1 at
 * -447 %), a histogram column with a few far-out values (households with a tiny gross income).
 * The axis is cut past the rest, the cut bar marked with its value, far-out values counted in
 * overflow bins; data without outliers is drawn as before.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { barChart, histogram, type Bin } from '../../src/primary/report/charts.js';
import { robustExtent } from '../../src/primary/report/robust-range.js';
import { histogramBins } from '../../src/primary/report/stats.js';
import type { RunTable } from '../../src/primary/store/run-rows.js';

const PLOT = 300 - 28 - 44; // the charts' plot height in SVG units (H - top - bottom margins)

interface Rect {
  cls: string;
  y: number;
  height: number;
  title: string;
}
function rects(svg: string): Rect[] {
  return [...svg.matchAll(/<rect class="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"[^>]*><title>([^<]*)<\/title>/g)].map(
    (m) => ({
      cls: m[1]!,
      y: Number(m[2]),
      height: Number(m[3]),
      title: m[4]!,
    }),
  );
}
const ticks = (svg: string) =>
  [...svg.matchAll(/<text x="62" y="[^"]+" text-anchor="end">([^<]+)<\/text>/g)].map((m) => Number(m[1]!.replace('−', '-')));

const demoRates = [-447.4, -11.6, -3.5, 2.0, 6.9, 10.2, 13.0, 15.4, 18.1, 25.9];
const chart = (values: number[]) =>
  barChart(
    values.map((v, i) => ({ label: String(i + 1), value: v })),
    { title: 'Average tax rate by decile of AGI', xLabel: 'decile', yLabel: '%', valueFormat: '.1f' },
  ).text;

describe('bar chart with one value dwarfing the rest', () => {
  it('cuts the axis past the other nine, marks the cut bar and prints its value', () => {
    const svg = chart(demoRates);
    const bars = rects(svg);
    expect(bars).toHaveLength(10);
    expect(bars.filter((b) => b.cls === 'bar clipped').map((b) => b.title)).toEqual(['1: -447.4 (beyond the axis)']);
    expect(svg).toContain('>-447.4</text>');
    expect(svg).toContain('<polyline class="break"');
    expect(svg).toContain('axis cut: 1 bar goes past it');
    expect(ticks(svg).length).toBeGreaterThan(3);
    // the axis spans the nine others (with room for the cut bar), not -447
    expect(Math.min(...ticks(svg))).toBeGreaterThanOrEqual(-30);
    expect(Math.max(...ticks(svg))).toBeLessThanOrEqual(40);
    // readable: decile 10 (25.9) takes over a third of the plot; before, it was 12 px of 228
    expect(bars[9]!.height).toBeGreaterThan(PLOT / 3);
    expect(bars[9]!.height / bars[3]!.height).toBeCloseTo(25.9 / 2.0, 1); // the nine still to scale
  });

  it('leaves ordinary data alone: no cut, the axis covers every value', () => {
    const svg = chart([0.8, -1.5, -2.8, 4.3, 8, 11.3, 13.9, 16.6, 19.4, 24.6]);
    expect(rects(svg).every((b) => b.cls === 'bar')).toBe(true);
    expect(svg).not.toContain('axis cut');
    // every bar drawn to scale: heights in the ratio of the values
    const bars = rects(svg);
    expect(bars[9]!.height / bars[2]!.height).toBeCloseTo(24.6 / 2.8, 1);
    expect(bars[9]!.height / bars[0]!.height).toBeCloseTo(24.6 / 0.8, 0);
  });

  it('robustExtent: null for few or tame values, the inner extent otherwise', () => {
    expect(robustExtent([1, 1000])).toBeNull();
    expect(robustExtent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeNull();
    expect(robustExtent([5, 5, 5, 5, 5, 5, 900])).toBeNull(); // no spread to judge by
    expect(robustExtent(demoRates)).toEqual({ lo: -11.6, hi: 25.9 });
    expect(robustExtent([...demoRates.slice(1), 4000, -900])).toEqual({ lo: -11.6, hi: 25.9 });
  });
});

describe('histogram with a few far-out values', () => {
  function table(values: number[]): { db: Database.Database; t: RunTable } {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE m (run_id INTEGER, idx INTEGER, rate REAL)');
    const ins = db.prepare('INSERT INTO m VALUES (1, ?, ?)');
    values.forEach((v, i) => ins.run(i, v));
    const t = {
      run: { id: 1 },
      table: 'm',
      columns: [
        { name: 'run_id', type: 'INTEGER' },
        { name: 'idx', type: 'INTEGER' },
        { name: 'rate', type: 'REAL' },
      ],
    } as unknown as RunTable;
    return { db, t };
  }
  // 2,000 rates spread over 0..0.4, and 6 households with rates near -30 (-3,000 %) and one at +12
  const tame = Array.from({ length: 2000 }, (_, i) => (0.4 * ((i * 7919) % 2000)) / 2000);
  const far = [-30.5, -29, -12, -8.25, -3.1, -2.9, 12];

  it('bins the bulk and counts the far-out values in two overflow bins', () => {
    const { db, t } = table([...tame, ...far]);
    const bins = histogramBins(db, t, 'rate');
    const below = bins.find((b) => b.overflow === 'below')!;
    const above = bins.find((b) => b.overflow === 'above')!;
    expect(below).toEqual({ x0: -30.5, x1: -2.9, count: 6, overflow: 'below' });
    expect(above).toEqual({ x0: 12, x1: 12, count: 1, overflow: 'above' });
    const main = bins.filter((b) => !b.overflow);
    expect(main[0]!.x0).toBeGreaterThanOrEqual(0);
    expect(main.at(-1)!.x1).toBeLessThanOrEqual(0.42);
    expect(main.length).toBeGreaterThan(10);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(2007);
    // no single bin holds the bulk
    expect(Math.max(...main.map((b) => b.count))).toBeLessThan(300);

    const svg = histogram(bins, { title: 'Histogram of rate', xLabel: 'rate' }).text;
    const r = rects(svg);
    expect(r.filter((b) => b.cls === 'bar overflow').map((b) => b.title)).toEqual(['&lt; 0 (-30.5 to -2.9): 6', '&gt; 0.4 (12 to 12): 1']);
    expect(svg).toContain('axis cut: 7 far-out values in the grey end bars');
    expect(r.filter((b) => b.cls === 'bar').every((b) => b.height > 0 || b.title.endsWith(': 0'))).toBe(true);
  });

  it('without far-out values: the bins span min..max and there is no overflow bin', () => {
    const { db, t } = table(tame);
    const bins = histogramBins(db, t, 'rate');
    expect(bins.some((b: Bin) => b.overflow)).toBe(false);
    expect(bins[0]!.x0).toBeLessThanOrEqual(0);
    expect(bins.at(-1)!.x1).toBeGreaterThanOrEqual(Math.max(...tame));
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(2000);
    expect(histogram(bins, { title: 'h', xLabel: 'rate' }).text).not.toContain('axis cut');
  });
});
