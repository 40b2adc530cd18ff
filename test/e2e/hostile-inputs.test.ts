/**
 * Inputs that are not regular files, and range:N past 2^53 - 1, are refused with one line and
 * exit 2 (a FIFO hung the run, /dev/zero grew memory without bound); an image folder's skipped
 * files (dotfiles, links, FIFOs) are counted in the run's log.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInputSpec } from '../../src/primary/input/sources.js';
import { fixtureModel, jsonLines, query, runCli, sha, tmpDir } from '../helpers.js';

const echo = fixtureModel('echo.mjs');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tmpDir('simrun-inputs-');
  db = path.join(dir, 'existing.db');
  expect((await runCli(['run', 'montecarlo', '--input', 'range:50', '--db', db, '--quiet'])).code).toBe(0);
  execFileSync('mkfifo', [path.join(dir, 'items.csv')]);
  symlinkSync('/dev/zero', path.join(dir, 'zero.jsonl'));
});

describe('inputs that are not regular files, and huge ranges', () => {
  it.each([
    ['a FIFO named .csv', () => path.join(dir, 'items.csv'), /^simrun: input .*items\.csv is a FIFO \(named pipe\), not a regular file: /],
    ['/dev/zero', () => '/dev/zero', /^simrun: input \/dev\/zero is a character device, not a regular file/],
    ['a link to /dev/zero named .jsonl', () => path.join(dir, 'zero.jsonl'), /zero\.jsonl is a character device, not a regular file/],
    ['/dev/null', () => '/dev/null', /^simrun: input \/dev\/null is a character device/],
    [
      'range:2^53',
      () => 'range:9007199254740992',
      /^simrun: bad input 'range:9007199254740992': range:N allows N up to 9007199254740991 \(2\^53 - 1\)$/,
    ],
    ['range:2^53+1', () => 'range:9007199254740993', /allows N up to 9007199254740991/],
    ['range:1e20', () => 'range:1e20', /^simrun: bad input 'range:1e20': use range:N with N a whole number/],
    ['range:10^30', () => 'range:1000000000000000000000000000000', /allows N up to 9007199254740991/],
  ])('%s: exit 2, one line, database unchanged', async (_name, input, message) => {
    const before = sha(db);
    const r = await runCli(['run', 'montecarlo', '--input', input(), '--db', db]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(sha(db)).toBe(before);
  });

  it('range:2^53 - 1 is the largest range accepted', () => {
    expect(parseInputSpec('range:9007199254740991')).toEqual({ kind: 'range', uri: 'range:9007199254740991' });
    expect(parseInputSpec('range:9_007_199_254_740_991').uri).toBe('range:9007199254740991');
  });
});

describe('image folders', () => {
  it('skips dotfiles, dot-folders, links and FIFOs, and the log says how many and why', async () => {
    const images = path.join(dir, 'imgs');
    mkdirSync(path.join(images, '.thumbs'), { recursive: true });
    mkdirSync(path.join(images, 'sub'), { recursive: true });
    for (const f of ['a.jpg', 'sub/b.jpg', '.DS_Store', 'sub/.c.jpg', '.thumbs/d.jpg']) writeFileSync(path.join(images, f), f);
    symlinkSync(path.join(images, 'a.jpg'), path.join(images, 'link.jpg'));
    execFileSync('mkfifo', [path.join(images, 'pipe.jpg')]);
    const log = path.join(dir, 'imgs.log');
    const out = path.join(dir, 'imgs.db');
    const r = await runCli(['run', echo, '--input', images, '--db', out, '--quiet', '--log', log, '--log-level', 'info']);
    expect(r.code, r.stderr).toBe(0);
    expect(query<{ item: string }>(out, 'SELECT item FROM echo ORDER BY idx').map((x) => JSON.parse(x.item).name)).toEqual([
      'a.jpg',
      'sub/b.jpg',
    ]);
    const lines = jsonLines<{ level: number; msg: string; skipped?: unknown }>(log);
    const skipped = lines.filter((l) => l.skipped);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ level: 40, skipped: { dotfiles: 3, symlinks: 1, special: 1 } });
    expect(skipped[0]!.msg).toMatch(/skipped 3 dotfile\(s\) .*1 symbolic link\(s\) .*1 FIFO\(s\), socket\(s\) or device\(s\)/);
  });

  it('a glob input counts the dotfiles it skipped', async () => {
    const log = path.join(dir, 'glob.log');
    const out = path.join(dir, 'glob.db');
    const r = await runCli([
      'run',
      echo,
      '--input',
      path.join(dir, 'imgs', '**', '*.jpg'),
      '--db',
      out,
      '--quiet',
      '--log',
      log,
      '--log-level',
      'info',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(query(out, 'SELECT count(*) AS n FROM echo')).toEqual([{ n: 2 }]);
    const skipped = jsonLines<{ skipped?: unknown }>(log).filter((l) => l.skipped);
    expect(skipped).toEqual([expect.objectContaining({ level: 30, skipped: { dotfiles: 2, symlinks: 0, special: 0 } })]);
  });
});
