/**
 * The primary's side of the input: one scan before any work (count, fingerprint, validation,
 * and for CSV/JSONL the record blocks), then for each chunk what the worker needs to find its
 * items. The primary never parses or holds item content: text inputs travel as byte ranges,
 * range:N as indices, files as their paths.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { inputError, runFailed } from '../../errors.js';
import type { ChunkMessage, TextInput } from '../../protocol.js';
import { listFiles, type InputSpec } from './sources.js';
import type { BlockTable } from './blocks.js';
import { scanCsv } from './csv-scan.js';
import { scanJsonl } from './jsonl-scan.js';

export interface ScanResult {
  total: number;
  fingerprint: string;
  /** CSV/JSONL: the file's size and mtime when scanned, its blocks, and how workers read it. */
  stat: { size: number; mtimeMs: number } | null;
  blocks: BlockTable | null;
  text: TextInput | null;
  /** Files input: the sorted listing, relative names from `base`. */
  files: { base: string; files: string[] } | null;
}

export async function scanInput(spec: InputSpec): Promise<ScanResult> {
  const none = { stat: null, blocks: null, text: null, files: null };
  let scan: ScanResult;
  if (spec.kind === 'range') {
    const total = Number(spec.uri.slice('range:'.length));
    scan = { ...none, total, fingerprint: `sha256:${createHash('sha256').update(spec.uri).digest('hex')}` };
  } else if (spec.kind === 'files') {
    const listing = await listFiles(spec.uri);
    const hash = createHash('sha256');
    for (const f of listing.files) {
      const st = statSync(f);
      hash.update(`${path.relative(listing.base, f)}\t${st.size}\t${st.mtimeMs}\n`);
    }
    scan = { ...none, total: listing.files.length, fingerprint: `sha256:${hash.digest('hex')}`, files: listing };
  } else if (spec.kind === 'csv') {
    const csv = await scanCsv(spec.uri);
    scan = { ...none, ...csv, text: { kind: 'csv', file: spec.uri, fields: csv.fields, newline: csv.newline } };
  } else {
    const jsonl = await scanJsonl(spec.uri);
    scan = { ...none, ...jsonl, text: { kind: 'jsonl', file: spec.uri, fields: null, newline: '\n' } };
  }
  if (scan.total === 0) throw inputError(`input ${spec.uri} is empty: it holds no items`);
  return scan;
}

/** How often, at most, a text input is stat()ed while chunks are cut from it. */
const STAT_EVERY_MS = 500;

export interface Source {
  /** What chunk [start, start + count) carries besides its indices; throws if the input changed. */
  payload(start: number, count: number): Pick<ChunkMessage, 'items' | 'slice'>;
  /** At the end of a session: the input is still as scanned (a run never ends `done` on other content). */
  verifyEnd(): Promise<void>;
}

function changed(spec: InputSpec, why: string): Error {
  return runFailed(`input ${spec.uri} changed during the run (${why}); the run is marked failed: start a new run on the new input`);
}

export function openSource(spec: InputSpec, scan: ScanResult): Source {
  let lastStat = 0;
  const checkStat = () => {
    if (!scan.stat) return;
    let st;
    try {
      st = statSync(spec.uri);
    } catch {
      throw changed(spec, 'the file is gone');
    }
    if (st.size !== scan.stat.size) throw changed(spec, `its size went from ${scan.stat.size} to ${st.size} bytes`);
    if (st.mtimeMs !== scan.stat.mtimeMs) throw changed(spec, 'it was modified (mtime differs)');
  };
  return {
    payload(start, count) {
      if (scan.blocks) {
        if (performance.now() - lastStat > STAT_EVERY_MS) {
          checkStat();
          lastStat = performance.now();
        }
        return { slice: scan.blocks.slice(start, count) };
      }
      if (scan.files) {
        const { base, files } = scan.files;
        return { items: files.slice(start, start + count).map((f) => ({ path: f, name: path.relative(base, f), size: statSync(f).size })) };
      }
      return {};
    },
    async verifyEnd() {
      checkStat();
      if (scan.files && (await scanInput(spec)).fingerprint !== scan.fingerprint)
        throw changed(spec, 'files were added, removed or modified');
    },
  };
}

/** A worker's report that its slice is not as scanned, as the run's one-line error. */
export function inputChangedError(spec: InputSpec, why: string): Error {
  return changed(spec, why);
}
