/**
 * Issue 28, what a newcomer met in the report and the exports: `report --html --by g` groups the
 * model's sections by g; times carry their zone in the report (local time, as `status`) and in an
 * export's provenance (UTC with its Z); a merged run names its shards' workers instead of their sum.
 * (Layout and weighted histograms in a browser: report-browser.test.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, root, runCli, tmpDir } from '../helpers.js';

const sample = path.join(root, 'data/population-sample.csv');
const reform = path.join(root, 'models/tax/reforms/ctc-3000.json');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tmpDir('simrun-report-papercuts-');
  db = path.join(dir, 'tax.db');
  for (const extra of [[], ['--params', reform]]) {
    const r = await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet', ...extra]);
    expect(r.code, r.stderr).toBe(0);
  }
});

/** The text of the <h2> headings and the SVG chart titles of a report. */
function headings(file: string): { h2: string[]; charts: string[] } {
  const text = readFileSync(file, 'utf8');
  return {
    h2: [...text.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]!),
    charts: [...new Set([...text.matchAll(/<svg[^>]*>\n<title>([^<]*)<\/title>/g)].map((m) => m[1]!))],
  };
}

describe('report --html --by', () => {
  it('a run: the model section is grouped by the given grouping, its table and chart alike', async () => {
    const file = path.join(dir, 'by-status.html');
    const r = await runCli(['report', '--db', db, '--run', '1', '--by', 'filing_status', '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    const h = headings(file);
    expect(h.h2).toContain('Distribution by filing status');
    expect(h.h2).not.toContain('Distribution by weighted decile of AGI');
    expect(h.charts).toContain('Average tax rate by filing status');
    expect(readFileSync(file, 'utf8')).toContain('<th>filing_<wbr>status</th>');
  });

  it('--compare: the comparison and the reform run are grouped by it too', async () => {
    const file = path.join(dir, 'by-children.html');
    const r = await runCli(['report', '--db', db, '--compare', '1', '2', '--by', 'children', '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    const h = headings(file);
    expect(h.h2).toEqual(expect.arrayContaining(['Reform: run 2 against base run 1, by children', 'Distribution by number of children']));
    expect(h.charts).toEqual(expect.arrayContaining(['Mean change in combined tax by children', 'Average tax rate by children']));
    expect(h.h2.filter((t) => /decile/.test(t))).toEqual([]);
  });

  it('without --by: deciles, the default', async () => {
    const file = path.join(dir, 'default.html');
    expect((await runCli(['report', '--db', db, '--run', '1', '--html', file])).code).toBe(0);
    expect(headings(file).h2).toContain('Distribution by weighted decile of AGI');
  });
});

describe('times carry their zone', () => {
  const env = { TZ: 'Pacific/Kiritimati' };

  it('the report: started, finished and made in local time with the offset', async () => {
    const file = path.join(dir, 'kiritimati.html');
    expect((await runCli(['report', '--db', db, '--run', '1', '--html', file], { env })).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const [run] = query<{ created_at: string; finished_at: string }>(db, 'SELECT created_at, finished_at FROM runs WHERE id = 1');
    const local = (iso: string) => new Date(new Date(iso).getTime() + 14 * 3600_000).toISOString().slice(0, 19) + '+14:00';
    expect(text).toContain(`<tr><th>started</th><td>${local(run!.created_at)}</td></tr>`);
    expect(text).toContain(`<tr><th>finished</th><td>${local(run!.finished_at)}</td></tr>`);
    expect(text).toMatch(/Made by simrun \S+ on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+14:00\./);
    expect(text).not.toMatch(/\d\d:\d\d:\d\d(\.\d+)?Z/);
  });

  it("an export's provenance: ISO 8601 in UTC with its Z, whatever the local zone", async () => {
    const out = path.join(dir, 'run1.csv');
    const r = await runCli(['export', '--db', db, '--run', '1', '--output', out, '--with-provenance'], { env });
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(readFileSync(`${out}.provenance.json`, 'utf8')) as {
      export: { exported_at: string };
      run: { created_at: string; finished_at: string };
    };
    for (const t of [p.export.exported_at, p.run.created_at, p.run.finished_at])
      expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('a merged run', () => {
  it("names its shards' workers (and hosts) in status and the report, not their sum as if on one machine", async () => {
    const shard = (k: number) => path.join(dir, `shard-${k}.db`);
    const common = ['montecarlo', '--input', 'range:3000', '--param', 'draws=20', '--quiet'];
    for (const [k, workers] of [
      [0, '1'],
      [1, '2'],
    ] as const) {
      const r = await runCli(['run', ...common, '--db', shard(k), '--workers', workers, '--shard', `${k}/2`]);
      expect(r.code, r.stderr).toBe(0);
    }
    const all = path.join(dir, 'all.db');
    expect((await runCli(['merge', '--into', all, shard(0), shard(1), '--quiet'])).code).toBe(0);
    const status = await runCli(['status', '--db', all]);
    expect(status.stdout).toMatch(/^run 1: .*, chunk auto, 2 shards of 1, 2 workers, simrun \S+ on \S+$/m);
    const file = path.join(dir, 'merged.html');
    expect((await runCli(['report', '--db', all, '--run', '1', '--html', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/items\/s over [\d.]+ s of work \(the longest shard\) on 2 shards of 1, 2 workers\./);
  });
});
