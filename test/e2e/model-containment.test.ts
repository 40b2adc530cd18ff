/**
 * What a model must not be able to do (issue 28): send on its worker's IPC channel (a forged
 * hello stalled the run, a forged result was stored), get a result accepted for a chunk its
 * worker was not given, or leave processes running after its worker or the run ended. And
 * --workers / --params sizes that only thrash or bloat the database are refused in one line.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive, fixtureModel, jsonLines, query, runCli, startCli, tmpDir, waitFor } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir('simrun-contain-');
});

const lines = (s: string) => s.trim().split('\n').filter(Boolean);
const pidsIn = (file: string) => lines(readFileSync(file, 'utf8')).map(Number);

/** Every item i stored once as v = 2i, nothing else, no errors. */
function expectExactRows(db: string, table: string, n: number): void {
  expect(query(db, `SELECT count(*) AS n, sum(v = idx * 2) AS ok, count(DISTINCT idx) AS d FROM ${table}`)).toEqual([{ n, ok: n, d: n }]);
  expect(query(db, 'SELECT count(*) AS n FROM errors')).toEqual([{ n: 0 }]);
  expect(query(db, 'SELECT status, done, errors FROM runs')).toEqual([{ status: 'done', done: n, errors: 0 }]);
}

describe("the IPC channel is simrun's", () => {
  it('process.send, cluster.worker.send and process._send from a model are refused and logged; no forged row is stored', async () => {
    const db = path.join(dir, 'send.db');
    const log = path.join(dir, 'send.log');
    const args = ['run', fixtureModel('forge-send.mjs'), '--input', 'range:40', '--db', db, '--workers', '2', '--chunk-size', '5'];
    const r = await runCli([...args, '--log', log, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expectExactRows(db, 'forge_send', 40);
    const refused = jsonLines(log).filter((l) => /tried to send a message on the worker IPC channel; refused/.test(String(l.msg)));
    expect(new Set(refused.map((l) => l.type))).toEqual(new Set(['hello', 'result']));
  });

  it('a raw frame on the channel for a chunk the worker was not given, and a chunk emitted into the worker: killed, requeued, never stored', async () => {
    const db = path.join(dir, 'raw.db');
    const log = path.join(dir, 'raw.log');
    const marks = tmpDir('simrun-forge-');
    const args = ['run', fixtureModel('forge-raw.mjs'), '--input', 'range:40', '--db', db, '--workers', '2', '--chunk-size', '5'];
    const r = await runCli([...args, '--log', log, '--quiet'], { env: { SIMRUN_TEST_FORGE_DIR: marks } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(marks, 'raw')) && existsSync(path.join(marks, 'emit'))).toBe(true);
    expectExactRows(db, 'forge_raw', 40);
    const violations = jsonLines(log)
      .filter((l) => /worker broke the IPC protocol/.test(String(l.msg)))
      .map((l) => String(l.violation));
    expect(violations).toHaveLength(2);
    expect(violations).toContainEqual(expect.stringMatching(/^result for chunk 99999, which it was not given$/));
    expect(violations).toContainEqual(expect.stringMatching(/^result for chunk 10\d\d, which it was not given$/));
  });
});

describe('what a model spawns ends with its worker', () => {
  const model = fixtureModel('spawn-child.mjs');

  it('children and grandchildren are ended when workers exit, normally or killed (--item-timeout), and the log counts them', async () => {
    const db = path.join(dir, 'spawn.db');
    const log = path.join(dir, 'spawn.log');
    const pids = path.join(dir, 'spawn.pids');
    const args = ['run', model, '--input', 'range:40', '--db', db, '--workers', '2', '--chunk-size', '5', '--param', 'hangAt=12'];
    const r = await runCli([...args, '--item-timeout', '2000', '--retries', '0', '--log', log, '--quiet'], {
      env: { SIMRUN_TEST_PIDS: pids },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(query(db, 'SELECT idx, kind FROM errors')).toEqual([{ idx: 12, kind: 'timeout' }]);
    const spawned = pidsIn(pids);
    expect(spawned.length).toBeGreaterThanOrEqual(2);
    expect(spawned.filter(alive)).toEqual([]);
    const ended = jsonLines(log).filter((l) => /ended the processes/.test(String(l.msg)));
    // The killed worker's group is ended by the primary; the others end theirs as they exit.
    expect(ended.some((l) => l.role === 'primary' && Number(l.processes) >= 1)).toBe(true);
  });

  it('kill -9 of the primary: the workers end what their models spawned as they go', async () => {
    const db = path.join(dir, 'kill9.db');
    const pids = path.join(dir, 'kill9.pids');
    writeFileSync(pids, '');
    const args = ['run', model, '--input', 'range:100000', '--db', db, '--workers', '2', '--param', 'ms=5', '--quiet'];
    const { child, done } = startCli(args, { env: { SIMRUN_TEST_PIDS: pids } });
    await waitFor(() => pidsIn(pids).length >= 4, 60_000);
    child.kill('SIGKILL');
    await done;
    await waitFor(() => pidsIn(pids).every((p) => !alive(p)), 60_000);
  });
});

describe('sizes that only thrash or bloat', () => {
  const cores = os.availableParallelism();
  let doneDb: string;
  beforeAll(async () => {
    doneDb = path.join(dir, 'done.db');
    const r = await runCli(['run', fixtureModel('echo.mjs'), '--input', 'range:3', '--db', doneDb, '--workers', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--workers above 4x the cores: one line, exit 2, nothing created; --force accepts it with a warning', async () => {
    const db = path.join(dir, 'many.db');
    const r = await runCli(['run', fixtureModel('echo.mjs'), '--input', 'range:10', '--db', db, '--workers', '1000']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `simrun: --workers 1000 is more than 4x the ${cores} core(s) here (${4 * cores}): so many workers thrash instead of running faster; use --workers ${cores}, or pass --force`,
    ]);
    expect(existsSync(db)).toBe(false);
    // resume of a finished run forks nothing: the flags are checked all the same
    const refused = await runCli(['resume', '--db', doneDb, '--workers', String(4 * cores + 1)]);
    expect(refused.code).toBe(2);
    const forced = await runCli(['resume', '--db', doneDb, '--workers', String(4 * cores + 1), '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(lines(forced.stderr)[0]).toBe(
      `simrun: warning: --workers ${4 * cores + 1} is more than the ${cores} core(s) here; the workers share them`,
    );
  });

  it('a --params file over 1 MB: one line naming it, its size and the limit, exit 2, nothing created', async () => {
    const params = path.join(dir, 'big-params.json');
    writeFileSync(params, JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) }));
    const db = path.join(dir, 'params.db');
    const r = await runCli(['run', fixtureModel('echo.mjs'), '--input', 'range:10', '--db', db, '--params', params]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `simrun: --params ${params} is 2.0 MB, over the 1.0 MB limit for params; put large data in a file the model reads in setup() and pass its path as a parameter`,
    ]);
    expect(existsSync(db)).toBe(false);
  });
});
