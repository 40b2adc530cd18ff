/**
 * Issue 29: the trace table through the built CLI. Across a crash, a timeout, an interrupted
 * and resumed run and a merge of shards, every committed chunk has exactly one committed trace
 * row (written in the chunk's own transaction), the committed rows cover every item once, and
 * the failed attempts are there with their outcomes. No timing is asserted.
 */
import { copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, root, runCli, startCli, tmpDir, waitFor } from '../helpers.js';

const faulty = fixtureModel('faulty.mjs');
const slow = fixtureModel('slow.mjs');
let dir: string;

beforeAll(() => {
  dir = tmpDir('simrun-trace-');
});

type Range = { lo: number; hi: number };
const ranges = (db: string, sql: string, run = 1) => query<Range>(db, sql, run).map((r) => `${r.lo}-${r.hi}`);

/** The committed trace rows are the `chunks` rows one for one, and cover 0..n-1 exactly once. */
function expectOneCommitPerChunk(db: string, n: number, opts: { chunksToo?: boolean } = {}) {
  const traced = query<Range>(db, `SELECT lo, hi FROM trace WHERE run_id = 1 AND outcome = 'committed' ORDER BY lo, hi`);
  let next = 0;
  for (const r of traced) {
    expect(r.lo, `committed trace rows overlap or leave a gap at ${next}`).toBe(next);
    next = r.hi + 1;
  }
  expect(next).toBe(n);
  if (opts.chunksToo !== false) {
    expect(ranges(db, `SELECT lo, hi FROM trace WHERE run_id = ? AND outcome = 'committed' ORDER BY lo, hi`)).toEqual(
      ranges(db, 'SELECT lo, hi FROM chunks WHERE run_id = ? ORDER BY lo, hi'),
    );
  }
}

const outcomes = (db: string) =>
  Object.fromEntries(
    query<{ outcome: string; n: number }>(db, 'SELECT outcome, count(*) AS n FROM trace GROUP BY outcome').map((r) => [r.outcome, r.n]),
  );

async function faultRun(name: string, mode: string, at: number[], extra: string[] = []) {
  const db = path.join(dir, `${name}.db`);
  const args = [
    'run',
    faulty,
    '--input',
    'range:400',
    '--db',
    db,
    '--workers',
    '2',
    '--param',
    `mode=${mode}`,
    '--param',
    `at=${JSON.stringify(at)}`,
  ];
  const r = await runCli([...args, '--quiet', ...extra]);
  return { r, db };
}

