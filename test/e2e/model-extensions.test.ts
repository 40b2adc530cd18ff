/**
 * A user's model outside the source tree extends simrun through the public API: its view is in
 * the database after a run, its report section is in both the text and the HTML report, and its
 * subcommand runs as `simrun <model file> <command>`. Declarations simrun cannot use are refused
 * with one line before anything is written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, tmpDir } from '../helpers.js';

const model = fixtureModel('extended.mjs');
const dir = tmpDir();
const db = path.join(dir, 'ext.db');

beforeAll(async () => {
  const r = await runCli(['run', model, '--input', 'range:10', '--db', db, '--workers', '2', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

describe('a model that declares a view, a report section and a command', () => {
  it('creates its view beside the results table', () => {
    // range:10 gives 0..9: evens 0+2+4+6+8 = 20, odds 25; value = 1.5 n
    expect(query(db, 'SELECT grp, items, total FROM extended_by_group WHERE run_id = 1 ORDER BY grp')).toEqual([
      { grp: 'even', items: 5, total: 30 },
      { grp: 'odd', items: 5, total: 37.5 },
    ]);
  });

  it('prints its first section as the text report, and checks --by against its groupings', async () => {
    const r = await runCli(['report', '--db', db, '--run', '1', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('grp,items,total\neven,5,30\nodd,5,37.5\n');
    const bad = await runCli(['report', '--db', db, '--run', '1', '--by', 'decile']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('simrun: --by decile: model extended groups by grp');
  });

  it('renders its section, note and chart in the HTML report', async () => {
    const out = path.join(dir, 'ext.html');
    const r = await runCli(['report', '--db', db, '--run', '1', '--html', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h2>Totals by parity</h2>');
    expect(html).toContain('from the view <code>extended_by_group</code>');
    expect(html).toContain('<td class="num">37.5</td>');
    expect(html).toContain('Total value by parity');
  });

  it('runs its command as simrun <model file> <command>, listed in that help', async () => {
    const r = await runCli([model, 'totals', '--db', db, '--run', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('grp,total\neven,30\nodd,37.5\n');
    const help = await runCli([model, '--help']);
    expect(help.stdout).toMatch(/totals \[options\]\s+print the totals by parity of one run/);
    const missing = await runCli([model, 'totals', '--db', db, '--run', '7']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`simrun: no run 7 in ${db}`);
  });
});

describe('declarations simrun cannot use', () => {
  const variant = (name: string, replace: [string, string]) => {
    const file = path.join(dir, `${name}.mjs`);
    writeFileSync(file, readFileSync(model, 'utf8').replace(...replace));
    return file;
  };

  it('a view whose SQL SQLite refuses stops the run before the database exists', async () => {
    const file = variant('bad-view', ['FROM extended GROUP BY', 'FROM no_such_table GROUP BY']);
    const out = path.join(dir, 'bad-view.db');
    const r = await runCli(['run', file, '--input', 'range:3', '--db', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/its view extended_by_group cannot be created: no such table: (main\.)?no_such_table/);
    expect(existsSync(out)).toBe(false);
  });

  it('report sections that throw: one line for the text report, one section saying so in the HTML', async () => {
    const file = variant('bad-sections', ['    sections(results, run) {', "    sections() {\n      throw new Error('boom');"]);
    const out = path.join(dir, 'bad-sections.db');
    expect((await runCli(['run', file, '--input', 'range:4', '--db', out, '--quiet'])).code).toBe(0);
    const text = await runCli(['report', '--db', out, '--run', '1']);
    expect(text.code).toBe(2);
    expect(text.stderr.trim()).toBe('simrun: model extended: its report sections failed: boom');
    const page = path.join(dir, 'bad-sections.html');
    expect((await runCli(['report', '--db', out, '--run', '1', '--html', page])).code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('report sections failed: boom');
    expect(html).toContain('<h2>Columns of extended (run 1)</h2>');
  });

  it('a view holding a second statement is refused, and the statement never runs', async () => {
    const file = variant('two-statements', ['GROUP BY run_id, grp', 'GROUP BY run_id, grp; DROP TABLE runs']);
    const out = path.join(dir, 'two-statements.db');
    expect((await runCli(['run', model, '--input', 'range:3', '--db', out, '--quiet'])).code).toBe(0);
    const r = await runCli(['run', file, '--input', 'range:4', '--db', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /its view extended_by_group cannot be created: The supplied SQL string contains more than one statement$/,
    );
    expect(query(out, 'SELECT id, status FROM runs')).toEqual([{ id: 1, status: 'done' }]);
  });

  it('a command without a define function is refused on load, naming it', async () => {
    const file = variant('bad-command', ['define(cmd, tools) {', 'definex(cmd, tools) {']);
    const r = await runCli([file, 'totals']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/command totals needs a summary string and a define\(command, tools\) function/);
  });
});

describe("the built-in models' commands", () => {
  it('are listed by --help, reachable as simrun tax <command> and, unclaimed, as simrun <command>', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/tax\s+commands of model tax: generate, compare/);
    expect(help.stdout).toMatch(/\n {2}compare \[options\]\s+what a reform does to whom/);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect((await runCli(['tax', 'generate', 'population', '--n', '20', '--seed', '3', '--output', a])).code).toBe(0);
    expect((await runCli(['generate', 'population', '--n', '20', '--seed', '3', '--output', b])).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const none = await runCli(['thumbnail', 'anything']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('simrun: model thumbnail (thumbnail) declares no commands; run it with: simrun run thumbnail ...');
  });
});
