/**
 * Issue 15, the results table: every row comes from one model's code, one input and one column
 * layout, and values are stored exactly or refused. Each case is written from its repro.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, runCli, tableDump, tmpDir } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir();
});

/** A copy of a fixture model (and its helper files) that a test may edit. */
function ownCopy(name: string, ...helpers: string[]): string {
  for (const f of [name, ...helpers]) copyFileSync(fixtureModel(f), path.join(dir, f));
  return path.join(dir, name);
}

/** A finished run with one item error, so that `resume --retry-errors` has work to do. */
async function runWithOneError(db: string, model: string): Promise<void> {
  const r = await runCli(['run', model, '--input', 'range:300', '--db', db, '--param', 'failAt=7', '--quiet']);
  expect(r.code).toBe(3);
}

describe('a changed model is refused on resume', () => {
  it('a local file the model imports changed: refused naming it; --allow-model-change is recorded', async () => {
    const model = ownCopy('chain.mjs', 'chain-helper.mjs');
    const db = path.join(dir, 'chain.db');
    await runWithOneError(db, model);
    writeFileSync(path.join(dir, 'chain-helper.mjs'), 'export const twice = (x) => 2 * x + 1;\n');
    const before = tableDump(db, 'chain', 1);
    const refused = await runCli(['resume', '--db', db, '--retry-errors']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'simrun: cannot resume run 1: the code of model chain changed since the run started (chain-helper.mjs); start a new run, or pass --allow-model-change if that is intended',
    );
    expect(tableDump(db, 'chain', 1)).toEqual(before);
    const allowed = await runCli(['resume', '--db', db, '--retry-errors', '--allow-model-change', '--quiet']);
    expect(allowed.code).toBe(3); // item 7 still fails: failAt is a param of the run
    expect(query<{ notes: string }>(db, 'SELECT notes FROM runs')[0]!.notes).toContain(
      'the code of model chain changed since the run started (chain-helper.mjs)',
    );
  });

  /** A model with these columns (all from the index) that fails item 7. */
  const columnsModel = (columns: string) =>
    `export default { name: 'cols', version: '1', columns: { ${columns} }, ` +
    `analyze(idx) { if (idx === 7) throw new Error('seven'); return idx; }, ` +
    `format: (v) => ({ v, w: v / 2, extra: 0 }) };\n`.replace('extra: 0', columns.includes('extra') ? 'extra: 0' : '').replace(', }', ' }');

  it.each([
    ['reordered', "w: 'real', v: 'integer'"],
    ['added', "v: 'integer', w: 'real', extra: 'real'"],
  ])('columns %s: refused with one line and exit 2 before any work, even with --allow-model-change', async (what, changed) => {
    const model = path.join(dir, `cols-${what}.mjs`);
    writeFileSync(model, columnsModel("v: 'integer', w: 'real'"));
    const db = path.join(dir, `cols-${what}.db`);
    expect((await runCli(['run', model, '--input', 'range:300', '--db', db, '--quiet'])).code).toBe(3);
    const before = tableDump(db, 'cols', 1);
    writeFileSync(model, columnsModel(changed));
    const r = await runCli(['resume', '--db', db, '--retry-errors', '--allow-model-change']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^simrun: cannot resume run 1: table cols has columns \(v integer, w real\) but model cols declares \(.*\); start a new run in another --db/,
    );
    expect(tableDump(db, 'cols', 1)).toEqual(before);
    expect(query(db, 'SELECT status, errors FROM runs')).toEqual([{ status: 'done', errors: 1 }]);
  });
});

