/**
 * The trace in the HTML report, as Chromium shows it at 1280 and 390 px: a run with crashes
 * (chunks drawn bar by bar, coloured by outcome, restarts marked), and a trace of 100,000
 * chunks on 128 workers (written straight into the tables), which is aggregated into at most
 * 32 rows of 240 cells. Screenshots go to test-artifacts/.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { chromium as playwright, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, root, runCli, tmpDir } from '../helpers.js';
import { chromium } from './system-tools.js';

const artifacts = path.join(root, 'test-artifacts');

interface Facts {
  scrollWidth: number;
  viewport: number;
  charts: { title: string; width: number; height: number; right: number; viewBoxWidth: number; scroller: boolean }[];
  segs: { kind: string; width: number; height: number }[];
  restarts: number;
  rowLabels: number;
  errors: string[];
}

describe.skipIf(chromium.skip)('the trace in the HTML report, in Chromium', () => {
  const dir = tmpDir('simrun-trace-browser-');
  const small = path.join(dir, 'crash.db');
  const big = path.join(dir, 'big.db');
  let browser: BrowserContext;

  beforeAll(async () => {
    const args = ['--input', 'range:3000', '--workers', '2', '--param', 'mode=exit', '--param', 'at=[13,2500]', '--quiet'];
    expect((await runCli(['run', fixtureModel('faulty.mjs'), ...args, '--db', small])).code).toBe(3);
    // 100,000 committed chunks on 128 workers over an hour, plus a few crashes, written into the trace of a real run.
    expect(
      (await runCli(['run', fixtureModel('faulty.mjs'), '--input', 'range:100', '--param', 'at=[]', '--db', big, '--quiet'])).code,
    ).toBe(0);
    const db = new Database(big);
    db.exec('DELETE FROM trace; DELETE FROM trace_workers');
    const t0 = 1_800_000_000_000;
    const addWorker = db.prepare(
      `INSERT INTO trace_workers (run_id, session, host, worker, pid, started_at, ready_at, exited_at, exit_code, cause) VALUES (1, 1, 'h', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const add = db.prepare(
      `INSERT INTO trace (run_id, session, host, lo, hi, attempt, worker, pid, dispatched_at, started_at, finished_at, wall_ms, items, errors, outcome, cause) VALUES (1, 1, 'h', ?, ?, 1, ?, ?, ?, ?, ?, ?, 10, 0, ?, ?)`,
    );
    db.transaction(() => {
      for (let w = 1; w <= 128; w++) addWorker.run(w, 1000 + w, t0, t0 + 500, t0 + 3_600_000, 0, 'stopped');
      for (let k = 0; k < 100_000; k++) {
        const w = (k % 128) + 1;
        const start = t0 + 1000 + Math.floor(k / 128) * 4500 + (w % 7) * 100;
        const crash = k % 9973 === 0;
        add.run(
          k * 10,
          k * 10 + 9,
          w,
          1000 + w,
          start,
          start,
          start + 4000,
          4000,
          crash ? 'bisected' : 'committed',
          crash ? 'exit code 1' : null,
        );
      }
    })();
    db.close();
    browser = await playwright.launchPersistentContext(tmpDir('simrun-chromium-'), {
      executablePath: chromium.path(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
      timeout: 60_000,
    });
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, width: number, shot: string): Promise<Facts> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize({ width, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const facts = await page.evaluate(() => {
      const scroller = (e: Element) => {
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
          if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
        return false;
      };
      // Each chart is drawn at three widths and the page shows the one that fits (charts.ts
      // responsive): only the shown drawing counts.
      const shown = [...document.querySelectorAll('svg')].filter((svg) => svg.getBoundingClientRect().width > 0);
      const charts = shown.map((svg) => {
        const r = svg.getBoundingClientRect();
        return {
          title: svg.querySelector(':scope > title')?.textContent ?? '',
          width: r.width,
          height: r.height,
          right: r.right,
          viewBoxWidth: svg.viewBox.baseVal.width,
          scroller: scroller(svg),
        };
      });
      const timeline = shown.find((s) => s.querySelector(':scope > title')?.textContent?.startsWith('Timeline'));
      const segs = [...(timeline?.querySelectorAll('rect.seg') ?? [])].map((r) => {
        const b = r.getBoundingClientRect();
        return { kind: r.classList[1] ?? '', width: b.width, height: b.height };
      });
      return {
        scrollWidth: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        charts,
        segs,
        restarts: timeline?.querySelectorAll('path.restart').length ?? 0,
        rowLabels: timeline ? [...timeline.querySelectorAll('text')].filter((t) => /^w\d/.test(t.textContent ?? '')).length : 0,
      };
    });
    const section = await page.$('section:has(svg title)');
    if (section) await page.screenshot({ path: path.join(artifacts, `${shot}-${width}.png`), fullPage: true });
    await page.close();
    return { ...facts, errors };
  }

  function expectLayout(f: Facts) {
    expect(f.errors).toEqual([]);
    expect(f.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(f.viewport);
    for (const title of ['Timeline of run 1', 'Throughput of run 1', 'Utilization of run 1']) {
      const c = f.charts.find((x) => x.title.startsWith(title));
      expect(c, title).toBeDefined();
      // across the page (less its margins), at its own proportions, its text no smaller than 8 px
      expect(c!.width, title).toBeGreaterThanOrEqual(Math.min(540, f.viewport - 40));
      expect(c!.height / c!.width, title).toBeCloseTo(300 / c!.viewBoxWidth, 2);
      expect((11 * c!.width) / c!.viewBoxWidth, `${title}: text scale`).toBeGreaterThanOrEqual(8);
      if (!c!.scroller) expect(c!.right, `${title} sticks out of the page`).toBeLessThanOrEqual(f.viewport);
    }
    for (const s of f.segs) expect(s.width > 0 && s.height > 0, `a ${s.kind} bar has no size`).toBe(true);
  }

  for (const width of [1280, 390]) {
    it(`a run with crashes at ${width} px: one bar per chunk that ran, coloured by outcome, restarts marked`, async () => {
      const file = path.join(dir, 'crash.html');
      expect((await runCli(['report', '--db', small, '--run', '1', '--html', file])).code).toBe(0);
      const f = await open(file, width, 'trace-report-crash');
      expectLayout(f);
      const [ran] = query<{ committed: number; crash: number }>(
        small,
        `SELECT sum(outcome = 'committed' AND worker IS NOT NULL) AS committed, sum(outcome IN ('bisected', 'retried', 'crashed')) AS crash FROM trace`,
      );
      expect(f.segs.filter((s) => s.kind === 'committed').length).toBe(ran!.committed);
      expect(f.segs.filter((s) => s.kind === 'crash').length).toBe(ran!.crash);
      expect(f.restarts).toBe(query<{ n: number }>(small, `SELECT count(*) AS n FROM trace_workers WHERE cause = 'exit code 1'`)[0]!.n);
      expect(f.rowLabels).toBe(2);
    });

    it(`100,000 chunks on 128 workers at ${width} px: aggregated into at most 32 rows of 240 cells, crashes still shown`, async () => {
      const file = path.join(dir, 'big.html');
      expect((await runCli(['report', '--db', big, '--run', '1', '--html', file])).code).toBe(0);
      expect(statSync(file).size).toBeLessThan(2_000_000);
      const f = await open(file, width, 'trace-report-big');
      expectLayout(f);
      expect(f.segs.length).toBeGreaterThan(32);
      expect(f.segs.length).toBeLessThanOrEqual(32 * 240);
      expect(f.segs.some((s) => s.kind === 'committed')).toBe(true);
      expect(f.segs.some((s) => s.kind === 'crash')).toBe(true);
      expect(f.rowLabels).toBeLessThanOrEqual(32);
    });
  }
});
