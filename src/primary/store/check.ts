/**
 * `simrun check`: what a researcher runs before publishing a database, and a Slurm merge job
 * after merging. SQLite's own PRAGMA integrity_check, then per run, from the rows themselves:
 * result rows against the recorded `done`, error rows against `errors`, every index of the run
 * (its shard's block for a shard) present as a row or an error, indices recorded finished but
 * gone, and the stored fingerprints of input and model code. Read-only, in one snapshot.
 */
import { intervalCount, mergeIntervals, type Interval } from '../run/intervals.js';
import { runBounds } from '../run/shard.js';
import { getRun, listRuns, quoteIdent, type DB, type RunRecord } from './store.js';

export interface Finding {
  ok: boolean;
  /** an item error is a finding of its own kind: the run is whole, but not every item succeeded */
  itemErrors?: boolean;
  line: string;
}

export interface RunCheck {
  run: RunRecord;
  findings: Finding[];
}

export interface DbCheck {
  integrity: Finding;
  runs: RunCheck[];
}

const MAX_RANGES = 20;

/** "0-99, 200, 5000-5999" (at most MAX_RANGES, then how many more). */
export function formatRanges(iv: Interval[]): string {
  const shown = iv.slice(0, MAX_RANGES).map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
  if (iv.length > MAX_RANGES) shown.push(`... and ${iv.length - MAX_RANGES} more range(s)`);
  return shown.join(', ');
}

/** The part of `a` outside `b` (both sorted and disjoint). */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j]![1] < lo) j++;
    for (let k = j; k < b.length && b[k]![0] <= hi; k++) {
      if (b[k]![0] > lo) out.push([lo, b[k]![0] - 1]);
      lo = Math.max(lo, b[k]![1] + 1);
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

export function integrityCheck(db: DB): Finding {
  try {
    const lines = db.prepare('PRAGMA integrity_check(20)').pluck().all() as string[];
    if (lines.length === 1 && lines[0] === 'ok') return { ok: true, line: 'SQLite integrity_check: ok' };
    return { ok: false, line: `SQLite integrity_check: ${lines.length} problem(s): ${lines.slice(0, 5).join('; ')}` };
  } catch (err) {
    return { ok: false, line: `SQLite integrity_check failed: ${(err as Error).message}` };
  }
}

const hasTable = (db: DB, name: string) => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);

/** Indices of [lo, hi] with a result row or an error row, as intervals. */
function covered(db: DB, t: string | null, id: number, [lo, hi]: Interval): Interval[] {
  const rowsPart = t ? `SELECT idx FROM ${t} WHERE run_id = @id AND idx BETWEEN @lo AND @hi UNION ` : '';
  return db
    .prepare(
      `SELECT min(idx), max(idx) FROM (SELECT idx, idx - row_number() OVER (ORDER BY idx) AS g FROM ` +
        `(${rowsPart}SELECT idx FROM errors WHERE run_id = @id AND idx BETWEEN @lo AND @hi)) GROUP BY g ORDER BY 1`,
    )
    .raw()
    .all({ id, lo, hi }) as Interval[];
}

