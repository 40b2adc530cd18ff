import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alive,
  childPids,
  committedRuns,
  committed,
  fixtureModel,
  query,
  runCli,
  sqlDiffCount,
  startCli,
  tableDump,
  tmpDir,
  waitFor,
} from '../helpers.js';

const faulty = fixtureModel('faulty.mjs');
const N = 400;
const POISON = [13, 250];
let dir: string;
let clean: string[];

beforeAll(async () => {
  dir = tmpDir();
  const db = path.join(dir, 'clean.db');
  const r = await runCli(['run', faulty, '--input', `range:${N}`, '--db', db, '--param', 'at=[]', '--quiet']);
  expect(r.code).toBe(0);
  clean = tableDump(db, 'faulty', 1);
});

async function faultRun(mode: string, extra: string[] = []) {
  const db = path.join(dir, `${mode}.db`);
  const r = await runCli([
    'run',
    faulty,
    '--input',
    `range:${N}`,
    '--db',
    db,
    '--workers',
    '2',
    '--param',
    `mode=${mode}`,
    '--param',
    `at=${JSON.stringify(POISON)}`,
    ...extra,
  ]);
  return { r, db };
}

function expectCleanMinusPoison(db: string) {
  const idx = query<{ idx: number }>(db, 'SELECT idx FROM faulty ORDER BY idx').map((x) => x.idx);
  expect(idx).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => !POISON.includes(i)));
  expect(tableDump(db, 'faulty', 1)).toEqual(clean.filter((_, i) => !POISON.includes(i)));
}

