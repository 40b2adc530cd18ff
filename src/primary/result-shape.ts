/**
 * A worker's result must account for its chunk exactly: one row of `width` values per item
 * that succeeded, an error for every other item, and nothing else. A worker that disagrees
 * (other model code, a bug) must never shift values between columns or count items twice.
 */
import type { ResultMessage } from '../protocol.js';
import type { Chunk } from './chunk-feed.js';

export function resultShapeError(chunk: Chunk, msg: ResultMessage, width: number): string | null {
  const n = chunk.items.length;
  const rows = msg.idx ? msg.idx.length : n;
  if (msg.values.length !== rows * width) return `${msg.values.length} values for ${rows} rows of ${width} columns`;
  if (rows + msg.errors.length !== n) return `${rows} rows and ${msg.errors.length} errors for ${n} items`;
  if (!msg.idx) return msg.errors.length ? 'errors without row indices' : null;
  const expected = new Set(chunk.indices ?? Array.from({ length: n }, (_, k) => chunk.start + k));
  for (const idx of [...msg.idx, ...msg.errors.map((e) => e.idx)]) {
    if (!expected.delete(idx)) return `item ${idx} is not in the chunk or appears twice`;
  }
  return null;
}
