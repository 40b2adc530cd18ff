/**
 * Makes `import 'simrun'` / `require('simrun')` in a user's model file resolve to the simrun that
 * is running (this package's dist/src/index.js), wherever the file lives and whatever is installed
 * beside it: a model can never load a second copy of simrun.
 *
 * Two halves with very different costs (Node 20 has no in-thread module hooks):
 * - `require('simrun')`: a patch of Module._resolveFilename, free; installed for every JS model.
 * - `import 'simrun'`: an ESM resolve hook through module.register(), which starts Node's loader
 *   hooks thread (~70 ms per process on a 2-core machine, and every later import crosses it);
 *   installed only when a model's files import simrun and it does not already resolve to this one.
 */
import Module, { createRequire, register } from 'node:module';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/index.js when compiled (dist/src/worker/simrun-resolve.js -> dist/src/index.js). */
export const simrunEntry = path.resolve(here, '..', 'index.js');
/** Node's warning code for ESM syntax found in a `.js` file whose package.json has no "type". */
export const TYPELESS_WARNING = 'MODULE_TYPELESS_PACKAGE_JSON';

/**
 * The ESM resolve hook, run on Node's loader thread; `data` is the entry's file URL. Files are
 * loaded on that thread too, so the warning about ESM syntax in a `.js` file under a package.json
 * without "type" is dropped there as in the main thread (model-import.ts): simrun loads it so on purpose.
 */
const HOOK = `
let target;
export function initialize(data) {
  target = data;
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const code = (rest[0] && rest[0].code) || rest[1];
    if (code !== '${TYPELESS_WARNING}') return emit.call(process, warning, ...rest);
  };
}
export async function resolve(specifier, context, next) {
  if (specifier === 'simrun') return { url: target, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
`;

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
let cjsInstalled = false;
let esmInstalled = false;
/** Set while simrunResolvesFrom asks Node's own resolution. */
let bypass = false;

/** `require('simrun')` from any file resolves to this simrun (no cost). */
export function installCjsSimrunResolution(): void {
  if (cjsInstalled) return;
  cjsInstalled = true;
  const cjs = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (request, parent, isMain, options) {
    if (request === 'simrun' && !bypass) return simrunEntry;
    return original.call(this, request, parent, isMain, options);
  };
}

/** `import 'simrun'` from any file resolves to this simrun (starts the loader hooks thread). */
export function installEsmSimrunResolution(): void {
  if (esmInstalled) return;
  esmInstalled = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: pathToFileURL(simrunEntry).href });
}

export function esmSimrunResolutionInstalled(): boolean {
  return esmInstalled;
}

/** Both halves, for files that tsx loads (TS models). */
export function installSimrunResolution(): void {
  installCjsSimrunResolution();
  installEsmSimrunResolution();
}

/** Does `simrun` already resolve, from `file`'s folder, to this simrun (its own repo, or a project that installed it)? */
export function simrunResolvesFrom(file: string): boolean {
  bypass = true;
  try {
    const found = createRequire(file).resolve('simrun');
    return realpathSync(found) === realpathSync(simrunEntry);
  } catch {
    return false;
  } finally {
    bypass = false;
  }
}

/** The error of an import whose graph asks for a `simrun` that Node could not find. */
export function isSimrunNotFound(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package 'simrun'/.test(e.message ?? '');
}
