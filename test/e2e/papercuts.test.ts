/**
 * Papercuts a newcomer met: progress without a terminal is plain text, not log lines at a
 * level the README says is hidden; no ETA for a run that is not going; params shown as the
 * overrides (all of them on request); `report` on a non-tax run points at --html.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, root, runCli, tmpDir } from '../helpers.js';

let dir: string;
let mc: string;
beforeAll(async () => {
  dir = tmpDir('simrun-papercuts-');
  mc = path.join(dir, 'mc.db');
  const r = await runCli(['run', 'montecarlo', '--input', 'range:2000', '--db', mc, '--param', 'draws=50', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});

describe('progress without a terminal', () => {
  it('is a plain line every few seconds on stderr, and the default log level (warn) adds nothing', async () => {
    const db = path.join(dir, 'slow.db');
    const r = await runCli(['run', fixtureModel('slow.mjs'), '--input', 'range:2000', '--db', db, '--workers', '1', '--param', 'ms=4']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^run 1 done: 2000\/2000 items/);
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const l of progress)
      expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ run 1 \d+\/2000 \(\d+\.\d%\) [\d,]+ items\/s ETA \S+ errors 0$/);
  });
});

describe('status', () => {
  it('shows no ETA for a failed, interrupted or done run, only for a running one', async () => {
    const db = path.join(dir, 'states.db');
    copyFileSync(mc, db);
    const status = async () => {
      const r = await runCli(['status', '--db', db, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { eta_sec: number | null; state: string }[])[0]!;
    };
    const set = (sql: string) => {
      const d = new Database(db);
      d.exec(sql);
      d.close();
    };
    expect(await status()).toMatchObject({ state: 'done', eta_sec: null });
    for (const state of ['failed', 'interrupted']) {
      set(`UPDATE runs SET status = '${state}', done = 1000`);
      expect(await status()).toMatchObject({ state, eta_sec: null });
      const table = await runCli(['status', '--db', db]);
      expect(table.stdout.split('\n')[3]).toMatch(new RegExp(`│ ${state} +│ 1000/2000 \\(50\\.0%\\) │ 0 +│ \\d+ +│ \\S+ +│ +│ `));
    }
    // 1000 items in 10 s of work, 1000 to go: 10 s.
    set(
      `UPDATE runs SET status = 'running', active_ms = 10000, pid = ${process.pid}, host = '${os.hostname()}', heartbeat_at = ${Date.now()}`,
    );
    expect(await status()).toMatchObject({ state: 'running', eta_sec: 10 });
  });

  it('shows the param overrides, and the full params with --full-params', async () => {
    const plain = await runCli(['status', '--db', mc]);
    expect(plain.stdout).toMatch(/^run 1: input range:2000 \(sha256:\w+…\), param overrides \{"draws":50\}, seed 1,/m);
    expect(plain.stdout).not.toMatch(/full params/);
    const full = await runCli(['status', '--db', mc, '--full-params']);
    expect(full.stdout).toMatch(/param overrides \{"draws":50\}; full params \{"draws":50\}, seed 1/);
  });
});

describe('models', () => {
  it("lists the tax model's parameter names, and every default with --full-params", async () => {
    const r = await runCli(['models']);
    expect(r.code).toBe(0);
    const taxParams = r.stdout.split('\n').find((l) => l.startsWith('  params:') && l.includes('income_tax'))!;
    expect(taxParams).toBe(
      '  params:  year, income_tax, capital_gains, standard_deduction, ctc, eitc, payroll, social_security, itemized, qbi, niit, amt, cdcc, elderly_credit (their defaults: simrun models --full-params)',
    );
    expect(r.stdout).toContain('  params:  {"draws":1000}');
    const full = await runCli(['models', '--full-params']);
    const line = full.stdout.split('\n').find((l) => l.startsWith('  params:') && l.includes('income_tax'))!;
    expect(JSON.parse(line.slice('  params:  '.length))).toMatchObject({ ctc: { amount: 2000 } });
  });
});

describe('report without --html on a run of another model', () => {
  it('says that --html works for any model: exit 2, one line', async () => {
    const r = await runCli(['report', '--db', mc, '--run', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `simrun: --run 1 is a run of model montecarlo, which declares no report table; an HTML report works for a run of any model: simrun report --db ${mc} --run 1 --html report.html`,
    ]);
  });
});

describe('dependencies', () => {
  it('lists no package that nothing imports (tools run by npm scripts aside)', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const sources = execFileSync('git', ['ls-files', 'src', 'models', 'bench', 'scripts', 'test', 'vitest.config.ts', 'eslint.config.js'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mjs|js)$/.test(f))
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const tools = new Set(['typescript', 'eslint', 'prettier']);
    const unused = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => {
      if (tools.has(name)) return false;
      const imported = (n: string) => new RegExp(`['"]${n.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(sources);
      return name.startsWith('@types/')
        ? !imported(name.slice('@types/'.length)) && !imported(`node:${name.slice(7)}`) && name !== '@types/node'
        : !imported(name);
    });
    expect(unused).toEqual([]);
  });
});
