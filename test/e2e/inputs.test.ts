import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, tmpDir } from '../helpers.js';

const echo = fixtureModel('echo.mjs');

async function echoRun(input: string, extra: string[] = []) {
  const db = path.join(path.dirname(input), 'echo.db');
  const r = await runCli(['run', echo, '--input', input, '--db', db, '--workers', '2', '--quiet', ...extra]);
  const items =
    r.code === 0
      ? query<{ idx: number; item: string }>(db, 'SELECT idx, item FROM echo ORDER BY idx').map((row) => [row.idx, JSON.parse(row.item)])
      : [];
  return { ...r, db, items };
}

describe('inputs', () => {
  it('parses CSV with a BOM, quoted commas, embedded newlines and blank lines', async () => {
    const file = path.join(tmpDir(), 'people.csv');
    writeFileSync(file, '\uFEFFid,name,note\r\n1,"Smith, Jane","line one\nline two"\r\n\r\n2,Bob,"say ""hi"""\r\n3,,\r\n');
    const r = await echoRun(file);
    expect(r.code).toBe(0);
    expect(r.items).toEqual([
      [0, { id: '1', name: 'Smith, Jane', note: 'line one\nline two' }],
      [1, { id: '2', name: 'Bob', note: 'say "hi"' }],
      [2, { id: '3', name: '', note: '' }],
    ]);
    expect(query(r.db, 'SELECT total FROM runs')).toEqual([{ total: 3 }]);
  });

  it('rejects a ragged CSV row naming the line, exit 2, no database created', async () => {
    const file = path.join(tmpDir(), 'bad.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n4,5,6\n7,8\n');
    const r = await echoRun(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv.*line 4/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(r.db)).toBe(false);
  });

  it('rejects a header that names a column twice', async () => {
    const file = path.join(tmpDir(), 'dup.csv');
    writeFileSync(file, 'id,wage,wage\n1,2,3\n');
    const r = await echoRun(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dup\.csv: line 1: the header names column 'wage' twice/);
  });

  it('rejects an unterminated quote', async () => {
    const file = path.join(tmpDir(), 'quote.csv');
    writeFileSync(file, 'a,b\n1,"open\n2,3\n');
    const r = await echoRun(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/quote\.csv: line 2: Quoted field unterminated/);
  });

  it('reads JSONL, skipping blank lines, and names a bad line', async () => {
    const dir = tmpDir();
    const good = path.join(dir, 'items.jsonl');
    writeFileSync(good, '{"a":1}\n\n{"a":[2,3]}\n"text"\n');
    const r = await echoRun(good);
    expect(r.code).toBe(0);
    expect(r.items).toEqual([
      [0, { a: 1 }],
      [1, { a: [2, 3] }],
      [2, 'text'],
    ]);
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"a":1}\n{"a":\n');
    const b = await runCli(['run', echo, '--input', bad, '--db', path.join(dir, 'b.db'), '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('bad.jsonl:2: invalid JSON');
  });

  it('turns a folder into sorted {path, name, size} items, recursively', async () => {
    const dir = tmpDir();
    const images = path.join(dir, 'imgs');
    mkdirSync(path.join(images, 'sub'), { recursive: true });
    writeFileSync(path.join(images, 'b.jpg'), 'bb');
    writeFileSync(path.join(images, 'a.png'), 'a');
    writeFileSync(path.join(images, 'sub', 'c.jpg'), 'ccc');
    const r = await echoRun(images);
    expect(r.code).toBe(0);
    expect(r.items).toEqual([
      [0, { path: path.join(images, 'a.png'), name: 'a.png', size: 1 }],
      [1, { path: path.join(images, 'b.jpg'), name: 'b.jpg', size: 2 }],
      [2, { path: path.join(images, 'sub/c.jpg'), name: 'sub/c.jpg', size: 3 }],
    ]);
    const g = await runCli(['run', echo, '--input', path.join(images, '**/*.jpg'), '--db', path.join(dir, 'g.db'), '--quiet']);
    expect(g.code).toBe(0);
    expect(query(path.join(dir, 'g.db'), 'SELECT count(*) AS n FROM echo')).toEqual([{ n: 2 }]);
  });

  it('gives one clear line and exit 2 for bad usage', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'x.db');
    const cases: [string[], RegExp][] = [
      [['run', 'nosuchmodel', '--input', 'range:5', '--db', db], /unknown model 'nosuchmodel'/],
      [['run', 'montecarlo', '--input', 'missing.csv', '--db', db], /input not found: missing\.csv/],
      [['run', 'montecarlo', '--input', 'range:0', '--db', db], /empty/],
      [['run', 'montecarlo', '--input', 'range:5', '--db', db, '--param', 'nope=1'], /unknown parameter 'nope' for model montecarlo/],
      [['run', 'montecarlo', '--input', 'range:5', '--db', db, '--param', 'draws=many'], /'draws' of model montecarlo must be number/],
      [['run', 'montecarlo', '--input', 'range:5', '--db', db, '--workers', '0'], /workers must be a whole number >= 1/],
      [['run', 'montecarlo', '--input', 'range:5', '--db', db, '--chunk-size', 'big'], /chunk size/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
    expect(existsSync(db)).toBe(false);
  });
});
