/**
 * `import ... from 'simrun'` in a one-file ESM model where Node cannot find simrun (a model
 * written outside any project, simrun installed globally), without the loader hooks thread
 * that module.register() starts (Node 20 has no in-thread hooks): ~100 ms of wall time in the
 * primary and in every worker, measured on `run model.mjs --input range:10 --workers 2`.
 *
 * The file's text is imported as a data: URL with each specifier made absolute ('simrun' ->
 * this simrun's entry), and a sourceURL comment names the file in stack traces. Only where that
 * is exactly the file as Node would load it: ESM syntax, no `import.meta` (its url would be the
 * data: URL), and every import a string naming 'simrun' or a Node built-in (a data: module cannot
 * resolve relative or package specifiers, and another file of the model would load simrun
 * through Node's resolution again). Anything else returns null and goes through the hook.
 */
import { isBuiltin } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { init, parse } from 'es-module-lexer';

/** es-module-lexer's `d` for an `import.meta` (-1: a static import; >= 0: a dynamic import()). */
const IMPORT_META = -2;

/** The file's source with its specifiers rewritten, or null when the file is not eligible. */
export async function rewriteSimrunImports(file: string, simrunUrl: string): Promise<string | null> {
  const text = readFileSync(file, 'utf8');
  await init;
  let imports: ReturnType<typeof parse>[0];
  let hasModuleSyntax: boolean;
  try {
    [imports, , , hasModuleSyntax] = parse(text, file);
  } catch {
    return null; // Node's own import gives the syntax error its usual message
  }
  if (!hasModuleSyntax) return null;
  let out = '';
  let at = 0;
  for (const i of imports) {
    if (i.d === IMPORT_META || i.n === undefined) return null;
    if (i.n !== 'simrun' && !isBuiltin(i.n)) return null;
    if (i.n !== 'simrun') continue;
    // A static import's range is the specifier inside its quotes; a dynamic import's includes them.
    const [s, e] = i.d === -1 ? [i.s - 1, i.e + 1] : [i.s, i.e];
    out += text.slice(at, s) + JSON.stringify(simrunUrl);
    at = e;
  }
  return `${out}${text.slice(at)}\n//# sourceURL=${pathToFileURL(file).href}\n`;
}

/** The module namespace of `file` loaded from its rewritten text, or null when it is not eligible. */
export async function importWithoutHooks(file: string, simrunUrl: string): Promise<unknown> {
  const source = await rewriteSimrunImports(file, simrunUrl);
  if (source === null) return null;
  return import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}
