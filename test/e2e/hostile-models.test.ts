/**
 * Hostile models get one clear outcome: a weird thrown value is one error row, a model that never
 * finishes loading is one line and exit 2, a model that floods a closed stdout does not crash.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, tmpDir } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir('simrun-hostile-');
});

const lines = (s: string) => s.trim().split('\n').filter(Boolean);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('hostile thrown values', () => {
  it('an Error with an object message, an unprintable object, a throwing Proxy, throwing getters: one error row each', async () => {
    const db = path.join(dir, 'throws.db');
    const r = await runCli(['run', fixtureModel('hostile-throws.mjs'), '--input', 'range:20', '--db', db, '--workers', '2', '--chunk-size', '4']);
    expect(r.code, r.stderr).toBe(3);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/run 1 done: 20\/20 items .* 4 item error\(s\)/);
    const errors = query<{ idx: number; kind: string; name: string; message: string; stack: string | null; code: string | null }>(
      db,
      'SELECT idx, kind, name, message, stack, code FROM errors ORDER BY idx',
    );
    expect(errors.map((e) => [e.idx, e.kind])).toEqual([[3, 'throw'], [5, 'throw'], [7, 'throw'], [9, 'throw']]);
    for (const e of errors) {
      expect(typeof e.name).toBe('string');
      expect(typeof e.message).toBe('string');
    }
    expect(errors[0]!.message).toBe('{"reason":"an object as message","n":1}');
    expect(errors[1]!).toMatchObject({ name: 'NonError', message: expect.stringMatching(/unprintable/) });
    expect(errors[2]!).toMatchObject({ name: 'NonError', message: expect.stringMatching(/unprintable/) });
    expect(errors[3]!).toMatchObject({ message: 'getters throw', name: expect.stringMatching(/unprintable/), code: expect.stringMatching(/unprintable/) });
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM hostile_throws')[0]!.n).toBe(16);
    expect(query<{ status: string }>(db, 'SELECT status FROM runs')[0]!.status).toBe('done');
  });
});

describe('a model that never finishes loading', () => {
  const hang = fixtureModel('hang-load.mjs');
  const env = (where: string, ms: number) => ({ SIMRUN_TEST_HANG: where, SIMRUN_MODEL_LOAD_TIMEOUT_MS: String(ms) });
  let db: string;
  beforeAll(async () => {
    db = path.join(dir, 'hang.db');
    const r = await runCli(['run', hang, '--input', 'range:5', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(3);
  });

  it('run: one line, exit 2, the existing database unchanged', async () => {
    const before = sha(db);
    const r = await runCli(['run', hang, '--input', 'range:50', '--db', db], { env: env('primary', 300) });
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^simrun: model .*hang-load\.mjs did not finish loading within 0\.3 s \(a top-level await that never settles\?\); .*SIMRUN_MODEL_LOAD_TIMEOUT_MS$/)]);
    expect(sha(db)).toBe(before);
  });

  it('resume: one line, exit 2, the database unchanged', async () => {
    const before = sha(db);
    const r = await runCli(['resume', '--db', db, '--retry-errors'], { env: env('primary', 300) });
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/did not finish loading within 0\.3 s/)]);
    expect(sha(db)).toBe(before);
    expect(query<{ status: string; errors: number }>(db, 'SELECT status, errors FROM runs')).toEqual([{ status: 'done', errors: 1 }]);
  });

  it('hanging only in the workers: one line, exit 2, no run left running', async () => {
    const r = await runCli(['run', hang, '--input', 'range:50', '--db', db, '--workers', '2'], { env: env('worker', 800) });
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^simrun: model .*hang-load\.mjs did not finish loading within 0\.8 s in a worker /)]);
    expect(query(db, `SELECT id FROM runs WHERE status = 'running'`)).toEqual([]);
  });
});
