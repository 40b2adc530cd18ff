/**
 * Issue 27: a sweep survives what a run survives. kill -9 of the primary mid-sweep leaves every
 * variant at the same committed items (a chunk of all variants is one transaction) and `resume`
 * finishes them all, equal to separate runs; `--shard i/N` of a sweep merges into one sweep.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, childPids, committed, fixtureModel, query, runCli, startCli, tableDump, tmpDir, waitFor } from '../helpers.js';

const slow = fixtureModel('slow.mjs');
const faulty = fixtureModel('faulty.mjs');
const N = 3000;

const runs = (db: string) =>
  query<{ id: number; status: string; done: number; seed: number }>(db, 'SELECT id, status, done, seed FROM runs ORDER BY id');
const rowsPerRun = (db: string, table: string) =>
  query<{ run_id: number; n: number }>(db, `SELECT run_id, count(*) AS n FROM "${table}" GROUP BY run_id ORDER BY run_id`);

describe('sweep: resume, signals, shards', () => {
  it('kill -9 mid-sweep: every variant has the same items committed; resume (via any run) finishes all, equal to separate runs', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'k9.db');
    const args = ['sweep', slow, '--input', `range:${N}`, '--db', db, '--workers', '2', '--param', 'ms=1', '--seeds', '1:3', '--quiet'];
    const { child, done } = startCli(args);
    await waitFor(() => committed(db, 'slow') >= 600);
    const workers = childPids(child.pid!);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    await waitFor(() => workers.every((pid) => !alive(pid)), 10_000);

    const killed = runs(db);
    expect(killed.map((r) => r.status)).toEqual(['running', 'running', 'running']);
    const [first] = killed;
    expect(first!.done).toBeGreaterThan(0);
    expect(first!.done).toBeLessThan(N);
    // one transaction per chunk for all variants: never a variant ahead of another
    expect(new Set(killed.map((r) => r.done)).size).toBe(1);
    expect(rowsPerRun(db, 'slow').map((r) => r.n)).toEqual([first!.done, first!.done, first!.done]);

    // a second sweep of the same variants is pointed at resume
    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`already holds sweep 1 (runs 1-3, unfinished)`);

    const resumed = await runCli(['resume', '--db', db, '--run', '2', '--workers', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/sweep 1 \(runs 1-3\) done: 3000\/3000 items/);
    expect(runs(db).map((r) => [r.status, r.done, r.seed])).toEqual([
      ['done', N, 1],
      ['done', N, 2],
      ['done', N, 3],
    ]);
    for (const seed of [1, 3]) {
      const ref = path.join(dir, `seed${seed}.db`);
      const r = await runCli([
        'run',
        slow,
        '--input',
        `range:${N}`,
        '--db',
        ref,
        '--workers',
        '2',
        '--param',
        'ms=0',
        '--seed',
        String(seed),
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      // ms only burns time: the rows are the same whatever it is
      expect(tableDump(db, 'slow', seed)).toEqual(tableDump(ref, 'slow', 1));
    }
    const done2 = await runCli(['resume', '--db', db, '--run', '3']);
    expect(done2.code).toBe(0);
    expect(done2.stderr).toContain('sweep 1 (runs 1-3) is already done');
  });

  it('SIGINT mid-sweep: exit 130, every variant interrupted at the same count; resume finishes', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'int.db');
    const { child, done } = startCli([
      'sweep',
      slow,
      '--input',
      `range:${N}`,
      '--db',
      db,
      '--workers',
      '2',
      '--param',
      'ms=1',
      '--grid',
      'ms=1,0',
    ]);
    await waitFor(() => committed(db, 'slow') >= 600);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/sweep 1 \(runs 1-3\) interrupted at \d+\/3000; finish it with: simrun resume --db .* --run 1/);
    const stopped = runs(db);
    expect(stopped.map((x) => x.status)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(new Set(stopped.map((x) => x.done)).size).toBe(1);
    const resumed = await runCli(['resume', '--db', db, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runs(db).map((x) => x.done)).toEqual([N, N, N]);
    expect(tableDump(db, 'slow', 2)).toEqual(tableDump(db, 'slow', 1));
  });

  it('a throw fails the item in its variant only; an item that crashes its worker is an error in every variant', async () => {
    const dir = tmpDir('simrun-sweep-');
    const db = path.join(dir, 'faults.db');
    const r = await runCli([
      'sweep',
      faulty,
      '--input',
      'range:300',
      '--db',
      db,
      '--workers',
      '2',
      '--retries',
      '1',
      '--param',
      'at=[13]',
      '--grid',
      'mode=exit,none',
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /sweep 1 \(runs 1-3\) done: 300\/300 items .*, 3 item error\(s\); see: simrun query .*WHERE run_id BETWEEN 1 AND 3/,
    );
    expect(query(db, 'SELECT run_id, idx, kind FROM errors ORDER BY run_id')).toEqual([
      { run_id: 1, idx: 13, kind: 'crash' },
      { run_id: 2, idx: 13, kind: 'crash' },
      { run_id: 3, idx: 13, kind: 'crash' },
    ]);
    expect(rowsPerRun(db, 'faulty').map((x) => x.n)).toEqual([299, 299, 299]);

    const t = path.join(dir, 'throw.db');
    const thrown = await runCli([
      'sweep',
      faulty,
      '--input',
      'range:300',
      '--db',
      t,
      '--workers',
      '1',
      '--quiet',
      '--param',
      'at=[13]',
      '--grid',
      'mode=none',
    ]);
    expect(thrown.code).toBe(3);
    expect(query(t, 'SELECT run_id, idx, kind FROM errors')).toEqual([{ run_id: 1, idx: 13, kind: 'throw' }]);
    expect(rowsPerRun(t, 'faulty').map((x) => x.n)).toEqual([299, 300]);
  });

  it('resume --retry-errors after a model fix: each variant retries only its own failed items, counted once', async () => {
    const dir = tmpDir('simrun-sweep-');
    const model = path.join(dir, 'faulty.mjs');
    copyFileSync(faulty, model);
    const db = path.join(dir, 'retry.db');
    const r = await runCli([
      'sweep',
      model,
      '--input',
      'range:300',
      '--db',
      db,
      '--workers',
      '2',
      '--quiet',
      '--param',
      'at=[13,14]',
      '--grid',
      'mode=none',
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(query(db, 'SELECT run_id, count(*) AS n FROM errors GROUP BY run_id')).toEqual([{ run_id: 1, n: 2 }]);
    const untouched = tableDump(db, 'faulty', 2);

    // the fix: a poison item now gives -1 instead of throwing
    writeFileSync(model, readFileSync(model, 'utf8').replace('throw new Error(`poison item ${ctx.index}`)', 'return -1'));
    const resumed = await runCli(['resume', '--db', db, '--retry-errors', '--allow-model-change', '--workers', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runs(db).map((x) => [x.status, x.done])).toEqual([
      ['done', 300],
      ['done', 300],
    ]);
    expect(query(db, 'SELECT errors FROM runs ORDER BY id').map((x) => x.errors)).toEqual([0, 0]);
    expect(query(db, 'SELECT idx, value FROM faulty WHERE run_id = 1 AND idx IN (13, 14)')).toEqual([
      { idx: 13, value: -1 },
      { idx: 14, value: -1 },
    ]);
    expect(tableDump(db, 'faulty', 2)).toEqual(untouched);
    expect(query(db, 'SELECT notes FROM runs WHERE id = 1')[0]!.notes).toContain('resume --retry-errors: retrying 2 item(s)');
  });

  it('--shard i/N of a sweep, then merge: one sweep with one run per variant, equal to the unsharded sweep; merging again changes nothing', async () => {
    const dir = tmpDir('simrun-sweep-');
    const common = ['sweep', 'montecarlo', '--input', 'range:5001', '--grid', 'draws=10,30', '--seed', '4', '--quiet', '--workers', '1'];
    const shard = (k: number) => path.join(dir, `shard-${k}.db`);
    const whole = path.join(dir, 'whole.db');
    const results = await Promise.all([
      runCli([...common, '--db', shard(0), '--shard', '0/2']),
      runCli([...common, '--db', shard(1), '--shard', '1/2']),
      runCli([...common, '--db', whole]),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(query(shard(1), 'SELECT shard_index, shard_count, total FROM runs')).toEqual(
      Array(3).fill({ shard_index: 1, shard_count: 2, total: 2500 }),
    );

    const all = path.join(dir, 'all.db');
    const other = path.join(dir, 'other.db');
    const o = await runCli([...common.map((a) => (a === 'draws=10,30' ? 'draws=10,40' : a)), '--db', other, '--shard', '1/2']);
    expect(o.code, o.stderr).toBe(0);
    const mixed = await runCli(['merge', '--into', all, shard(0), other]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/other.db is not a shard of the same sweep as .*shard-0.db: the kind, baseline or variants differ/);
    const partial = await runCli(['merge', '--into', all, shard(0)]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('indices are missing');

    const merged = await runCli(['merge', '--into', all, shard(0), shard(1)]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(query(all, 'SELECT id, status, done, shard_index FROM runs ORDER BY id')).toEqual([
      { id: 1, status: 'done', done: 5001, shard_index: null },
      { id: 2, status: 'done', done: 5001, shard_index: null },
      { id: 3, status: 'done', done: 5001, shard_index: null },
    ]);
    expect(query(all, 'SELECT ord, run_id, label FROM sweep_runs ORDER BY ord')).toEqual([
      { ord: 0, run_id: 1, label: 'baseline' },
      { ord: 1, run_id: 2, label: 'draws=10' },
      { ord: 2, run_id: 3, label: 'draws=30' },
    ]);
    for (const id of [1, 2, 3]) expect(tableDump(all, 'montecarlo', id)).toEqual(tableDump(whole, 'montecarlo', id));

    const again = await runCli(['merge', '--into', all, shard(0), shard(1)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already merged, unchanged');
    expect(query(all, 'SELECT count(*) AS n FROM sweeps')).toEqual([{ n: 1 }]);
    expect(query(all, 'SELECT count(*) AS n FROM runs')).toEqual([{ n: 3 }]);

    const check = await runCli(['check', '--db', all]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});
