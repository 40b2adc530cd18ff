/** Finds, imports and validates a model: a built-in name or a .js/.mjs/.cjs/.ts file path. */
import cluster from 'node:cluster';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModelError, modelError } from '../errors.js';
import { changedFiles, fingerprintModel, type ModelFingerprint } from './model-fingerprint.js';
import type { ColumnType, Model } from '../api/model.js';
import { importModelFile, modelFileLoader } from './model-import.js';
import { extensionsDeclarationError } from './model-extensions.js';
import { fingerprintForeign, withInterpreter } from './foreign/fingerprint.js';
import { foreignHandle, importForeignModel } from './foreign/load.js';
import { foreignLanguage } from './foreign/spec.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/models when compiled (dist/src/worker/model-loader.js -> dist/models). */
export const builtinModelsDir = path.resolve(here, '..', '..', 'models');

const COLUMN_TYPES: readonly ColumnType[] = ['real', 'integer', 'text'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** simrun's own tables and index (SQLite names are case-insensitive and share one namespace). */
const RESERVED = new Set(['runs', 'errors', 'chunks', 'meta', 'shards', 'chunks_run', 'sweeps', 'sweep_runs']);
/** Every results table gets a view `v_<name>`; SQLite keeps `sqlite_` names for itself. */
const RESERVED_PREFIXES = ['sqlite_', 'v_'];
const RESERVED_COLUMNS = new Set(['run_id', 'idx']);
/** SQLite's default SQLITE_MAX_COLUMN, which better-sqlite3 builds with; run_id and idx count. */
export const SQLITE_MAX_COLUMNS = 2000;
const MAX_MODEL_COLUMNS = SQLITE_MAX_COLUMNS - RESERVED_COLUMNS.size;

export function builtinModelNames(): string[] {
  if (!existsSync(builtinModelsDir)) return [];
  return readdirSync(builtinModelsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(builtinModelsDir, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
}

/** A model reference that names a file (has a / or the extension of a model file kind), not a built-in model. */
export function looksLikePath(ref: string): boolean {
  return /[\\/]/.test(ref) || modelFileLoader(ref) !== undefined || foreignLanguage(ref) !== undefined;
}

/** Canonical reference stored with the run: built-in name, or absolute file path. */
export function resolveModelRef(ref: string): string {
  if (looksLikePath(ref)) {
    const abs = path.resolve(ref);
    if (!existsSync(abs)) throw modelError(`model file not found: ${ref}`);
    return abs;
  }
  if (!builtinModelNames().includes(ref)) {
    const known = builtinModelNames().join(', ') || 'none';
    throw modelError(
      `unknown model '${ref}' (built-in models: ${known}; or give a path to a .js/.mjs/.cjs/.ts, .py, .R or model .json file)`,
    );
  }
  return ref;
}

/**
 * How long importing a model module may take (its top-level code, e.g. an `await` that never
 * settles) before simrun gives up with one line: SIMRUN_MODEL_LOAD_TIMEOUT_MS, default 60 s, in
 * the primary and in the workers; SIMRUN_WORKER_MODEL_LOAD_TIMEOUT_MS, when set, in the workers
 * instead (a limit for the workers alone, so a short one cannot also cut the primary's load short).
 * `setup()` is not included: it runs after loading, once per worker.
 */
export const MODEL_LOAD_TIMEOUT_MS = 60_000;
/** The code of the load-timeout error, also when it comes back from a worker. */
export const E_MODEL_LOAD_TIMEOUT = 'E_MODEL_LOAD_TIMEOUT';

function loadTimeout(): { ms: number; variable: string } {
  const worker = cluster.isWorker ? process.env.SIMRUN_WORKER_MODEL_LOAD_TIMEOUT_MS : undefined;
  const variable = worker ? 'SIMRUN_WORKER_MODEL_LOAD_TIMEOUT_MS' : 'SIMRUN_MODEL_LOAD_TIMEOUT_MS';
  const raw = worker || process.env.SIMRUN_MODEL_LOAD_TIMEOUT_MS;
  const n = raw === undefined || raw === '' ? MODEL_LOAD_TIMEOUT_MS : Number(raw);
  return { ms: Number.isFinite(n) && n > 0 ? n : MODEL_LOAD_TIMEOUT_MS, variable };
}

export function modelLoadTimeoutMessage(modelRef: string, ms: number, where: string, variable = 'SIMRUN_MODEL_LOAD_TIMEOUT_MS'): string {
  return (
    `model ${modelRef} did not finish loading within ${ms / 1000} s${where} (${foreignLanguage(modelRef) ? 'top-level code that never ends?' : 'a top-level await that never settles?'}); ` +
    `fix the model, or allow more time with ${variable}`
  );
}

/** Rejects when `p` has not settled within the load time limit; the timer never keeps the process alive after. */
function withLoadTimeout<T>(p: Promise<T>, modelRef: string): Promise<T> {
  const { ms, variable } = loadTimeout();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ModelError(modelLoadTimeoutMessage(modelRef, ms, cluster.isWorker ? ' in a worker' : '', variable), {
            code: E_MODEL_LOAD_TIMEOUT,
          }),
        ),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Built-in models are plain ESM; a user's file is imported by its kind (model-import.ts), a .py/.R/.json one runs in a process of its own (foreign/). */
async function importModule(file: string, builtin: boolean): Promise<unknown> {
  if (builtin) return import(pathToFileURL(file).href);
  return foreignLanguage(file) ? importForeignModel(file) : importModelFile(file);
}

/**
 * The model object out of a module namespace. CJS compiled or written files arrive as
 * `{ default: module.exports }`, so `export default m` in CJS becomes `{ default: { default: m } }`
 * and `module.exports = m` becomes `{ default: m }`; a `__esModule` flag may sit in between.
 */
export function unwrapDefault(mod: unknown): unknown {
  let m = (mod as { default?: unknown } | null)?.default;
  for (let i = 0; i < 2 && m && typeof m === 'object' && !('name' in m) && 'default' in m; i++) {
    m = (m as { default?: unknown }).default;
  }
  return m;
}

export async function loadModel(modelRef: string): Promise<Model> {
  const { file, builtinDir } = modelFiles(modelRef);
  let mod: unknown;
  try {
    mod = await withLoadTimeout(importModule(file, builtinDir !== null), modelRef);
  } catch (err) {
    if ((err as { code?: string }).code === E_MODEL_LOAD_TIMEOUT) throw err;
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw modelError(`model ${modelRef} failed to load: ${msg}`, err);
  }
  return validateModel(unwrapDefault(mod), modelRef);
}

export function validateModel(m: unknown, ref: string): Model {
  const shape = foreignLanguage(ref)
    ? 'declare name, version, columns and analyze; see docs/models.md'
    : 'export default defineModel({ name, version, columns, analyze, format })';
  const fail = (what: string) => modelError(`model ${ref} ${what} (${shape})`);
  if (!m || typeof m !== 'object') throw fail('has no default export');
  const model = m as Partial<Model>;
  if (typeof model.name !== 'string' || !NAME.test(model.name)) throw fail('needs a name of letters, digits and _');
  const lower = model.name.toLowerCase();
  if (RESERVED.has(lower))
    throw fail(`uses the name '${model.name}', which is one of simrun's own tables (${[...RESERVED].join(', ')}); rename the model`);
  const prefix = RESERVED_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix)
    throw fail(
      `has the name '${model.name}': names starting with '${prefix}' are reserved (${prefix === 'v_' ? "simrun's views v_<model>" : 'SQLite'}); rename the model`,
    );
  if (typeof model.version !== 'string' || !model.version) throw fail('needs a version string');
  if (typeof model.analyze !== 'function' || typeof model.format !== 'function') {
    throw fail('needs analyze() and format() functions');
  }
  const cols = model.columns;
  if (!cols || typeof cols !== 'object' || Object.keys(cols).length === 0) throw fail('needs at least one column');
  const names = Object.keys(cols);
  if (names.length > MAX_MODEL_COLUMNS) {
    throw fail(
      `declares ${names.length} columns; SQLite allows ${SQLITE_MAX_COLUMNS} per table including run_id and idx, so at most ${MAX_MODEL_COLUMNS}`,
    );
  }
  const seen = new Map<string, string>();
  for (const [name, type] of Object.entries(cols)) {
    if (!NAME.test(name)) throw fail(`has a bad column name '${name}' (letters, digits and _, not starting with a digit)`);
    if (RESERVED_COLUMNS.has(name.toLowerCase()))
      throw fail(`has a column '${name}', a name simrun uses itself (run_id, idx; in any case)`);
    const twin = seen.get(name.toLowerCase());
    if (twin !== undefined) throw fail(`has columns '${twin}' and '${name}', which differ only in case (SQLite names ignore case)`);
    seen.set(name.toLowerCase(), name);
    if (!COLUMN_TYPES.includes(type)) throw fail(`column '${name}' has type '${type}' (use real, integer or text)`);
  }
  if (model.params !== undefined && (typeof model.params !== 'object' || model.params === null)) {
    throw fail('params must be an object of defaults');
  }
  const extension = extensionsDeclarationError(model);
  if (extension) throw fail(extension);
  return model as Model;
}

export function modelColumns(model: Model): [string, ColumnType][] {
  return Object.entries(model.columns);
}

export interface LoadedModel {
  model: Model;
  fingerprint: ModelFingerprint;
}

/** The entry file of a model reference, and its compiled folder when it is a built-in model. */
function modelFiles(modelRef: string): { file: string; builtinDir: string | null } {
  if (looksLikePath(modelRef)) return { file: modelRef, builtinDir: null };
  const dir = path.join(builtinModelsDir, modelRef);
  return { file: path.join(dir, 'index.js'), builtinDir: dir };
}

/**
 * Loads a model and fingerprints the code it was loaded from (read before and after the
 * import: a file edited while it loads cannot pass for the code that ran).
 */
export async function loadFingerprintedModel(modelRef: string): Promise<LoadedModel> {
  const { file, builtinDir } = modelFiles(modelRef);
  const foreign = !builtinDir && foreignLanguage(file) !== undefined;
  const fingerprint = () => (foreign ? fingerprintForeign(file) : fingerprintModel(file, builtinDir));
  const before = fingerprint();
  const model = await loadModel(modelRef);
  const after = fingerprint();
  if (after.hash !== before.hash) {
    throw modelError(`model ${modelRef} changed while it loaded (${changedFiles(before.files, after.files).join(', ')}); try again`);
  }
  const h = foreignHandle(model);
  return { model, fingerprint: h ? withInterpreter(before, h.proc.spec.command, h.interpreter) : before };
}
