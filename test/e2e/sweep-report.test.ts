/**
 * Issue 27: `simrun report --sweep N`, one row per variant with the model's totals
 * (ModelReport.totals) and their change against the baseline; a stack's increments sum exactly
 * to the whole package; replicates get mean, sd and a 95 % interval; CSV, JSON and HTML.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, tmpDir } from '../helpers.js';

const SAMPLE = path.join(root, 'data/population-sample.csv');
const reform = (name: string) => path.join(root, 'models/tax/reforms', `${name}.json`);
const PACKAGE = ['ctc-3000', 'ctc-fully-refundable', 'eitc-childless-arpa'].map(reform);

type Row = Record<string, number | string | null>;

async function reportJson(db: string, sweep: number): Promise<Row[]> {
  const r = await runCli(['report', '--db', db, '--sweep', String(sweep), '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

describe('report --sweep', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = tmpDir('simrun-sweep-report-');
    db = path.join(dir, 'tax.db');
    const stack = await runCli(['sweep', 'tax', '--input', SAMPLE, '--db', db, '--workers', '2', '--quiet', '--stack', ...PACKAGE]);
    expect(stack.code, stack.stderr).toBe(0);
    const grid = await runCli([
      'sweep',
      'tax',
      '--input',
      SAMPLE,
      '--db',
      db,
      '--workers',
      '2',
      '--quiet',
      '--grid',
      'ctc.amount=2000:3000:500',
    ]);
    expect(grid.code, grid.stderr).toBe(0);
  });

  it('a stack: each line its increment, the running total, and the lines sum exactly to the whole package', async () => {
    const rows = await reportJson(db, 1);
    expect(rows.map((r) => r.label)).toEqual(['baseline', '+ ctc-3000', '+ ctc-fully-refundable', '+ eitc-childless-arpa']);
    const [base, ...lines] = rows;
    expect(base).toMatchObject({ variant: 0, run: 1, revenue_m_change: 0, revenue_m_increment: null, better_off_pct: null });
    let sum = 0;
    for (const [k, line] of lines.entries()) {
      const above = k === 0 ? base! : lines[k - 1]!;
      expect(line.revenue_m_increment).toBe((line.revenue_m as number) - (above.revenue_m as number));
      sum += line.revenue_m_increment as number;
      expect(line.revenue_m_change).toBe(sum);
      expect(line.revenue_m_increment as number).toBeLessThan(0); // each provision costs revenue
    }
    // the package as a whole: last level minus the baseline, exactly the sum of the lines
    expect(sum).toBe((lines.at(-1)!.revenue_m as number) - (base!.revenue_m as number));
    expect(Number.isInteger(sum)).toBe(true);

    // the measures against the baseline agree with `simrun compare` of that run against the baseline
    const cmp = await runCli(['compare', '--db', db, '--base', '1', '--reform', '4', '--format', 'json']);
    expect(cmp.code, cmp.stderr).toBe(0);
    const all = (JSON.parse(cmp.stdout) as Row[]).find((r) => r.decile === 'all')!;
    expect(lines.at(-1)!.better_off_pct).toBe(all.tax_cut_pct);
    expect(lines.at(-1)!.worse_off_pct).toBe(all.tax_increase_pct);
    const d1 = (JSON.parse(cmp.stdout) as Row[]).find((r) => r.decile === 1)!;
    expect(lines.at(-1)!.tax_change_mean_d1).toBe(d1.tax_change_mean);
  });

  it('a grid: the change against the baseline per value; CSV; HTML with the total against the swept param', async () => {
    const rows = await reportJson(db, 2);
    expect(rows.map((r) => [r.label, r.revenue_m_change])).toEqual([
      ['baseline', 0],
      ['ctc.amount=2000', 0],
      ['ctc.amount=2500', expect.any(Number)],
      ['ctc.amount=3000', expect.any(Number)],
    ]);
    expect(rows[3]!.revenue_m_change as number).toBeLessThan(rows[2]!.revenue_m_change as number);
    expect(rows[3]!).not.toHaveProperty('revenue_m_increment');

    const csv = await runCli(['report', '--db', db, '--sweep', '2', '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^variant,run,label,changes,revenue_m,revenue_m_change,income_tax_m,/);

    const html = path.join(dir, 'grid.html');
    const h = await runCli(['report', '--db', db, '--sweep', '2', '--html', html]);
    expect(h.code, h.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('revenue_m_change against ctc.amount');
    // the chart is drawn at three widths (the page's CSS shows one): 3 points in each
    expect(page.match(/<circle class="point"/g)).toHaveLength(3 * 3);
    expect(page).not.toContain('<script');

    const stackHtml = path.join(dir, 'stack.html');
    expect((await runCli(['report', '--db', db, '--sweep', '1', '--html', stackHtml])).code).toBe(0);
    const stack = readFileSync(stackHtml, 'utf8');
    expect(stack).toContain('Stacked estimate: revenue_m');
    expect(stack.match(/<rect class="bar"/g)).toHaveLength(4 * 3); // three provisions and the package, at three widths
  });

  it('replicates: a row per seed, then mean, sd and the 95 % interval of the mean', async () => {
    const mc = path.join(dir, 'mc.db');
    const r = await runCli([
      'sweep',
      'montecarlo',
      '--input',
      'range:300',
      '--db',
      mc,
      '--quiet',
      '--param',
      'draws=200',
      '--seeds',
      '1:5',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await reportJson(mc, 1);
    expect(rows.map((x) => x.label)).toEqual(['seed=1', 'seed=2', 'seed=3', 'seed=4', 'seed=5', 'mean', 'sd', 'ci95_low', 'ci95_high']);
    const pis = rows.slice(0, 5).map((x) => x.pi as number);
    const mean = pis.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(pis.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    const byLabel = Object.fromEntries(rows.slice(5).map((x) => [x.label, x.pi as number]));
    expect(byLabel.mean).toBeCloseTo(mean, 12);
    expect(byLabel.sd).toBeCloseTo(sd, 12);
    // Student's t with 4 degrees of freedom
    expect(byLabel.ci95_high! - byLabel.mean!).toBeCloseTo((2.776 * sd) / Math.sqrt(5), 12);
    expect(byLabel.ci95_low).toBeLessThan(Math.PI);
    expect(byLabel.ci95_high).toBeGreaterThan(Math.PI);
  });

  it('refuses a sweep that does not exist, and --sweep with --run', async () => {
    const none = await runCli(['report', '--db', db, '--sweep', '9']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--sweep 9: no such sweep in .*tax.db \(sweeps: 1, 2\)/);
    const both = await runCli(['report', '--db', db, '--sweep', '1', '--run', '1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give one of --run <id>, --compare <base> <reform> or --sweep <id>');
  });
});
