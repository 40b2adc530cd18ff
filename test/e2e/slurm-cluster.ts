/**
 * A one-node Slurm for a test, all in one temporary folder: munged with a fresh key, slurmctld and
 * slurmd (Debian's slurm-wlm) with a generated slurm.conf on free ports, each a child process of
 * the test run in the foreground (-F / -D) under a watchdog shell, as the current user (SlurmUser is the current user;
 * slurmd runs jobs as their submitter, which needs root for any other user). stop() cancels
 * every job, waits for the queue to empty, then ends each daemon (SIGTERM to its watchdog, then
 * SIGKILL by pid); on process exit the watchdogs get SIGTERM, and a watchdog whose test process
 * is gone ends its daemon itself, so no daemon outlives the test run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childPids, tmpDir, waitFor } from '../helpers.js';

export interface SlurmCluster {
  dir: string;
  /** environment for sbatch, squeue, scancel, scontrol (SLURM_CONF) */
  env: NodeJS.ProcessEnv;
  /** runs a Slurm client command; throws with its stderr when it fails */
  client(cmd: string, args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
  /** waits until none of `jobIds` is pending or running */
  waitGone(jobIds: string[], timeoutMs?: number): Promise<void>;
  /** the job's State and ExitCode from scontrol (kept MinJobAge seconds after it ends) */
  jobState(jobId: string): { state: string; exitCode: string };
  logs(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startSlurm(bins: { munged: string; mungekey: string; slurmctld: string; slurmd: string }): Promise<SlurmCluster> {
  const dir = tmpDir('simrun-slurm-');
  chmodSync(dir, 0o755); // munged wants its socket's folders searchable by all
  const keyDir = path.join(dir, 'munge-key');
  const sockDir = path.join(dir, 'munge-sock');
  mkdirSync(keyDir, { mode: 0o700 });
  mkdirSync(sockDir, { mode: 0o755 });
  for (const d of ['state', 'spool']) mkdirSync(path.join(dir, d));
  const socket = path.join(sockDir, 'munge.socket');
  const key = path.join(keyDir, 'munge.key');
  const conf = path.join(dir, 'slurm.conf');
  const node = os.hostname().split('.')[0]!;
  const user = os.userInfo().username;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  writeFileSync(
    conf,
    [
      'ClusterName=simruntest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmUser=${user}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      // no cgroups, no accounting daemon: what a container or a CI box can run
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'SwitchType=switch/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/builtin',
      'ReturnToService=2',
      'KillWait=15',
      // 4 CPUs on any machine, so the 4 tasks of the array run at once
      'SlurmdParameters=config_overrides',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN`,
      `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: { name: string; child: ChildProcess }[] = [];
  // Each daemon under a watchdog shell: a SIGTERM to the shell ends the daemon, and so does the
  // test process going away (even by SIGKILL, when no exit handler runs).
  const watchdog = `"$@" & d=$!; trap 'kill $d 2>/dev/null; wait $d; exit' TERM; while kill -0 ${process.pid} 2>/dev/null && kill -0 $d 2>/dev/null; do sleep 1 & wait $!; done; kill $d 2>/dev/null; wait $d`;
  const daemon = (name: string, cmd: string, args: string[]) => {
    const child = spawn('sh', ['-c', watchdog, 'sh', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    daemons.push({ name, child });
    return child;
  };
  const client = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
    const r = spawnSync(cmd, args, { env: { ...env, ...opts.env }, cwd: opts.cwd ?? dir, encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr || r.error}`);
    return r.stdout;
  };
  const queue = () => {
    const r = spawnSync('squeue', ['-h', '-o', '%A %i %T'], { env, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };

  let stopped = false;
  const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  // the watchdog shell ends its daemon on SIGTERM; a daemon that ignores that is killed by its pid
  const killAll = () => {
    for (const { child } of [...daemons].reverse()) if (running(child)) child.kill('SIGTERM');
  };
  process.once('exit', killAll);
  const cluster: SlurmCluster = {
    dir,
    env,
    client,
    async waitGone(jobIds, timeoutMs = 90_000) {
      await waitFor(
        () => {
          const q = queue();
          return q !== null && !q.split('\n').some((l) => jobIds.some((j) => l.split(' ').some((f) => f === j || f.startsWith(`${j}_`))));
        },
        timeoutMs,
        250,
      );
    },
    jobState(jobId) {
      const text = client('scontrol', ['show', 'job', jobId, '-o']);
      return { state: /JobState=(\S+)/.exec(text)?.[1] ?? '', exitCode: /ExitCode=(\S+)/.exec(text)?.[1] ?? '' };
    },
    logs() {
      return ['slurmctld.log', 'slurmd.log', 'munged.log']
        .map((f) => {
          try {
            return `--- ${f}\n${readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-15).join('\n')}`;
          } catch {
            return `--- ${f}: none`;
          }
        })
        .join('\n');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (queue()) {
          spawnSync('scancel', ['--user', user], { env });
          await waitFor(() => !queue(), 30_000, 250).catch(() => {});
        }
      } finally {
        for (const { child } of [...daemons].reverse()) {
          if (!running(child)) continue;
          const gone = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
          if (running(child)) {
            for (const pid of childPids(child.pid!)) process.kill(pid, 'SIGKILL');
            child.kill('SIGKILL');
          }
        }
        process.off('exit', killAll);
      }
    },
  };

  try {
    spawnSync(bins.mungekey, ['--create', `--keyfile=${key}`], { stdio: 'ignore' });
    daemon('munged', bins.munged, [
      '-F',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--pid-file=${keyDir}/munged.pid`,
      `--seed-file=${keyDir}/munged.seed`,
      `--log-file=${dir}/munged.log`,
    ]);
    await waitFor(() => spawnSync('munge', ['-n', '-S', socket], { stdio: 'ignore' }).status === 0, 15_000, 100);
    daemon('slurmctld', bins.slurmctld, ['-D', '-c', '-f', conf]);
    daemon('slurmd', bins.slurmd, ['-D', '-f', conf, '-N', node]);
    await waitFor(() => spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout?.trim() === 'idle', 60_000, 250);
  } catch (e) {
    const logs = cluster.logs();
    await cluster.stop();
    throw new Error(`one-node Slurm did not come up: ${(e as Error).message}\n${logs}`);
  }
  return cluster;
}
