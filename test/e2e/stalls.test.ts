/**
 * Issue 16: a stall is noticed (a worker with work in flight that reports nothing gets a
 * warning in the log and on the progress line), and invalid UTF-8 input is refused naming the
 * line, before the database is touched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, sha, tmpDir } from '../helpers.js';

describe('stall warning', () => {
  it('a hung item: a warning on the progress line and in the log, then --item-timeout ends it', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'stall.db');
    const log = path.join(dir, 'run.log');
    const r = await runCli([
      'run',
      fixtureModel('faulty.mjs'),
      '--input',
      'range:40',
      '--db',
      db,
      '--workers',
      '1',
      '--chunk-size',
      '10',
      '--param',
      'mode=hang',
      '--param',
      'at=[25]',
      '--stall-warn',
      '1',
      '--item-timeout',
      '4000',
      '--retries',
      '0',
      '--log',
      log,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /warning: worker \d+ has reported nothing for \ds \(items 20\.\.29\); a hung item\? --item-timeout limits each item/,
    );
    const warned = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"worker stalled"'));
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(warned[0]!)).toMatchObject({ level: 40, start: 20, count: 10 });
    expect(query(db, 'SELECT idx, kind FROM errors')).toEqual([{ idx: 25, kind: 'timeout' }]);
  });
});

describe('invalid UTF-8', () => {
  it.each([
    ['csv', 'a,b\n1,x\n2,'],
    ['jsonl', '{"a":1}\n"'],
  ])('%s: one line naming the line, exit 2, the database unchanged', async (ext, head) => {
    const dir = tmpDir();
    const db = path.join(dir, 'existing.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:20', '--db', db, '--quiet'])).code).toBe(0);
    const file = path.join(dir, `latin1.${ext}`);
    // "é" in Latin-1 (0xE9) is not UTF-8
    writeFileSync(file, Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from(ext === 'csv' ? '\n3,y\n' : '"\n')]));
    const before = sha(db);
    const r = await runCli(['run', fixtureModel('echo.mjs'), '--input', file, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(ext === 'csv' ? /latin1\.csv: line 3: invalid UTF-8/ : /latin1\.jsonl:2: invalid UTF-8/);
    expect(sha(db)).toBe(before);
  });
});
