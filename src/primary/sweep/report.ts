/**
 * `simrun report --db f --sweep N`: the sweep's variants with the totals their model reports
 * (ModelReport.totals, asked per run), as one table (report-table.ts) or an HTML page
 * (report-html.ts). Read-only; every run of the sweep must be finished and its rows whole.
 */
import type { ModelReport, RunTotals } from '../../api/extensions.js';
import { modelError, SimrunError, usageError } from '../../errors.js';
import { loadModel } from '../../worker/model-loader.js';
import { resultsReader, runInfo } from '../store/results-reader.js';
import { checkStoredRows } from '../store/row-count.js';
import type { DB } from '../store/store.js';
import { sweepTable, type VariantTotals } from './report-table.js';
import { getSweep, listSweeps, sweepVariants, type SweepRecord, type SweepVariant } from './sweep-store.js';
import type { Table } from '../../api/extensions.js';

export interface SweepReport {
  sweep: SweepRecord;
  variants: SweepVariant[];
  table: Table;
  /** The names of the model's totals, in order (none when the model reports none). */
  totals: string[];
}

/** The model's report hooks, loaded from where the sweep loaded it; a note on stderr when it cannot be. */
async function modelReport(v: SweepVariant): Promise<ModelReport | undefined> {
  try {
    return (await loadModel(v.run.model_ref)).report;
  } catch (err) {
    process.stderr.write(
      `simrun: note: model ${v.run.model} (${v.run.model_ref}) cannot be loaded: ${(err as Error).message}; the table has no totals of the model\n`,
    );
    return undefined;
  }
}

function askTotals(report: ModelReport | undefined, ask: () => RunTotals | undefined, model: string): RunTotals {
  if (!report?.totals) return { totals: {} };
  try {
    return ask() ?? { totals: {} };
  } catch (err) {
    if (err instanceof SimrunError) throw err;
    throw modelError(`model ${model}: its report totals failed: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/** Loads and checks sweep `id` of the database and builds its table; `nothing` says what a refusal leaves undone. */
export async function buildSweepReport(db: DB, file: string, id: number, nothing: string): Promise<SweepReport> {
  const sweep = getSweep(db, id);
  if (!sweep) {
    const ids = listSweeps(db).map((s) => s.id);
    throw usageError(`--sweep ${id}: no such sweep in ${file} (${ids.length ? `sweeps: ${ids.join(', ')}` : 'it holds no sweep'})`);
  }
  const variants = sweepVariants(db, id);
  for (const v of variants) {
    if (v.run.status !== 'done')
      throw usageError(
        `sweep ${id}: run ${v.run.id} (${v.label}) is ${v.run.status}, not done; finish it first: simrun resume --db ${file} --run ${v.run.id}`,
      );
    checkStoredRows(db, file, v.run, nothing);
  }
  const report = await modelReport(variants[0]!);
  const results = resultsReader(db, file, false);
  const base = sweep.base_ord === null ? undefined : variants.find((v) => v.ord === sweep.base_ord);
  const rows: VariantTotals[] = variants.map((v) => {
    const against = base && v !== base ? runInfo(base.run) : undefined;
    const t = askTotals(report, () => report?.totals?.(results, runInfo(v.run), against), v.run.model);
    return { ord: v.ord, runId: v.run.id, label: v.label, changes: v.changes_json, ...t };
  });
  const table = sweepTable(sweep.kind, sweep.base_ord, rows);
  return { sweep, variants, table, totals: [...new Set(rows.flatMap((r) => Object.keys(r.totals)))] };
}