describe('faulty items', () => {
  it.each([
    ['throw', 'throw', 'Error', 1],
    ['exit', 'crash', 'WorkerCrash', 3],
    ['kill', 'crash', 'WorkerCrash', 3],
  ])('mode %s: poison items become %s errors, everything else is done once', async (mode, kind, name, attempts) => {
    const { r, db } = await faultRun(mode);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('2 item error(s)');
    expect(query(db, 'SELECT idx, kind, name, attempts FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind, name, attempts })),
    );
    expectCleanMinusPoison(db);
    if (mode === 'kill') expect(query(db, 'SELECT DISTINCT code FROM errors')).toEqual([{ code: 'SIGKILL' }]);
  });

  it('an item over --item-timeout is killed, recorded as a timeout, and the rest finishes', async () => {
    const { r, db } = await faultRun('hang', ['--item-timeout', '500']);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind: 'timeout', name: 'ItemTimeout' })),
    );
    expectCleanMinusPoison(db);
  });

  it('resume --retry-errors re-runs only the failed items once the model is fixed', async () => {
    const model = path.join(dir, 'fixable.mjs');
    copyFileSync(faulty, model);
    const db = path.join(dir, 'retry.db');
    const r = await runCli(['run', model, '--input', `range:${N}`, '--db', db, '--param', `at=${JSON.stringify(POISON)}`, '--quiet']);
    expect(r.code).toBe(3);
    writeFileSync(model, readFileSync(faulty, 'utf8').replace("if (mode === 'throw') throw", 'if (false) throw'));
    const plain = await runCli(['resume', '--db', db]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('already done');
    // The fix changed the model's code: resume names the file and refuses unless told.
    const refused = await runCli(['resume', '--db', db, '--retry-errors', '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the code of model faulty changed since the run started \(fixable\.mjs\).*--allow-model-change/);
    const retry = await runCli(['resume', '--db', db, '--retry-errors', '--allow-model-change', '--quiet']);
    expect(retry.code).toBe(0);
    expect(query(db, 'SELECT status, done, errors FROM runs')).toEqual([{ status: 'done', done: N, errors: 0 }]);
    expect(query(db, 'SELECT count(*) AS n FROM errors')).toEqual([{ n: 0 }]);
    expect(tableDump(db, 'faulty', 1)).toEqual(clean);
    const notes = String(query<{ notes: string }>(db, 'SELECT notes FROM runs')[0]!.notes);
    expect(notes).toContain('--retry-errors: retrying 2 item(s)');
    expect(notes).toContain('--allow-model-change: the code of model faulty changed since the run started (fixable.mjs)');
  });
});

describe('runs that cannot go on', () => {
  it('a crash loop stops with one clear line, exit 1, run failed, no endless forking', async () => {
    const db = path.join(dir, 'loop.db');
    const r = await runCli(['run', faulty, '--input', `range:${N}`, '--db', db, '--workers', '2', '--param', 'mode=all-exit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /simrun: workers keep crashing \(\d+ crashes, \d+ items isolated, no chunk done; last: exit code 1\); model .*faulty\.mjs/,
    );
    expect(query(db, 'SELECT status FROM runs')).toEqual([{ status: 'failed' }]);
    expect((r.stderr.match(/worker died/g) ?? []).length).toBeLessThanOrEqual(44);
  });

  it('a model whose setup throws stops the run: exit 1, the error named', async () => {
    const db = path.join(dir, 'setup.db');
    const r = await runCli(['run', fixtureModel('setup-throws.mjs'), '--input', 'range:10', '--db', db, '--workers', '2', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed to start in a worker: Error: cannot open tables\.bin: no such file/);
    expect(query(db, 'SELECT status, message FROM runs')[0]).toMatchObject({ status: 'failed' });
  });

  it('a model whose rows disagree with its columns stops with exit 2', async () => {
    const db = path.join(dir, 'rows.db');
    const r = await runCli(['run', fixtureModel('bad-rows.mjs'), '--input', 'range:10', '--db', db, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("returns rows that do not match its columns: row has no value for column 'value'");
    expect(existsSync(db)).toBe(false); // the new run was rolled back: no database left behind
  });
});

describe('signals and kill -9', () => {
  it('a second SIGINT stops at once; the database stays valid and resume completes', async () => {
    const db = path.join(dir, 'twice.db');
    // the run waits at item 300 (gated.mjs): both signals land mid-run on any machine
    const gate = path.join(dir, 'twice.gate');
    writeFileSync(gate, '300');
    const { child, done } = startCli([
      'run',
      fixtureModel('gated.mjs'),
      '--input',
      'range:3000',
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '50',
      '--param',
      `gate=${gate}`,
      '--grace',
      '60',
      '--quiet',
    ]);
    await waitFor(() => committed(db, 'gated') >= 100);
    child.kill('SIGINT');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(query(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(query(db, 'SELECT status FROM runs')).toEqual([{ status: 'interrupted' }]);
    writeFileSync(gate, '3000');
    expect((await runCli(['resume', '--db', db, '--quiet'])).code).toBe(0);
    expect(query(db, 'SELECT count(DISTINCT idx) AS n FROM gated')).toEqual([{ n: 3000 }]);
  });

  it('kill -9 of the primary while its workers are stuck in hung items: no orphan keeps running', async () => {
    const db = path.join(dir, 'orphans.db');
    const { child, done } = startCli([
      'run',
      faulty,
      '--input',
      'range:100',
      '--db',
      db,
      '--workers',
      '2',
      '--param',
      'mode=hang',
      '--param',
      'at=[0,1,2,3,4,5,6,7,8,9]',
      '--chunk-size',
      '1',
      '--quiet',
    ]);
    // The run row becomes visible 2 s after start even though no chunk can finish.
    await waitFor(() => childPids(child.pid!).length === 2 && committedRuns(db) === 1);
    await new Promise((r) => setTimeout(r, 500)); // both workers are now spinning in an item
    const workers = childPids(child.pid!);
    child.kill('SIGKILL');
    await done;
    await waitFor(() => workers.every((pid) => !alive(pid)), 10_000);
  });

  it('chaos: kill -9 the primary at seeded random moments, resume each time: identical to one clean run', async () => {
    const n = 4000;
    const args = ['--input', `range:${n}`, '--param', 'ms=0.5', '--quiet'];
    const ref = path.join(dir, 'chaos-ref.db');
    expect((await runCli(['run', fixtureModel('slow.mjs'), '--db', ref, ...args])).code).toBe(0);
    const db = path.join(dir, 'chaos.db');
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 3; round++) {
      const target = Math.floor(committed(db, 'slow') + (n - committed(db, 'slow')) * (0.2 + 0.5 * rand()));
      const cmd = round === 0 ? ['run', fixtureModel('slow.mjs'), '--db', db, ...args] : ['resume', '--db', db, '--quiet'];
      const { child, done } = startCli(cmd);
      await waitFor(() => committed(db, 'slow') >= target);
      const workers = childPids(child.pid!);
      child.kill('SIGKILL');
      await done;
      await waitFor(() => workers.every((pid) => !alive(pid)), 10_000);
    }
    expect((await runCli(['resume', '--db', db, '--quiet'])).code).toBe(0);
    expect(sqlDiffCount(db, 1, ref, 1, 'slow')).toBe(0);
    expect(query(db, 'SELECT count(*) AS n, count(DISTINCT idx) AS d FROM slow')).toEqual([{ n, d: n }]);
  });
});
