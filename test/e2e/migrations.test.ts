/**
 * Issue 19: a database written by an earlier release (test/fixtures/db/, schema version 1)
 * opens, migrates on the first write and resumes; the finished table equals a fresh run's.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { query, root, runCli, sqlDiffCount, tmpDir } from '../helpers.js';

const fixture = path.join(root, 'test/fixtures/db/v1-interrupted.db');
const userVersion = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true });
  } finally {
    db.close();
  }
};

describe('schema migrations', () => {
  it('a version-1 database is read as it is, then migrated by resume, which finishes its run', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'old.db');
    copyFileSync(fixture, db);
    expect(userVersion(db)).toBe(0);
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)[0]).toMatchObject({ id: 1, status: 'interrupted', done: 2500, total: 3000 });

    const r = await runCli(['resume', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(userVersion(db)).toBe(4);
    expect(query(db, `SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: '4' }]);
    expect(query(db, 'SELECT status, done, total, model_fingerprint IS NOT NULL AS fp FROM runs')).toEqual([
      { status: 'done', done: 3000, total: 3000, fp: 1 },
    ]);

    const fresh = path.join(dir, 'fresh.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:3000', '--db', fresh, '--param', 'draws=20000', '--quiet'])).code).toBe(0);
    expect(sqlDiffCount(db, 1, fresh, 1, 'montecarlo')).toBe(0);
  });
});
