import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemRandom } from '../../dist/src/worker/random.js';
import montecarlo from '../../dist/models/montecarlo/index.js';
import { query, runCli, sqlDiffCount, tableDump, tmpDir } from '../helpers.js';

/** What the montecarlo model must produce for item `idx` (recomputed in-process). */
function expectedRow(idx: number, seed: number, draws: number) {
  const random = itemRandom(seed, idx);
  const ctx = { index: idx, params: { draws }, random, log: null as never, outDir: null };
  return montecarlo.format(montecarlo.analyze(idx, ctx) as never, idx, ctx);
}

describe('simrun run (montecarlo over range:N)', () => {
  it('writes exactly indices 0..9999 once each with the right values on 2 workers', async () => {
    const db = path.join(tmpDir(), 'mc.db');
    const r = await runCli([
      'run',
      'montecarlo',
      '--input',
      'range:10000',
      '--db',
      db,
      '--workers',
      '2',
      '--seed',
      '7',
      '--param',
      'draws=200',
    ]);
    expect(r.stderr).toContain('run 1 done: 10000/10000 items');
    expect(r.code).toBe(0);
    const [agg] = query<{ n: number; lo: number; hi: number; distinct_idx: number }>(
      db,
      'SELECT count(*) AS n, min(idx) AS lo, max(idx) AS hi, count(DISTINCT idx) AS distinct_idx FROM montecarlo WHERE run_id = 1',
    );
    expect(agg).toEqual({ n: 10000, lo: 0, hi: 9999, distinct_idx: 10000 });
    const rows = query<Record<string, number>>(db, 'SELECT idx, draws, inside, pi_estimate, first_draw FROM montecarlo ORDER BY idx');
    for (const row of rows) {
      const { idx, ...values } = row;
      expect(values).toEqual(expectedRow(idx!, 7, 200));
    }
    const mean = rows.reduce((s, r) => s + r.pi_estimate!, 0) / rows.length;
    expect(Math.abs(mean - Math.PI)).toBeLessThan(0.01);
    const [run] = query<Record<string, unknown>>(db, 'SELECT * FROM runs');
    expect(run).toMatchObject({
      model: 'montecarlo',
      model_version: '1.0.0',
      input: 'range:10000',
      status: 'done',
      total: 10000,
      done: 10000,
      errors: 0,
      seed: 7,
      params_json: '{"draws":200}',
    });
    expect(run!.input_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives identical tables for 1 and 2 workers and any chunk size', async () => {
    const dir = tmpDir();
    const variants = [
      ['--workers', '1'],
      ['--workers', '2'],
      ['--workers', '2', '--chunk-size', '1'],
      ['--workers', '2', '--chunk-size', '37'],
      ['--workers', '2', '--chunk-size', '5000'],
    ];
    const dumps: string[][] = [];
    for (const [k, flags] of variants.entries()) {
      const db = path.join(dir, `v${k}.db`);
      const r = await runCli(['run', 'montecarlo', '--input', 'range:3000', '--db', db, '--param', 'draws=50', '--quiet', ...flags]);
      expect(r.code).toBe(0);
      dumps.push(tableDump(db, 'montecarlo', 1));
    }
    expect(dumps[0]).toHaveLength(3000);
    for (const d of dumps.slice(1)) expect(d).toEqual(dumps[0]);
    // The same comparison in SQL, as a researcher would do it.
    for (const k of [1, 2, 3, 4]) expect(sqlDiffCount(path.join(dir, 'v0.db'), 1, path.join(dir, `v${k}.db`), 1, 'montecarlo')).toBe(0);
  });

  it('records a throw inside analyze as an error row for that item only, exit 3', async () => {
    const db = path.join(tmpDir(), 't.db');
    const r = await runCli([
      'run',
      path.join(import.meta.dirname, '../fixtures/models/throws.mjs'),
      '--input',
      'range:200',
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '16',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('20 item error(s)');
    const errors = query<{ idx: number; kind: string; name: string; message: string; stack: string }>(
      db,
      'SELECT * FROM errors ORDER BY idx',
    );
    expect(errors.map((e) => e.idx)).toEqual(Array.from({ length: 20 }, (_, k) => k * 10 + 3));
    expect(errors[0]).toMatchObject({ kind: 'throw', name: 'RangeError', message: 'item 3 is out of range' });
    expect(errors[0]!.stack).toContain('throws.mjs');
    const rows = query<{ idx: number; value: number }>(db, 'SELECT idx, value FROM throws ORDER BY idx');
    expect(rows).toHaveLength(180);
    expect(rows.every((r) => r.idx % 10 !== 3 && r.value === r.idx * 2)).toBe(true);
    const [run] = query<{ status: string; done: number; errors: number }>(db, 'SELECT status, done, errors FROM runs');
    expect(run).toEqual({ status: 'done', done: 180, errors: 20 });
  });

  it('loads a user model written in TypeScript (through tsx) and applies --param', async () => {
    const db = path.join(tmpDir(), 'ts.db');
    const r = await runCli([
      'run',
      path.join(import.meta.dirname, '../fixtures/models/typed.ts'),
      '--input',
      'range:100',
      '--db',
      db,
      '--param',
      'factor=3',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(query(db, 'SELECT count(*) AS n, sum(doubled) AS total, max(label) AS top FROM typed')).toEqual([
      { n: 100, total: 3 * 4950, top: 'x99' },
    ]);
  });
});