describe('a worker whose model differs from the run is refused', () => {
  it.each([
    ['swap', /loaded model .* with columns \(b real, a real\), but the run's columns are \(a real, b real\)/],
    ['code', /loaded model .* from code that differs from the run's/],
  ])('model file edited during the run (%s), worker replaced after a crash: run fails, rows stay aligned', async (edit, message) => {
    const model = ownCopy('self-edit.mjs');
    const db = path.join(dir, `self-edit-${edit}.db`);
    const r = await runCli([
      'run',
      model,
      '--input',
      'range:1000',
      '--db',
      db,
      '--workers',
      '1',
      '--chunk-size',
      '50',
      '--param',
      `edit=${edit}`,
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    const [run] = query<{ status: string; done: number; total: number }>(db, 'SELECT status, done, total FROM runs');
    expect(run!.status).toBe('failed');
    expect(run!.done).toBeLessThan(run!.total);
    expect(run!.done).toBe(committed(db, 'selfedit'));
    expect(query(db, 'SELECT count(*) AS n FROM selfedit WHERE a != idx OR b != -idx')).toEqual([{ n: 0 }]);
  });
});

describe('the input is read exactly as scanned', () => {
  it.each(['same-size', 'append'])('input rewritten during the run (%s): the run fails, never done', async (how) => {
    const csv = path.join(dir, `input-${how}.csv`);
    // ~3 MB: far more than one 1 MiB read, so the rewrite lands in a part not yet read.
    writeFileSync(csv, 'x\n' + Array.from({ length: 400_000 }, (_, i) => String(i % 10)).join('\n') + '\n1\n');
    const db = path.join(dir, `input-${how}.db`);
    const r = await runCli([
      'run',
      fixtureModel('input-edit.mjs'),
      '--input',
      csv,
      '--db',
      db,
      '--workers',
      '1',
      '--chunk-size',
      '500',
      '--param',
      `file=${csv}`,
      '--param',
      `how=${how}`,
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      new RegExp(
        `^simrun: input .*input-${how}\\.csv changed during the run \\(.*\\); the run is marked failed: start a new run on the new input$`,
      ),
    );
    const [run] = query<{ status: string; done: number; total: number }>(db, 'SELECT status, done, total FROM runs');
    expect(run!.status).toBe('failed');
    expect(run!.total).toBe(400_001);
    expect(run!.done).toBeLessThanOrEqual(400_001);
    const resume = await runCli(['resume', '--db', db]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('changed since the run started');
  });
});

describe('values are stored exactly or refused', () => {
  it('±Infinity and int64 stored exactly; NaN and integers beyond int64 refused per item; query and export print every digit', async () => {
    const db = path.join(dir, 'numbers.db');
    const r = await runCli(['run', fixtureModel('numbers.mjs'), '--input', 'range:8', '--db', db, '--quiet']);
    expect(r.code).toBe(3);
    const h = new Database(db, { readonly: true });
    const rows = h.prepare('SELECT idx, r, i FROM numbers ORDER BY idx').safeIntegers(true).raw().all();
    h.close();
    expect(rows).toEqual([
      [0n, Infinity, 0n],
      [1n, -Infinity, 1n],
      [2n, 2, 2n ** 60n + 1n],
      [5n, 5, -(2n ** 63n)],
      [6n, 3, 6n],
      [7n, 3.5, 7n],
    ]);
    expect(query(db, 'SELECT idx, kind, message FROM errors ORDER BY idx')).toEqual([
      { idx: 3, kind: 'row', message: "column 'r' is NaN (return null for a missing value)" },
      { idx: 4, kind: 'row', message: "column 'i' is integer but 1180591620717411303424 is outside 64-bit integers" },
    ]);
    const json = await runCli([
      'query',
      '--db',
      db,
      '--format',
      'json',
      'SELECT idx, r, i FROM numbers WHERE idx IN (0, 2, 5) ORDER BY idx',
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      { idx: 0, r: 'Infinity', i: 0 },
      { idx: 2, r: 2, i: '1152921504606846977' },
      { idx: 5, r: 5, i: '-9223372036854775808' },
    ]);
    const table = await runCli(['query', '--db', db, 'SELECT i FROM numbers WHERE idx = 2']);
    expect(table.stdout).toContain('1152921504606846977');
    const csv = await runCli(['export', '--db', db, '--run', '1']);
    expect(csv.stdout).toContain('2,2,1152921504606846977');
    const jsonl = await runCli(['export', '--db', db, '--run', '1', '--format', 'jsonl']);
    expect(jsonl.stdout.split('\n')[1]).toBe('{"run_id":1,"idx":1,"r":"-Infinity","i":1}');
  });
});

describe('JSONL', () => {
  it('every line that is valid JSON is an item, null included, in the middle and last', async () => {
    const file = path.join(dir, 'nulls.jsonl');
    writeFileSync(file, '1\nnull\n\n{"a":2}\nnull\n');
    const db = path.join(dir, 'nulls.db');
    const r = await runCli(['run', fixtureModel('echo.mjs'), '--input', file, '--db', db, '--quiet']);
    expect(r.code).toBe(0);
    expect(query(db, 'SELECT total, done FROM runs')).toEqual([{ total: 4, done: 4 }]);
    expect(query(db, 'SELECT idx, item FROM echo ORDER BY idx')).toEqual([
      { idx: 0, item: '1' },
      { idx: 1, item: 'null' },
      { idx: 2, item: '{"a":2}' },
      { idx: 3, item: 'null' },
    ]);
  });
});
