/**
 * A fingerprint of a model's code, so that a run never mixes rows of two versions of a model:
 * `resume` refuses a changed model and the primary refuses a worker that loaded other code.
 *
 * What it covers: for a built-in model, every file of its compiled folder (dist/models/<name>);
 * for a model file, that file and the local files it imports or requires with a relative
 * specifier ('./x', '../y'), followed recursively. Packages (bare specifiers) and files a model
 * reads at run time with fs are not covered (docs: a model's data files belong in its params).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ModelFingerprint {
  /** sha256 over the sorted (file, hash) list. */
  hash: string;
  /** Each covered file (relative to the model's folder) and the sha256 of its bytes. */
  files: Record<string, string>;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

/** Resolves a relative specifier as Node and tsx would: exact, extension added, .js for .ts, index. */
function resolveLocal(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = EXTENSIONS.map((e) => base + e);
  if (/\.[mc]?js$/.test(base)) candidates.push(base.replace(/js$/, 'ts'));
  candidates.push(...EXTENSIONS.slice(1).map((e) => path.join(base, 'index' + e)));
  return candidates.find(isFile) ?? null;
}

/** A model file and the local files it imports or requires, followed recursively (entry first). */
export function localModelFiles(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.[mc]?[jt]s$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const dep = resolveLocal(file, m[2]!);
      if (dep) stack.push(dep);
    }
  }
  return [...seen];
}

function listFolder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile() && !d.name.endsWith('.map'))
    .map((d) => path.join(d.parentPath, d.name));
}

/** @param file the model's entry file; @param builtinDir its compiled folder for a built-in model */
export function fingerprintModel(file: string, builtinDir: string | null): ModelFingerprint {
  const files = builtinDir ? listFolder(builtinDir) : localModelFiles(file);
  const root = builtinDir ?? path.dirname(file);
  const entries = files
    .map((f) => [path.relative(root, f).split(path.sep).join('/'), sha256(readFileSync(f))] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { hash: `sha256:${sha256(entries.map(([f, h]) => `${f}\t${h}\n`).join(''))}`, files: Object.fromEntries(entries) };
}

/** The files that differ between two fingerprints, for the message that refuses a resume. */
export function changedFiles(was: Record<string, string>, now: Record<string, string>): string[] {
  const names = new Set([...Object.keys(was), ...Object.keys(now)]);
  return [...names]
    .filter((f) => was[f] !== now[f])
    .sort()
    .map((f) => (!(f in was) ? `${f} (new)` : !(f in now) ? `${f} (gone)` : f));
}
