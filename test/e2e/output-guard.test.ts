/**
 * No typo can destroy results (issue 28): every command that writes a file refuses a target
 * that is the database, its -wal/-shm/-journal, or the same file by another spelling (symbolic
 * link, ./x, ../dir/x, a hard link), with one line and exit 2, and leaves the database byte for
 * byte as it was: export --output, report --html, merge --into a shard, generate --output,
 * run --log, and run --out over the input folder.
 */
import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, sha, tmpDir } from '../helpers.js';

const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

describe('file-writing commands never write over the database', () => {
  const dir = tmpDir('simrun-guard-');
  const db = path.join(dir, 'q.db');
  const shard = (k: number) => path.join(dir, `shard-${k}.db`);
  let before: string;

  beforeAll(async () => {
    const r = await runCli(['run', 'montecarlo', '--input', 'range:300', '--db', db, '--workers', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const k of [0, 1]) {
      const s = await runCli([
        'run',
        'montecarlo',
        '--input',
        'range:200',
        '--db',
        shard(k),
        '--shard',
        `${k}/2`,
        '--workers',
        '1',
        '--quiet',
      ]);
      expect(s.code, s.stderr).toBe(0);
    }
    symlinkSync(db, path.join(dir, 'link.csv'));
    linkSync(db, path.join(dir, 'hard.csv'));
    before = sha(db);
  });

  const spellings: [string, string, RegExp][] = [
    ['the database', 'q.db', /--output q\.db is the database .*q\.db; refusing to write over it \(nothing was written\)/],
    ['its -wal (not there yet)', 'q.db-wal', /is the write-ahead log of the database/],
    ['its -journal', './q.db-journal', /is the rollback journal of the database/],
    ['a symbolic link to it', 'link.csv', /--output link\.csv is the database/],
    ['./ and ../ spellings', `./../${path.basename(dir)}/q.db`, /is the database/],
    ['a hard link to it', 'hard.csv', /--output hard\.csv is the database/],
  ];

  it.each(spellings)('export --output %s: exit 2, one line, the database unchanged', async (_what, target, message) => {
    const r = await runCli(['export', '--db', 'q.db', '--run', '1', '--output', target], { cwd: dir });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(sha(db)).toBe(before);
    expect(existsSync(path.join(dir, 'q.db-wal'))).toBe(false);
    expect(existsSync(path.join(dir, 'q.db-journal'))).toBe(false);
    expect(query(db, 'SELECT count(*) AS n FROM montecarlo')).toEqual([{ n: 300 }]);
  });

  it('report --html onto the database (absolute path) and parquet export over another database: refused', async () => {
    const r = await runCli(['report', '--db', db, '--run', '1', '--html', db]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/^simrun: --html .*q\.db is the database .*q\.db; refusing/)]);
    const p = await runCli(['export', '--db', db, '--run', '1', '--format', 'parquet', '--output', shard(0)]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/shard-0\.db is a SQLite database; refusing to write over it/);
    expect(sha(db)).toBe(before);
  });

  it('merge --into one of its shards, by a link or as its -wal: refused before anything is written', async () => {
    const shas = [sha(shard(0)), sha(shard(1))];
    symlinkSync(shard(1), path.join(dir, 'into.db'));
    for (const into of [shard(0), path.join(dir, 'into.db'), `${shard(1)}-wal`]) {
      const r = await runCli(['merge', '--into', into, shard(0), shard(1)]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/is (the write-ahead log of )?one of the shard databases .*; refusing to write over it/);
    }
    expect([sha(shard(0)), sha(shard(1))]).toEqual(shas);
    expect(existsSync(`${shard(1)}-wal`)).toBe(false);
  });

  it('generate --output onto a database and run --log onto its -wal: refused, nothing written', async () => {
    const g = await runCli(['generate', 'population', '--n', '10', '--output', db]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/--output .*q\.db is a SQLite database; refusing/);
    const l = await runCli(['run', 'montecarlo', '--input', 'range:10', '--db', db, '--log', `${db}-wal`, '--quiet']);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/--log .*q\.db-wal is the write-ahead log of the database/);
    expect(sha(db)).toBe(before);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('run --out that holds the input files is refused (outputs there could replace them)', async () => {
    const input = path.join(dir, 'items');
    mkdirSync(input);
    writeFileSync(path.join(input, 'a.txt'), 'a');
    const out = await runCli(['run', fixtureModel('echo.mjs'), '--input', input, '--db', path.join(dir, 'o.db'), '--out', input]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--out .*items holds input files \(e\.g\. .*a\.txt\)/);
    expect(existsSync(path.join(dir, 'o.db'))).toBe(false);
  });
});
