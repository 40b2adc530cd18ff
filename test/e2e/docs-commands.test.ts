/**
 * Issue 28, what a newcomer typed from the docs: docs/models.md's "From an empty folder" block
 * and docs/tax.md's reform block run as written; a misspelled or bad reform value is one line
 * that names the JSON file, exit 2, as docs/tax.md says; an unknown command is one line, exit 2,
 * without loading the models that declare no commands (thumbnail and its sharp).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, root, runCli, tmpDir } from '../helpers.js';

/** The fenced blocks of a doc between a heading and the next heading of its level. */
function blocksUnder(doc: string, heading: string): { lang: string; body: string }[] {
  const text = readFileSync(path.join(root, 'docs', doc), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  expect(at, `${doc}: ${heading}`).toBeGreaterThan(0);
  const level = heading.split(' ')[0]!;
  const end = text.indexOf(`\n${level} `, at + heading.length + 2);
  const section = text.slice(at, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Runs a doc's sh block in bash -e in `cwd`, with `simrun` the built CLI. */
function runBlock(body: string, cwd: string) {
  const script = `set -euo pipefail\nsimrun() { "$SIMRUN_NODE" "$SIMRUN_CLI" "$@"; }\n${body}`;
  return spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SIMRUN_NODE: process.execPath, SIMRUN_CLI: cli },
  });
}

describe('docs blocks run as written', () => {
  it('docs/models.md, "From an empty folder to a finished run"', () => {
    const [block] = blocksUnder('models.md', '## From an empty folder to a finished run').filter((b) => b.lang === 'sh');
    expect(block!.body).toContain('simrun query --db out.db');
    const cwd = tmpDir('simrun-docs-models-');
    const r = runBlock(block!.body, cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ count\(\*\) │\n├─+┤\n│ 50 +│/);
    expect(query(path.join(cwd, 'my-model/out.db'), 'SELECT count(*) AS n FROM m')).toEqual([{ n: 50 }]);
  });

  it('docs/tax.md, "Reforms": no placeholder, every command runs (from the project folder)', () => {
    const [block] = blocksUnder('tax.md', '### Reforms').filter((b) => b.lang === 'sh');
    expect(block!.body).not.toMatch(/\.\.\./);
    // the project folder as a newcomer has it, with an out/ of its own
    const cwd = tmpDir('simrun-docs-tax-');
    for (const d of ['data', 'models', 'dist']) symlinkSync(path.join(root, d), path.join(cwd, d));
    mkdirSync(path.join(cwd, 'out'));
    const r = runBlock(block!.body, cwd);
    expect(r.status, r.stderr).toBe(0);
    const runs = (block!.body.match(/ run tax /g) ?? []).length;
    expect(query(path.join(cwd, 'out/tax.db'), "SELECT count(*) AS n FROM runs WHERE status = 'done'")).toEqual([{ n: runs }]);
  });
});

describe('a reform file with a mistake: one line naming the file, exit 2, nothing written (docs/tax.md)', () => {
  const sample = path.join(root, 'data/population-sample.csv');
  it.each([
    ['a misspelled key', { ctc: { amout: 3000 } }, /unknown parameter 'ctc\.amout' for model tax \(known: ctc\.amount, /],
    ['a wrong type', { ctc: { amount: 'lots' } }, /parameter 'ctc\.amount' of model tax must be number, got string "lots"$/],
    ['a bad value', { ctc: { amount: -5 } }, /bad params for model tax: .*ctc\.amount must be a number >= 0, got -5$/],
  ])('%s', async (_, reform, why) => {
    const dir = tmpDir('simrun-reform-');
    const file = path.join(dir, 'my-reform.json');
    writeFileSync(file, JSON.stringify(reform));
    const db = path.join(dir, 'out.db');
    const r = await runCli(['run', 'tax', '--input', sample, '--db', db, '--params', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`simrun: --params ${file}: `), lines[0]).toBe(true);
    expect(lines[0]).toMatch(why);
    expect(existsSync(db)).toBe(false);
  });

  it('a bad --param flag is not blamed on the file', async () => {
    const dir = tmpDir('simrun-reform-');
    const r = await runCli([
      'run',
      'tax',
      '--input',
      sample,
      '--db',
      path.join(dir, 'out.db'),
      '--params',
      path.join(root, 'models/tax/reforms/ctc-3000.json'),
      '--param',
      'ctc.amount=-3',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^simrun: bad params for model tax: .*ctc\.amount must be a number >= 0, got -3$/);
  });
});

describe('an unknown command', () => {
  const hook = path.join(root, 'test/fixtures/record-imports.mjs');
  /** Runs the CLI recording the URL of every module it resolves. */
  async function withImports(args: string[]) {
    const file = path.join(tmpDir('simrun-imports-'), 'imports.txt');
    writeFileSync(file, '');
    const r = await runCli(args, { env: { NODE_OPTIONS: `--import ${hook}`, SIMRUN_TEST_IMPORTS: file } });
    return { ...r, imports: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  }
  const thumbnail = (urls: string[]) => urls.filter((u) => /\/models\/thumbnail\/|\/node_modules\/sharp\//.test(u));

  it('is one line, exit 2, and loads neither the thumbnail model nor sharp', async () => {
    const r = await withImports(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unknown command 'frobnicate'/)]);
    expect(thumbnail(r.imports)).toEqual([]);
    // the recording works: `simrun models` loads every built-in model
    expect(thumbnail((await withImports(['models'])).imports)).toContainEqual(expect.stringMatching(/models\/thumbnail\/index\.js$/));
  });

  it("a built-in model's command still works at top level, also without loading thumbnail", async () => {
    const out = path.join(tmpDir('simrun-generate-'), 'p.csv');
    const r = await withImports(['generate', 'population', '--n', '20', '--seed', '1', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(21);
    expect(thumbnail(r.imports)).toEqual([]);
  });
});
