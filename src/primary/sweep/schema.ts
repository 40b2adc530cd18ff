/**
 * A sweep (simrun sweep, src/primary/sweep/): `kind` grid | reforms | stack | seeds, `spec_json`
 * what was asked for, `baseline_json` the baseline's param overrides, `base_ord` the variant that
 * is the baseline (null for seeds). Each variant is a run of its own, in `ord` order.
 */
export const SWEEP_SCHEMA = `
CREATE TABLE IF NOT EXISTS sweeps (
  id INTEGER PRIMARY KEY, model TEXT NOT NULL, kind TEXT NOT NULL, spec_json TEXT NOT NULL,
  baseline_json TEXT NOT NULL, base_ord INTEGER, variants INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweep_runs (
  sweep_id INTEGER NOT NULL, ord INTEGER NOT NULL, run_id INTEGER NOT NULL UNIQUE, label TEXT NOT NULL,
  changes_json TEXT NOT NULL, PRIMARY KEY (sweep_id, ord));
`;
