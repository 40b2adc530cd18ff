/** Finds, imports and validates a model: a built-in name or a .js/.mjs/.ts file path. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { modelError } from './errors.js';
import { changedFiles, fingerprintModel, type ModelFingerprint } from './model-fingerprint.js';
import type { ColumnType, Model } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/models when compiled (dist/src/model-loader.js -> dist/models). */
export const builtinModelsDir = path.resolve(here, '..', 'models');

const COLUMN_TYPES: readonly ColumnType[] = ['real', 'integer', 'text'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['runs', 'errors', 'chunks', 'meta']);

export function builtinModelNames(): string[] {
  if (!existsSync(builtinModelsDir)) return [];
  return readdirSync(builtinModelsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(builtinModelsDir, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
}

function looksLikePath(ref: string): boolean {
  return /[\\/]/.test(ref) || /\.(m?js|ts|mts)$/.test(ref);
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
    throw modelError(`unknown model '${ref}' (built-in models: ${known}; or give a path to a .js/.mjs/.ts file)`);
  }
  return ref;
}

export async function loadModel(modelRef: string): Promise<Model> {
  const file = looksLikePath(modelRef) ? modelRef : path.join(builtinModelsDir, modelRef, 'index.js');
  let mod: { default?: unknown };
  try {
    if (/\.m?ts$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
    } else {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw modelError(`model ${modelRef} failed to load: ${msg}`);
  }
  return validateModel(mod.default, modelRef);
}

export function validateModel(m: unknown, ref: string): Model {
  const fail = (what: string) =>
    modelError(`model ${ref} ${what} (export default defineModel({ name, version, columns, analyze, format }))`);
  if (!m || typeof m !== 'object') throw fail('has no default export');
  const model = m as Partial<Model>;
  if (typeof model.name !== 'string' || !NAME.test(model.name)) throw fail('needs a name of letters, digits and _');
  if (RESERVED.has(model.name.toLowerCase())) throw fail(`uses the reserved name '${model.name}'`);
  if (typeof model.version !== 'string' || !model.version) throw fail('needs a version string');
  if (typeof model.analyze !== 'function' || typeof model.format !== 'function') {
    throw fail('needs analyze() and format() functions');
  }
  const cols = model.columns;
  if (!cols || typeof cols !== 'object' || Object.keys(cols).length === 0) throw fail('needs at least one column');
  for (const [name, type] of Object.entries(cols)) {
    if (!NAME.test(name) || name === 'run_id' || name === 'idx') throw fail(`has a bad column name '${name}'`);
    if (!COLUMN_TYPES.includes(type)) throw fail(`column '${name}' has type '${type}' (use real, integer or text)`);
  }
  if (model.params !== undefined && (typeof model.params !== 'object' || model.params === null)) {
    throw fail('params must be an object of defaults');
  }
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
  const before = fingerprintModel(file, builtinDir);
  const model = await loadModel(modelRef);
  const after = fingerprintModel(file, builtinDir);
  if (after.hash !== before.hash) {
    throw modelError(`model ${modelRef} changed while it loaded (${changedFiles(before.files, after.files).join(', ')}); try again`);
  }
  return { model, fingerprint: before };
}
