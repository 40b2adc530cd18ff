import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, childPids, committed, fixtureModel, query, runCli, sqlDiffCount, startCli, tmpDir, waitFor } from '../helpers.js';

const slow = fixtureModel('slow.mjs');
const N = 3000;

/**
 * Starts a slow run and stops it (signal) once some chunks are committed; returns its result. The
 * primary is held stopped while the signal is sent, so it dispatches nothing more before handling
 * it: the run is cut mid-way however fast the machine (chunks of 100 of 3,000 items).
 */
async function interruptedRun(db: string, signal: NodeJS.Signals, input = `range:${N}`, model = slow) {
  const args = ['--input', input, '--db', db, '--workers', '2', '--chunk-size', '100', '--param', 'ms=1', '--quiet'];
  const { child, done } = startCli(['run', model, ...args]);
  await waitFor(() => committed(db, 'slow') >= 200);
  const workers = childPids(child.pid!);
  child.kill('SIGSTOP');
  child.kill(signal);
  child.kill('SIGCONT');
  return { result: await done, workers };
}

const gated = fixtureModel('gated.mjs');
const gatedArgs = (db: string) => [
  '--input',
  `range:${N}`,
  '--db',
  db,
  '--workers',
  '2',
  '--chunk-size',
  '50',
  '--param',
  `gate=${db}.gate`,
  '--quiet',
];

/**
 * A run held at item 200 (gated.mjs) and stopped there by `signal`, so it is stopped mid-run on
 * any machine; a draining run gets its gate opened once its log says so, to finish its chunks in
 * flight. The gate stays open for the resume.
 */
async function heldRun(db: string, signal: NodeJS.Signals) {
  const log = `${db}.log`;
  writeFileSync(`${db}.gate`, '200');
  const { child, done } = startCli(['run', gated, ...gatedArgs(db), '--log', log]);
  await waitFor(() => committed(db, 'gated') >= 200, 60_000);
  const workers = childPids(child.pid!);
  child.kill(signal);
  if (signal !== 'SIGKILL') await waitFor(() => readFileSync(log, 'utf8').includes('"signal: draining"'), 60_000);
  writeFileSync(`${db}.gate`, String(N));
  return { result: await done, workers };
}

/** The same items in one uninterrupted run (nothing held). */
async function gatedReference(dir: string) {
  const db = path.join(dir, 'reference.db');
  const r = await runCli(['run', gated, '--input', `range:${N}`, '--db', db, '--workers', '2', '--param', 'hi=0', '--quiet']);
  expect(r.code).toBe(0);
  return db;
}

const runRow = (db: string) => query<Record<string, unknown>>(db, 'SELECT id, status, done, errors, total FROM runs')[0]!;

