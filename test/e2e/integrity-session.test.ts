/**
 * Issue 15, the run session: signals drain and never exit 0, two resumes of one run cannot both
 * proceed, and a timed-out item is found by the worker itself, so a starved primary cannot
 * blame an innocent item.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive, childPids, committed, fixtureModel, query, runCli, startCli, tmpDir, waitFor } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('signals', () => {
  // One worker, chunks of 6,000 items at 1 ms: each chunk needs 6 s, longer than throng's 5 s grace.
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s drains the in-flight chunks, marks the run interrupted and exits %i', async (sig, code) => {
    const db = path.join(dir, `${sig}.db`);
    const log = path.join(dir, `${sig}.log`);
    const { child, done } = startCli([
      'run',
      fixtureModel('slow.mjs'),
      '--input',
      'range:100000',
      '--db',
      db,
      '--workers',
      '1',
      '--chunk-size',
      '6000',
      '--param',
      'ms=1',
      '--grace',
      '600',
      '--log',
      log,
      '--quiet',
    ]);
    // A chunk is in flight once the primary has dispatched one (not after some time: a loaded
    // machine may take longer to start the worker).
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('"first chunk dispatched"'), 60_000);
    child.kill(sig);
    const r = await done;
    expect(r.code).toBe(code);
    const [run] = query<{ status: string; done: number; heartbeat_at: number | null }>(db, 'SELECT status, done, heartbeat_at FROM runs');
    expect(run!.status).toBe('interrupted');
    expect(run!.heartbeat_at).toBeNull();
    // The chunks in flight at the signal were finished (each needs 6 s) and committed whole.
    expect(run!.done).toBeGreaterThan(0);
    expect(run!.done % 6000).toBe(0);
    expect(committed(db, 'slow')).toBe(run!.done);
  });
});

describe('two resumes of one stale run', () => {
  it('one proceeds, the other is refused at once; every item is done exactly once', async () => {
    const db = path.join(dir, 'twice.db');
    const { child, done } = startCli([
      'run',
      fixtureModel('slow.mjs'),
      '--input',
      'range:20000',
      '--db',
      db,
      '--workers',
      '1',
      '--chunk-size',
      '500',
      '--param',
      'ms=0.2',
      '--quiet',
    ]);
    await waitFor(() => committed(db, 'slow') >= 1000);
    child.kill('SIGKILL');
    await done;
    const workers = childPids(child.pid!);
    await waitFor(() => workers.every((p) => !alive(p)));
    const resume = () => runCli(['resume', '--db', db, '--workers', '1', '--quiet']);
    const [a, b] = await Promise.all([resume(), resume()]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const refused = a.code === 2 ? a : b;
    expect(refused.stderr.trim()).toMatch(/^simrun: run 1 is being run by pid \d+ on .*; wait for it to finish or stop it first$/);
    expect(query(db, 'SELECT status, done, total FROM runs')).toEqual([{ status: 'done', done: 20000, total: 20000 }]);
    expect(committed(db, 'slow')).toBe(20000);
  });

  it('a run being written is refused by a second `run` of the same input, and by a resume', async () => {
    const db = path.join(dir, 'live.db');
    const args = ['run', fixtureModel('slow.mjs'), '--input', 'range:20000', '--db', db, '--workers', '1', '--param', 'ms=0.5', '--quiet'];
    const first = startCli(args);
    await waitFor(() => committed(db, 'slow') > 0);
    const [second, resume] = await Promise.all([runCli(args), runCli(['resume', '--db', db, '--quiet'])]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already holds run 1 (running)');
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('run 1 is being run by pid');
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
  });
});

describe('--item-timeout with a starved primary', () => {
  it('blames exactly the item that hangs, retries it, and records it; no innocent item is touched', async () => {
    const db = path.join(dir, 'starved.db');
    const model = path.join(dir, 'faulty.mjs');
    copyFileSync(fixtureModel('faulty.mjs'), model);
    const { child, done } = startCli([
      'run',
      model,
      '--input',
      'range:6000',
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '100',
      '--param',
      'mode=hang',
      '--param',
      'at=[4500]',
      '--item-timeout',
      '3000',
      '--retries',
      '1',
      '--quiet',
    ]);
    await waitFor(() => committed(db, 'faulty') >= 4000);
    // Starve the primary while the worker hangs: its IPC backlog and timers all come late.
    child.kill('SIGSTOP');
    await sleep(4000);
    child.kill('SIGCONT');
    const r = await done;
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, attempts FROM errors')).toEqual([{ idx: 4500, kind: 'timeout', attempts: 2 }]);
    expect(committed(db, 'faulty')).toBe(5999);
    expect(query(db, 'SELECT status, done, errors FROM runs')).toEqual([{ status: 'done', done: 5999, errors: 1 }]);
  });
});
