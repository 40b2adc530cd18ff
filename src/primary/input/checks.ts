/**
 * Inputs simrun refuses up front, with one line: paths that are not regular files (a FIFO, a
 * device such as /dev/zero, a socket: reading them hangs or never ends) and range:N past the
 * largest index a JavaScript number holds exactly.
 */
import type { Stats } from 'node:fs';
import { inputError } from '../../errors.js';

/** What a non-regular, non-directory path is, in words. */
export function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A file input must be a regular file: a pipe or device has no stable content to scan, chunk and resume. */
export function checkRegularFile(input: string, st: Stats): void {
  if (st.isFile() || st.isDirectory()) return;
  throw inputError(`input ${input} is ${fileKind(st)}, not a regular file: save the items to a .csv or .jsonl file first and give that`);
}

/** range:N with N a whole number up to 2^53 - 1 (indices must stay exact integers). */
export function rangeSize(input: string, digits: string): number {
  const n = Number(digits.replace(/_/g, ''));
  if (!Number.isSafeInteger(n)) throw inputError(`bad input '${input}': range:N allows N up to ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`);
  return n;
}
