/**
 * The HTML report as a browser shows it: the system Chromium driven by playwright-core (no browser
 * download), at 1280 and 390 px wide. Asserts on the rendered page: every chart an SVG of non-zero
 * size with the expected bars, every table visible, nothing wider than the page (wide tables
 * and charts scroll inside their own box), numbers right-aligned, no console error, no request but the file.
 * Screenshots are kept in test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium as playwright, type BrowserContext } from 'playwright-core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, root, runCli, tmpDir } from '../helpers.js';
import { chromium } from './system-tools.js';
import { pageFacts, type PageFacts } from './report-page-facts.js';

const sample = path.join(root, 'data/population-sample.csv');
const reformFile = path.join(root, 'models/tax/reforms/ctc-3000.json');
// fully refundable: households with next to no income get $3,000 a child, so decile 1's average
// rate and a few households' rates are far out (the outlier case of the charts)
const refundableFile = path.join(root, 'models/tax/reforms/ctc-3000-fully-refundable.json');
const artifacts = path.join(root, 'test-artifacts');
const WIDTHS = [1280, 390];

/** The flags the issue asks for; playwright adds --headless and its own automation flags. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(chromium.skip)('the HTML report in Chromium', () => {
  const dir = tmpDir('simrun-browser-');
  const db = path.join(dir, 'tax.db');
  let browser: BrowserContext;

  beforeAll(async () => {
    const executablePath = chromium.path();
    for (const extra of [[], ['--params', reformFile], ['--params', refundableFile]]) {
      expect((await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet', ...extra])).code).toBe(0);
    }
    // Run 3 becomes the table with outliers, whatever the model's numbers are: the 20 lowest
    // incomes get a very large credit (so decile 1's rate dwarfs the rest), and a few rates are far out.
    const w = new Database(db);
    w.exec(
      `UPDATE tax SET combined_tax = combined_tax - 1000000 WHERE run_id = 3 AND idx IN (SELECT idx FROM tax WHERE run_id = 3 ORDER BY agi LIMIT 20)`,
    );
    w.exec(
      `UPDATE tax SET average_rate = -30 - idx % 7 WHERE run_id = 3 AND idx IN (SELECT idx FROM tax WHERE run_id = 3 ORDER BY agi LIMIT 7)`,
    );
    w.close();
    // An empty user-data-dir of its own (launchPersistentContext is playwright's way to pass one).
    browser = await playwright.launchPersistentContext(tmpDir('simrun-chromium-'), {
      executablePath,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `file` at `width`, records console errors and every request, keeps a screenshot. */
  async function open(file: string, width: number, shot: string): Promise<{ facts: PageFacts; errors: string[]; requests: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewportSize({ width, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const facts = await pageFacts(page);
    await page.screenshot({ path: path.join(artifacts, `${shot}-${width}.png`), fullPage: true });
    await page.close();
    return { facts, errors, requests };
  }

  function expectLayout(facts: PageFacts, width: number) {
    expect(facts.viewportWidth).toBe(width);
    expect(facts.pageScrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(facts.viewportWidth);
    expect(facts.tooWide, 'elements wider than the page that do not scroll in their own box').toEqual([]);
    expect(facts.tables.length).toBeGreaterThan(0);
    for (const t of facts.tables) {
      expect(t.visible, `table ${t.head}`).toBe(true);
      expect(t.width * t.height, `table ${t.head}`).toBeGreaterThan(0);
      // a table wider than its box scrolls inside that box; on a wide screen none needs to
      if (t.width > t.boxWidth + 1) expect(['auto', 'scroll'], `table ${t.head}`).toContain(t.boxOverflowX);
      if (width >= 1280) expect(t.width, `table ${t.head} is cut at ${width} px`).toBeLessThanOrEqual(t.boxWidth + 1);
    }
    expect(facts.numberCells).toBeGreaterThan(50);
    expect(facts.numbersNotRight, 'number cells not right-aligned').toEqual([]);
    for (const c of facts.charts) {
      // fills the width of its section, whole: no part of it off the page or scrolled away
      expect(c.width, `${c.title}: ${c.width} px in a box of ${c.boxWidth}`).toBeGreaterThanOrEqual(0.98 * c.boxWidth);
      expect(c.left, c.title).toBeGreaterThanOrEqual(0);
      expect(c.right, `${c.title} sticks out of the page`).toBeLessThanOrEqual(facts.viewportWidth);
      expect(c.height / c.width, c.title).toBeCloseTo(300 / c.viewBoxWidth, 2);
      // drawn near the size it is shown at: its 11 px text stays at least 8 px
      expect((11 * c.width) / c.viewBoxWidth, `${c.title}: text scale`).toBeGreaterThanOrEqual(8);
      for (const b of c.bars) {
        // every bar in view (at 390 px too), and every bar of a non-zero value has an area
        expect(b.left >= c.left && b.right <= Math.min(c.right, facts.viewportWidth), `${c.title}: bar ${b.title} out of view`).toBe(true);
        if (!/: 0$/.test(b.title)) expect(b.width > 0 && b.height > 0, `${c.title}: bar ${b.title} has no size`).toBe(true);
      }
    }
  }

  function chart(facts: PageFacts, title: string) {
    const c = facts.charts.find((x) => x.title.startsWith(title));
    expect(c, `chart ${title} in ${facts.charts.map((x) => x.title).join(', ')}`).toBeDefined();
    return c!;
  }

  const deciles = Array.from({ length: 10 }, (_, i) => String(i + 1));
  const barLabels = (c: PageFacts['charts'][number]) => c.bars.map((b) => b.title.split(':')[0]);
  const binTotal = (c: PageFacts['charts'][number]) =>
    c.bars.reduce((s, b) => s + Number(b.title.split(': ').at(-1)!.replace(/,/g, '')), 0);

  for (const width of WIDTHS) {
    it(`--compare at ${width} px: 3 charts with their bars, tables visible, nothing scrolls sideways, self-contained`, async () => {
      const file = path.join(dir, 'compare.html');
      expect((await runCli(['report', '--db', db, '--compare', '1', '2', '--html', file])).code).toBe(0);
      const { facts, errors, requests } = await open(file, width, 'report-compare');
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expectLayout(facts, width);
      expect(facts.charts).toHaveLength(3);
      expect(barLabels(chart(facts, 'Mean change in combined tax by decile'))).toEqual(deciles);
      expect(barLabels(chart(facts, 'Average tax rate by decile'))).toEqual(deciles);
      const hist = chart(facts, 'Histogram of average_rate');
      const [n] = query<{ n: number }>(db, 'SELECT total(weight) AS n FROM tax WHERE run_id = 2 AND average_rate IS NOT NULL');
      expect(hist.bars.length).toBeGreaterThan(5);
      expect(Math.abs(binTotal(hist) - n!.n)).toBeLessThanOrEqual(hist.bars.length);
      // the decile table, the compare table, two provenance tables, two error notes, stats
      expect(facts.tables.map((t) => t.head)).toEqual(expect.arrayContaining(['decile', 'column']));
    });

    it(`a run with --hist agi at ${width} px: decile chart and a histogram of every household (weighted)`, async () => {
      const file = path.join(dir, 'run1.html');
      expect((await runCli(['report', '--db', db, '--run', '1', '--html', file, '--hist', 'agi'])).code).toBe(0);
      const { facts, errors, requests } = await open(file, width, 'report-run');
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expectLayout(facts, width);
      // the model's charts; the trace's (timeline, throughput, utilization) are checked in trace-report-browser.test.ts
      expect(facts.charts.filter((c) => !/^(Timeline|Throughput|Utilization) of run /.test(c.title))).toHaveLength(2);
      expect(barLabels(chart(facts, 'Average tax rate by decile'))).toEqual(deciles);
      const hist = chart(facts, 'Histogram of agi');
      // a record stands for `weight` households: the bins hold them all (each bin rounded)
      const [w] = query<{ households: number }>(db, 'SELECT sum(weight) AS households FROM tax WHERE run_id = 1');
      expect(Math.abs(binTotal(hist) - w!.households)).toBeLessThanOrEqual(hist.bars.length);
      expect(w!.households).toBeGreaterThan(10 * 2000);
      expect(readFileSync(file, 'utf8')).toContain('>households (sum of weight)</text>');
    });
  }

  it('outliers at 1280 px: the cut decile bar is marked with its value, the others to scale; the histogram counts far-out rates apart', async () => {
    const file = path.join(dir, 'run3.html');
    expect((await runCli(['report', '--db', db, '--run', '3', '--html', file])).code).toBe(0);
    const { facts, errors } = await open(file, 1280, 'report-outliers');
    expect(errors).toEqual([]);
    expectLayout(facts, 1280);
    const table = JSON.parse((await runCli(['report', '--db', db, '--run', '3', '--format', 'json'])).stdout) as {
      decile: string;
      avg_tax_rate_pct: number;
    }[];
    const rates = table.filter((r) => r.decile !== 'all').map((r) => r.avg_tax_rate_pct);
    const decileChart = chart(facts, 'Average tax rate by decile');
    expect(barLabels(decileChart)).toEqual(deciles);
    const cut = decileChart.bars.filter((b) => b.cut);
    expect(cut.map((b) => b.title)).toEqual([`1: ${rates[0]!.toFixed(1)} (beyond the axis)`]);
    expect(Math.abs(rates[0]!)).toBeGreaterThan(10 * Math.max(...rates.slice(1).map(Math.abs)));
    // the nine others are drawn to scale and the largest of them is a real bar, not a sliver
    const others = decileChart.bars.filter((b) => !b.cut);
    expect(Math.max(...others.map((b) => b.height))).toBeGreaterThan(decileChart.height / 4);
    const hist = chart(facts, 'Histogram of average_rate');
    const ends = hist.bars.filter((b) => b.overflow);
    expect(ends.length).toBeGreaterThan(0);
    const [n] = query<{ n: number }>(db, 'SELECT total(weight) AS n FROM tax WHERE run_id = 3 AND average_rate IS NOT NULL');
    expect(Math.abs(binTotal(hist) - n!.n)).toBeLessThanOrEqual(hist.bars.length);
    // the bulk is spread over several bars, not all in one
    const inner = hist.bars.filter((b) => !b.overflow).map((b) => Number(b.title.split(': ').at(-1)!.replace(/,/g, '')));
    expect(Math.max(...inner)).toBeLessThan(0.5 * n!.n);
    expect(inner.filter((c) => c > 0).length).toBeGreaterThan(5);
  });
});
