/**
 * query, status, export and report work on a database on read-only media. Root ignores file
 * permissions, so read-only media is a read-only bind mount inside a private mount namespace
 * (`unshare -m`: the mount exists only for that one command), and a read-only file in a
 * writable folder is `chattr +i`. Skipped where neither is possible (not root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, runCli, sha, tmpDir, type CliResult } from '../helpers.js';

const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;
const canChattr = process.getuid?.() === 0 && spawnSync('chattr', ['--help']).error === undefined;

let dir: string;
let done: string; // a finished database, as simrun leaves it
const mnt = () => path.join(dir, 'mnt');

/** Runs the CLI with `src` mounted read-only at `mnt`. */
function runReadOnly(src: string, args: string[]): Promise<CliResult> {
  const script = 'src=$1; mnt=$2; shift 2; mount --bind "$src" "$mnt" && mount -o remount,bind,ro "$mnt" && exec "$@"';
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', src, mnt(), process.execPath, cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const snapshot = (folder: string) => Object.fromEntries(readdirSync(folder).map((f) => [f, sha(path.join(folder, f))]));

beforeAll(async () => {
  dir = tmpDir('simrun-ro-');
  mkdirSync(mnt());
  done = path.join(dir, 'done');
  mkdirSync(done);
  const r = await runCli(['run', 'montecarlo', '--input', 'range:300', '--db', path.join(done, 'mc.db'), '--param', 'draws=10', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});

const immutable: string[] = [];
afterAll(() => {
  for (const f of immutable) spawnSync('chattr', ['-i', f]);
});

describe.skipIf(!canMount)('a database on a read-only mount', () => {
  it('a finished database is one file at rest (no -wal or -shm beside it)', () => {
    expect(readdirSync(done)).toEqual(['mc.db']);
  });

  it('query, status, export and report --html work, and the folder is unchanged', async () => {
    const before = snapshot(done);
    const db = path.join(mnt(), 'mc.db');
    const q = await runReadOnly(done, ['query', '--db', db, 'SELECT count(*) AS n, min(idx) AS lo FROM montecarlo', '--format', 'json']);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ n: 300, lo: 0 }]);
    const s = await runReadOnly(done, ['status', '--db', db, '--json']);
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject([{ id: 1, status: 'done', done: 300 }]);
    const csv = path.join(dir, 'mc.csv');
    const e = await runReadOnly(done, ['export', '--db', db, '--run', '1', '--output', csv]);
    expect(e.code, e.stderr).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(301);
    const html = path.join(dir, 'mc.html');
    const h = await runReadOnly(done, ['report', '--db', db, '--run', '1', '--html', html]);
    expect(h.code, h.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/montecarlo/);
    expect(snapshot(done)).toEqual(before);
  });

  it('a database left in WAL mode with its -wal and -shm (a writer killed) reads, committed WAL content included', async () => {
    const src = path.join(dir, 'killed');
    mkdirSync(src);
    copyFileSync(path.join(done, 'mc.db'), path.join(src, 'mc.db'));
    // A writer that commits into the WAL and dies without a checkpoint.
    const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(process.argv[1]);
      db.pragma('journal_mode = WAL'); db.pragma('wal_autocheckpoint = 0'); db.exec("UPDATE runs SET notes = 'only in the wal'"); process.exit(0);`;
    expect(spawnSync(process.execPath, ['-e', script, path.join(src, 'mc.db')]).status).toBe(0);
    expect(readdirSync(src).sort()).toEqual(['mc.db', 'mc.db-shm', 'mc.db-wal']);
    const before = snapshot(src);
    const q = await runReadOnly(src, ['query', '--db', path.join(mnt(), 'mc.db'), 'SELECT notes FROM runs', '--format', 'csv']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toBe('notes\nonly in the wal\n');
    expect(snapshot(src)).toEqual(before);
  });

  it('an older database at rest in WAL mode without its -shm: exit 2, one line saying how to fix it', async () => {
    const src = path.join(dir, 'old');
    mkdirSync(src);
    copyFileSync(path.join(done, 'mc.db'), path.join(src, 'mc.db'));
    const db = new Database(path.join(src, 'mc.db'));
    db.pragma('journal_mode = WAL');
    db.close(); // the last connection: SQLite removes -wal and -shm, the header still says WAL
    expect(readdirSync(src)).toEqual(['mc.db']);
    const before = snapshot(src);
    const r = await runReadOnly(src, ['status', '--db', path.join(mnt(), 'mc.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^simrun: cannot read .*mc\.db: it is in WAL mode and its folder is read-only, .*PRAGMA journal_mode=DELETE/),
    ]);
    expect(snapshot(src)).toEqual(before);
  });
});

describe.skipIf(!canChattr)('a read-only (immutable) database file in a writable folder', () => {
  it('query and status work; nothing is left beside it', async () => {
    const src = path.join(dir, 'immutable');
    mkdirSync(src);
    const file = path.join(src, 'mc.db');
    copyFileSync(path.join(done, 'mc.db'), file);
    if (spawnSync('chattr', ['+i', file]).status !== 0) return; // a filesystem without the attribute
    immutable.push(file);
    expect(() => writeFileSync(file, 'x')).toThrow();
    const before = sha(file);
    const q = await runCli(['query', '--db', file, 'SELECT count(*) AS n FROM montecarlo', '--format', 'csv']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toBe('n\n300\n');
    expect((await runCli(['status', '--db', file])).code).toBe(0);
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
  });
});

describe('journal mode at rest', () => {
  it('a command refused after opening an older WAL-at-rest database for writing leaves it byte for byte as it was', async () => {
    const file = path.join(dir, 'old-wal.db');
    copyFileSync(path.join(done, 'mc.db'), file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.close();
    const before = sha(file);
    const r = await runCli(['resume', '--db', file, '--run', '99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no run 99/);
    expect(sha(file)).toBe(before);
  });

  it('a resume that writes leaves it at rest again, with no -wal or -shm', async () => {
    const folder = path.join(dir, 'resumed');
    mkdirSync(folder);
    const file = path.join(folder, 'mc.db');
    copyFileSync(path.join(done, 'mc.db'), file);
    const w = new Database(file);
    w.exec(
      `UPDATE runs SET status = 'interrupted'; DELETE FROM montecarlo WHERE idx >= 200; DELETE FROM chunks; INSERT INTO chunks VALUES (1, 0, 199, 'x'); UPDATE runs SET done = 200`,
    );
    w.close();
    const r = await runCli(['resume', '--db', file, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(folder)).toEqual(['mc.db']);
    const d = new Database(file, { readonly: true });
    expect(d.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(d.prepare('SELECT status, done FROM runs').get()).toEqual({ status: 'done', done: 300 });
    d.close();
  });
});
