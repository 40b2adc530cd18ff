/**
 * The code fingerprint of a foreign model (model-fingerprint.ts has the JavaScript one): the
 * model file, the local files it imports (Python: `import x` / `from x import y` where x.py or
 * x/__init__.py is beside it; R: `source("x.R")`), a manifest's declared `files`, simrun's runtime
 * files for the language (named `simrun:runtimes/...`), and, once the process has described
 * itself, its interpreter and version (`interpreter:<command>`). Followed recursively.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelFingerprint } from '../model-fingerprint.js';
import { foreignSpec, runtimesDir } from './spec.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

const PY_IMPORT = /^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.,\s]+))/gm;
const R_SOURCE = /\bsource\s*\(\s*(['"])([^'"]+)\1/g;

function pythonImports(file: string, text: string): string[] {
  const dir = path.dirname(file);
  const names: string[] = [];
  for (const m of text.matchAll(PY_IMPORT)) {
    if (m[1]) names.push(m[1]);
    else for (const n of m[2]!.split(',')) names.push(n.trim().split(/\s+/)[0]!);
  }
  const found: string[] = [];
  for (const name of names) {
    const parts = name.split('.').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const base = path.join(dir, ...parts.slice(0, i));
      for (const f of [`${base}.py`, path.join(base, '__init__.py')]) if (isFile(f)) found.push(f);
    }
  }
  return found;
}

function localFiles(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const ext = path.extname(file).toLowerCase();
    if (ext !== '.py' && ext !== '.r') continue;
    const text = readFileSync(file, 'utf8');
    if (ext === '.py') stack.push(...pythonImports(file, text));
    else
      for (const m of text.matchAll(R_SOURCE)) {
        const f = path.resolve(path.dirname(file), m[2]!);
        if (isFile(f)) stack.push(f);
      }
  }
  return [...seen];
}

export function hashEntries(entries: [string, string][]): string {
  entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return `sha256:${sha256(entries.map(([f, h]) => `${f}\t${h}\n`).join(''))}`;
}

/** The fingerprint of a foreign model's files (no interpreter yet: see withInterpreter). */
export function fingerprintForeign(file: string): ModelFingerprint {
  const spec = foreignSpec(file);
  const root = path.dirname(file);
  const own = spec.language === 'program' ? [file, ...spec.declaredFiles] : localFiles(file);
  const entries: [string, string][] = [...new Set(own)].map((f) => [
    path.relative(root, f).split(path.sep).join('/'),
    sha256(readFileSync(f)),
  ]);
  for (const f of spec.runtimeFiles)
    entries.push([`simrun:runtimes/${path.relative(runtimesDir, f).split(path.sep).join('/')}`, sha256(readFileSync(f))]);
  return { hash: hashEntries(entries), files: Object.fromEntries(entries) };
}

/** Adds the interpreter the model process runs on (e.g. "CPython 3.11.2", kept as is) to a fingerprint. */
export function withInterpreter(fp: ModelFingerprint, command: string, interpreter: string): ModelFingerprint {
  if (!interpreter) return fp;
  const entries = Object.entries({ ...fp.files, [`interpreter:${path.basename(command)}`]: interpreter });
  const hash = hashEntries(entries); // sorts entries
  return { hash, files: Object.fromEntries(entries) };
}
