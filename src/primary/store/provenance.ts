/** A run's provenance as one plain object: what produced these rows, from what, with which settings. */
import type { RunRecord } from './store.js';
import { SIMRUN_VERSION } from '../../version.js';

export interface Provenance {
  run_id: number;
  model: string;
  model_version: string;
  model_ref: string;
  input: string;
  input_fingerprint: string;
  params: unknown;
  param_overrides: unknown;
  seed: number;
  chunk_size: string;
  status: string;
  total: number;
  done: number;
  errors: number;
  active_sec: number;
  created_at: string;
  finished_at: string | null;
  simrun_version: string;
  host: string;
  workers: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function provenance(run: RunRecord): Provenance {
  return {
    run_id: run.id,
    model: run.model,
    model_version: run.model_version,
    model_ref: run.model_ref,
    input: run.input,
    input_fingerprint: run.input_fingerprint,
    params: parseJson(run.params_json),
    param_overrides: parseJson(run.param_overrides_json),
    seed: run.seed,
    chunk_size: run.chunk_size,
    status: run.status,
    total: run.total,
    done: run.done,
    errors: run.errors,
    active_sec: Math.round(run.active_ms) / 1000,
    created_at: run.created_at,
    finished_at: run.finished_at,
    simrun_version: run.simrun_version,
    host: run.host,
    workers: run.workers,
  };
}

/** The sidecar written next to an export: the run's provenance plus what was exported. */
export function exportSidecar(run: RunRecord, e: { file: string; format: string; rows: number; columns: string[] }) {
  return {
    export: { ...e, exported_at: new Date().toISOString(), exported_by: `simrun ${SIMRUN_VERSION}` },
    run: provenance(run),
  };
}
