/**
 * Issue 27: `simrun sweep`. Each kind of variants (grid, reforms, stack, seeds) makes one run per
 * variant whose table equals a separate `simrun run` with the same params and seed, on 1 or 2
 * workers; what is refused is refused before anything is written.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, query, root, runCli, tableDump, tmpDir } from '../helpers.js';

const SAMPLE = path.join(root, 'data/population-sample.csv');
const REFORMS = path.join(root, 'models/tax/reforms');
const CTC = path.join(REFORMS, 'ctc-3000.json');
const CTC_FULL = path.join(REFORMS, 'ctc-3000-fully-refundable.json');

const variants = (db: string) =>
  query<{ sweep_id: number; ord: number; run_id: number; label: string; changes_json: string }>(
    db,
    'SELECT sweep_id, ord, run_id, label, changes_json FROM sweep_runs ORDER BY sweep_id, ord',
  );

/** A separate run into its own database; its table as text. */
async function separate(dir: string, name: string, args: string[]): Promise<string[]> {
  const db = path.join(dir, `${name}.db`);
  const r = await runCli(['run', ...args, '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  const model = query<{ model: string }>(db, 'SELECT model FROM runs WHERE id = 1')[0]!.model;
  return tableDump(db, model, 1);
}

describe('simrun sweep', () => {
  it('a grid: the cartesian product after the baseline, each variant equal to a separate run (2 workers)', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'grid.db');
    const r = await runCli([
      'sweep',
      'montecarlo',
      '--input',
      'range:3000',
      '--db',
      db,
      '--workers',
      '2',
      '--seed',
      '7',
      '--grid',
      'draws=100:300:100',
      '--grid',
      'draws_unused=1',
      '--quiet',
    ]);
    // an unknown param is refused before anything is written
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--grid draws_unused=1: unknown parameter 'draws_unused'/);
    expect(existsSync(db)).toBe(false);

    const ok = await runCli([
      'sweep',
      'montecarlo',
      '--input',
      'range:3000',
      '--db',
      db,
      '--workers',
      '2',
      '--seed',
      '7',
      '--grid',
      'draws=100:300:100',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/sweep 1 \(runs 1-4\) done: 3000\/3000 items/);
    expect(variants(db).map((v) => [v.ord, v.run_id, v.label])).toEqual([
      [0, 1, 'baseline'],
      [1, 2, 'draws=100'],
      [2, 3, 'draws=200'],
      [3, 4, 'draws=300'],
    ]);
    expect(query(db, 'SELECT kind, base_ord, variants FROM sweeps')).toEqual([{ kind: 'grid', base_ord: 0, variants: 4 }]);
    expect(query(db, 'SELECT id, status, done, seed, param_overrides_json FROM runs ORDER BY id')).toEqual([
      { id: 1, status: 'done', done: 3000, seed: 7, param_overrides_json: '{}' },
      { id: 2, status: 'done', done: 3000, seed: 7, param_overrides_json: '{"draws":100}' },
      { id: 3, status: 'done', done: 3000, seed: 7, param_overrides_json: '{"draws":200}' },
      { id: 4, status: 'done', done: 3000, seed: 7, param_overrides_json: '{"draws":300}' },
    ]);
    const common = ['montecarlo', '--input', 'range:3000', '--seed', '7', '--workers', '1'];
    expect(tableDump(db, 'montecarlo', 1)).toEqual(await separate(dir, 'base', common));
    expect(tableDump(db, 'montecarlo', 3)).toEqual(await separate(dir, 'd200', [...common, '--param', 'draws=200']));
    const status = await runCli(['status', '--db', db]);
    expect(status.stdout).toMatch(/run 3: input range:3000 .*param overrides \{"draws":200\}, seed 7, .*, sweep 1 variant 2 \(draws=200\)/);
    // the views see the newest finished run, as for separate runs
    expect(query(db, 'SELECT DISTINCT run_id FROM v_montecarlo')).toEqual([{ run_id: 4 }]);
  });

  it('a two-key grid over a tax population: types checked, product in order, equal to separate runs (1 worker)', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'tax.db');
    const bad = await runCli(['sweep', 'tax', '--input', SAMPLE, '--db', db, '--grid', 'ctc.amount=2000,abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--grid ctc.amount="abc": parameter 'ctc.amount' of model tax must be number, got string "abc"/);
    expect(existsSync(db)).toBe(false);

    const r = await runCli([
      'sweep',
      'tax',
      '--input',
      SAMPLE,
      '--db',
      db,
      '--workers',
      '1',
      '--quiet',
      '--grid',
      'ctc.amount=2500:3000:500',
      '--grid',
      'ctc.fully_refundable=true,false',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(variants(db).map((v) => v.label)).toEqual([
      'baseline',
      'ctc.amount=2500, ctc.fully_refundable=true',
      'ctc.amount=2500, ctc.fully_refundable=false',
      'ctc.amount=3000, ctc.fully_refundable=true',
      'ctc.amount=3000, ctc.fully_refundable=false',
    ]);
    const sep = await separate(dir, 'v3', [
      'tax',
      '--input',
      SAMPLE,
      '--workers',
      '2',
      '--param',
      'ctc.amount=3000',
      '--param',
      'ctc.fully_refundable=true',
    ]);
    expect(tableDump(db, 'tax', 4)).toEqual(sep);
    expect(tableDump(db, 'tax', 4)).not.toEqual(tableDump(db, 'tax', 1));
  });

  it('reforms and a stack: each reform against the baseline, stack line k = files 1..k, equal to separate runs', async () => {
    const dir = tmpDir('simrun-sweep-');
    const eitc = path.join(dir, 'eitc.json');
    writeFileSync(eitc, JSON.stringify({ eitc: { max_credit: [1500, 4213, 6960, 7830] } }));
    const base = path.join(dir, 'base.json');
    writeFileSync(base, JSON.stringify({ standard_deduction: { base: { mfj: 30000 } } }));

    const db = path.join(dir, 'stack.db');
    const r = await runCli([
      'sweep',
      'tax',
      '--input',
      SAMPLE,
      '--db',
      db,
      '--workers',
      '2',
      '--quiet',
      '--base',
      base,
      '--stack',
      CTC,
      CTC_FULL,
      eitc,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const v = variants(db);
    expect(v.map((x) => x.label)).toEqual(['baseline', '+ ctc-3000', '+ ctc-3000-fully-refundable', '+ eitc']);
    expect(JSON.parse(v[2]!.changes_json)).toEqual({ ctc: { amount: 3000, refundable_max: 3000, fully_refundable: true } });
    // line 3 = the whole package on top of the baseline, as one separate run
    const all = path.join(dir, 'all.json');
    writeFileSync(
      all,
      JSON.stringify({
        standard_deduction: { base: { mfj: 30000 } },
        ctc: { amount: 3000, refundable_max: 3000, fully_refundable: true },
        eitc: { max_credit: [1500, 4213, 6960, 7830] },
      }),
    );
    expect(tableDump(db, 'tax', 4)).toEqual(await separate(dir, 'all', ['tax', '--input', SAMPLE, '--workers', '1', '--params', all]));
    expect(tableDump(db, 'tax', 1)).toEqual(await separate(dir, 'base', ['tax', '--input', SAMPLE, '--workers', '1', '--params', base]));

    const rdb = path.join(dir, 'reforms.db');
    const rr = await runCli(['sweep', 'tax', '--input', SAMPLE, '--db', rdb, '--workers', '2', '--quiet', '--reforms', CTC, CTC_FULL]);
    expect(rr.code, rr.stderr).toBe(0);
    expect(query(rdb, 'SELECT kind FROM sweeps')).toEqual([{ kind: 'reforms' }]);
    expect(tableDump(rdb, 'tax', 3)).toEqual(
      await separate(dir, 'full', ['tax', '--input', SAMPLE, '--workers', '2', '--params', CTC_FULL]),
    );
  });

  it("a user's TypeScript model over JSONL: each variant sees the item as read, equal to separate runs; its totals in report --sweep", async () => {
    const dir = tmpDir('simrun-sweep-');
    const model = fixtureModel('sweepable.ts');
    const items = path.join(root, 'test/fixtures/sweep-items.jsonl');
    const db = path.join(dir, 'user.db');
    const bad = await runCli(['sweep', model, '--input', items, '--db', db, '--grid', 'rate=0.5,2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sweep variant 2 \(rate=2\): rate 2 is above 1; nothing was run/);
    expect(existsSync(db)).toBe(false);

    const r = await runCli([
      'sweep',
      model,
      '--input',
      items,
      '--db',
      db,
      '--workers',
      '2',
      '--quiet',
      '--grid',
      'rate=0.2:0.3:0.1',
      '--grid',
      'exempt=false,true',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(query(db, 'SELECT DISTINCT seen FROM sweepable')).toEqual([{ seen: 1 }]);
    expect(tableDump(db, 'sweepable', 4)).toEqual(
      await separate(dir, 'r03', [model, '--input', items, '--workers', '1', '--param', 'rate=0.3', '--param', 'exempt=false']),
    );
    const rep = await runCli(['report', '--db', db, '--sweep', '1', '--format', 'json']);
    expect(rep.code, rep.stderr).toBe(0);
    const rows = JSON.parse(rep.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => [x.label, x.paying_more])).toEqual([
      ['baseline', null],
      ['rate=0.2, exempt=false', 399],
      ['rate=0.2, exempt=true', 0],
      ['rate=0.3, exempt=false', 399],
      ['rate=0.3, exempt=true', 0],
    ]);
    expect(rows[3]!.revenue_change).toBe((rows[3]!.revenue as number) - (rows[0]!.revenue as number));
    expect(rows[2]!.revenue).toBe(0);
  });

  it('seeds: one replicate per seed, no baseline, each equal to a separate run with that seed', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'seeds.db');
    const r = await runCli([
      'sweep',
      'montecarlo',
      '--input',
      'range:2000',
      '--db',
      db,
      '--workers',
      '2',
      '--quiet',
      '--param',
      'draws=50',
      '--seeds',
      '3:6',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(query(db, 'SELECT kind, base_ord, variants FROM sweeps')).toEqual([{ kind: 'seeds', base_ord: null, variants: 4 }]);
    expect(query(db, 'SELECT seed FROM runs ORDER BY id').map((x) => x.seed)).toEqual([3, 4, 5, 6]);
    expect(tableDump(db, 'montecarlo', 3)).toEqual(
      await separate(dir, 's5', ['montecarlo', '--input', 'range:2000', '--workers', '1', '--param', 'draws=50', '--seed', '5']),
    );
  });

  it('--dry-run prints the variants and the size, and writes nothing', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'dry.db');
    const r = await runCli(['sweep', 'tax', '--input', SAMPLE, '--db', db, '--dry-run', '--stack', CTC, CTC_FULL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sweep of tax (stack): 3 variants x 2,000 items = 6,000 rows');
    expect(r.stdout).toContain('+ ctc-3000-fully-refundable');
    expect(r.stdout).toContain('{"ctc":{"amount":3000,"fully_refundable":true,"refundable_max":3000}}');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses more than 1,000 variants with the numbers unless --yes, and a variant validateParams refuses, naming it', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'big.db');
    const big = await runCli(['sweep', 'montecarlo', '--input', 'range:10', '--db', db, '--grid', 'draws=1:1001']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /the sweep has 1,002 variants \(the baseline \+ 1001 draws\), over 1,000: 10,020 rows; run it anyway with --yes/,
    );
    expect(existsSync(db)).toBe(false);
    const yes = await runCli(['sweep', 'montecarlo', '--input', 'range:10', '--db', db, '--grid', 'draws=1:1001', '--yes', '--dry-run']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('1,002 variants x 10 items');

    // a negative rate is the right type, but the tax model's validateParams refuses it
    const bad = await runCli(['sweep', 'tax', '--input', SAMPLE, '--db', db, '--grid', 'payroll.ss_rate=0.062,-0.1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^simrun: sweep variant 2 \(payroll.ss_rate=-0.1\): .*nothing was run\n$/);
    expect(existsSync(db)).toBe(false);

    const two = await runCli(['sweep', 'montecarlo', '--input', 'range:10', '--db', db, '--seeds', '1:2', '--grid', 'draws=5']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('give one kind of sweep, not --grid and --seeds');
  });
});
