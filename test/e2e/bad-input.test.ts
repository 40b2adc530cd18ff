/**
 * Bad input never damages an existing database: each case exits 2 with one line naming the
 * problem, and the database file is byte-identical afterwards.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, runCli, sha, tmpDir } from '../helpers.js';
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tmpDir('simrun-bad-');
  db = path.join(dir, 'good.db');
  expect((await runCli(['run', 'montecarlo', '--input', 'range:500', '--db', db, '--quiet'])).code).toBe(0);
  writeFileSync(path.join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n');
  writeFileSync(path.join(dir, 'bad.jsonl'), '{"a":1}\nnot json\n');
  writeFileSync(path.join(dir, 'empty.csv'), 'a,b\n');
});

async function expectRefused(args: string[], message: RegExp, file = db) {
  const before = sha(file);
  const r = await runCli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(sha(file)).toBe(before);
}

describe('bad input leaves an existing database untouched', () => {
  it.each([
    ['ragged CSV', ['--input', 'ragged.csv'], /ragged\.csv: line 3: 1 fields where the header has 2/],
    ['bad JSONL line', ['--input', 'bad.jsonl'], /bad\.jsonl:2: invalid JSON/],
    ['empty input', ['--input', 'empty.csv'], /empty\.csv is empty: it holds no items/],
    ['missing input', ['--input', 'nope.csv'], /input not found: .*nope\.csv/],
    ['unknown --param', ['--input', 'range:5', '--param', 'nope=1'], /unknown parameter 'nope' for model montecarlo \(known: draws\)/],
    ['bad --chunk-size', ['--input', 'range:5', '--chunk-size', '0'], /chunk size/],
    ['bad --shard', ['--input', 'range:5', '--shard', '4/2'], /shard/],
  ])('%s', async (_name, flags, message) => {
    const args = (flags as string[]).map((f) => (/\.(csv|jsonl)$/.test(f) ? path.join(dir, f) : f));
    await expectRefused(['run', 'montecarlo', '--db', db, '--quiet', ...args], message as RegExp);
  });

  it('a --log file it cannot write: refused before the database is opened, or created', async () => {
    const log = path.join(dir, 'empty.csv', 'run.log'); // a file where a folder should be
    await expectRefused(
      ['run', 'montecarlo', '--input', 'range:5', '--db', db, '--log', log],
      /^simrun: cannot write the log file .*run\.log: E/,
    );
    const fresh = path.join(dir, 'fresh.db');
    const r = await runCli(['run', 'montecarlo', '--input', 'range:5', '--db', fresh, '--log', log]);
    expect(r.code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it('an --out folder it cannot create: refused before the database is opened, on run and on resume', async () => {
    const out = path.join(dir, 'empty.csv', 'thumbs'); // a file where a folder should be
    await expectRefused(
      ['run', 'montecarlo', '--input', 'range:5', '--db', db, '--out', out],
      /^simrun: cannot create the --out folder .*thumbs: E/,
    );
    const fresh = path.join(dir, 'fresh-out.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:5', '--db', fresh, '--out', out])).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    const stopped = path.join(dir, 'stopped.db');
    copyFileSync(db, stopped);
    const d = new Database(stopped);
    d.prepare(`UPDATE runs SET status = 'interrupted'`).run();
    d.close();
    await expectRefused(['resume', '--db', stopped, '--out', out], /^simrun: cannot create the --out folder .*thumbs: E/, stopped);
  });

  it('a model whose rows do not match its columns (found on the first chunk)', async () => {
    await expectRefused(
      ['run', fixtureModel('bad-rows.mjs'), '--input', 'range:50', '--db', db, '--quiet'],
      /model badrows returns rows that do not match its columns/,
    );
  });

  it('a model file that does not export a model', async () => {
    await expectRefused(['run', fixtureModel('no-export.mjs'), '--input', 'range:5', '--db', db], /no-export\.mjs has no default export/);
  });

  it('a file that is not a SQLite database, or not a simrun one', async () => {
    const text = path.join(dir, 'notes.db');
    writeFileSync(text, 'these are my notes, not a database\n'.repeat(200));
    await expectRefused(['run', 'montecarlo', '--input', 'range:5', '--db', text], /notes\.db is not a SQLite database/, text);
    const other = path.join(dir, 'other.db');
    const o = new Database(other);
    o.exec('CREATE TABLE people (name TEXT)');
    o.close();
    await expectRefused(['run', 'montecarlo', '--input', 'range:5', '--db', other], /other\.db is not a simrun database/, other);
    await expectRefused(['status', '--db', other], /other\.db is not a simrun database/, other);
  });

  it('a database of a newer schema version', async () => {
    const newer = path.join(dir, 'newer.db');
    copyFileSync(db, newer);
    const d = new Database(newer);
    d.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
    d.close();
    await expectRefused(
      ['run', 'montecarlo', '--input', 'range:5', '--db', newer],
      /schema version 99, newer than this simrun \(4\); upgrade simrun/,
      newer,
    );
  });

  it('a database locked by another writer: waits, then fails clearly', async () => {
    const locked = path.join(dir, 'locked.db');
    copyFileSync(db, locked);
    const holder = new Database(locked);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = await runCli(['run', 'montecarlo', '--input', 'range:5', '--db', locked], { env: { SIMRUN_BUSY_TIMEOUT_MS: '300' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/locked\.db is locked by another writer/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('an SQL error in query', async () => {
    await expectRefused(['query', '--db', db, 'SELEC 1'], /SQL error: near "SELEC": syntax error/);
  });
});
