/** The `sweeps` and `sweep_runs` tables (schema: store.ts, migration 3): a sweep and its variants' runs. */
import type { DB, RunRecord } from '../store/store.js';
import type { SweepKind } from './variants.js';

export interface SweepRecord {
  id: number;
  model: string;
  kind: SweepKind;
  spec_json: string;
  baseline_json: string;
  base_ord: number | null;
  variants: number;
  created_at: string;
}

export interface SweepVariant {
  ord: number;
  label: string;
  /** What the variant sets on top of the baseline, as JSON. */
  changes_json: string;
  run: RunRecord;
}

const hasSweeps = (db: DB) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweeps'`).get() !== undefined;

export function createSweep(db: DB, s: Omit<SweepRecord, 'id'>): number {
  const info = db
    .prepare(
      `INSERT INTO sweeps (model, kind, spec_json, baseline_json, base_ord, variants, created_at) ` +
        `VALUES (@model, @kind, @spec_json, @baseline_json, @base_ord, @variants, @created_at)`,
    )
    .run(s);
  return Number(info.lastInsertRowid);
}

export function linkRun(db: DB, sweepId: number, ord: number, runId: number, label: string, changesJson: string): void {
  db.prepare(`INSERT INTO sweep_runs (sweep_id, ord, run_id, label, changes_json) VALUES (?, ?, ?, ?, ?)`).run(
    sweepId,
    ord,
    runId,
    label,
    changesJson,
  );
}

export function getSweep(db: DB, id: number): SweepRecord | undefined {
  return hasSweeps(db) ? (db.prepare(`SELECT * FROM sweeps WHERE id = ?`).get(id) as SweepRecord | undefined) : undefined;
}

export function listSweeps(db: DB): SweepRecord[] {
  return hasSweeps(db) ? (db.prepare(`SELECT * FROM sweeps ORDER BY id`).all() as SweepRecord[]) : [];
}

/** The sweep a run is a variant of, if any (a database before sweeps has none). */
export function sweepOfRun(db: DB, runId: number): number | null {
  if (!hasSweeps(db)) return null;
  return (db.prepare(`SELECT sweep_id FROM sweep_runs WHERE run_id = ?`).pluck().get(runId) as number | undefined) ?? null;
}

/** The sweep's variants in order, each with its run. */
export function sweepVariants(db: DB, sweepId: number): SweepVariant[] {
  const rows = db
    .prepare(
      `SELECT v.ord, v.label, v.changes_json, r.* FROM sweep_runs v JOIN runs r ON r.id = v.run_id WHERE v.sweep_id = ? ORDER BY v.ord`,
    )
    .all(sweepId) as (RunRecord & { ord: number; label: string; changes_json: string })[];
  return rows.map(({ ord, label, changes_json, ...run }) => ({ ord, label, changes_json, run: run as RunRecord }));
}

export interface Membership {
  sweep: number;
  variant: number;
  label: string;
}

/** Every run that is a sweep's variant: its sweep, order and label (`simrun status`). */
export function sweepMembership(db: DB): Map<number, Membership> {
  if (!hasSweeps(db)) return new Map();
  const rows = db.prepare(`SELECT run_id, sweep_id, ord, label FROM sweep_runs`).all() as {
    run_id: number;
    sweep_id: number;
    ord: number;
    label: string;
  }[];
  return new Map(rows.map((r) => [r.run_id, { sweep: r.sweep_id, variant: r.ord, label: r.label }]));
}