describe('simrun trace table', () => {
  it('a clean run: one committed row per chunk, worker, pid, host, times, CPU, RSS and slowest items measured', async () => {
    const { r, db } = await faultRun('clean', 'throw', [7]);
    expect(r.code, r.stderr).toBe(3);
    expectOneCommitPerChunk(db, 400);
    expect(outcomes(db)).toEqual({ committed: query(db, 'SELECT count(*) AS n FROM chunks')[0]!.n });
    const bad = query(
      db,
      `SELECT * FROM trace WHERE worker NOT IN (1, 2) OR pid IS NULL OR host != ? OR session != 1 OR dispatched_at IS NULL OR started_at IS NULL ` +
        `OR finished_at < started_at OR wall_ms < 0 OR cpu_ms < 0 OR rss <= 0 OR peak_rss < rss OR items != hi - lo + 1`,
      os.hostname(),
    );
    expect(bad).toEqual([]);
    // The throw is an item error inside a committed chunk.
    expect(query(db, `SELECT sum(errors) AS e FROM trace WHERE lo <= 7 AND hi >= 7`)).toEqual([{ e: 1 }]);
    // Each committed chunk's slowest items (up to 3), listed by the view trace_items, are inside the run's range.
    const items = query<{ n: number; lo: number; hi: number }>(
      db,
      'SELECT count(*) AS n, min(idx) AS lo, max(idx + items - 1) AS hi FROM trace_items',
    )[0]!;
    expect(items.n).toBeGreaterThan(0);
    expect(items.lo).toBeGreaterThanOrEqual(0);
    expect(items.hi).toBeLessThan(400);
    // Two workers started and were stopped at the end.
    const workers = query<{ worker: number; exit_code: number | null; signal: string | null; cause: string }>(
      db,
      'SELECT worker, exit_code, signal, cause FROM trace_workers ORDER BY worker',
    );
    expect(workers.map((w) => [w.worker, w.cause])).toEqual([
      [1, 'stopped'],
      [2, 'stopped'],
    ]);
    // A worker's start is its fork, which comes before the run is created (workers are forked
    // while the primary opens the store), then its ready (none if the run ended first) and its exit.
    const runStart = Date.parse(query<{ s: string }>(db, 'SELECT created_at AS s FROM runs')[0]!.s);
    const spans = query<{ started_at: number; ready_at: number | null; exited_at: number }>(
      db,
      'SELECT started_at, ready_at, exited_at FROM trace_workers',
    );
    for (const w of spans) {
      expect(w.started_at).toBeLessThanOrEqual(runStart);
      expect(w.started_at).toBeLessThanOrEqual(w.ready_at ?? w.exited_at);
      expect(w.ready_at ?? w.exited_at).toBeLessThanOrEqual(w.exited_at);
    }
  });

  it('crashes: bisected, retried and crashed attempts, the recorded item committed once, and worker exits with their exit code', async () => {
    const { r, db } = await faultRun('crash', 'exit', [13, 250]);
    expect(r.code, r.stderr).toBe(3);
    expectOneCommitPerChunk(db, 400);
    const o = outcomes(db);
    expect(o.bisected).toBeGreaterThan(0);
    expect(o.retried).toBe(4); // each poison item alone, after its 1st and 2nd crash (--retries 2)
    expect(o.crashed).toBe(2);
    for (const idx of [13, 250]) {
      expect(
        query(db, `SELECT attempt, worker, errors, cause FROM trace WHERE lo = ? AND hi = ? AND outcome = 'committed'`, idx, idx),
      ).toEqual([
        {
          attempt: 3,
          worker: null,
          errors: 1,
          cause: 'recorded as an error: worker died (exit code 1) while running this item, 3 time(s)',
        },
      ]);
    }
    // Every crash is a worker exit with its code; a failed attempt names the worker and pid it died in.
    // (one suspect attempt per crash: the chunk the worker was running)
    const crashes = query<{ n: number }>(db, `SELECT count(*) AS n FROM trace_workers WHERE exit_code = 1 AND cause = 'exit code 1'`)[0]!.n;
    const suspects = query<{ n: number }>(db, `SELECT count(*) AS n FROM trace WHERE outcome IN ('bisected', 'retried', 'crashed')`)[0]!.n;
    expect(crashes).toBe(suspects);
    const orphan = query(
      db,
      `SELECT t.id FROM trace t WHERE t.outcome != 'committed' AND NOT EXISTS (SELECT 1 FROM trace_workers w WHERE w.pid = t.pid AND w.exit_code = 1)`,
    );
    expect(orphan).toEqual([]);
  });

  it('a timeout: the chunk holding the item is timed_out, the item committed once as an error', async () => {
    const { r, db } = await faultRun('timeout', 'hang', [42], ['--item-timeout', '500', '--retries', '1']);
    expect(r.code, r.stderr).toBe(3);
    expectOneCommitPerChunk(db, 400);
    const failed = query<{ lo: number; hi: number; outcome: string; cause: string }>(
      db,
      `SELECT lo, hi, outcome, cause FROM trace WHERE outcome != 'committed' AND lo <= 42 AND hi >= 42 ORDER BY id`,
    );
    expect(failed.length).toBe(2); // the chunk it was in, then the item alone once (--retries 1)
    expect(failed.every((f) => f.outcome === 'timed_out' && f.cause === 'item 42 timed out')).toBe(true);
    expect(failed[1]).toMatchObject({ lo: 42, hi: 42 });
    expect(query(db, `SELECT errors, cause FROM trace WHERE lo = 42 AND hi = 42 AND outcome = 'committed'`)).toEqual([
      { errors: 1, cause: expect.stringMatching(/^recorded as an error: item ran longer than --item-timeout 500 ms, 2 time/) },
    ]);
    expect(query(db, `SELECT count(*) AS n FROM trace_workers WHERE cause = 'item 42 timed out'`)[0]!.n).toBe(2);
  });

  it('an interrupted run (stopped at once: its chunks in flight lost) and its resume: two sessions, each chunk committed once', async () => {
    const db = path.join(dir, 'resume.db');
    const args = ['--input', 'range:3000', '--db', db, '--workers', '2', '--param', 'ms=2', '--chunk-size', '100', '--quiet'];
    const { child, done } = startCli(['run', slow, ...args]);
    await waitFor(() => committed(db, 'slow') >= 400, 60_000);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const lost = query<{ session: number; cause: string }>(db, `SELECT session, cause FROM trace WHERE outcome = 'lost'`);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((l) => l.session === 1 && l.cause === 'in flight when the session ended')).toBe(true);

    const r = await runCli(['resume', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expectOneCommitPerChunk(db, 3000);
    expect(query(db, `SELECT DISTINCT session FROM trace WHERE outcome = 'committed' ORDER BY session`)).toEqual([
      { session: 1 },
      { session: 2 },
    ]);
    expect(query(db, 'SELECT session, count(*) AS n FROM trace_workers GROUP BY session ORDER BY session')).toEqual([
      { session: 1, n: 2 },
      { session: 2, n: 2 },
    ]);
  });

  it('merged shards keep each shard trace, tagged with shard and host', async () => {
    const shards = [0, 1].map((k) => path.join(dir, `shard-${k}.db`));
    const common = ['run', faulty, '--input', 'range:600', '--param', 'at=[]', '--workers', '1', '--quiet'];
    const rs = await Promise.all(shards.map((db, k) => runCli([...common, '--db', db, '--shard', `${k}/2`])));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const all = path.join(dir, 'merged.db');
    expect((await runCli(['merge', '--into', all, ...shards, '--quiet'])).code).toBe(0);
    expectOneCommitPerChunk(all, 600, { chunksToo: false });
    const perShard = query<{ shard: number; host: string; n: number }>(
      all,
      `SELECT shard, host, count(*) AS n FROM trace WHERE run_id = 1 GROUP BY shard, host ORDER BY shard`,
    );
    expect(perShard.map((s) => [s.shard, s.host])).toEqual([
      [0, os.hostname()],
      [1, os.hostname()],
    ]);
    for (const [k, db] of shards.entries()) {
      expect(perShard[k]!.n).toBe(query<{ n: number }>(db, 'SELECT count(*) AS n FROM trace')[0]!.n);
    }
    expect(query(all, 'SELECT shard, count(*) AS n FROM trace_workers GROUP BY shard ORDER BY shard')).toEqual([
      { shard: 0, n: 1 },
      { shard: 1, n: 1 },
    ]);
    // A second merge replaces each shard's trace rather than doubling it.
    expect((await runCli(['merge', '--into', all, ...shards, '--quiet'])).code).toBe(0);
    expectOneCommitPerChunk(all, 600, { chunksToo: false });
  });
});

describe('simrun trace', () => {
  it('summarises a run with crashes, and lists every attempt with Nextflow field names', async () => {
    const db = path.join(dir, 'crash.db');
    const table = await runCli(['trace', '--db', db]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^run 1: \d+ chunk attempts \(\d+ committed, /);
    expect(table.stdout).toMatch(/utilization \d+\.\d% \(busy \/ wall time of 2 worker lanes\), peak RSS \d+\.\d MB/);
    expect(table.stdout).toContain('10 slowest items');
    expect(table.stdout).toMatch(/worker restarts: \d+, by cause[\s\S]*exit code 1/);

    const summary = JSON.parse((await runCli(['trace', '--db', db, '--format', 'json', '--summary'])).stdout);
    expect(summary.workers.map((w: { worker: number }) => w.worker)).toEqual([1, 2]);
    expect(summary.utilization).toBeGreaterThan(0);
    expect(summary.utilization).toBeLessThanOrEqual(1);
    expect(summary.slowest.length).toBe(10);
    expect(summary.throughput.length).toBe(60);
    expect(summary.restarts[0].cause).toBe('exit code 1');

    const n = query<{ n: number }>(db, 'SELECT count(*) AS n FROM trace')[0]!.n;
    const csv = (await runCli(['trace', '--db', db, '--run', '1', '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]).toBe(
      'task_id,native_id,name,status,exit,attempt,submit,start,complete,duration,realtime,%cpu,peak_rss,rss,hostname,' +
        'run_id,session,shard,worker,lo,hi,items,errors,outcome,cause',
    );
    expect(csv.length).toBe(n + 1);
    const tsv = (await runCli(['trace', '--db', db, '--format', 'tsv'])).stdout.trim().split('\n');
    expect(tsv.length).toBe(n + 1);
    const rows = JSON.parse((await runCli(['trace', '--db', db, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['COMPLETED', 'FAILED']));
    expect(rows.find((r) => r.outcome === 'bisected')).toMatchObject({ status: 'FAILED', exit: 1, hostname: os.hostname() });
  });

  it('says so for a database without a trace and for a run that is not there', async () => {
    const none = await runCli(['trace', '--db', path.join(dir, 'crash.db'), '--run', '9']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no run 9 in the database');
    const old = path.join(dir, 'v1.db');
    copyFileSync(path.join(root, 'test/fixtures/db/v1-interrupted.db'), old);
    const r = await runCli(['trace', '--db', old]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no trace: it was written by a simrun before the trace (schema 3)');
  });
});

describe('status with the trace', () => {
  it('shows utilization, and while a run hangs on an item, the chunk that holds it as the longest in flight', async () => {
    const db = path.join(dir, 'hang.db');
    const run = startCli([
      'run',
      faulty,
      '--input',
      'range:200',
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '10',
      '--param',
      'mode=hang',
      '--param',
      'at=[50]',
      '--quiet',
    ]);
    type Row = {
      state: string;
      trace?: { utilization: number | null; slowest_in_flight: { lo: number; hi: number; worker: number; running_ms: number } | null };
    };
    let row: Row | undefined;
    const poll = async () => {
      const r = await runCli(['status', '--db', db, '--json']);
      row = r.code === 0 ? (JSON.parse(r.stdout) as Row[])[0] : undefined;
      return row?.trace?.slowest_in_flight?.lo === 50;
    };
    const end = Date.now() + 60_000;
    while (!(await poll()) && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
    expect(row?.trace?.slowest_in_flight).toMatchObject({ lo: 50, hi: 59 });
    expect([1, 2]).toContain(row!.trace!.slowest_in_flight!.worker);
    const text = await runCli(['status', '--db', db]);
    expect(text.stdout).toMatch(
      / {2}trace: utilization \d+\.\d%, peak RSS [\d.]+ MB; longest in flight: items 50\.\.59 on worker [12] \(pid \d+\) for \d+/,
    );
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    const after = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout)[0] as Row;
    expect(after.trace?.slowest_in_flight).toBeNull();
    expect(query(db, `SELECT lo, hi FROM trace WHERE outcome = 'lost'`)).toContainEqual({ lo: 50, hi: 59 });
  });
});
