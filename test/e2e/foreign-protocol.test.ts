/**
 * Foreign models beyond one language's runtime (issue 26): the docs' Python and R examples run as
 * written; a program declared by a model.json manifest speaking the protocol by itself (and
 * breaking it); batch mode (analyze_batch) in Python and R giving the per-item rows; a model's
 * writes to stdout or to the protocol's fds never reaching the results. No timing assertions.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, jsonLines, query, root, runCli, tableDump, tmpDir } from '../helpers.js';

let dir: string;
let reference: string;
const MC = ['--input', 'range:150', '--param', 'draws=20', '--seed', '11', '--workers', '2', '--quiet'];

beforeAll(async () => {
  dir = tmpDir('simrun-protocol-');
  reference = path.join(dir, 'mc-js.db');
  expect((await runCli(['run', 'montecarlo', '--db', reference, ...MC])).code).toBe(0);
});

describe('the docs', () => {
  it('the Python and R examples of docs/models.md run as written, from a folder outside the repository', async () => {
    const docs = readFileSync(path.join(root, 'docs/models.md'), 'utf8');
    const block = (lang: string, first: string) => {
      const m = new RegExp('```' + lang + '\\n(' + first.replace('.', '\\.') + '\\n[\\s\\S]*?)```').exec(docs);
      if (!m) throw new Error(`docs/models.md has no ${lang} block starting ${first}`);
      return m[1]!;
    };
    const folder = tmpDir('simrun-docs-model-');
    writeFileSync(path.join(folder, 'income.py'), block('python', '# income.py'));
    writeFileSync(path.join(folder, 'income.R'), block('r', '# income.R'));
    writeFileSync(path.join(folder, 'people.csv'), 'gross\n50000\n10000\nabc\n');
    const tables: string[][] = [];
    for (const [file, error] of [
      ['income.py', 'ValueError'],
      ['income.R', 'simpleError'],
    ] as const) {
      const db = path.join(folder, `${file}.db`);
      const r = await runCli(['run', `./${file}`, '--input', 'people.csv', '--db', db], { cwd: folder });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('run 1 done: 3/3 items');
      expect(query(db, 'SELECT idx, name FROM errors')).toEqual([{ idx: 2, name: error }]);
      tables.push(tableDump(db, 'income', 1));
    }
    expect(tables[0]).toEqual(['[0,40000,"high",0.18245055549778044]', '[1,8000,"low",0.9449214979540557]']);
    expect(tables[1]).toEqual(tables[0]);
  });
});

describe('a model.json manifest', () => {
  it('runs any program that speaks the protocol: its declaration, rows, error rows, output in the log', async () => {
    const folder = path.join(dir, 'squares');
    cpSync(fixtureModel('manifest'), folder, { recursive: true });
    const db = path.join(dir, 'squares.db');
    const log = path.join(dir, 'squares.log');
    const r = await runCli([
      'run',
      path.join(folder, 'model.json'),
      '--input',
      'range:10',
      '--db',
      db,
      '--param',
      'offset=0.5',
      '--log',
      log,
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, n, square, label FROM squares WHERE idx IN (0, 3, 9) ORDER BY idx')).toEqual([
      { idx: 0, n: 0, square: 0.5, label: '#0' },
      { idx: 3, n: 3, square: 9.5, label: '#3' },
      { idx: 9, n: 9, square: 81.5, label: '#9' },
    ]);
    expect(query(db, 'SELECT idx, kind, name, message, stack FROM errors')).toEqual([
      { idx: 7, kind: 'throw', name: 'SevenError', message: 'seven is not allowed', stack: 'squares.py: n == 7' },
    ]);
    const files = JSON.parse(query<{ f: string }>(db, 'SELECT model_files_json AS f FROM runs')[0]!.f) as Record<string, string>;
    expect(Object.keys(files)).toEqual(['interpreter:python3', 'model.json', 'squares.py']);
    expect(jsonLines(log).some((l) => l.stream === 'stdout' && String(l.msg).startsWith("setup with {'offset': 0.5"))).toBe(true);
    // A declared file changed: resume would refuse (the fingerprint covers it).
    writeFileSync(path.join(folder, 'squares.py'), readFileSync(path.join(folder, 'squares.py'), 'utf8') + '\n# edited\n');
    const again = await runCli(['resume', '--db', db, '--retry-errors']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/changed since the run started \(squares\.py\)/);
  });

  it('a program that breaks the protocol (an answer for another item, a frame that is not JSON) crashes its worker: bisected to the item', async () => {
    const db = path.join(dir, 'liar.db');
    const log = path.join(dir, 'liar.log');
    const r = await runCli([
      'run',
      fixtureModel('manifest/model.json'),
      '--input',
      'range:40',
      '--db',
      db,
      '--param',
      'lie_at=20',
      '--param',
      'garbage_at=30',
      '--log',
      log,
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, kind, name FROM errors ORDER BY idx')).toEqual([
      { idx: 7, kind: 'throw', name: 'SevenError' },
      { idx: 20, kind: 'crash', name: 'WorkerCrash' },
      { idx: 30, kind: 'crash', name: 'WorkerCrash' },
    ]);
    expect(query(db, 'SELECT count(*) AS n FROM squares')).toEqual([{ n: 37 }]);
    const why = jsonLines(log).map((l) => String(l.msg));
    expect(why.some((m) => m.startsWith("model process broke the protocol: sent 'row' for index 1020, expected item 20"))).toBe(true);
    expect(why.some((m) => m.startsWith('model process broke the protocol: frame is not JSON'))).toBe(true);
  });

  it('a program of another protocol version, or one that dies at start, fails to load: one line, exit 2', async () => {
    const manifest = (file: string, program: string) => {
      const p = path.join(dir, file);
      writeFileSync(p, JSON.stringify({ name: 'p', version: '1', columns: { x: 'real' }, command: ['python3', '-c', program] }));
      return p;
    };
    const frame = `import os, json, struct; b = json.dumps({"type": "describe", "protocol": 99}).encode(); os.write(4, struct.pack(">I", len(b)) + b); os.read(3, 1 << 16)`;
    const newer = await runCli(['run', manifest('newer.json', frame), '--input', 'range:3', '--db', path.join(dir, 'newer.db')]);
    expect(newer.code).toBe(2);
    expect(newer.stderr.trim()).toMatch(
      /^simrun: model \S*newer\.json failed to load: its runtime speaks protocol 99, this simrun speaks 1$/,
    );
    const dies = await runCli([
      'run',
      manifest('dies.json', 'import sys; print("no licence for stata", file=sys.stderr); sys.exit(3)'),
      '--input',
      'range:3',
      '--db',
      path.join(dir, 'dies.db'),
    ]);
    expect(dies.code).toBe(2);
    expect(dies.stderr.trim()).toMatch(
      /^simrun: model \S*dies\.json failed to load: model process exited with code 3; its last output: no licence for stata$/,
    );
  });

  it('a manifest without a command: one line, exit 2', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'x', version: '1', columns: { x: 'real' } }));
    const r = await runCli(['run', file, '--input', 'range:3', '--db', path.join(dir, 'bad.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simrun: model manifest \S*bad\.json needs "command"/);
  });
});

/** Debian's python3 with numpy and pandas (python3-numpy, python3-pandas): required under CI=true, else its tests skip. */
const python = '/usr/bin/python3';
function debianPandas(): boolean {
  try {
    execFileSync(python, ['-c', 'import numpy, pandas']);
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error('apt-get install python3-numpy python3-pandas: /usr/bin/python3 cannot import numpy and pandas');
    return false;
  }
}

