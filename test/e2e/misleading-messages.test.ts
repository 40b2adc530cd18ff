/**
 * Messages that said the wrong thing: a database whose -wal was deleted is not "not a simrun
 * database"; an old shard without a code fingerprint is not "vs undefined"; a run that failed
 * after writing does not exit 2 (which promises nothing was written); status times carry a zone.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, runCli, sha, tmpDir } from '../helpers.js';

const dir = tmpDir('simrun-msg-');
const lines = (s: string) => s.trim().split('\n');

/** A writer that commits `sql` in WAL mode and is killed before any checkpoint (exits without closing). */
function killedWriter(file: string, sql: string): void {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(process.argv[1]);
    db.pragma('journal_mode = WAL'); db.pragma('wal_autocheckpoint = 0'); db.exec(process.argv[2]); process.exit(0);`;
  expect(spawnSync(process.execPath, ['-e', script, file, sql]).status).toBe(0);
}

describe('a database whose -wal was deleted after its writer was killed', () => {
  it('with every commit in the -wal: exit 2, one line saying the write-ahead log is missing and what to do', async () => {
    const file = path.join(dir, 'lost.db');
    killedWriter(file, `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '2')`);
    rmSync(`${file}-wal`);
    const before = sha(file);
    for (const args of [
      ['status', '--db', file],
      ['resume', '--db', file],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([
        `simrun: ${file}: its write-ahead log lost.db-wal is missing (deleted, or not copied with it), and every commit since the database was created was in it: ` +
          `its runs and results are lost. If you still have lost.db-wal, put it back beside ${file}; otherwise start the run again with a new --db`,
      ]);
    }
    expect(sha(file)).toBe(before);
  });

  it('after a checkpoint, with its -shm left: status warns that the last commits are lost', async () => {
    const done = path.join(dir, 'done.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:50', '--db', done, '--param', 'draws=10', '--quiet'])).code).toBe(0);
    const file = path.join(dir, 'partly.db');
    copyFileSync(done, file);
    killedWriter(file, `UPDATE runs SET notes = 'only in the wal'`);
    rmSync(`${file}-wal`);
    const r = await runCli(['status', '--db', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        /^simrun: warning: .*partly\.db: its write-ahead log partly\.db-wal is missing but its -shm is there .*the commits after the last checkpoint are lost/,
      ),
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject([{ id: 1, status: 'done', notes: null }]);
  });
});

describe('merging a shard of an older release (no code fingerprint)', () => {
  const shards = [0, 1].map((i) => path.join(dir, `shard-${i}.db`));
  beforeAll(async () => {
    for (const [i, s] of shards.entries()) {
      const r = await runCli([
        'run',
        'montecarlo',
        '--input',
        'range:40',
        '--db',
        s,
        '--shard',
        `${i}/2`,
        '--param',
        'draws=10',
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    const old = new Database(shards[1]!);
    old.exec(`UPDATE runs SET model_fingerprint = NULL, model_files_json = NULL, simrun_version = '0.0.9'`);
    old.close();
  });

  it('is refused naming the older release and the flag that accepts it; with the flag it merges and says so in notes', async () => {
    const into = path.join(dir, 'all.db');
    const r = await runCli(['merge', '--into', into, ...shards]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^simrun: cannot merge: ${shards[1]} was made by simrun 0\\.0\\.9, which recorded no fingerprint of the model's code, so simrun cannot tell ` +
            `whether it ran the same code of model montecarlo as ${shards[0]} \\(sha256:[0-9a-f]{12}…\\); .*merge with --allow-model-change$`,
        ),
      ),
    ]);
    expect(r.stderr).not.toMatch(/undefined|null/);
    expect(readdirSync(dir)).not.toContain('all.db');
    const ok = await runCli(['merge', '--into', into, ...shards, '--allow-model-change', '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
    const [run] = query<{ status: string; done: number; notes: string }>(into, 'SELECT status, done, notes FROM runs');
    expect(run).toMatchObject({ status: 'done', done: 40 });
    expect(run!.notes).toMatch(/merge --allow-model-change: .*shard-1\.db was made by simrun 0\.0\.9, which recorded no fingerprint/);
  });
});

describe('a run that fails after it wrote rows', () => {
  it('exits 1 (run marked failed), not 2 (nothing written): a resume whose rows stop matching the columns', async () => {
    // Rows match the columns unless SIMRUN_TEST_BAD_ROWS is set (the same file: resume accepts it).
    const model = path.join(dir, 'switch.mjs');
    writeFileSync(
      model,
      `export default { name: 'switch', version: '1', columns: { value: 'integer' }, analyze: (item, ctx) => ctx.index,\n` +
        `  format: (v) => (process.env.SIMRUN_TEST_BAD_ROWS ? { valu: v } : { value: v }) };\n`,
    );
    const db = path.join(dir, 'switch.db');
    expect((await runCli(['run', model, '--input', 'range:50', '--db', db, '--quiet'])).code).toBe(0);
    const w = new Database(db);
    w.exec(
      `UPDATE runs SET status = 'interrupted', done = 25; DELETE FROM switch WHERE idx >= 25; DELETE FROM chunks; INSERT INTO chunks VALUES (1, 0, 24, 'x')`,
    );
    w.close();
    const r = await runCli(['resume', '--db', db, '--quiet'], { env: { SIMRUN_TEST_BAD_ROWS: '1' } });
    expect(r.code, r.stderr).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^simrun: model switch returns rows that do not match its columns: /)]);
    expect(query(db, 'SELECT status FROM runs')).toEqual([{ status: 'failed' }]);
    expect(query(db, 'SELECT count(*) AS n FROM switch')).toEqual([{ n: 25 }]);
  });
});

describe('times carry their zone', () => {
  it('status shows the start time as local time with its offset (TZ=Pacific/Kiritimati: +14:00), Z in UTC', async () => {
    const db = path.join(dir, 'done.db');
    const created_at = query<{ created_at: string }>(db, 'SELECT created_at FROM runs')[0]!.created_at;
    const kiri = await runCli(['status', '--db', db], { env: { TZ: 'Pacific/Kiritimati' } });
    const local = new Date(new Date(created_at).getTime() + 14 * 3600_000).toISOString().slice(0, 19);
    expect(kiri.stdout).toContain(`${local}+14:00`);
    const utc = await runCli(['status', '--db', db], { env: { TZ: 'UTC' } });
    expect(utc.stdout).toContain(`${created_at.slice(0, 19)}Z`);
  });
});
