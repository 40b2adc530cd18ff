/**
 * Imports a model file by its kind: one loader per file extension (MODEL_FILE_LOADERS). What a
 * loader costs is start-up time of the primary and of every worker, so each kind pays only for
 * what it needs:
 * - `.ts` `.mts` `.cts`: tsx (its ESM hooks and esbuild: ~300 ms per process), with `simrun`
 *   resolved to this simrun.
 * - `.js` `.mjs` `.cjs`: Node's own import. `require('simrun')` is resolved for free; `import
 *   'simrun'`, where it does not already resolve to this simrun from the model's folder, is
 *   rewritten in a one-file model (esm-without-hooks.ts, free) and otherwise needs an ESM hook
 *   (~70 ms of CPU per process), installed only when the model's files import simrun.
 * Built-in models are plain ESM in dist/models and are imported directly (model-loader.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { localModelFiles } from './model-fingerprint.js';
import { importWithoutHooks } from './esm-without-hooks.js';
import {
  esmSimrunResolutionInstalled,
  installCjsSimrunResolution,
  installEsmSimrunResolution,
  installSimrunResolution,
  isSimrunNotFound,
  simrunEntry,
  simrunResolvesFrom,
  TYPELESS_WARNING,
} from './simrun-resolve.js';

type Loader = (file: string) => Promise<unknown>;

/** TypeScript (and anything else tsx understands) through tsx's namespaced import. */
async function importThroughTsx(file: string): Promise<unknown> {
  installSimrunResolution();
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(file).href, import.meta.url);
}

/** An ESM `import ... from 'simrun'`, `import 'simrun'` or `import('simrun')` in a source text. */
const ESM_SIMRUN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])simrun\1/;

function importsSimrunAsEsm(entry: string): boolean {
  return localModelFiles(entry).some((f) => /\.[mc]?js$/.test(f) && ESM_SIMRUN.test(readFileSync(f, 'utf8')));
}

/**
 * Node's import, without the warning Node prints (in every process) for ESM syntax in a `.js`
 * file whose package.json has no "type": simrun loads such a file as ESM on purpose.
 */
async function importQuietly(file: string): Promise<unknown> {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning: string | Error, ...rest: unknown[]) {
    const code = (rest[0] as { code?: string } | undefined)?.code ?? rest[1];
    if (code === TYPELESS_WARNING) return;
    return (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    process.emitWarning = emitWarning;
  }
}

async function importJavaScript(file: string): Promise<unknown> {
  installCjsSimrunResolution();
  if (!simrunResolvesFrom(file) && importsSimrunAsEsm(file)) {
    const ns = await importWithoutHooks(file, pathToFileURL(simrunEntry).href);
    if (ns !== null) return ns;
    installEsmSimrunResolution();
  }
  try {
    return await importQuietly(file);
  } catch (err) {
    // simrun imported in a way the scan did not see (e.g. a computed import path): Node has
    // cached the failed graph, so load it afresh through tsx's namespaced import, hook installed.
    if (!isSimrunNotFound(err) || esmSimrunResolutionInstalled()) throw err;
    return importThroughTsx(file);
  }
}

/** How each kind of model file is imported, by extension (lower case, with the dot). */
export const MODEL_FILE_LOADERS: Readonly<Record<string, Loader>> = {
  '.js': importJavaScript,
  '.mjs': importJavaScript,
  '.cjs': importJavaScript,
  '.ts': importThroughTsx,
  '.mts': importThroughTsx,
  '.cts': importThroughTsx,
};

export function modelFileLoader(file: string): Loader | undefined {
  return MODEL_FILE_LOADERS[path.extname(file).toLowerCase()];
}

/** The module namespace of a model file, by its extension (any other file: through tsx, which reads most). */
export function importModelFile(file: string): Promise<unknown> {
  return (modelFileLoader(file) ?? importThroughTsx)(file);
}
