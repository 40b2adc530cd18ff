/**
 * Process groups: how a worker's descendants end with it. Each worker is started as the leader
 * of its own session and process group (setsid(1), see primary/pool/own-group.ts), so whatever
 * a model spawns (a shell command, a Python or R process, their children) is in the group whose
 * id is the worker's pid, and one kill(-pgid) ends all of it, as Slurm's cgroups and GNU
 * parallel's --termseq do. A descendant that starts a session of its own (setsid, a daemon,
 * child_process.spawn with `detached: true`) leaves the group and is not ended.
 *
 * Exported for anything that starts long-lived processes from a worker: started without
 * `detached`, they are in the worker's group and end with it.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** simrun's own node_modules: a group member whose executable is in it (tsx's esbuild service) is ours, not the model's. */
const ownModules = realModules(fileURLToPath(new URL('../../../node_modules', import.meta.url)));

/** The real path of a node_modules folder (a checkout may link it), with a trailing '/'. */
function realModules(dir: string): string {
  try {
    return `${realpathSync(dir)}/`;
  } catch {
    return `${dir}/`;
  }
}

/** True when `pid` runs an executable shipped in simrun's own node_modules (e.g. esbuild, started by tsx). */
function isSimrunHelper(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`).startsWith(ownModules);
  } catch {
    return false;
  }
}

/**
 * The pids in process group `pgid`, read from /proc (Linux); null where there is no /proc.
 * A zombie (exited, not yet reaped) is left out: it is already gone.
 */
export function processGroupMembers(pgid: number): number[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const members: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(name));
  }
  return members;
}

/**
 * Sends `signal` to every process in group `pgid` and returns how many of them the model had
 * started (simrun's own helpers, such as tsx's esbuild service, are ended but not counted; 0 when
 * the group is empty or does not exist; where /proc is missing, 1 if the signal reached anyone).
 * Never throws.
 */
export function endProcessGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): number {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return 0;
  const members = processGroupMembers(pgid);
  if (members && members.length === 0) return 0;
  const counted = members ? members.filter((pid) => !isSimrunHelper(pid)).length : 1;
  try {
    process.kill(-pgid, signal);
  } catch {
    return 0; // ESRCH: no such group (any more)
  }
  return counted;
}

/**
 * In a worker that leads its own group: ends every other process of the group (what its model
 * spawned) before the worker exits on its own, e.g. when the primary was killed, and returns how
 * many the model had started (simrun's own helpers are ended, not counted). Never throws.
 */
export function endOwnGroupMembers(signal: NodeJS.Signals = 'SIGKILL'): number {
  let n = 0;
  for (const pid of processGroupMembers(process.pid) ?? []) {
    if (pid === process.pid) continue;
    const helper = isSimrunHelper(pid);
    try {
      process.kill(pid, signal);
      if (!helper) n++;
    } catch {
      // already gone
    }
  }
  return n;
}
