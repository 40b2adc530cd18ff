/**
 * The README's GNU parallel recipe on one machine, run as written (scaled to 2 jobs of 1 worker
 * for this 2-core machine) with `simrun` on PATH: its merged table equals a one-machine run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, root, runCli, sqlDiffCount, tmpDir } from '../helpers.js';
import { readmeShellBlock, scaled, simrunOnPath } from './readme-recipe.js';
import { gnuParallel } from './system-tools.js';

describe('GNU parallel (README recipe)', () => {
  it.skipIf(gnuParallel.skip)('parallel -j runs the 4 shards locally; merge joins them into the one-machine table', async () => {
    const parallel = gnuParallel.path();
    const version = spawnSync(parallel, ['--version'], { encoding: 'utf8' });
    expect(version.stdout, 'parallel is not GNU parallel (moreutils?): apt-get install parallel').toMatch(/GNU parallel/);

    const dir = tmpDir('simrun-parallel-');
    copyFileSync(path.join(root, 'data/population-sample.csv'), path.join(dir, 'population.csv'));
    const recipe = readmeShellBlock('**GNU parallel**, on one machine');
    expect(recipe).toMatch(/^parallel -j 4 simrun run tax .*::: 0 1 2 3\nsimrun merge --into all\.db shard-\*\.db\n$/);
    const script = scaled(recipe, [
      ['-j 4', '-j 2'],
      ['--workers 8', '--workers 1'],
    ]);
    const env = { ...process.env, PATH: `${simrunOnPath(dir)}:${process.env.PATH}` };
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 110_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toContain('4 shards merged, 2000/2000 items');
    for (const k of [0, 1, 2, 3]) expect(existsSync(path.join(dir, `shard-${k}.db`))).toBe(true);

    const ref = path.join(dir, 'ref.db');
    expect((await runCli(['run', 'tax', '--input', path.join(dir, 'population.csv'), '--db', ref, '--workers', '1', '--quiet'])).code).toBe(
      0,
    );
    const all = path.join(dir, 'all.db');
    expect(query(all, 'SELECT status, total, done, errors FROM runs')).toEqual([{ status: 'done', total: 2000, done: 2000, errors: 0 }]);
    expect(query(all, 'SELECT count(*) AS n FROM tax')).toEqual([{ n: 2000 }]);
    expect(sqlDiffCount(all, 1, ref, 1, 'tax')).toBe(0);
  });
});
