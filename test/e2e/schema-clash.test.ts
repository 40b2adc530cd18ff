/**
 * A model whose schema clashes with SQLite or with simrun's own tables is refused with exit 2 and
 * one line before the database is touched (was a SqliteError stack and exit 1).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, sha, tmpDir } from '../helpers.js';

const model = fixtureModel('schema.mjs');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tmpDir('simrun-schema-');
  db = path.join(dir, 'existing.db');
  expect((await runCli(['run', 'montecarlo', '--input', 'range:50', '--db', db, '--quiet'])).code).toBe(0);
});

const schema = (name: string, columns: Record<string, string> | number) =>
  JSON.stringify(typeof columns === 'number' ? { name, wide: columns } : { name, columns });

describe('schema clashes', () => {
  it.each([
    ['column IDX', schema('m', { IDX: 'integer' }), /has a column 'IDX', a name simrun uses itself/],
    ['column Run_Id', schema('m', { a: 'real', Run_Id: 'integer' }), /has a column 'Run_Id', a name simrun uses itself/],
    ['columns a and A', schema('m', { a: 'real', A: 'text' }), /has columns 'a' and 'A', which differ only in case/],
    ['model sqlite_stat1', schema('sqlite_stat1', { a: 'real' }), /name 'sqlite_stat1': names starting with 'sqlite_' are reserved/],
    ['model SQLite_x', schema('SQLite_x', { a: 'real' }), /names starting with 'sqlite_' are reserved/],
    ['model v_montecarlo (a view)', schema('v_montecarlo', { a: 'real' }), /names starting with 'v_' are reserved/],
    ['model Shards', schema('Shards', { a: 'real' }), /uses the name 'Shards', which is one of simrun's own tables/],
    ['model chunks_run (an index)', schema('chunks_run', { a: 'real' }), /uses the name 'chunks_run'/],
    ['1999 columns', schema('wide', 1999), /declares 1999 columns; SQLite allows 2000 per table including run_id and idx, so at most 1998/],
  ])('%s: exit 2, one line, database unchanged', async (_name, spec, message) => {
    const before = sha(db);
    const r = await runCli(['run', model, '--input', 'range:5', '--db', db], { env: { SIMRUN_TEST_SCHEMA: spec } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(sha(db)).toBe(before);
  });

  it('1998 model columns (2000 with run_id and idx) run', async () => {
    const wide = path.join(dir, 'wide.db');
    const r = await runCli(['run', model, '--input', 'range:300', '--db', wide, '--quiet'], {
      env: { SIMRUN_TEST_SCHEMA: schema('wide', 1998) },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(query(wide, 'SELECT count(*) AS n, sum(c1997) AS s FROM wide')).toEqual([{ n: 300, s: (299 * 300) / 2 }]);
  });
});
