/**
 * Which model files run in a process of their own (a foreign model) and how each is started:
 * `.py` with python3 and simrun's Python runtime, `.R` with Rscript and simrun's R runtime, and
 * a `.json` manifest naming any program that speaks the protocol (docs/protocol.md). The
 * runtimes are plain files shipped in the package's `runtimes/` folder, found from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelError } from '../../errors.js';
import type { ColumnType, Params } from '../../api/model.js';

/** The package's runtimes folder (dist/src/worker/foreign -> runtimes). */
export const runtimesDir = fileURLToPath(new URL('../../../../runtimes/', import.meta.url));

export type ForeignLanguage = 'python' | 'r' | 'program';

/** A declaration taken from a manifest (a program's own `describe` may leave it out). */
export interface ManifestDeclaration {
  name: string;
  version: string;
  columns: Record<string, ColumnType>;
  params?: Params;
}

export interface ForeignSpec {
  language: ForeignLanguage;
  /** The model file (`.py`, `.R`) or the manifest. */
  file: string;
  /** Program and arguments, and its working directory (simrun's own; a manifest's folder). */
  command: string;
  args: string[];
  cwd: string;
  /** Files of simrun's runtime, fingerprinted with the model (absolute). */
  runtimeFiles: string[];
  /** A manifest's own files (absolute), fingerprinted with it. */
  declaredFiles: string[];
  declaration: ManifestDeclaration | null;
}

const EXTENSIONS: Record<string, ForeignLanguage> = { '.py': 'python', '.r': 'r', '.json': 'program' };

export function foreignLanguage(file: string): ForeignLanguage | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

/** The interpreter for a language: SIMRUN_PYTHON / SIMRUN_RSCRIPT, else python3 / Rscript on PATH. */
export function interpreter(language: 'python' | 'r'): string {
  const env = language === 'python' ? process.env.SIMRUN_PYTHON : process.env.SIMRUN_RSCRIPT;
  return env || (language === 'python' ? 'python3' : 'Rscript');
}

const PY_RUNTIME = ['python/simrun_runtime.py', 'python/simrun.py', 'python/simrun_wire.py'];
const R_RUNTIME = ['r/simrun_runtime.R', 'r/simrun_json.R', 'r/simrun_random.R'];

export function foreignSpec(file: string): ForeignSpec {
  const language = foreignLanguage(file);
  if (language === 'python' || language === 'r') {
    const runtimeFiles = (language === 'python' ? PY_RUNTIME : R_RUNTIME).map((f) => path.join(runtimesDir, f));
    return {
      language,
      file,
      command: interpreter(language),
      args: [runtimeFiles[0]!, file],
      // simrun's own working directory, as for a JavaScript model: a relative path in --param means the same.
      // The model's folder is on Python's import path; R sources the model file from its folder.
      cwd: process.cwd(),
      runtimeFiles,
      declaredFiles: [],
      declaration: null,
    };
  }
  if (language === 'program') return manifestSpec(file);
  throw modelError(`model ${file} is not a Python (.py), R (.R) or manifest (.json) file`);
}

/** A `model.json` manifest: { name, version, columns, params?, command: [program, ...args], files? }. */
function manifestSpec(file: string): ForeignSpec {
  const fail = (why: string) => modelError(`model manifest ${file} ${why}`);
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw fail(`is not valid JSON: ${(err as Error).message}`);
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw fail('must be a JSON object');
  const command = m.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string'))
    throw fail('needs "command": the program and its arguments, e.g. ["julia", "model.jl"]');
  const files = m.files ?? [];
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw fail('has "files" that is not a list of paths');
  const cwd = path.dirname(file);
  const declaredFiles = (files as string[]).map((f) => path.resolve(cwd, f));
  const missing = declaredFiles.find((f) => !existsSync(f));
  if (missing) throw fail(`declares a file that does not exist: ${path.relative(cwd, missing)}`);
  const [program, ...args] = command as string[];
  // A program given as a relative path (./model.sh) is the manifest folder's.
  const resolved = program!.includes('/') ? path.resolve(cwd, program!) : program!;
  return {
    language: 'program',
    file,
    command: resolved,
    args,
    cwd,
    runtimeFiles: [],
    declaredFiles,
    declaration: {
      name: m.name as string,
      version: m.version as string,
      columns: m.columns as Record<string, ColumnType>,
      params: m.params as Params | undefined,
    },
  };
}
