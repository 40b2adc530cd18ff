/**
 * Python models (issue 26) through the built CLI: one long-lived Python process per worker,
 * the same rows as the JavaScript model for the same seed, and every fault handled as for a
 * JavaScript model. No timing assertions: only outcomes.
 */
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const faulty = fixtureModel('faulty.py');
const N = 400;
const POISON = [13, 250];
let dir: string;

beforeAll(() => {
  dir = tmpDir('simrun-py-');
});

/** The pids of the model processes (python3 running simrun_runtime.py) among `pids`' children. */
function modelProcesses(pids: number[]): number[] {
  return pids
    .flatMap((p) => childPids(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('simrun_runtime');
      } catch {
        return false;
      }
    });
}

describe('a Python model runs like a JavaScript one', () => {
  it('montecarlo.py gives the rows of the built-in montecarlo model (same seed, same draws)', async () => {
    const js = path.join(dir, 'mc-js.db');
    const py = path.join(dir, 'mc-py.db');
    const args = ['--input', 'range:300', '--param', 'draws=50', '--seed', '7', '--workers', '2', '--quiet'];
    expect((await runCli(['run', 'montecarlo', '--db', js, ...args])).code).toBe(0);
    const r = await runCli(['run', fixtureModel('montecarlo.py'), '--db', py, ...args]);
    expect(r.code).toBe(0);
    expect(tableDump(py, 'montecarlo', 1)).toEqual(tableDump(js, 'montecarlo', 1));
    const run = query<{ model_files_json: string }>(py, 'SELECT model_files_json FROM runs')[0]!;
    expect(Object.keys(JSON.parse(run.model_files_json))).toEqual([
      'interpreter:python3',
      'montecarlo.py',
      'simrun:runtimes/python/simrun.py',
      'simrun:runtimes/python/simrun_runtime.py',
      'simrun:runtimes/python/simrun_wire.py',
    ]);
  });

  it('gets the items a JavaScript model gets: CSV records, JSONL values, file paths', async () => {
    const csv = path.join(dir, 'people.csv');
    writeFileSync(csv, 'name,age\nAda,36\n"Lovelace, A",\nÉmile,7\n');
    const jsonl = path.join(dir, 'values.jsonl');
    writeFileSync(jsonl, '{"a":[1,2,{"b":null}]}\n"text"\n42\ntrue\n');
    for (const input of [csv, jsonl]) {
      const js = path.join(dir, `echo-js-${path.basename(input)}.db`);
      const py = path.join(dir, `echo-py-${path.basename(input)}.db`);
      expect((await runCli(['run', fixtureModel('echo.mjs'), '--input', input, '--db', js, '--quiet'])).code).toBe(0);
      expect((await runCli(['run', fixtureModel('echo.py'), '--input', input, '--db', py, '--quiet'])).code).toBe(0);
      expect(tableDump(py, 'echo', 1)).toEqual(tableDump(js, 'echo', 1));
    }
  });

  it("ctx.out_dir is --out, in setup() and analyze(); the model runs in simrun's working directory", async () => {
    const out = path.join(dir, 'files');
    const db = path.join(dir, 'outdir.db');
    const r = await runCli(['run', fixtureModel('outdir.py'), '--input', 'range:3', '--db', db, '--out', out, '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(query(db, 'SELECT file, cwd FROM outdir ORDER BY idx')).toEqual([0, 1, 2].map((i) => ({ file: `item-${i}.txt`, cwd: dir })));
    expect(readFileSync(path.join(out, 'item-2.txt'), 'utf8')).toBe('2 {}\n');
  });

  it('stores values JSON cannot carry exactly; a row that does not match the columns is a row error', async () => {
    const db = path.join(dir, 'values.db');
    const r = await runCli(['run', fixtureModel('values.py'), '--input', 'range:6', '--db', db, '--quiet']);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, r, CAST(i AS TEXT) AS i, t FROM "values" ORDER BY idx')).toEqual([
      { idx: 0, r: Infinity, i: String(2n ** 62n + 1n), t: 'ünïcödé' },
      { idx: 1, r: -Infinity, i: null, t: null },
      { idx: 4, r: 2, i: '4', t: '4' },
      { idx: 5, r: 2.5, i: '5', t: '5' },
    ]);
    expect(query(db, 'SELECT idx, kind FROM errors ORDER BY idx')).toEqual([
      { idx: 2, kind: 'row' },
      { idx: 3, kind: 'row' },
    ]);
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

describe('faults in a Python model', () => {
  it('an exception fails its item only: the Python type, message and traceback; print() goes to the log', async () => {
    const { r, db, log } = await faultRun('throw');
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('analyzing');
    const errors = query<{ idx: number; kind: string; name: string; message: string; stack: string; attempts: number }>(
      db,
      'SELECT idx, kind, name, message, stack, attempts FROM errors ORDER BY idx',
    );
    expect(errors.map(({ idx, kind, name, message, attempts }) => ({ idx, kind, name, message, attempts }))).toEqual(
      POISON.map((idx) => ({ idx, kind: 'throw', name: 'ValueError', message: `poison item ${idx}`, attempts: 1 })),
    );
    expect(errors[0]!.stack).toMatch(/Traceback \(most recent call last\):\n {2}File ".*faulty\.py", line \d+, in analyze/);
    expect(errors[0]!.stack).not.toContain('simrun_runtime');
    expectAllButPoison(db);
    // The model's stdout is in the log, line by line, marked as the model's.
    const lines = jsonLines(log);
    expect(lines.filter((l) => l.stream === 'stdout' && l.model === true).length).toBeGreaterThanOrEqual(N);
  });

  it.each([
    ['exit', '1'],
    ['kill', 'SIGKILL'],
    ['quit', '4'],
  ])('the model process ending (%s) is a worker crash: retried, bisected to the poison item', async (mode, code) => {
    const { r, db } = await faultRun(mode);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name, attempts, code FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind: 'crash', name: 'WorkerCrash', attempts: 3, code })),
    );
    expectAllButPoison(db);
  });

  it('a hang is killed by --item-timeout and only that item is recorded', async () => {
    const { r, db } = await faultRun('hang', ['--item-timeout', '1000']);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name FROM errors ORDER BY idx')).toEqual(
      POISON.map((idx) => ({ idx, kind: 'timeout', name: 'ItemTimeout' })),
    );
    expectAllButPoison(db);
  });

  it('simrun.Transient is retried with backoff; with --retries 0 it is recorded', async () => {
    const ok = await faultRun('transient', ['--retry-delay', '1']);
    expect(ok.r.code).toBe(0);
    expect(query(ok.db, 'SELECT count(*) AS n FROM faulty')).toEqual([{ n: N }]);
    const db = path.join(dir, 'transient0.db');
    const r = await runCli([
      'run',
      faulty,
      '--input',
      `range:${N}`,
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
    expect(query(db, 'SELECT idx, kind, name, message, attempts FROM errors')).toEqual([
      { idx: 13, kind: 'throw', name: 'Transient', message: 'service busy for item 13', attempts: 1 },
    ]);
  });
});

describe('a Python model that cannot start', () => {
  it.each([
    ['syntax-error.py', /^simrun: model \S*syntax-error\.py failed to load: SyntaxError: .*line 3/],
    [
      'missing-import.py',
      /^simrun: model \S*missing-import\.py failed to load: ModuleNotFoundError: No module named 'simrun_no_such_module' \(missing-import\.py:1\)$/,
    ],
  ])('%s: one line, exit 2, the database untouched', async (file, line) => {
    const db = path.join(dir, `bad-${file}.db`);
    expect((await runCli(['run', fixtureModel('echo.py'), '--input', 'range:3', '--db', db, '--quiet'])).code).toBe(0);
    const before = sha(db);
    const r = await runCli(['run', fixtureModel(file), '--input', 'range:3', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(line);
    expect(sha(db)).toBe(before);
    const fresh = path.join(dir, `fresh-${file}.db`);
    expect((await runCli(['run', fixtureModel(file), '--input', 'range:3', '--db', fresh])).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it('a missing interpreter: one line naming it, exit 2, no database', async () => {
    const db = path.join(dir, 'no-python.db');
    const r = await runCli(['run', fixtureModel('montecarlo.py'), '--input', 'range:3', '--db', db], {
      env: { SIMRUN_PYTHON: '/nonexistent/python3' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simrun: model \S*montecarlo\.py failed to load: \/nonexistent\/python3 not found .*SIMRUN_PYTHON/);
    expect(existsSync(db)).toBe(false);
  });

  it('a model that never finishes loading: exit 2 after the load time limit, its process ended', async () => {
    const model = fixtureModel('hang-load.py');
    const r = await runCli(['run', model, '--input', 'range:3', '--db', path.join(dir, 'hang-load.db')], {
      env: { SIMRUN_MODEL_LOAD_TIMEOUT_MS: '1500' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simrun: model \S*hang-load\.py did not finish loading within 1\.5 s/);
    const running = readdirSync('/proc').filter((p) => {
      try {
        return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(model);
      } catch {
        return false;
      }
    });
    expect(running).toEqual([]);
  });

  it('setup() raising stops the run: exit 1, the Python error named', async () => {
    const db = path.join(dir, 'setup.db');
    const r = await runCli(['run', fixtureModel('setup-throws.py'), '--input', 'range:3', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('RuntimeError: cannot open the tables');
  });
});

describe('resume and the code fingerprint', () => {
  it('kill -9 of the primary: the model processes end with their workers; resume gives the uninterrupted table', async () => {
    const model = fixtureModel('montecarlo.py');
    const args = ['--input', 'range:3000', '--param', 'draws=1000', '--workers', '2', '--quiet'];
    const ref = path.join(dir, 'k9-ref.db');
    expect((await runCli(['run', model, '--db', ref, ...args])).code).toBe(0);
    const db = path.join(dir, 'k9.db');
    const { child, done } = startCli(['run', model, '--db', db, ...args]);
    await waitFor(() => committed(db, 'montecarlo') >= 200);
    const workers = childPids(child.pid!);
    const models = modelProcesses(workers);
    expect(models.length).toBe(2);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    await waitFor(() => [...workers, ...models].every((p) => !alive(p)), 20_000);
    const resumed = await runCli(['resume', '--db', db, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(ref, 'montecarlo', 1));
  });

  it('Ctrl-C (SIGINT) drains and exits 130; resume finishes; each model process is told bye, none is left to kill', async () => {
    const model = fixtureModel('montecarlo.py');
    const args = ['--input', 'range:3000', '--param', 'draws=1000', '--workers', '2', '--quiet'];
    const ref = path.join(dir, 'k9-ref.db'); // written by the kill -9 test above
    const db = path.join(dir, 'int.db');
    const log = path.join(dir, 'int.log');
    const { child, done } = startCli(['run', model, '--db', db, '--log', log, ...args]);
    await waitFor(() => committed(db, 'montecarlo') >= 200);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const resumed = await runCli(['resume', '--db', db, '--log', log, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(ref, 'montecarlo', 1));
    const warnings = jsonLines<{ level: number; msg: string }>(log).filter((l) => l.level >= 40);
    expect(warnings.map((w) => w.msg).filter((m) => /left running/.test(m))).toEqual([]);
  });

  it('resume refuses a changed model file or a changed local import, naming it', async () => {
    const folder = path.join(dir, 'helped');
    cpSync(fixtureModel('py-helper'), folder, { recursive: true });
    const model = path.join(folder, 'model.py');
    const db = path.join(dir, 'helped.db');
    const { child, done } = startCli(['run', model, '--input', 'range:200000', '--db', db, '--quiet']);
    await waitFor(() => committed(db, 'helped') > 0);
    child.kill('SIGTERM');
    expect((await done).code).toBe(143);
    writeFileSync(path.join(folder, 'helper.py'), 'def scale(n):\n    return n * 3\n');
    const refused = await runCli(['resume', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the code of model helped changed since the run started \(helper\.py\)/);
    copyFileSync(fixtureModel('py-helper/helper.py'), path.join(folder, 'helper.py'));
    writeFileSync(model, readFileSync(model, 'utf8') + '\n# edited\n');
    const again = await runCli(['resume', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/changed since the run started \(model\.py\)/);
  });
});
