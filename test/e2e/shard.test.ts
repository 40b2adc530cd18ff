import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, runCli, sqlDiffCount, startCli, tmpDir, waitFor } from '../helpers.js';

const N = 10_001; // not a multiple of 4: blocks of 2501, 2500, 2500, 2500
const INPUT = `range:${N}`;
const common = ['montecarlo', '--input', INPUT, '--param', 'draws=50', '--seed', '3', '--quiet'];
const BLOCKS = [
  [0, 2500],
  [2501, 5000],
  [5001, 7500],
  [7501, 10000],
];

describe('--shard i/N and simrun merge', () => {
  let dir: string;
  let ref: string;
  const shard = (k: number) => path.join(dir, `shard-${k}.db`);

  beforeAll(async () => {
    dir = tmpDir('simrun-shard-');
    ref = path.join(dir, 'ref.db');
    // Four shards as four separate processes at once (one worker each), plus the one-machine run.
    const results = await Promise.all([
      ...[0, 1, 2, 3].map((k) => runCli(['run', ...common, '--db', shard(k), '--workers', '1', '--shard', `${k}/4`])),
      runCli(['run', ...common, '--db', ref, '--workers', '1']),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
  });

  it('each shard runs its contiguous block, keyed by global index, and records the shard', () => {
    for (const [k, [lo, hi]] of BLOCKS.entries()) {
      expect(query(shard(k), 'SELECT shard_index, shard_count, total, input_total, done, status FROM runs')).toEqual([
        { shard_index: k, shard_count: 4, total: hi! - lo! + 1, input_total: N, done: hi! - lo! + 1, status: 'done' },
      ]);
      expect(query(shard(k), 'SELECT min(idx) AS lo, max(idx) AS hi, count(*) AS n FROM montecarlo')).toEqual([
        { lo, hi, n: hi! - lo! + 1 },
      ]);
    }
  });

  it('merges 4 shards into a table equal to the unsharded run; merging again changes nothing', async () => {
    const all = path.join(dir, 'all.db');
    const files = [0, 1, 2, 3].map(shard);
    const r = await runCli(['merge', '--into', all, ...files]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`4 shards merged, ${N}/${N} items`);
    expect(sqlDiffCount(all, 1, ref, 1, 'montecarlo')).toBe(0);
    expect(query(all, 'SELECT count(*) AS n, count(DISTINCT idx) AS d FROM montecarlo')).toEqual([{ n: N, d: N }]);
    expect(query(all, 'SELECT id, status, total, done, errors, shard_index, input_total FROM runs')).toEqual([
      { id: 1, status: 'done', total: N, done: N, errors: 0, shard_index: null, input_total: N },
    ]);
    const snapshot = () => query(all, 'SELECT * FROM shards ORDER BY shard_index');
    const before = snapshot();
    expect(before.map((s) => [s.shard_index, s.lo, s.hi, s.done, s.source_db])).toEqual(
      BLOCKS.map(([lo, hi], k) => [k, lo, hi, hi! - lo! + 1, files[k]]),
    );

    // Idempotent: same shards again (in another order), nothing rewritten.
    const again = await runCli(['merge', '--into', all, ...[...files].reverse()]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/already merged, unchanged/g)).toHaveLength(4);
    expect(snapshot()).toEqual(before);
    expect(query(all, 'SELECT count(*) AS n FROM runs')).toEqual([{ n: 1 }]);
    expect(sqlDiffCount(all, 1, ref, 1, 'montecarlo')).toBe(0);

    // status shows per-shard provenance, as text and JSON.
    const text = await runCli(['status', '--db', all]);
    expect(text.stdout).toMatch(/shard 0\/4: indices 0-2500, 2501 rows, 0 errors, done; from .*shard-0\.db \(run 1\)/);
    expect(text.stdout).toContain('shard 3/4: indices 7501-10000');
    const json = JSON.parse((await runCli(['status', '--db', all, '--json'])).stdout);
    expect(json[0].shards).toHaveLength(4);
    const one = await runCli(['status', '--db', shard(2)]);
    expect(one.stdout).toContain(`shard 2/4 of ${N} items`);
  });

  it('refuses a shard with other params, a doubled shard and missing shards; writes nothing', async () => {
    const into = path.join(dir, 'refused.db');
    const other = path.join(dir, 'other-params.db');
    expect((await runCli(['run', ...common, '--param', 'draws=60', '--db', other, '--workers', '1', '--shard', '1/4'])).code).toBe(0);
    const p = await runCli(['merge', '--into', into, shard(0), other, shard(2), shard(3)]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('other-params.db is not a shard of the same run as');
    expect(p.stderr).toContain('params differs ({"draws":60} vs {"draws":50})');

    const copy = path.join(dir, 'shard-1-copy.db');
    copyFileSync(shard(1), copy);
    const d = await runCli(['merge', '--into', into, shard(0), shard(1), copy, shard(2), shard(3)]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/shard 1\/4 is given twice \(.*shard-1\.db and .*shard-1-copy\.db\): indices 2501-5000 would be doubled/);

    const m = await runCli(['merge', '--into', into, shard(0), shard(2)]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`cannot merge: 5000 of ${N} indices are missing`);
    expect(m.stderr).toContain('indices 2501-5000 (shard 1/4: no database given)');
    expect(m.stderr).toContain('indices 7501-10000 (shard 3/4: no database given)');
    expect(existsSync(into)).toBe(false);

    const self = await runCli(['merge', '--into', shard(0), shard(0), shard(1), shard(2), shard(3)]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('is one of the shard databases');
  });

  it('--allow-partial merges what is there; a later merge of the rest completes it (resumable)', async () => {
    const into = path.join(dir, 'partial.db');
    const r1 = await runCli(['merge', '--into', into, '--allow-partial', shard(0), shard(2)]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('partial merge: 2 of 4 shards, 5001 of 10001 items');
    expect(query(into, 'SELECT status, done FROM runs')).toEqual([{ status: 'interrupted', done: 5001 }]);
    const r2 = await runCli(['merge', '--into', into, shard(1), shard(3), shard(0), shard(2)]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr.match(/already merged, unchanged/g)).toHaveLength(2);
    expect(query(into, 'SELECT status, done FROM runs')).toEqual([{ status: 'done', done: N }]);
    expect(sqlDiffCount(into, 1, ref, 1, 'montecarlo')).toBe(0);
  });
});

describe('--shard checks, slurm, and resume of a shard', () => {
  it('refuses bad --shard values with one line and exit 2, before creating the database', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'bad.db');
    for (const bad of ['4/4', '1/0', 'x', '-1/4', '1/', 'slurm']) {
      const r = await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--shard', bad], {
        env: { SLURM_ARRAY_TASK_ID: '' },
      });
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trim().split('\n'), bad).toHaveLength(1);
    }
    const few = await runCli(['run', 'montecarlo', '--input', 'range:3', '--db', db, '--shard', '0/4']);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('the input has only 3 item(s), fewer than 4 shards');
    expect(existsSync(db)).toBe(false);
  });

  it('--shard slurm takes the shard from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN and _COUNT', async () => {
    const db = path.join(tmpDir(), 'slurm.db');
    const env = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '4', SLURM_ARRAY_TASK_COUNT: '4' };
    const r = await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--workers', '1', '--shard', 'slurm', '--quiet'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(query(db, 'SELECT shard_index, shard_count, total FROM runs')).toEqual([{ shard_index: 2, shard_count: 4, total: 25 }]);
    const stepped = await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--shard', 'slurm'], {
      env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_COUNT: '4' },
    });
    expect(stepped.code).toBe(2);
    expect(stepped.stderr).toContain('needs a contiguous job array');
    const rerun = await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--shard', 'slurm'], {
      env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '1' },
    });
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toContain('give --shard 2/N instead');
  });

  it('an interrupted shard: merge names its missing range; resume stays in the shard; then merge completes', async () => {
    const dir = tmpDir();
    // Shard 1 (1000-1999) waits at item 1200 until the test opens the gate (gated.mjs): the
    // SIGINT lands mid-run on any machine, and the gate opens once the shard is draining.
    const gated = fixtureModel('gated.mjs');
    const gate = path.join(dir, 'gate');
    writeFileSync(gate, '1200');
    const log = path.join(dir, 's1.log');
    const args = (k: number) => [
      'run',
      gated,
      '--input',
      'range:2000',
      '--db',
      path.join(dir, `s${k}.db`),
      '--workers',
      '1',
      '--chunk-size',
      '50',
      '--param',
      `gate=${gate}`,
      '--param',
      'lo=1000',
      '--shard',
      `${k}/2`,
      '--quiet',
    ];
    expect((await runCli(args(0))).code).toBe(0);
    const { child, done } = startCli([...args(1), '--log', log]);
    await waitFor(() => committed(path.join(dir, 's1.db'), 'gated') >= 200, 60_000);
    child.kill('SIGINT');
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('"signal: draining"'), 60_000);
    writeFileSync(gate, '2000');
    expect((await done).code).toBe(130);
    const files = [0, 1].map((k) => path.join(dir, `s${k}.db`));
    const into = path.join(dir, 'all.db');
    const m = await runCli(['merge', '--into', into, ...files]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(
      /indices \d+-1999 \(shard 1\/2: run 1 in .*s1\.db is interrupted; finish it with: simrun resume --db .*s1\.db\)/,
    );

    const resumed = await runCli(['resume', '--db', files[1]!, '--workers', '1', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(query(files[1]!, 'SELECT status, total, done FROM runs')).toEqual([{ status: 'done', total: 1000, done: 1000 }]);
    expect(query(files[1]!, 'SELECT min(idx) AS lo, max(idx) AS hi FROM gated')).toEqual([{ lo: 1000, hi: 1999 }]);
    const ok = await runCli(['merge', '--into', into, ...files]);
    expect(ok.code, ok.stderr).toBe(0);
    const ref = path.join(dir, 'ref.db');
    const open = ['--param', 'hi=0']; // nothing held
    expect((await runCli(['run', gated, '--input', 'range:2000', '--db', ref, '--workers', '1', ...open, '--quiet'])).code).toBe(0);
    // the gate only holds items back: values depend on (seed, index) alone.
    expect(query(into, 'SELECT count(*) AS n FROM gated')).toEqual([{ n: 2000 }]);
    expect(sqlDiffCount(into, 1, ref, 1, 'gated')).toBe(0);
  });
});
