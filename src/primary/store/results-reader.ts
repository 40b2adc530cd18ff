/**
 * The read-only view of a results database that report sections and model commands get
 * (ResultsReader of the public API), and the checks for comparing two runs.
 */
import type { ResultsReader, RunInfo, Table } from '../../api/extensions.js';
import { usageError } from '../../errors.js';
import { getRun, openStore, quoteIdent, type DB, type RunRecord } from './store.js';

export function runInfo(r: RunRecord): RunInfo {
  return {
    id: r.id,
    model: r.model,
    modelVersion: r.model_version,
    status: r.status,
    total: r.total,
    done: r.done,
    errors: r.errors,
    input: r.input,
    inputFingerprint: r.input_fingerprint,
    params: JSON.parse(r.params_json) as RunInfo['params'],
  };
}

/** A ResultsReader over an open database; `close()` closes it only when `owned`. */
export function resultsReader(db: DB, file: string, owned: boolean): ResultsReader {
  return {
    file,
    run(id) {
      const r = getRun(db, id);
      return r && runInfo(r);
    },
    query(sql: string, params?: Record<string, unknown> | unknown[]): Table {
      const stmt = db.prepare(sql);
      if (!stmt.reader) throw usageError(`a report query must read, not write: ${sql.trim().split('\n')[0]}`);
      const bound = params === undefined ? [] : [params];
      return { columns: stmt.columns().map((c) => c.name), rows: stmt.raw().all(...bound) as unknown[][] };
    },
    close() {
      if (owned && db.open) db.close();
    },
  };
}

export function openResults(file: string): ResultsReader {
  return resultsReader(openStore(file, { readonly: true }), file, true);
}

/** Loads a run for `flag`, a usage error when there is none. */
export function requireRun(results: ResultsReader, id: number, flag: string): RunInfo {
  const run = results.run(id);
  if (!run) throw usageError(`${flag} ${id}: no such run in ${results.file} (see: simrun status --db ${results.file})`);
  return run;
}

/**
 * Refuses (exit 2) two runs that are not finished runs of one model over the same input, and
 * notes on stderr the items that are in only one of them (item errors).
 */
export function checkComparable(
  results: ResultsReader,
  baseId: number,
  reformId: number,
  flags: [string, string],
  model?: string,
): { base: RunInfo; reform: RunInfo } {
  const base = requireRun(results, baseId, flags[0]);
  const reform = requireRun(results, reformId, flags[1]);
  for (const [r, flag] of [
    [base, flags[0]],
    [reform, flags[1]],
  ] as const) {
    if (model !== undefined && r.model !== model) throw usageError(`${flag} ${r.id} is a run of model ${r.model}, not of ${model}`);
  }
  if (base.model !== reform.model)
    throw usageError(
      `runs ${base.id} and ${reform.id} are runs of different models (${base.model} vs ${reform.model}); compare two runs of one model`,
    );
  if (base.inputFingerprint !== reform.inputFingerprint) {
    throw usageError(
      `runs ${base.id} and ${reform.id} are over different inputs (${base.input} vs ${reform.input}); a comparison needs the same items`,
    );
  }
  for (const r of [base, reform]) {
    if (r.status !== 'done')
      throw usageError(`run ${r.id} is ${r.status}, not done; finish it first: simrun resume --db ${results.file} --run ${r.id}`);
  }
  const t = quoteIdent(base.model);
  const count = (sql: string, ...ids: number[]) => Number(results.query(sql, ids).rows[0]?.[0] ?? 0);
  const both = count(`SELECT COUNT(*) FROM ${t} b JOIN ${t} r ON r.run_id = ? AND r.idx = b.idx WHERE b.run_id = ?`, reform.id, base.id);
  const n = {
    base: count(`SELECT COUNT(*) FROM ${t} WHERE run_id = ?`, base.id),
    reform: count(`SELECT COUNT(*) FROM ${t} WHERE run_id = ?`, reform.id),
  };
  if (both < Math.max(n.base, n.reform)) {
    process.stderr.write(
      `simrun: note: ${both} items are in both runs (base ${n.base}, reform ${n.reform}); the others had item errors and are left out\n`,
    );
  }
  return { base, reform };
}

export function openComparison(
  file: string,
  baseId: number,
  reformId: number,
  flags: [string, string],
  model?: string,
): { results: ResultsReader; base: RunInfo; reform: RunInfo } {
  const results = openResults(file);
  try {
    return { results, ...checkComparable(results, baseId, reformId, flags, model) };
  } catch (err) {
    results.close();
    throw err;
  }
}
