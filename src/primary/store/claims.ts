/**
 * The claim on a run: the process that runs it (host, pid) and its heartbeat, so that a run
 * is never run by two processes at once. Taken in one write transaction; renewed every
 * HEARTBEAT_MS by the owner; a claim whose process is gone, or whose heartbeat is older than
 * CLAIM_STALE_MS, may be taken over. Every commit checks it (results-writer.ts).
 */
import os from 'node:os';
import { dbError } from '../../errors.js';
import { getRun, type DB, type RunRecord } from './store.js';

/** A claim whose heartbeat is older than this is stale: its owner is gone (or frozen) and it may be taken over. */
export const CLAIM_STALE_MS = 60_000;
/** How often the owner of a run renews its claim. */
export const HEARTBEAT_MS = 5_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the run, if anyone does: a claim with a fresh heartbeat whose process (on this host) is alive. */
export function liveOwner(run: RunRecord, host: string, now = Date.now()): string | null {
  if (run.heartbeat_at == null || now - run.heartbeat_at > CLAIM_STALE_MS) return null;
  if (run.host === host && (run.pid === process.pid || !pidAlive(run.pid))) return null;
  return `pid ${run.pid} on ${run.host}, last heartbeat ${Math.round((now - run.heartbeat_at) / 1000)} s ago`;
}

/**
 * Takes the run for this process in one write transaction (BEGIN IMMEDIATE: two processes
 * cannot both see it free), or refuses while another live process holds it.
 */
export function claimRun(db: DB, id: number, host: string): void {
  db.transaction(() => {
    const owner = liveOwner(getRun(db, id)!, host);
    if (owner) throw dbError(`run ${id} is being run by ${owner}; wait for it to finish or stop it first`);
    db.prepare(`UPDATE runs SET host = ?, pid = ?, heartbeat_at = ? WHERE id = ?`).run(host, process.pid, Date.now(), id);
  }).immediate();
}

/** Renews this process's claim; false when another process has taken the run over. */
export function renewClaim(db: DB, id: number): boolean {
  return (
    db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND pid = ? AND host = ?`).run(Date.now(), id, process.pid, os.hostname())
      .changes === 1
  );
}

export function releaseClaim(db: DB, id: number): void {
  db.prepare(`UPDATE runs SET heartbeat_at = NULL WHERE id = ? AND pid = ? AND host = ?`).run(id, process.pid, os.hostname());
}
