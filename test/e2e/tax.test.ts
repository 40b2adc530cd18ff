/**
 * The tax workload end to end through the built CLI: generate, run baseline and a CTC reform
 * on data/population-sample.csv, report and compare, refusals, bad rows, determinism.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, root, runCli, sqlDiffCount, startCli, tmpDir, waitFor } from '../helpers.js';

const sample = path.join(root, 'data/population-sample.csv');
const reformFile = path.join(root, 'models/tax/reforms/ctc-3000.json');
const SAMPLE_ROWS = 2000;

type Row = Record<string, number | string>;
const json = (stdout: string) => JSON.parse(stdout) as Row[];

describe('tax model end to end', () => {
  const dir = tmpDir('simrun-tax-');
  const db = path.join(dir, 'tax.db');

  beforeAll(async () => {
    const base = await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet']);
    expect(base.stderr).toBe('');
    expect(base.code).toBe(0);
    const reform = await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet', '--params', reformFile]);
    expect(reform.code).toBe(0);
  });

  it('stores one row per household and the reform params with the run', () => {
    expect(query(db, 'SELECT run_id, count(*) AS n FROM tax GROUP BY run_id')).toEqual([
      { run_id: 1, n: SAMPLE_ROWS },
      { run_id: 2, n: SAMPLE_ROWS },
    ]);
    const [run2] = query<{ param_overrides_json: string; status: string }>(
      db,
      'SELECT param_overrides_json, status FROM runs WHERE id = 2',
    );
    expect(run2!.status).toBe('done');
    expect(JSON.parse(run2!.param_overrides_json)).toEqual({ ctc: { amount: 3000, refundable_max: 3000 } });
  });

  it('report: weighted deciles of AGI with totals that match the raw table', async () => {
    const r = await runCli(['report', '--db', db, '--run', '1', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = json(r.stdout);
    expect(rows.map((x) => x.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'all']);
    const all = rows[10]!;
    expect(all.records).toBe(SAMPLE_ROWS);
    expect(all.households).toBe(150_000_000);
    for (const d of rows.slice(0, 10)) expect(Math.abs((d.households as number) - 15e6)).toBeLessThan(1e6);
    const [raw] = query<{ iit: number; eitc: number }>(
      db,
      'SELECT sum(weight * income_tax) / 1e9 AS iit, sum(weight * eitc) / 1e9 AS eitc FROM tax WHERE run_id = 1',
    );
    expect(all.income_tax_bn).toBeCloseTo(raw!.iit, 2);
    expect(all.eitc_bn).toBeCloseTo(raw!.eitc, 2);
    // AGI means rise with the decile.
    const means = rows.slice(0, 10).map((x) => x.agi_mean as number);
    expect(means).toEqual([...means].sort((a, b) => a - b));

    const byStatus = await runCli(['report', '--db', db, '--run', '1', '--by', 'filing_status', '--format', 'csv']);
    expect(byStatus.code).toBe(0);
    expect(byStatus.stdout.split('\n')[0]).toMatch(/^filing_status,records,households,/);
    expect(
      byStatus.stdout
        .split('\n')
        .slice(1, 6)
        .map((l) => l.split(',')[0]),
    ).toEqual(['hoh', 'mfj', 'mfs', 'single', 'all']);
  });

  it('compare: the CTC reform cuts taxes for families only and loses revenue', async () => {
    const r = await runCli(['compare', '--db', db, '--base', '1', '--reform', '2', '--by', 'children', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = json(r.stdout);
    expect(rows.map((x) => x.children)).toEqual(['0', '1', '2', '3+', 'all']);
    const [none, , , , all] = rows;
    expect(none).toMatchObject({ tax_change_mean: 0, revenue_change_bn: 0, tax_cut_pct: 0, tax_increase_pct: 0, no_change_pct: 100 });
    for (const g of rows.slice(1, 4)) {
      expect(g.tax_cut_pct).toBeGreaterThan(50);
      expect(g.tax_increase_pct).toBe(0);
    }
    expect(all!.tax_cut_pct).toBeGreaterThan(0);
    expect(all!.revenue_change_bn).toBeLessThan(0);
    expect(all!.after_tax_income_change_pct).toBeGreaterThan(0);
    const table = await runCli(['compare', '--db', db, '--base', '1', '--reform', '2']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('revenue_change_bn');
  });

  it('compare refuses runs over different inputs, of other models, or missing', async () => {
    const other = path.join(dir, 'other.csv');
    const gen = await runCli(['generate', 'population', '--n', '300', '--seed', '2', '--output', other]);
    expect(gen.code).toBe(0);
    expect((await runCli(['run', 'tax', '--input', other, '--db', db, '--workers', '2', '--quiet'])).code).toBe(0);
    const diff = await runCli(['compare', '--db', db, '--base', '1', '--reform', '3']);
    expect(diff.code).toBe(2);
    expect(diff.stderr.trim().split('\n')).toHaveLength(1);
    expect(diff.stderr).toMatch(/runs 1 and 3 are over different inputs/);

    expect((await runCli(['run', 'montecarlo', '--input', 'range:10', '--db', db, '--workers', '1', '--quiet'])).code).toBe(0);
    const mc = await runCli(['compare', '--db', db, '--base', '1', '--reform', '4']);
    expect(mc.code).toBe(2);
    expect(mc.stderr).toMatch(/--reform 4 is a run of model montecarlo/);
    const missing = await runCli(['report', '--db', db, '--run', '99']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--run 99: no such run/);
  });

  it('same results on 1 worker, and the generator is deterministic per seed', async () => {
    const db1 = path.join(dir, 'one.db');
    const r = await runCli(['run', 'tax', '--input', sample, '--db', db1, '--workers', '1', '--quiet']);
    expect(r.code).toBe(0);
    expect(sqlDiffCount(db, 1, db1, 1, 'tax')).toBe(0);
    const again = path.join(dir, 'sample-again.csv');
    expect((await runCli(['generate', 'population', '--n', String(SAMPLE_ROWS), '--seed', '1', '--output', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(sample, 'utf8'));
  });

  it('an interrupted generate leaves no file under the output name (a later run would take a short file for the whole)', async () => {
    const out = path.join(dir, 'big.csv');
    const { child, done } = startCli(['generate', 'population', '--n', '5000000', '--output', out]);
    await waitFor(() => readdirSync(dir).some((f) => f.startsWith('big.csv.partial-')));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(readdirSync(dir).filter((f) => f.startsWith('big.csv'))).toEqual([]);
  });

  it('generate into a path it cannot write: one line, exit 2, nothing left behind', async () => {
    const file = path.join(dir, 'not-a-folder.csv');
    writeFileSync(file, 'x\n');
    for (const output of [path.join(file, 'pop.csv'), dir]) {
      const r = await runCli(['generate', 'population', '--n', '10', '--output', output]);
      expect(r.code).toBe(2);
      expect(r.stderr.startsWith(`simrun: cannot write ${output}: E`)).toBe(true);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}.partial-`))).toEqual([]);
  });

  it('bad household rows become error rows naming the column; the rest of the run goes on', async () => {
    const lines = readFileSync(sample, 'utf8').split('\n').slice(0, 4);
    const cols = lines[0]!.split(',');
    const bad = (col: string, value: string) => {
      const f = lines[1]!.split(',');
      f[cols.indexOf(col)] = value;
      return f.join(',');
    };
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, [...lines, bad('filing_status', 'married'), bad('wages_head', 'abc'), bad('children', '-2')].join('\n') + '\n');
    const badDb = path.join(dir, 'bad.db');
    const r = await runCli(['run', 'tax', '--input', file, '--db', badDb, '--workers', '2', '--quiet']);
    expect(r.code).toBe(3);
    expect(query(badDb, 'SELECT count(*) AS n FROM tax')).toEqual([{ n: 3 }]);
    const errors = query<{ idx: number; message: string }>(badDb, 'SELECT idx, message FROM errors ORDER BY idx');
    expect(errors.map((e) => e.idx)).toEqual([3, 4, 5]);
    expect(errors[0]!.message).toMatch(/column filing_status/);
    expect(errors[1]!.message).toMatch(/column wages_head/);
    expect(errors[2]!.message).toMatch(/column children/);
  });
});
