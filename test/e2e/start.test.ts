/**
 * `npm start` (dist/scripts/start.js): generate a population, run 2024 law and the CTC reform,
 * print both tables and the next commands; a second start reuses the population and rebuilds
 * its own database, so its runs are 1 and 2 again.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, root, runCli, tmpDir } from '../helpers.js';

const start = path.join(root, 'dist/scripts/start.js');

const npmStart = (args: string[], cwd: string) => runCli(args, { cwd, script: start });

describe('npm start', () => {
  it('runs the tax demo into out/, prints both tables and what to try next; runs again the same', async () => {
    const cwd = tmpDir('simrun-start-');
    const db = path.join(cwd, 'out/tax-demo.db');
    const population = path.join(cwd, 'out/population-3000.csv');

    const first = await npmStart(['--households', '3000', '--workers', '2'], cwd);
    expect(first.stderr).not.toMatch(/failed|error/i);
    expect(first.code).toBe(0);
    expect(readFileSync(population, 'utf8').trimEnd().split('\n')).toHaveLength(3001);
    expect(first.stdout).toContain('$ simrun generate population --n 3000 --seed 1 --output out/population-3000.csv');
    expect(first.stdout).toContain(
      `$ simrun run tax --input out/population-3000.csv --db out/tax-demo.db --params ${path.relative(cwd, path.join(root, 'models/tax/reforms/ctc-3000-fully-refundable.json'))}`,
    );
    // The baseline's decile table, then the reform's change table.
    expect(first.stdout).toMatch(/decile[\s│]+records[\s│]+households[\s│]+agi_mean/);
    expect(first.stdout).toMatch(/decile[\s│]+households[\s│]+base_tax_mean[\s│]+tax_change_mean/);
    expect(first.stdout).toContain('Next, try:');
    expect(first.stdout).toContain('npx simrun compare --db out/tax-demo.db --base 1 --reform 2 --by children');

    const runs = () =>
      query<{ id: number; status: string; done: number; overrides: string }>(
        db,
        'SELECT id, status, done, param_overrides_json AS overrides FROM runs ORDER BY id',
      );
    expect(runs()).toEqual([
      { id: 1, status: 'done', done: 3000, overrides: '{}' },
      { id: 2, status: 'done', done: 3000, overrides: '{"ctc":{"amount":3000,"fully_refundable":true}}' },
    ]);
    // The reform only lowers taxes, and only for households with children.
    const moved = query<{ children: number; up: number; down: number }>(
      db,
      `SELECT b.children > 0 AS children, sum(r.combined_tax > b.combined_tax) AS up, sum(r.combined_tax < b.combined_tax) AS down
       FROM tax b JOIN tax r ON r.idx = b.idx AND r.run_id = 2 WHERE b.run_id = 1 GROUP BY 1 ORDER BY 1`,
    );
    expect(moved[0]).toEqual({ children: 0, up: 0, down: 0 });
    expect(moved[1]!.up).toBe(0);
    expect(moved[1]!.down).toBeGreaterThan(0);

    const second = await npmStart(['--households', '3000', '--workers', '2'], cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('using out/population-3000.csv');
    expect(second.stdout).not.toContain('$ simrun generate');
    expect(runs().map((r) => r.id)).toEqual([1, 2]);
  });

  it('refuses a bad option with a usage line and exit code 2, touching nothing', async () => {
    const cwd = tmpDir('simrun-start-');
    const r = await npmStart(['--households', 'many'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^npm start: --households must be a whole number >= 10, got many\nusage: npm start/);
    expect(existsSync(path.join(cwd, 'out'))).toBe(false);
  });
});
