/**
 * Issue 17: workers read their own CSV/JSONL slices. Awkward files (quoted newlines, commas
 * and doubled quotes, CRLF, a BOM, blank lines, no final newline) give the same rows byte for
 * byte whatever the worker count and chunk size, after a kill -9 and resume, and over 4 shards
 * merged; a poison item inside a byte-range chunk is isolated to exactly itself; a malformed
 * record deep in a large file is refused before the database is touched.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, runCli, sha, sqlDiffCount, startCli, tableDump, tmpDir, waitFor } from '../helpers.js';

let dir: string;
let csv: string;
let jsonl: string;
const N = 3000;

beforeAll(() => {
  dir = tmpDir('simrun-bytes-');
  const records = Array.from({ length: N }, (_, i) =>
    i % 97 === 5 ? `${i},"multi\r\nline, with ""quotes""",ü${i}` : i % 13 === 0 ? `${i},"a, b",` : `${i},plain${i},x`,
  );
  // Blank lines between some records, CRLF line ends, a BOM, and no newline after the last record.
  csv = path.join(dir, 'awkward.csv');
  writeFileSync(csv, '\uFEFFid,text,more\r\n' + records.map((r, i) => (i % 250 === 3 ? `\r\n${r}` : r)).join('\r\n'));
  jsonl = path.join(dir, 'awkward.jsonl');
  writeFileSync(
    jsonl,
    Array.from({ length: N }, (_, i) =>
      i % 101 === 7 ? `\n  \n${JSON.stringify({ i, s: `l\n${i}` })}` : JSON.stringify(i % 17 ? { i } : null),
    ).join('\n'),
  );
});

const run = (input: string, db: string, extra: string[]) =>
  runCli(['run', fixtureModel('echo.mjs'), '--input', input, '--db', db, '--quiet', ...extra]);

describe.each([
  ['CSV', () => csv],
  ['JSONL', () => jsonl],
])('%s byte ranges', (_kind, input) => {
  let ref: string[];

  beforeAll(async () => {
    const db = path.join(dir, `ref-${_kind}.db`);
    const r = await run(input(), db, ['--workers', '1', '--chunk-size', 'auto']);
    expect(r.code, r.stderr).toBe(0);
    ref = tableDump(db, 'echo', 1);
    expect(ref).toHaveLength(N);
  });

  it('the same rows with 1 or 2 workers and chunks of 1, 7 or auto', async () => {
    if (_kind === 'CSV') expect(JSON.parse(JSON.parse(ref[5]!)[1])).toEqual({ id: '5', text: 'multi\r\nline, with "quotes"', more: 'ü5' });
    for (const [workers, chunk] of [
      ['2', '1'],
      ['2', '7'],
      ['2', 'auto'],
      ['1', '7'],
    ] as const) {
      const db = path.join(dir, `${_kind}-${workers}-${chunk}.db`);
      const r = await run(input(), db, ['--workers', workers, '--chunk-size', chunk]);
      expect(r.code, r.stderr).toBe(0);
      expect(tableDump(db, 'echo', 1)).toEqual(ref);
    }
  });

  it('kill -9 of the primary, then resume: the same rows', async () => {
    const db = path.join(dir, `${_kind}-kill.db`);
    const { child, done } = startCli([
      'run',
      fixtureModel('slow.mjs'),
      '--input',
      input(),
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '50',
      '--param',
      'ms=1',
      '--quiet',
    ]);
    await waitFor(() => committed(db, 'slow') >= 400);
    child.kill('SIGKILL');
    await done;
    const r = await runCli(['resume', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const clean = path.join(dir, `${_kind}-clean.db`);
    expect((await runCli(['run', fixtureModel('slow.mjs'), '--input', input(), '--db', clean, '--param', 'ms=0', '--quiet'])).code).toBe(0);
    // slow.mjs stores the item and a ctx.random() draw: both must match the clean run exactly.
    expect(query(db, 'SELECT count(*) AS n FROM slow')).toEqual([{ n: N }]);
    expect(sqlDiffCount(db, 1, clean, 1, 'slow')).toBe(0);
  });

  it('4 shards merged equal the one-machine run', async () => {
    const shards = [0, 1, 2, 3].map((k) => path.join(dir, `${_kind}-shard-${k}.db`));
    const rs = await Promise.all(shards.map((db, k) => run(input(), db, ['--workers', '1', '--shard', `${k}/4`])));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const all = path.join(dir, `${_kind}-all.db`);
    const m = await runCli(['merge', '--into', all, ...shards]);
    expect(m.code, m.stderr).toBe(0);
    expect(tableDump(all, 'echo', 1)).toEqual(ref);
  });
});

describe('faults inside byte-range chunks', () => {
  it('a poison item that crashes its worker is isolated to exactly itself; its neighbours have rows', async () => {
    const db = path.join(dir, 'poison.db');
    const r = await runCli([
      'run',
      fixtureModel('faulty.mjs'),
      '--input',
      csv,
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '500',
      '--param',
      'mode=exit',
      '--param',
      'at=[1234]',
      '--retries',
      '0',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind FROM errors')).toEqual([{ idx: 1234, kind: 'crash' }]);
    expect(query(db, 'SELECT count(*) AS n FROM faulty WHERE idx IN (1233, 1235)')).toEqual([{ n: 2 }]);
    expect(committed(db, 'faulty')).toBe(N - 1);
  });

  it('a malformed record deep in a large file: one line naming file and line, exit 2, the database untouched', async () => {
    const big = path.join(dir, 'big.csv');
    const lines = ['a,b', ...Array.from({ length: 200_000 }, (_, i) => `${i},${i}`)];
    lines[150_000] = '149999,"unfinished';
    writeFileSync(big, lines.join('\n') + '\n');
    const db = path.join(dir, 'existing.db');
    expect((await run(csv, db, ['--workers', '1'])).code).toBe(0);
    const before = sha(db);
    const r = await run(big, db, ['--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`simrun: ${big}: line 150001: Quoted field unterminated`);
    expect(sha(db)).toBe(before);
  });
});
