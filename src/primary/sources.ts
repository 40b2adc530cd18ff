/**
 * Input sources, all streamed: CSV with a header row, JSONL, a folder or glob of files, and
 * range:N. `scanInput` reads the whole input once before any work (validating every record,
 * counting items, fingerprinting content) so that bad input fails before the database is
 * touched; `openSource` then streams the items in index order.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import split2 from 'split2';
import { glob } from 'tinyglobby';
import { inputError } from '../errors.js';
import { csvCount, csvReader } from './csv-records.js';
import { checkRegularFile, rangeSize } from './input-checks.js';
import { objectReader, type ReadBatch } from './object-reader.js';

export type InputKind = 'range' | 'csv' | 'jsonl' | 'files';

export interface InputSpec {
  kind: InputKind;
  /** As stored in runs.input: range:N, or an absolute path / glob. */
  uri: string;
}

export interface ScanResult {
  total: number;
  fingerprint: string;
}

export interface Source {
  read: ReadBatch;
  close(): void;
  /** CSV: the header. Items are then arrays of field values that workers zip into objects. */
  fields: string[] | null;
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

function fileStream(file: string): Readable {
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/** Values of a JSONL stream, one per non-blank line. */
function jsonlRecords(raw: Readable, file: string): Readable {
  const records = raw.pipe(jsonlLines(file));
  raw.on('error', (err) => records.destroy(err));
  return records;
}

/** JSONL: one JSON value per line; blank lines are skipped and take no index. */
function jsonlLines(file: string) {
  let line = 0;
  return split2((text: string) => {
    line++;
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw inputError(`${file}:${line}: invalid JSON (${(err as Error).message}); fix or remove that line`);
    }
  });
}

function mapInputError(file: string) {
  return (err: Error) => {
    if ((err as { code?: string }).code === 'E_INPUT') return err;
    if ((err as { code?: string }).code === 'EACCES') return inputError(`cannot read ${file}: permission denied`);
    return inputError(`${file}: ${err.message}`);
  };
}

async function listFiles(uri: string): Promise<{ base: string; files: string[] }> {
  const isGlob = GLOB_CHARS.test(uri);
  const base = isGlob ? process.cwd() : uri;
  const files = await glob(isGlob ? [uri] : ['**/*'], { cwd: base, absolute: true, onlyFiles: true, followSymbolicLinks: false });
  return { base, files: files.sort() };
}

export async function scanInput(spec: InputSpec): Promise<ScanResult> {
  const hash = createHash('sha256');
  let total = 0;
  if (spec.kind === 'range') {
    total = Number(spec.uri.slice('range:'.length));
    hash.update(spec.uri);
  } else if (spec.kind === 'files') {
    const { base, files } = await listFiles(spec.uri);
    for (const f of files) {
      const st = statSync(f);
      hash.update(`${path.relative(base, f)}\t${st.size}\t${st.mtimeMs}\n`);
    }
    total = files.length;
  } else {
    const raw = fileStream(spec.uri);
    // For CSV the parser sets the stream to decode UTF-8, so the hash sees text re-encoded as
    // UTF-8: the file's own bytes for any valid UTF-8 file.
    raw.on('data', (d) => hash.update(d));
    if (spec.kind === 'csv') {
      total = await csvCount(raw, spec.uri).catch((err: Error) => Promise.reject(mapInputError(spec.uri)(err)));
    } else {
      const read = objectReader(jsonlRecords(raw, spec.uri), mapInputError(spec.uri));
      for (let batch = await read(10000); batch.length; batch = await read(10000)) total += batch.length;
    }
  }
  if (total === 0) throw inputError(`input ${spec.uri} is empty: it holds no items`);
  return { total, fingerprint: `sha256:${hash.digest('hex')}` };
}

export async function openSource(spec: InputSpec): Promise<Source> {
  if (spec.kind === 'range') {
    const n = Number(spec.uri.slice('range:'.length));
    let next = 0;
    return {
      read: async (max) => {
        const out: number[] = [];
        for (const end = Math.min(n, next + max); next < end; next++) out.push(next);
        return out;
      },
      close: () => {},
      fields: null,
    };
  }
  if (spec.kind === 'files') {
    const { base, files } = await listFiles(spec.uri);
    let next = 0;
    return {
      read: async (max) =>
        files.slice(next, (next = Math.min(files.length, next + max))).map((f) => ({
          path: f,
          name: path.relative(base, f),
          size: statSync(f).size,
        })),
      close: () => {},
      fields: null,
    };
  }
  if (spec.kind === 'csv') {
    const csv = csvReader(fileStream(spec.uri), spec.uri);
    const mapError = mapInputError(spec.uri);
    const read: ReadBatch = (max) => csv.read(max).catch((err: Error) => Promise.reject(mapError(err)));
    return { read, close: csv.close, fields: await csv.header };
  }
  const records = jsonlRecords(fileStream(spec.uri), spec.uri);
  return { read: objectReader(records, mapInputError(spec.uri)), close: () => records.destroy(), fields: null };
}
