/**
 * simrun report --html through the built CLI: one self-contained file holding the provenance and
 * the numbers of the tables (asserted against the JSON of `report` / `compare` and SQL), every
 * value escaped, nothing fetched. How Chromium renders it: report-browser.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fmtNumber } from '../../dist/src/primary/report/html.js';
import { localTime } from '../../dist/src/util/local-time.js';
import { query, root, runCli, tmpDir } from '../helpers.js';

const sample = path.join(root, 'data/population-sample.csv');
const reformFile = path.join(root, 'models/tax/reforms/ctc-3000.json');
type Row = Record<string, number | string>;

/** Every cell of a JSON table appears as a cell of the HTML (numbers formatted as the report does). */
function expectCells(html: string, rows: Row[]) {
  for (const row of rows) {
    for (const v of Object.values(row)) {
      const cell = typeof v === 'number' ? `<td class="num">${fmtNumber(v)}</td>` : `<td class="">${v}</td>`;
      expect(html, `cell ${cell}`).toContain(cell);
    }
  }
}

function expectSelfContained(html: string) {
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
  expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
}

describe('simrun report --html', () => {
  const dir = tmpDir('simrun-report-');
  const db = path.join(dir, 'tax.db');

  beforeAll(async () => {
    for (const extra of [[], ['--params', reformFile]]) {
      expect((await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet', ...extra])).code).toBe(0);
    }
  });

  it('a tax run: provenance, status, errors, the decile table, a chart and column stats', async () => {
    const out = path.join(dir, 'run1.html');
    const r = await runCli(['report', '--db', db, '--run', '1', '--html', out, '--hist', 'agi']);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expectSelfContained(html);
    const [run] = query<Record<string, string>>(db, 'SELECT * FROM runs WHERE id = 1');
    // times as local time with their zone, as `status` shows them
    for (const v of [run!.input_fingerprint, run!.input, 'tax 2024.3', run!.simrun_version, localTime(run!.created_at!), run!.host])
      expect(html).toContain(v);
    expect(html).toContain('<span class="status-done">done</span>: 2000 of 2000 items (2000 rows, 0 errors)');
    expect(html).toContain('No item errors.');
    const table = JSON.parse((await runCli(['report', '--db', db, '--run', '1', '--format', 'json'])).stdout) as Row[];
    expectCells(html, table);
    expect(html).toContain('Average tax rate by decile of AGI');
    expect(html).toContain('Histogram of agi');
    const [agi] = query<{ n: number; lo: number; hi: number }>(
      db,
      'SELECT count(agi) AS n, min(agi) AS lo, max(agi) AS hi FROM tax WHERE run_id = 1',
    );
    expect(html).toContain(`<td class="">agi</td><td class="">real</td><td class="num">${fmtNumber(agi!.n)}</td>`);
    expect(html).toContain(`<td class="num">${fmtNumber(agi!.lo)}</td>`);
    expect(html).toContain(`<td class="num">${fmtNumber(agi!.hi)}</td>`);
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThan(15);
  });

  it('--compare A B: the reform differences by decile and a bar chart of the tax change', async () => {
    const out = path.join(dir, 'compare.html');
    const r = await runCli(['report', '--db', db, '--compare', '1', '2', '--html', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expectSelfContained(html);
    const diff = JSON.parse((await runCli(['compare', '--db', db, '--base', '1', '--reform', '2', '--format', 'json'])).stdout) as Row[];
    expectCells(html, diff);
    const all = diff.find((d) => d.decile === 'all')!;
    expect(html).toContain(`Revenue change: ${all.revenue_change_bn} $bn (negative = revenue loss)`);
    expect(html).toContain('Mean change in combined tax by decile of base AGI');
    // one bar per decile, labelled with its mean change
    for (const d of diff.filter((x) => x.decile !== 'all')) expect(html).toContain(`<title>${d.decile}: `);
    expect(html).toContain('{&quot;ctc&quot;:{&quot;amount&quot;:3000,&quot;refundable_max&quot;:3000}}');
    // table output of --compare stays the compare table
    const csv = await runCli(['report', '--db', db, '--compare', '1', '2', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe(Object.keys(diff[0]!).join(','));
    const bad = await runCli(['report', '--db', db, '--compare', '1', '--html', out]);
    expect(bad.code).toBe(2);
  });

  it('any model: errors by kind, per-column stats; values are escaped', async () => {
    const csv = path.join(dir, 'evil.csv');
    writeFileSync(csv, 'name,x\n"<script>alert(1)</script>",1\n"a & b",2\n');
    const edb = path.join(dir, 'echo.db');
    expect((await runCli(['run', path.join(root, 'test/fixtures/models/echo.mjs'), '--input', csv, '--db', edb, '--quiet'])).code).toBe(0);
    const out = path.join(dir, 'echo.html');
    expect((await runCli(['report', '--db', edb, '--run', '1', '--html', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const tdb = path.join(dir, 'throws.db');
    await runCli(['run', path.join(root, 'test/fixtures/models/throws.mjs'), '--input', 'range:200', '--db', tdb, '--quiet']);
    const tout = path.join(dir, 'throws.html');
    expect((await runCli(['report', '--db', tdb, '--run', '1', '--html', tout, '--hist', 'value'])).code).toBe(0);
    const thtml = readFileSync(tout, 'utf8');
    expect(thtml).toContain(
      '<td class="">throw</td><td class="">RangeError</td><td class="num">20</td><td class="num">3</td><td class="">item 3 is out of range</td>',
    );
    expect(thtml).toContain('Histogram of value');
    const missing = await runCli(['report', '--db', tdb, '--run', '1', '--html', tout, '--hist', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--hist nope: no such column');
  });
});
