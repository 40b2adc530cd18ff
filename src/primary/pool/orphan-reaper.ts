/**
 * The orphan reaper: when the primary is killed (kill -9, a scheduler's SIGKILL), a worker busy
 * in a long synchronous item cannot see its IPC channel close, and would go on burning a core.
 * A small shell process, started by the primary in a session of its own (so a Ctrl-C or a kill
 * of the primary's process group does not reach it) and not as its child (the primary's
 * children are its workers, as schedulers and tools see them), checks once a second that the primary is
 * alive; when it is gone, it SIGKILLs the process group of every process that carries this
 * session's marker in its environment: the workers (each the leader of its group, see
 * own-group.ts), what their models spawned, and anything those started that kept the
 * environment. Workers that see their channel close end themselves first; the reaper finishes
 * off those that cannot. At the session's normal end the reaper is killed.
 *
 * It costs one /bin/sh and a `sleep 1` a second for the whole run, against ~40 ms of CPU per
 * worker for a watch thread in each (the design before): start-up time on a machine whose cores
 * are all starting workers. Without /bin/sh or /proc (not Linux), workers watch themselves with
 * a thread (worker/orphan-watchdog.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { WORKER_MARK } from '../../protocol.js';
import { setsidPath } from './own-group.js';

const REAPER = `
primary=$1; mark=$2
while kill -0 "$primary" 2>/dev/null; do sleep 1; done
for d in /proc/[0-9]*; do
  pid=\${d#/proc/}
  [ "$pid" = "$$" ] && continue
  if grep -qz "^$mark\\$" "$d/environ" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
done
`;

export interface OrphanReaper {
  /** `NAME=value` to put in the workers' environment. */
  readonly mark: string;
  stop(): void;
}

/** Starts the reaper, or returns null where it cannot run (then workers use their watch thread). */
export function startOrphanReaper(): OrphanReaper | null {
  if (process.platform !== 'linux' || !existsSync('/bin/sh') || !existsSync('/proc/self/environ')) return null;
  const mark = `${WORKER_MARK}=${process.pid}-${randomUUID()}`;
  const setsid = setsidPath();
  // A shell that starts the reaper in the background (through setsid: a session of its own) and
  // prints its pid: the reaper's parent exits at once, so it is nobody's child but init's.
  const launch = `${setsid ? '"$3" ' : ''}/bin/sh -c "$0" simrun-reaper "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!`;
  const r = spawnSync('/bin/sh', ['-c', launch, REAPER, String(process.pid), mark, setsid ?? ''], { encoding: 'utf8' });
  const pid = Number(r.stdout?.trim());
  if (r.status !== 0 || !Number.isInteger(pid) || pid <= 0) return null;
  const stop = () => {
    try {
      // The shell and its sleep (its own group with setsid); without setsid the sleep ends within a second.
      if (setsid) process.kill(-pid, 'SIGKILL');
      else process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);
  return {
    mark,
    stop() {
      process.off('exit', stop);
      stop();
    },
  };
}