describe('batch mode', () => {
  it('analyze_batch in Python gives the per-item rows (a list of dicts, or a DataFrame with pandas)', async () => {
    const db = path.join(dir, 'batch-py.db');
    expect((await runCli(['run', fixtureModel('montecarlo-batch.py'), '--db', db, ...MC])).code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(reference, 'montecarlo', 1));
  });

  it('analyze_batch in Python gets a pandas DataFrame when pandas is installed', async (t) => {
    if (!debianPandas()) t.skip();
    const db = path.join(dir, 'batch-pandas.db');
    const log = path.join(dir, 'batch-pandas.log');
    const r = await runCli(['run', fixtureModel('montecarlo-batch.py'), '--db', db, '--log', log, ...MC], {
      env: { SIMRUN_PYTHON: python },
    });
    expect(r.code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(reference, 'montecarlo', 1));
    expect(jsonLines(log).some((l) => /^batch of \d+ items as a DataFrame$/.test(String(l.msg)))).toBe(true);
  });

  it('a numpy model vectorized over the chunk (analyze_batch) gives the per-item model rows', async (t) => {
    if (!debianPandas()) t.skip();
    const csv = path.join(dir, 'income.csv');
    writeFileSync(csv, 'gross,id\n' + Array.from({ length: 500 }, (_, i) => `${1000 + ((i * 7919) % 89000)},${i}`).join('\n') + '\n');
    const perItem = path.join(dir, 'income.db');
    const batch = path.join(dir, 'income-numpy.db');
    expect((await runCli(['run', fixtureModel('income.py'), '--input', csv, '--db', perItem, '--quiet'])).code).toBe(0);
    const r = await runCli(['run', fixtureModel('income-numpy.py'), '--input', csv, '--db', batch, '--quiet'], {
      env: { SIMRUN_PYTHON: python },
    });
    expect(r.code).toBe(0);
    expect(tableDump(batch, 'income', 1)).toEqual(tableDump(perItem, 'income', 1));
  });

  it('analyze_batch in R (a data.frame) gives the per-item rows', async () => {
    const db = path.join(dir, 'batch-r.db');
    expect((await runCli(['run', fixtureModel('montecarlo-batch.R'), '--db', db, ...MC])).code).toBe(0);
    expect(tableDump(db, 'montecarlo', 1)).toEqual(tableDump(reference, 'montecarlo', 1));
  });
});

describe("a model's stray output", () => {
  it('a frame written to stdout or to fd 4 by the model never reaches the results', async () => {
    const db = path.join(dir, 'fd.db');
    const r = await runCli([
      'run',
      fixtureModel('faulty.py'),
      '--input',
      'range:50',
      '--db',
      db,
      '--param',
      'mode=fd',
      '--param',
      'at=[5]',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, name FROM errors')).toEqual([{ idx: 5, name: 'OSError' }]);
    expect(query(db, 'SELECT count(*) AS n FROM faulty')).toEqual([{ n: 49 }]);
  });
});
