/**
 * Checks a sweep's variants against the model before anything runs: each grid value against
 * the type of the param it sets, the size of the sweep (variants, rows, free disk), then every
 * variant's effective params (the model's validateParams too). A refusal names the variant.
 */
import { statfsSync } from 'node:fs';
import path from 'node:path';
import type { Model } from '../../api/model.js';
import { usageError } from '../../errors.js';
import { resolveParams, type ResolvedParams } from '../run/params.js';
import { expandGrid, HARD_MAX_VARIANTS, MAX_VARIANTS, variantCount, type SweepPlan } from './variants.js';

const n = (x: number) => x.toLocaleString('en-US');
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/^bad params for model \S+: /, '');

/** Each grid value on its own, against the type of the param it sets (validateParams comes per variant). */
function checkGridTypes(model: Model, plan: SweepPlan): void {
  const typesOnly: Model = { ...model, validateParams: undefined };
  for (const [key, values] of plan.grid) {
    for (const value of values) {
      try {
        resolveParams(typesOnly, plan.baseline, [[key, value]]);
      } catch (err) {
        throw usageError(`--grid ${key}=${JSON.stringify(value)}: ${reason(err)}`, err);
      }
    }
  }
}

/** Bytes a result row takes in SQLite, roughly: 9 per column, the key and the b-tree's share. */
const rowBytes = (columns: number) => 9 * columns + 24;

/**
 * Refuses (unless --yes) a sweep of more than MAX_VARIANTS variants or whose rows would not fit
 * on the database's disk; never more than HARD_MAX_VARIANTS.
 */
function checkSize(plan: SweepPlan, items: number, columns: number, dbFile: string, yes: boolean): void {
  const k = variantCount(plan);
  const grid = plan.grid.length ? ` (the baseline + ${plan.grid.map(([key, v]) => `${v.length} ${key}`).join(' x ')})` : '';
  if (k > HARD_MAX_VARIANTS) throw usageError(`the sweep has ${n(k)} variants${grid}; simrun runs at most ${n(HARD_MAX_VARIANTS)}`);
  if (k > MAX_VARIANTS && !yes)
    throw usageError(`the sweep has ${n(k)} variants${grid}, over ${n(MAX_VARIANTS)}: ${n(k * items)} rows; run it anyway with --yes`);
  const bytes = k * items * rowBytes(columns);
  let free = Infinity;
  try {
    const fs = statfsSync(path.dirname(path.resolve(dbFile)));
    free = fs.bavail * fs.bsize;
  } catch {
    // the folder does not exist yet (created with the database): nothing to measure
  }
  if (bytes > free && !yes)
    throw usageError(
      `the sweep writes ${n(k * items)} rows (${n(k)} variants x ${n(items)} items), about ${(bytes / 1e9).toFixed(1)} GB, ` +
        `more than the ${(free / 1e9).toFixed(1)} GB free beside ${dbFile}; run it anyway with --yes`,
    );
}

export interface ResolvedSweep {
  plan: SweepPlan;
  params: ResolvedParams[];
}

/** The sweep's variants with their effective params, every one checked; nothing is written. */
export function resolveSweep(model: Model, plan: SweepPlan, o: { items: number; db: string; yes: boolean; seed: number }): ResolvedSweep {
  checkGridTypes(model, plan);
  checkSize(plan, o.items, Object.keys(model.columns).length, o.db, o.yes);
  const full = expandGrid(plan, o.seed);
  const params = full.variants.map((v, k) => {
    try {
      return resolveParams(model, v.overrides, []);
    } catch (err) {
      throw usageError(`sweep variant ${k} (${v.label}): ${reason(err)}; nothing was run`, err);
    }
  });
  return { plan: full, params };
}
