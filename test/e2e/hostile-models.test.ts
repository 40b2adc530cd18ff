/**
 * Hostile models get one clear outcome: a weird thrown value is one error row, a model that never
 * finishes loading is one line and exit 2, a model that floods a closed stdout does not crash.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cli, fixtureModel, query, runCli, sha, tmpDir } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir('simrun-hostile-');
});

const lines = (s: string) => s.trim().split('\n').filter(Boolean);

describe('hostile thrown values', () => {
  it('an Error with an object message, an unprintable object, a throwing Proxy, throwing getters: one error row each', async () => {
    const db = path.join(dir, 'throws.db');
    const r = await runCli([
      'run',
      fixtureModel('hostile-throws.mjs'),
      '--input',
      'range:20',
      '--db',
      db,
      '--workers',
      '2',
      '--chunk-size',
      '4',
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/run 1 done: 20\/20 items .* 4 item error\(s\)/);
    const errors = query<{ idx: number; kind: string; name: string; message: string; stack: string | null; code: string | null }>(
      db,
      'SELECT idx, kind, name, message, stack, code FROM errors ORDER BY idx',
    );
    expect(errors.map((e) => [e.idx, e.kind])).toEqual([
      [3, 'throw'],
      [5, 'throw'],
      [7, 'throw'],
      [9, 'throw'],
    ]);
    for (const e of errors) {
      expect(typeof e.name).toBe('string');
      expect(typeof e.message).toBe('string');
    }
    expect(errors[0]!.message).toBe('{"reason":"an object as message","n":1}');
    expect(errors[1]!).toMatchObject({ name: 'NonError', message: expect.stringMatching(/unprintable/) });
    expect(errors[2]!).toMatchObject({ name: 'NonError', message: expect.stringMatching(/unprintable/) });
    expect(errors[3]!).toMatchObject({
      message: 'getters throw',
      name: expect.stringMatching(/unprintable/),
      code: expect.stringMatching(/unprintable/),
    });
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM hostile_throws')[0]!.n).toBe(16);
    expect(query<{ status: string }>(db, 'SELECT status FROM runs')[0]!.status).toBe('done');
  });
});

describe('a model that never finishes loading', () => {
  const hang = fixtureModel('hang-load.mjs');
  // Only the side that hangs gets a short limit: the primary's own load (workers hanging) keeps
  // the default 60 s, so a loaded machine cannot time it out first.
  const env = (where: 'primary' | 'worker', ms: number) => ({
    SIMRUN_TEST_HANG: where,
    [where === 'worker' ? 'SIMRUN_WORKER_MODEL_LOAD_TIMEOUT_MS' : 'SIMRUN_MODEL_LOAD_TIMEOUT_MS']: String(ms),
  });
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
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        /^simrun: model .*hang-load\.mjs did not finish loading within 0\.3 s \(a top-level await that never settles\?\); .*SIMRUN_MODEL_LOAD_TIMEOUT_MS$/,
      ),
    ]);
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
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        /^simrun: model .*hang-load\.mjs did not finish loading within 0\.8 s in a worker .*allow more time with SIMRUN_WORKER_MODEL_LOAD_TIMEOUT_MS$/,
      ),
    ]);
    expect(query(db, `SELECT id FROM runs WHERE status = 'running'`)).toEqual([]);
  });
});

/** Runs `simrun <args> | head -1` in bash: the exit code of simrun, and its stderr. */
function runIntoHead(args: string[]): Promise<{ code: number; stderr: string }> {
  const quoted = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('bash', ['-c', `${quoted} | head -1 > /dev/null; exit \${PIPESTATUS[0]}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stderr })));
}

describe('a model that writes heavily to a closed stdout', () => {
  it.each(['write', 'console'])('via %s: no worker dies, every item has its row', async (via) => {
    const db = path.join(dir, `chatty-${via}.db`);
    const r = await runIntoHead([
      'run',
      fixtureModel('chatty.mjs'),
      '--input',
      'range:2000',
      '--db',
      db,
      '--workers',
      '2',
      '--param',
      `via=${via}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^run 1 done: 2000\/2000 items/)]);
    expect(query(db, 'SELECT count(*) AS n FROM chatty')).toEqual([{ n: 2000 }]);
    expect(query(db, 'SELECT count(*) AS n FROM errors')).toEqual([{ n: 0 }]);
  });
});
