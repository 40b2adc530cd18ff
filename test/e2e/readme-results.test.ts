/**
 * Every command of the README's "Working with the results" section runs as written after
 * `npm start` (in a fresh folder, as a newcomer would), and prints what the README shows:
 * console blocks are compared line by line (times and rates masked), sh blocks must exit 0,
 * and the Python and R blocks must print the values their comments give. A block whose tool
 * (sqlite3, pandas, R with DBI/RSQLite/jsonlite) is missing skips outside CI; under CI=true it
 * fails naming the Debian package (see system-tools.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, root, runCli, tmpDir } from '../helpers.js';
import { pandas, rWithSqlite, sqlite3Shell } from './system-tools.js';

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const from = readme.indexOf('## Working with the results');
const section = readme.slice(from, readme.indexOf('\n## ', from + 5));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

interface Step {
  command: string;
  expected: string[] | null;
}
const consoleSteps: Step[] = blocks
  .filter((b) => b.lang === 'console')
  .flatMap((b) =>
    b.body
      .split(/^\$ /m)
      .filter(Boolean)
      .map((chunk) => {
        const [command, ...out] = chunk.trimEnd().split('\n');
        return { command: command!, expected: out };
      }),
  );
const shSteps: Step[] = blocks
  .filter((b) => b.lang === 'sh')
  .flatMap((b) => b.body.split('\n').filter((l) => l.trim() && !l.startsWith('#')))
  .map((command) => ({ command, expected: null }));

let cwd: string;
/** What `npm start` printed: its list of commands to try next ends the output. */
let startOutput: string;
beforeAll(async () => {
  cwd = tmpDir('simrun-readme-');
  const r = await runCli([], { cwd, script: path.join(root, 'dist/scripts/start.js') });
  expect(r.code, r.stderr).toBe(0);
  startOutput = r.stdout;
}, 300_000);

/** Runs one README line in bash in the demo folder, with `simrun` the built CLI. */
function sh(command: string) {
  const script = `simrun() { "$SIMRUN_NODE" "$SIMRUN_CLI" "$@"; }\n${command}`;
  return spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SIMRUN_NODE: process.execPath, SIMRUN_CLI: cli },
  });
}

const mask = (line: string) =>
  line
    .trimEnd()
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
    .replace(/\d+ items\/s/g, '<n> items/s');

/** Comments that give a printed value (`# -90.858`, `# {'ctc': ...}`), not prose. */
const valueComments = (code: string) => [...code.matchAll(/#\s*([-\d{['"].*?)\s*$/gm)].map((m) => m[1]!);

describe('README: Working with the results, after npm start', () => {
  it('has the blocks this test knows how to run', () => {
    expect(blocks.map((b) => b.lang).sort()).toEqual(['console', 'console', 'python', 'r', 'sh', 'sh']);
    expect(section).not.toMatch(/out\/tax\.db/);
  });

  it.each(consoleSteps)('$ $command', ({ command, expected }) => {
    if (command.startsWith('sqlite3')) {
      if (sqlite3Shell.skip) return; // outside CI only; under CI=true path() below names the package
      sqlite3Shell.path();
    }
    const r = sh(command);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map(mask)).toEqual(expected!.map(mask));
  });

  it.each(shSteps)('$ $command', ({ command }) => {
    const r = sh(command);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/error/i);
  });

  it.skipIf(pandas.skip)('the Python block prints the values its comments give', () => {
    const python = pandas.path();
    const code = blocks.find((b) => b.lang === 'python')!.body;
    writeFileSync(path.join(cwd, 'readme.py'), code);
    const r = spawnSync(python, ['readme.py'], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const values = valueComments(code);
    expect(values.length).toBeGreaterThanOrEqual(2);
    for (const v of values) expect(r.stdout).toContain(v);
  });

  it.skipIf(rWithSqlite.skip)('the R block prints the values its comments give', () => {
    const rscript = rWithSqlite.path();
    const code = blocks.find((b) => b.lang === 'r')!.body;
    writeFileSync(path.join(cwd, 'readme.R'), code);
    const r = spawnSync(rscript, ['readme.R'], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const values = valueComments(code);
    expect(values.length).toBeGreaterThanOrEqual(2);
    for (const v of values) expect(r.stdout).toContain(v);
    expect(r.stdout).toContain('"v_tax"');
  });
});

describe("README: Working with the results, after the try-next list's own reform (run 3)", () => {
  it('every console block and the Python block still print what the README shows', () => {
    const line = startOutput.split('\n').find((l) => l.includes('# your own reform: run 3'));
    expect(line, startOutput).toBeDefined();
    const command = line!
      .replace(/#.*$/, '')
      .trim()
      .replace(/^npx simrun /, 'simrun ');
    const run3 = sh(`${command} --quiet`);
    expect(run3.status, run3.stderr).toBe(0);
    expect(sh('simrun query --db out/tax-demo.db "SELECT max(id) AS runs FROM runs" --format csv').stdout).toBe('runs\n3\n');
    for (const { command: c, expected } of consoleSteps) {
      const r = sh(c);
      if (c.startsWith('sqlite3') && r.status === 127) continue; // no sqlite3 shell: the test above says so
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n').map(mask);
      // the list of runs shows run 3 below the two the README shows; every other output is unchanged
      if (/FROM runs"$/.test(c)) expect(lines.slice(0, expected!.length), c).toEqual(expected!.map(mask));
      else expect(lines, c).toEqual(expected!.map(mask));
    }
    if (pandas.skip) return;
    const code = blocks.find((b) => b.lang === 'python')!.body;
    writeFileSync(path.join(cwd, 'readme.py'), code);
    const r = spawnSync(pandas.path(), ['readme.py'], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const v of valueComments(code)) expect(r.stdout).toContain(v);
  }, 300_000);
});
