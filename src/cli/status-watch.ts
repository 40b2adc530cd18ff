/**
 * `simrun status --watch`: re-reads the database every --interval seconds while another process
 * runs. On a TTY the view is redrawn in place (log-update) until the runs it watches have
 * finished; off a TTY (pipes, logs, CI) one line per refresh, or with --json one JSON array per
 * line, until Ctrl-C or (--until-done) no run is running. The database is opened read-only for each
 * refresh, so the watcher never holds a lock the run needs.
 */
import Table from 'cli-table3';
import logUpdate from 'log-update';
import { listRuns, openStore, type DB } from '../primary/store/store.js';
import { viewRun, type RunStatusView } from '../primary/store/run-status.js';

export interface WatchFlags {
  db: string;
  json: boolean;
  interval: number;
  untilDone: boolean;
}

interface Snapshot {
  runs: RunStatusView[];
  /** per run with errors: item errors by kind */
  errorKinds: Map<number, { kind: string; n: number }[]>;
}

function snapshot(file: string): Snapshot | null {
  let db: DB;
  try {
    db = openStore(file, { readonly: true });
  } catch {
    return null; // not created yet: the run has not started
  }
  try {
    const runs = listRuns(db).map(viewRun);
    const errorKinds = new Map<number, { kind: string; n: number }[]>();
    const byKind = db.prepare(`SELECT kind, count(*) AS n FROM errors WHERE run_id = ? GROUP BY kind ORDER BY n DESC`);
    for (const r of runs) if (r.errors > 0) errorKinds.set(r.id, byKind.all(r.id) as { kind: string; n: number }[]);
    return { runs, errorKinds };
  } finally {
    db.close();
  }
}

const pct = (r: RunStatusView) => (r.total ? ((100 * r.finished_items) / r.total).toFixed(1) : '0.0');
const secs = (s: number | null) =>
  s === null
    ? '-'
    : s >= 3600
      ? `${(s / 3600).toFixed(1)}h`
      : s >= 60
        ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
        : `${Math.round(s)}s`;
const kinds = (s: Snapshot, id: number) => (s.errorKinds.get(id) ?? []).map((k) => `${k.kind} ${k.n}`).join(', ');

/** The runs worth a line: every running (or stale) one, else the newest. */
function focus(s: Snapshot): RunStatusView[] {
  const live = s.runs.filter((r) => r.state === 'running' || r.state === 'stale');
  return live.length ? live : s.runs.slice(-1);
}

function screen(file: string, s: Snapshot | null, intervalSec: number): string {
  const head = `simrun status --watch ${file}  (every ${intervalSec}s, Ctrl-C to stop)  ${new Date().toLocaleTimeString()}`;
  if (!s || !s.runs.length) return `${head}\nwaiting for a run to start…`;
  const t = new Table({
    head: ['run', 'model', 'state', 'done/total', '%', 'items/s', 'ETA', 'errors', 'workers'],
    style: { head: [], border: [] },
  });
  for (const r of s.runs.slice(-10)) {
    t.push([
      r.id,
      `${r.model} ${r.model_version}`,
      r.state,
      `${r.finished_items}/${r.total}`,
      pct(r),
      r.items_per_sec ?? '-',
      secs(r.eta_sec),
      r.errors ? `${r.errors} (${kinds(s, r.id)})` : 0,
      r.workers,
    ]);
  }
  return `${head}\n${t.toString()}`;
}

function line(s: Snapshot | null): string {
  const at = new Date().toISOString().slice(0, 19) + 'Z';
  if (!s || !s.runs.length) return `${at} waiting for a run to start`;
  const parts = focus(s).map(
    (r) =>
      `run ${r.id} ${r.model} ${r.state} ${r.finished_items}/${r.total} (${pct(r)}%) ${r.items_per_sec ?? '-'} items/s ETA ${secs(r.eta_sec)} ` +
      `errors ${r.errors}${r.errors ? ` (${kinds(s, r.id)})` : ''}`,
  );
  return `${at} ${parts.join('; ')}`;
}

const finished = (s: Snapshot | null) => !!s && s.runs.length > 0 && s.runs.every((r) => r.state !== 'running');

/**
 * On a terminal the watch ends by itself once every run it saw running has finished (done,
 * failed, interrupted or stale), or at once when the database holds runs and none is running:
 * there is nothing to watch. Before the database or its first run exists, it waits.
 */
function watchedRunsFinished(s: Snapshot | null, watched: Set<number>, first: boolean): boolean {
  if (!s || !s.runs.length) return false;
  for (const r of s.runs) if (r.state === 'running') watched.add(r.id);
  if (!watched.size) return first;
  return s.runs.every((r) => !watched.has(r.id) || r.state !== 'running');
}

export async function watchStatus(f: WatchFlags): Promise<void> {
  const tty = process.stdout.isTTY === true && !f.json;
  let stop = false;
  let cancel = () => {};
  const onSignal = () => {
    stop = true;
    cancel();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watched = new Set<number>();
  try {
    for (let first = true; !stop; first = false) {
      const s = snapshot(f.db);
      if (tty) logUpdate(screen(f.db, s, f.interval));
      else process.stdout.write((f.json ? JSON.stringify(s?.runs ?? []) : line(s)) + '\n');
      if (f.untilDone && finished(s)) break;
      if (tty && watchedRunsFinished(s, watched, first)) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, f.interval * 1000);
        cancel = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (tty) logUpdate.done();
  }
}