export function checkRun(db: DB, dbFile: string, run: RunRecord): RunCheck {
  const findings: Finding[] = [];
  const add = (ok: boolean, line: string, itemErrors = false) => findings.push({ ok, line, itemErrors });
  try {
    const t = hasTable(db, run.model) ? quoteIdent(run.model) : null;
    const [lo, hi] = runBounds(run);
    const size = Math.max(0, hi - lo + 1);
    const one = (sql: string) => db.prepare(sql).pluck().get({ id: run.id, lo, hi }) as number;
    const rows = t ? one(`SELECT count(*) FROM ${t} WHERE run_id = @id`) : 0;
    const errorRows = one(`SELECT count(*) FROM errors WHERE run_id = @id`);
    const inRows = t ? one(`SELECT count(*) FROM ${t} WHERE run_id = @id AND idx BETWEEN @lo AND @hi`) : 0;
    const inErrors = one(`SELECT count(*) FROM errors WHERE run_id = @id AND idx BETWEEN @lo AND @hi`);
    const both = t ? one(`SELECT count(*) FROM errors e JOIN ${t} r ON r.run_id = e.run_id AND r.idx = e.idx WHERE e.run_id = @id`) : 0;

    add(
      rows === run.done,
      rows === run.done ? `rows: ${rows}, as recorded (done ${run.done})` : `rows: ${rows} found, but the run recorded ${run.done} done`,
    );
    add(
      errorRows === run.errors,
      errorRows === run.errors
        ? `error rows: ${errorRows}, as recorded`
        : `error rows: ${errorRows} found, but the run recorded ${run.errors}`,
    );
    const outside = rows - inRows + (errorRows - inErrors);
    if (outside) add(false, `${outside} row(s) or error row(s) lie outside the run's indices ${lo}-${hi}`);
    if (both) add(false, `${both} index(es) have both a result row and an error row`);

    const present = inRows + inErrors - both === size ? (size ? [[lo, hi] as Interval] : []) : covered(db, t, run.id, [lo, hi]);
    const missing = size ? subtract([[lo, hi]], present) : [];
    const recorded = mergeIntervals(db.prepare(`SELECT lo, hi FROM chunks WHERE run_id = ? ORDER BY lo`).raw().all(run.id) as Interval[]);
    const notRun = subtract(missing, recorded);
    const lost = subtract(missing, notRun); // missing, yet inside a range recorded finished
    if (!missing.length) add(true, size ? `indices ${lo}-${hi}: every one has a row or an error row` : 'indices: none (empty run)');
    if (lost.length) add(false, `${intervalCount(lost)} index(es) recorded finished have no row and no error row: ${formatRanges(lost)}`);
    if (notRun.length) {
      const resume = `simrun resume --db ${dbFile} --run ${run.id}`;
      const finish =
        run.status === 'done'
          ? ''
          : run.status === 'running'
            ? `; the run is running (simrun status tells whether its process is alive; if not: ${resume})`
            : `; the run is ${run.status}; finish it: ${resume}`;
      add(false, `${intervalCount(notRun)} of ${size} index(es) not run (no row, no error): ${formatRanges(notRun)}${finish}`);
    }
    if (run.status !== 'done' && !notRun.length) add(false, `the run is ${run.status}, not done`);
    if (run.errors)
      add(
        false,
        `${run.errors} item error(s); list them: simrun query --db ${dbFile} "SELECT idx, kind, name, message FROM errors WHERE run_id = ${run.id}"`,
        true,
      );

    const fp = [
      ['input', run.input_fingerprint],
      ['model code', run.model_fingerprint],
    ] as const;
    const absent = fp.filter(([, v]) => !v).map(([k]) => k);
    const show = fp.filter(([, v]) => v).map(([k, v]) => `${k} ${v!.slice(0, 19)}...`);
    add(
      !absent.length,
      absent.length
        ? `fingerprints: no ${absent.join(', no ')} fingerprint stored (an older simrun release made this run)${show.length ? `; ${show.join(', ')}` : ''}`
        : `fingerprints: ${show.join(', ')}`,
    );
  } catch (err) {
    add(false, `reading run ${run.id} failed: ${(err as Error).message}`);
  }
  return { run, findings };
}

/** Checks the database, and every run or only `runId` (null: no such run), in one read snapshot. */
export function checkDatabase(db: DB, dbFile: string, runId: number | undefined): DbCheck | null {
  db.exec('BEGIN');
  try {
    const runs = runId === undefined ? listRuns(db) : [getRun(db, runId)].filter((r) => r !== undefined);
    if (runId !== undefined && !runs.length) return null;
    return { integrity: integrityCheck(db), runs: runs.map((r) => checkRun(db, dbFile, r)) };
  } finally {
    db.exec('COMMIT');
  }
}
