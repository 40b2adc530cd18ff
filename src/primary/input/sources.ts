/**
 * Input specs: what `--input` names (CSV with a header row, JSONL, a folder or glob of files,
 * or range:N) and the listing of a files input. Scanning and reading are in input/.
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { inputError } from '../../errors.js';
import { checkRegularFile, rangeSize } from './checks.js';

export type InputKind = 'range' | 'csv' | 'jsonl' | 'files';

export interface InputSpec {
  kind: InputKind;
  /** As stored in runs.input: range:N, or an absolute path / glob. */
  uri: string;
}

export const GLOB_CHARS = /[*?[\]{}]/;

export function parseInputSpec(input: string): InputSpec {
  const range = /^range:([0-9_]+)$/.exec(input);
  if (range) return { kind: 'range', uri: `range:${rangeSize(input, range[1]!)}` };
  if (input.startsWith('range:')) throw inputError(`bad input '${input}': use range:N with N a whole number, e.g. range:10000`);
  if (GLOB_CHARS.test(input)) return { kind: 'files', uri: path.resolve(input) };
  let st: Stats;
  try {
    st = statSync(input);
  } catch {
    throw inputError(`input not found: ${input} (give a .csv or .jsonl file, a folder, a glob, or range:N)`);
  }
  checkRegularFile(input, st);
  const uri = path.resolve(input);
  if (st.isDirectory()) return { kind: 'files', uri };
  if (/\.csv$/i.test(input)) return { kind: 'csv', uri };
  if (/\.(jsonl|ndjson)$/i.test(input)) return { kind: 'jsonl', uri };
  throw inputError(`cannot tell the format of ${input}: name it .csv or .jsonl, or give a folder, a glob or range:N`);
}

export async function listFiles(uri: string): Promise<{ base: string; files: string[] }> {
  const isGlob = GLOB_CHARS.test(uri);
  const base = isGlob ? process.cwd() : uri;
  const { glob } = await import('tinyglobby');
  const files = await glob(isGlob ? [uri] : ['**/*'], { cwd: base, absolute: true, onlyFiles: true, followSymbolicLinks: false });
  return { base, files: files.sort() };
}
