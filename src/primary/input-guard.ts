/**
 * Holds a run to the input it scanned. The source yields at most the scanned number of items;
 * while it reads, the file's size and mtime must stay as scanned; and when the whole input has
 * been read, it must end there and its bytes must hash to the scanned fingerprint (a folder of
 * files is listed again). Any difference fails the run: it never ends `done` on other content.
 */
import type { Hash } from 'node:crypto';
import { statSync } from 'node:fs';
import { runFailed } from '../errors.js';
import type { InputSpec, ScanResult, Source } from './sources.js';

/** How often, at most, the file is stat()ed while it is read. */
const STAT_EVERY_MS = 500;

function changed(spec: InputSpec, why: string): Error {
  return runFailed(`input ${spec.uri} changed during the run (${why}); the run is marked failed: start a new run on the new input`);
}

/**
 * @param hash receives the raw bytes the source reads (CSV, JSONL)
 * @param rescan recomputes the scan (a folder of files: its listing with sizes and mtimes)
 */
export function guardSource(inner: Source, spec: InputSpec, scan: ScanResult, hash: Hash, rescan: () => Promise<ScanResult>): Source {
  let count = 0;
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
  const verifyEnd = async () => {
    if ((await inner.read(1)).length) throw changed(spec, `it holds more than the ${scan.total} items scanned`);
    checkStat();
    if (spec.kind === 'csv' || spec.kind === 'jsonl') {
      if (`sha256:${hash.digest('hex')}` !== scan.fingerprint) throw changed(spec, 'its content differs from the scanned fingerprint');
    } else if (spec.kind === 'files' && (await rescan()).fingerprint !== scan.fingerprint) {
      throw changed(spec, 'files were added, removed or modified');
    }
  };
  return {
    fields: inner.fields,
    close: () => inner.close(),
    read: async (max) => {
      if (count >= scan.total) return [];
      if (performance.now() - lastStat > STAT_EVERY_MS) {
        checkStat();
        lastStat = performance.now();
      }
      const batch = await inner.read(Math.min(max, scan.total - count));
      count += batch.length;
      if (count < scan.total && batch.length === 0) throw changed(spec, `it ended after ${count} of the ${scan.total} items scanned`);
      if (count === scan.total) await verifyEnd();
      return batch;
    },
  };
}
