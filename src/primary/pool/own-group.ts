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
 * The cluster execArgv that starts workers through setsid, with process.execPath pointed at it
 * until `restore()`. Without setsid: node's own execArgv, nothing changed.
 */
export function ownGroupForks(log: Logger): { execArgv: string[]; restore: () => void } {
  const setsid = setsidPath();
  if (!setsid) {
    log.info('setsid(1) not found: processes a model spawns are not grouped with their worker');
    return { execArgv: process.execArgv, restore: () => {} };
  }
  const node = process.execPath;
  process.execPath = setsid;
  return { execArgv: [node, ...process.execArgv], restore: () => void (process.execPath = node) };
}

/** At a worker's exit: ends what its model left running in its group, logs and returns how many. */
export function endLeftovers(pid: number | undefined, log: Logger): number {
  const ended = pid ? endProcessGroup(pid) : 0;
  if (ended) log.warn({ pid, processes: ended }, 'worker exited; ended the processes it left running');
  return ended;
}
