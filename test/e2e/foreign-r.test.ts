/**
 * R models (issue 26) through the built CLI: one long-lived R process per worker (base R only),
 * the same rows as the JavaScript model for the same seed, and every fault handled as for a
 * JavaScript model. No timing assertions: only outcomes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alive,
  childPids,
  committed,
  fixtureModel,
  jsonLines,
  query,
  runCli,
  sha,
  startCli,
  tableDump,
  tmpDir,
  waitFor,
} from '../helpers.js';

const faulty = fixtureModel('faulty.R');
const N = 120;
const POISON = [13, 90];
let dir: string;

beforeAll(() => {
  dir = tmpDir('simrun-r-');
});

describe('an R model runs like a JavaScript one', () => {
  it('montecarlo.R gives the rows of the built-in montecarlo model (same seed, same draws)', async () => {
    const js = path.join(dir, 'mc-js.db');
    const r = path.join(dir, 'mc-r.db');
    const args = ['--input', 'range:150', '--param', 'draws=20', '--seed', '11', '--workers', '2', '--quiet'];
    expect((await runCli(['run', 'montecarlo', '--db', js, ...args])).code).toBe(0);
    const log = path.join(dir, 'mc-r.log');
    expect((await runCli(['run', fixtureModel('montecarlo.R'), '--db', r, '--log', log, ...args])).code).toBe(0);
    expect(tableDump(r, 'montecarlo', 1)).toEqual(tableDump(js, 'montecarlo', 1));
    // Each R process (and the cat processes that carry its pipes) ends on bye: nothing left to kill.
    expect(readFileSync(log, 'utf8')).not.toMatch(/left running/);
    const files = JSON.parse(query<{ f: string }>(r, 'SELECT model_files_json AS f FROM runs')[0]!.f) as Record<string, string>;
    expect(Object.keys(files)).toEqual([
      'interpreter:Rscript',
      'montecarlo.R',
      'simrun:runtimes/r/simrun_json.R',
      'simrun:runtimes/r/simrun_random.R',
      'simrun:runtimes/r/simrun_runtime.R',
    ]);
    expect(files['interpreter:Rscript']).toMatch(/^R \d+\.\d+/);
  });

  it('gets the items a JavaScript model gets: CSV records as named lists of strings, JSONL values', async () => {
    const csv = path.join(dir, 'people.csv');
    writeFileSync(csv, 'name,age\nAda,36\n"Lovelace, A",\nÉmile,7\n');
    const jsonl = path.join(dir, 'values.jsonl');
    writeFileSync(jsonl, '{"a":[1,2,{"b":null}],"s":"q\\"uote\\n"}\n"text"\n42\ntrue\n');
    for (const input of [csv, jsonl]) {
      const js = path.join(dir, `echo-js-${path.basename(input)}.db`);
      const r = path.join(dir, `echo-r-${path.basename(input)}.db`);
      expect((await runCli(['run', fixtureModel('echo.mjs'), '--input', input, '--db', js, '--quiet'])).code).toBe(0);
      expect((await runCli(['run', fixtureModel('echo.R'), '--input', input, '--db', r, '--quiet'])).code).toBe(0);
      expect(tableDump(r, 'echo', 1)).toEqual(tableDump(js, 'echo', 1));
    }
  });
});

async function faultRun(mode: string, extra: string[] = []) {
  const db = path.join(dir, `fault-${mode}.db`);
  const log = path.join(dir, `fault-${mode}.log`);
  const r = await runCli([
    'run',
    faulty,
    '--input',
    `range:${N}`,
    '--db',
    db,
    '--workers',
    '2',
    '--log',
    log,
    '--param',
    `mode=${mode}`,
    '--param',
    `at=${JSON.stringify(POISON)}`,
    ...extra,
  ]);
  return { r, db, log };
}

function expectAllButPoison(db: string) {
  const idx = query<{ idx: number }>(db, 'SELECT idx FROM faulty ORDER BY idx').map((x) => x.idx);
  expect(idx).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => !POISON.includes(i)));
}

describe('faults in an R model', () => {
  it('stop() fails its item only, with the condition class, message and call; cat() goes to the log', async () => {
    const { r, db, log } = await faultRun('throw');
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('analyzing');
    const errors = query<{ idx: number; kind: string; name: string; message: string; stack: string }>(
      db,
      'SELECT idx, kind, name, message, stack FROM errors ORDER BY idx',
    );
    expect(errors.map(({ idx, kind, name, message }) => ({ idx, kind, name, message }))).toEqual(
      POISON.map((idx) => ({ idx, kind: 'throw', name: 'simpleError', message: `poison item ${idx}` })),
    );
    expect(errors[0]!.stack).toMatch(/faulty\.R:\d+: stop\(sprintf\("poison item %d", ctx\$index\)\)/);
    const lines = jsonLines(log);
    expect(lines.filter((l) => l.stream === 'stdout' && l.model === true).length).toBeGreaterThanOrEqual(N);
  });

  it.each([
    ['quit', '4'],
    ['kill', 'SIGKILL'],
  ])('the R process ending (%s) is a worker crash: retried, bisected to the poison item', async (mode, code) => {
    const { r, db } = await faultRun(mode);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name, attempts, code FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind: 'crash', name: 'WorkerCrash', attempts: 3, code })),
    );
    expectAllButPoison(db);
  });

  it('a hang is killed by --item-timeout and only that item is recorded', async () => {
    const { r, db } = await faultRun('hang', ['--item-timeout', '1500']);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind: 'timeout', name: 'ItemTimeout' })),
    );
    expectAllButPoison(db);
  });

  it('stop(transient(...)) is retried; with --retries 0 it is recorded as a Transient', async () => {
    const ok = await faultRun('transient', ['--retry-delay', '1']);
    expect(ok.r.code).toBe(0);
    expect(query(ok.db, 'SELECT count(*) AS n FROM faulty')).toEqual([{ n: N }]);
    const db = path.join(dir, 'transient0.db');
    const r = await runCli([
      'run',
      faulty,
      '--input',
      'range:20',
      '--db',
      db,
      '--param',
      'mode=transient',
      '--param',
      'at=[13]',
      '--retries',
      '0',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, name, message, attempts FROM errors')).toEqual([
      { idx: 13, name: 'Transient', message: 'service busy for item 13', attempts: 1 },
    ]);
  });
});

describe('an R model that cannot start', () => {
  it.each([
    ['syntax-error.R', /^simrun: model \S*syntax-error\.R failed to load: simpleError: \S*syntax-error\.R:5:1: unexpected symbol$/],
    [
      'missing-package.R',
      /^simrun: model \S*missing-package\.R failed to load: packageNotFoundError: there is no package called .simrunNoSuchPackage. \(missing-package\.R:1\)$/,
    ],
  ])('%s: one line, exit 2, the database untouched', async (file, line) => {
    const db = path.join(dir, `bad-${file}.db`);
    expect((await runCli(['run', fixtureModel('echo.mjs'), '--input', 'range:3', '--db', db, '--quiet'])).code).toBe(0);
    const before = sha(db);
    const r = await runCli(['run', fixtureModel(file), '--input', 'range:3', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(line);
    expect(sha(db)).toBe(before);
  });

  it('a missing Rscript: one line naming it, exit 2, no database', async () => {
    const db = path.join(dir, 'no-r.db');
    const r = await runCli(['run', fixtureModel('montecarlo.R'), '--input', 'range:3', '--db', db], {
      env: { SIMRUN_RSCRIPT: '/nonexistent/Rscript' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simrun: model \S*montecarlo\.R failed to load: \/nonexistent\/Rscript not found .*SIMRUN_RSCRIPT/);
    expect(existsSync(db)).toBe(false);
  });

  it('setup() failing stops the run: exit 1, the R error named', async () => {
    const r = await runCli(['run', fixtureModel('setup-throws.R'), '--input', 'range:3', '--db', path.join(dir, 'setup.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('simpleError: cannot open the tables');
  });
});

describe('resume', () => {
  it('kill -9 of the primary: the R processes end with their workers; resume gives the uninterrupted table', async () => {
    const model = fixtureModel('montecarlo.R');
    const args = ['--input', 'range:600', '--param', 'draws=20', '--workers', '2', '--quiet'];
    const ref = path.join(dir, 'k9-ref.db');
    expect((await runCli(['run', model, '--db', ref, ...args])).code).toBe(0);
    const db = path.join(dir, 'k9.db');
    const { child, done } = startCli(['run', model, '--db', db, ...args]);
    await waitFor(() => committed(db, 'montecarlo') >= 50, 60_000);
    const workers = childPids(child.pid!);
    const descendants = workers.flatMap((w) => [w, ...childPids(w), ...childPids(w).flatMap((c) => childPids(c))]);
    expect(descendants.length).toBeGreaterThan(workers.length);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    await waitFor(() => descendants.every((p) => !alive(p)), 20_000);
    const resumed = await runCli(['resume', '--db', db, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(ref, 'montecarlo', 1));
  });
});
