/**
 * Workers in process groups of their own, so that everything a model spawns ends with its worker
 * (see util/process-group.ts). Node cannot setsid() itself and node:cluster passes no `detached`
 * to fork, so each worker is started through setsid(1), which execs node in place (same pid, its
 * IPC descriptor kept) as the leader of a new session and process group. cluster.fork runs
 * `process.execPath ...execArgv entry`: for the time workers are forked, execPath is setsid and
 * node leads execArgv. Without setsid(1) (not Linux) workers fork as before and their
 * descendants are not grouped; the log says so once.
 *
 * A worker in its own session also no longer gets the terminal's Ctrl-C: that goes to the
 * primary alone, which drains the run; a model's Python process is not killed mid-chunk by it.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { endProcessGroup } from '../../util/process-group.js';

let found: string | null | undefined;

/** Where setsid(1) is, or null. */
export function setsidPath(): string | null {
  if (found !== undefined) return found;
  found = null;
  if (process.platform !== 'linux' || process.env.SIMRUN_NO_SETSID) return found;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/bin'])) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, 'setsid'), constants.X_OK);
      return (found = path.join(dir, 'setsid'));
    } catch {
      // not here
    }
  }
  return found;
}

/**
 * How cluster.fork starts a worker in a group of its own: `execPath` (setsid) with `execArgv`
 * (node first). Without setsid: node and its own execArgv (`grouped` false).
 */
export function ownGroupForks(): { execPath: string; execArgv: string[]; grouped: boolean } {
  const setsid = setsidPath();
  if (!setsid) return { execPath: process.execPath, execArgv: process.execArgv, grouped: false };
  return { execPath: setsid, execArgv: [process.execPath, ...process.execArgv], grouped: true };
}

/**
 * Runs `fork` (cluster.fork, directly or through throng, which forks after one await) with
 * process.execPath pointed at `execPath` and `env` added to process.env (what the workers
 * inherit), and puts both back as soon as it returns.
 */
export function forkingWith<T>(execPath: string, env: Record<string, string>, fork: () => T): T {
  const node = process.execPath;
  const before = Object.keys(env).map((k) => [k, process.env[k]] as const);
  process.execPath = execPath;
  Object.assign(process.env, env);
  const restore = () => {
    process.execPath = node;
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  let result: T;
  try {
    result = fork();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) void result.finally(restore).catch(() => {});
  else restore();
  return result;
}

/** At a worker's exit: ends what its model left running in its group, logs and returns how many. */
export function endLeftovers(pid: number | undefined, log: Logger): number {
  const ended = pid ? endProcessGroup(pid) : 0;
  if (ended) log.warn({ pid, processes: ended }, 'worker exited; ended the processes it left running');
  return ended;
}