describe('interrupt and resume', () => {
  it('SIGINT: exit 130, run interrupted; resume completes with the uninterrupted table', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'int.db');
    const { result } = await heldRun(db, 'SIGINT');
    expect(result.code).toBe(130);
    const row = runRow(db);
    expect(row.status).toBe('interrupted');
    // the 200 before the gate and the chunks of 50 in flight at the signal (2 workers, up to 2 each)
    expect(row.done).toBeGreaterThanOrEqual(200);
    expect(row.done).toBeLessThanOrEqual(400);
    expect(committed(db, 'gated')).toBe(row.done);

    const again = await runCli(['run', gated, ...gatedArgs(db)]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('simrun resume --db');

    const resumed = await runCli(['resume', '--db', db, '--workers', '2', '--quiet']);
    expect(resumed.code).toBe(0);
    expect(runRow(db)).toMatchObject({ status: 'done', done: N, errors: 0 });
    expect(sqlDiffCount(db, 1, await gatedReference(dir), 1, 'gated')).toBe(0);
    expect(query(db, 'SELECT count(DISTINCT idx) AS n FROM gated')).toEqual([{ n: N }]);
  });

  it('kill -9 of the primary: workers exit, resume completes with identical results', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'k9.db');
    const { result, workers } = await heldRun(db, 'SIGKILL');
    expect(result.signal).toBe('SIGKILL');
    expect(workers.length).toBe(2);
    await waitFor(() => workers.every((pid) => !alive(pid)), 10_000);
    expect(runRow(db).status).toBe('running');
    const status = await runCli(['status', '--db', db, '--json']);
    expect(JSON.parse(status.stdout)[0].state).toBe('stale');
    const resumed = await runCli(['resume', '--db', db, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(runRow(db)).toMatchObject({ status: 'done', done: N });
    expect(sqlDiffCount(db, 1, await gatedReference(dir), 1, 'gated')).toBe(0);
  });

  it('refuses to resume when the input or the params changed, and changes nothing', async () => {
    const dir = tmpDir();
    const csv = path.join(dir, 'items.csv');
    writeFileSync(csv, 'n\n' + Array.from({ length: N }, (_, i) => i).join('\n') + '\n');
    const model = path.join(dir, 'model.mjs');
    copyFileSync(slow, model);
    const db = path.join(dir, 'r.db');
    const { result } = await interruptedRun(db, 'SIGTERM', csv, model);
    expect(result.code).toBe(143);
    const before = [runRow(db), committed(db, 'slow')];

    writeFileSync(csv, readFileSync(csv, 'utf8') + '3000\n');
    const r1 = await runCli(['resume', '--db', db]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/cannot resume run 1: input .*items\.csv changed/);
    expect([runRow(db), committed(db, 'slow')]).toEqual(before);

    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/3000\n$/, ''));
    writeFileSync(model, readFileSync(slow, 'utf8').replace('params: { ms: 2 }', 'params: { ms: 2, extra: 1 }'));
    const r2 = await runCli(['resume', '--db', db]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(
      'cannot resume run 1: the code of model slow changed since the run started (model.mjs); the params of model slow changed',
    );
    expect([runRow(db), committed(db, 'slow')]).toEqual(before);

    writeFileSync(model, readFileSync(slow, 'utf8').replace("version: '1'", "version: '2'"));
    const r3 = await runCli(['resume', '--db', db]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('model slow is now version 2, the run used 1');
    expect([runRow(db), committed(db, 'slow')]).toEqual(before);
  });
});

describe('query', () => {
  it('refuses a write statement and reports SQL errors', async () => {
    const db = path.join(tmpDir(), 'q.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--quiet'])).code).toBe(0);
    const w = await runCli(['query', '--db', db, 'DELETE FROM montecarlo']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('query is read-only');
    const e = await runCli(['query', '--db', db, 'SELECT nope FROM montecarlo']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('SQL error: no such column: nope');
    expect(query(db, 'SELECT count(*) AS n FROM montecarlo')).toEqual([{ n: 100 }]);
    const csv = await runCli(['query', '--db', db, 'SELECT idx, draws FROM montecarlo WHERE idx < 2 ORDER BY idx', '--format', 'csv']);
    expect(csv.stdout).toBe('idx,draws\n0,1000\n1,1000\n');
    const json = await runCli(['query', '--db', db, 'SELECT idx FROM montecarlo WHERE idx < 2 ORDER BY idx', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([{ idx: 0 }, { idx: 1 }]);
  });

  it('reads a database while another process is writing it', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'live.db');
    // the run stops at item 100 until the reads are done (gated.mjs), on any machine
    const gate = path.join(dir, 'gate');
    writeFileSync(gate, '100');
    const args = ['--input', `range:${N}`, '--db', db, '--workers', '2', '--chunk-size', '50', '--param', `gate=${gate}`, '--quiet'];
    const { child, done } = startCli(['run', fixtureModel('gated.mjs'), ...args]);
    await waitFor(() => committed(db, 'gated') >= 100);
    const q = await runCli(['query', '--db', db, 'SELECT count(*) AS n FROM gated', '--format', 'json']);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout)[0].n).toBe(100);
    const s = await runCli(['status', '--db', db, '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)[0]).toMatchObject({ state: 'running', done: 100 });
    expect(child.exitCode).toBeNull();
    writeFileSync(gate, String(N));
    const r = await done;
    expect(r.code).toBe(0);
    expect(committed(db, 'gated')).toBe(N);
  });
});
