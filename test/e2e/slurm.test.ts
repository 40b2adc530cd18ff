/**
 * The README's Slurm recipe on a real one-node Slurm (slurm-cluster.ts): the sbatch job array of
 * scripts/slurm/shards.sbatch (--shard slurm) and the afterany merge, as README.md writes them
 * (scaled to 1 CPU a task, the gated test model on range:2000); one task cancelled mid-run, so the
 * merge fails naming its shard; that shard resubmitted as a resume, merged again: the merged
 * table equals a one-machine run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, root, runCli, sqlDiffCount, tmpDir, waitFor } from '../helpers.js';
import { readmeShellBlock, scaled, simrunOnPath } from './readme-recipe.js';
import { startSlurm, type SlurmCluster } from './slurm-cluster.js';
import { slurm } from './system-tools.js';

const N = 2000;
// Shard 2 (items 1000-1499) stops at item 1050 until the test opens its gate (gated.mjs): the
// cancel lands mid-run on any machine, however fast or loaded.
const gated = fixtureModel('gated.mjs');
const skip = Object.values(slurm).some((t) => t.skip);

describe.skipIf(skip)('Slurm job array (README recipe, one-node Slurm)', () => {
  let cluster: SlurmCluster;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const bins = { munged: slurm.munged.path(), mungekey: slurm.mungekey.path(), slurmctld: slurm.ctld.path(), slurmd: slurm.d.path() };
    slurm.sbatch.path();
    cluster = await startSlurm(bins);
    work = tmpDir('simrun-slurm-work-');
    env = { PATH: `${simrunOnPath(work)}:${process.env.PATH}` };
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const sbatch = (args: string[]) =>
    cluster
      .client('sbatch', ['--parsable', ...args], { cwd: work, env })
      .trim()
      .split(';')[0]!;
  const shardDb = (k: number) => path.join(work, 'shards', `shard-${k}.db`);
  const log = (name: string) => {
    try {
      return readFileSync(path.join(work, 'logs', name), 'utf8');
    } catch {
      return `(no logs/${name})`;
    }
  };

  it('array of 4 shards, task 2 cancelled mid-run, merge names it; resume + merge again equals one machine', async () => {
    const gate = path.join(work, 'gate');
    writeFileSync(gate, '1050');
    const shardLog = path.join(work, 'logs', 'shards.log');
    const readme = readmeShellBlock('**Slurm**: `scripts/slurm/shards.sbatch`');
    expect(readme).toContain('sbatch --dependency=afterany:$jid scripts/slurm/merge.sbatch all.db');
    const script =
      scaled(readme, [
        ['cpus=16', 'cpus=1'],
        [
          'sbatch --parsable --cpus-per-task=$cpus scripts/slurm/shards.sbatch tax /shared/population.csv',
          `sbatch --parsable --array=0-3 --cpus-per-task=$cpus ${root}/scripts/slurm/shards.sbatch ${gated} range:${N} ` +
            `--param gate=${gate} --param lo=1000 --param hi=1500 --chunk-size 25 --log ${shardLog}`,
        ],
        ['scripts/slurm/merge.sbatch all.db', `${root}/scripts/slurm/merge.sbatch all.db`],
      ]) + 'echo "jid=$jid"\n';
    const submitted = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: work,
      env: { ...cluster.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const jid = /jid=(\d+)/.exec(submitted.stdout)![1]!;
    const mergeId = /Submitted batch job (\d+)/.exec(submitted.stdout)![1]!;

    // Cancel task 2 once it has committed its first 50 items and waits at the gate; once it
    // drains (SIGTERM), open the gate so its chunks in flight can finish.
    await waitFor(() => committed(shardDb(2), 'gated') >= 50, 90_000, 20);
    cluster.client('scancel', [`${jid}_2`]);
    await waitFor(() => existsSync(shardLog) && readFileSync(shardLog, 'utf8').includes('"signal: draining"'), 90_000);
    writeFileSync(gate, String(N));
    await cluster.waitGone([jid, mergeId]);
    expect(cluster.jobState(`${jid}_2`).state).toBe('CANCELLED');
    for (const k of [0, 1, 3])
      expect(cluster.jobState(`${jid}_${k}`), log(`shard-${k}.out`)).toEqual({ state: 'COMPLETED', exitCode: '0:0' });
    const [cut] = query<{ status: string; done: number; shard_index: number; shard_count: number }>(
      shardDb(2),
      'SELECT status, done, shard_index, shard_count FROM runs',
    );
    expect(cut).toMatchObject({ status: 'interrupted', shard_index: 2, shard_count: 4 });
    // the 50 before the gate, plus the chunks of 25 that were in flight at the signal
    expect(cut!.done).toBeGreaterThanOrEqual(50);
    expect(cut!.done).toBeLessThanOrEqual(100);

    // The afterany merge ran and refused, naming the shard and how to finish it.
    expect(cluster.jobState(mergeId).exitCode).toBe('2:0');
    expect(log('merge.out')).toMatch(
      /indices \d+-1499 \(shard 2\/4: run 1 in .*shard-2\.db is interrupted; finish it with: simrun resume --db .*shard-2\.db\)/,
    );

    // docs/cluster.md: resubmit the shard as a resume (not as --array=2), then merge again.
    const resumeLine = "--output=logs/resume-2.out --wrap 'simrun resume --db shards/shard-2.db'";
    expect(readFileSync(path.join(root, 'docs/cluster.md'), 'utf8').replace(/\n/g, ' ')).toContain(resumeLine);
    const resumeId = sbatch(['--cpus-per-task=1', '--output=logs/resume-2.out', '--wrap', 'simrun resume --db shards/shard-2.db']);
    const again = sbatch([
      `--dependency=afterany:${resumeId}`,
      '--output=logs/merge-again.out',
      path.join(root, 'scripts/slurm/merge.sbatch'),
      'all.db',
    ]);
    await cluster.waitGone([resumeId, again]);
    expect(cluster.jobState(resumeId), log('resume-2.out')).toEqual({ state: 'COMPLETED', exitCode: '0:0' });
    expect(cluster.jobState(again), log('merge-again.out')).toEqual({ state: 'COMPLETED', exitCode: '0:0' });
    // the merge job ran simrun check on the merged database, and it held
    expect(log('merge-again.out')).toMatch(/indices 0-1999: every one has a row or an error row\n.*\nevery check holds \(1 run\)/);

    const all = path.join(work, 'all.db');
    expect(query(all, 'SELECT status, total, done, errors FROM runs')).toEqual([{ status: 'done', total: N, done: N, errors: 0 }]);
    expect(query(all, 'SELECT shard_index, lo, hi, done FROM shards ORDER BY shard_index')).toEqual([
      { shard_index: 0, lo: 0, hi: 499, done: 500 },
      { shard_index: 1, lo: 500, hi: 999, done: 500 },
      { shard_index: 2, lo: 1000, hi: 1499, done: 500 },
      { shard_index: 3, lo: 1500, hi: 1999, done: 500 },
    ]);
    const ref = path.join(tmpDir(), 'ref.db');
    expect((await runCli(['run', gated, '--input', `range:${N}`, '--db', ref, '--workers', '1', '--param', 'hi=0', '--quiet'])).code).toBe(
      0,
    );
    // the gate only holds items back: the values depend on (seed, index) alone
    expect(query(all, 'SELECT count(*) AS n FROM gated')).toEqual([{ n: N }]);
    expect(sqlDiffCount(all, 1, ref, 1, 'gated')).toBe(0);
  }, 240_000);
});
