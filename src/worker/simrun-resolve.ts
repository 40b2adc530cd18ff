/**
 * Makes `import 'simrun'` / `require('simrun')` in a user's model file resolve to the simrun that
 * is running (this package's dist/src/index.js), wherever the file lives and whatever is installed
 * beside it: a model can never load a second copy of simrun. Installed once per process (primary
 * and each worker) before a model file is imported.
 */
import Module, { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/index.js when compiled (dist/src/worker/simrun-resolve.js -> dist/src/index.js). */
export const simrunEntry = path.resolve(here, '..', 'index.js');

/** The ESM resolve hook, run on Node's loader thread; `data` is the entry's file URL. */
const HOOK = `
let target;
export function initialize(data) { target = data; }
export async function resolve(specifier, context, next) {
  if (specifier === 'simrun') return { url: target, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
`;

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
let installed = false;

export function installSimrunResolution(): void {
  if (installed) return;
  installed = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: pathToFileURL(simrunEntry).href });
  const cjs = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (request, parent, isMain, options) {
    if (request === 'simrun') return simrunEntry;
    return original.call(this, request, parent, isMain, options);
  };
}
