/**
 * The files a run or resume writes besides its database (--log, and the model's --out folder)
 * checked before anything is written (util/output-target.ts): the log is never the database,
 * its -wal/-shm/-journal, another SQLite file or the input file, and the --out folder holds no
 * input file (a thumbnail written there could replace the image it was made from).
 */
import type { InputSpec } from '../input/sources.js';
import type { ScanResult } from '../input/source.js';
import { databaseFiles, refuseOutDirOverInputs, refuseOutputTarget, type Guarded } from '../../util/output-target.js';

export function checkRunTargets(
  o: { db: string; logFile: string | null; outDir: string | null },
  spec: InputSpec,
  scan: Pick<ScanResult, 'files'>,
): void {
  const guarded: Guarded[] = databaseFiles(o.db);
  if (spec.kind === 'csv' || spec.kind === 'jsonl') guarded.push({ file: spec.uri, what: `the input file ${spec.uri}` });
  if (o.logFile) refuseOutputTarget(o.logFile, '--log', guarded, { hint: 'give another log file' });
  if (o.outDir && scan.files) refuseOutDirOverInputs(o.outDir, '--out', scan.files.base, scan.files.files);
}
