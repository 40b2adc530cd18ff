/**
 * Sweeps of models in other languages (issues 26 and 27): each variant runs in the same model
 * process under a parameter set of its own (a `setup` frame per variant, docs/protocol.md), so a
 * swept Python or R model's variants equal separate runs with those params, and the JavaScript
 * model's sweep, row for row.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, tableDump, tmpDir } from '../helpers.js';

const dir = tmpDir('simrun-sweep-foreign-');

async function sweep(model: string, name: string): Promise<string[][]> {
  const db = path.join(dir, `${name}.db`);
  const r = await runCli([
    'sweep',
    model,
    '--input',
    'range:120',
    '--db',
    db,
    '--workers',
    '2',
    '--seed',
    '5',
    '--grid',
    'draws=20,60',
    '--quiet',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const runs = query<{ run_id: number }>(db, 'SELECT run_id FROM sweep_runs ORDER BY ord');
  expect(runs).toHaveLength(3);
  return runs.map(({ run_id }) => tableDump(db, 'montecarlo', run_id));
}

async function separate(model: string, name: string, draws: number): Promise<string[]> {
  const db = path.join(dir, `${name}.db`);
  const r = await runCli([
    'run',
    model,
    '--input',
    'range:120',
    '--db',
    db,
    '--workers',
    '1',
    '--seed',
    '5',
    '--param',
    `draws=${draws}`,
    '-q',
  ]);
  expect(r.code, r.stderr).toBe(0);
  return tableDump(db, 'montecarlo', 1);
}

describe('a sweep of a Python or R model', () => {
  it.each([
    ['python', 'montecarlo.py'],
    ['r', 'montecarlo.R'],
  ])('%s: every variant equals a separate run with its params, and the JavaScript model sweep', async (lang, file) => {
    const model = fixtureModel(file);
    const tables = await sweep(model, `${lang}-sweep`);
    // baseline (draws 1000), then the grid: 20, 60
    expect(tables[1]).toEqual(await separate(model, `${lang}-20`, 20));
    expect(tables[2]).toEqual(await separate(model, `${lang}-60`, 60));
    expect(tables[1]).not.toEqual(tables[2]);
    expect(tables).toEqual(await sweep('montecarlo', `${lang}-js-sweep`));
  });
});
