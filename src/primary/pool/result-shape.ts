/**
 * A worker's result must account for its chunk exactly: one row of `width` values per item
 * that succeeded, an error for every other item, and nothing else. A worker that disagrees
 * (other model code, a bug) must never shift values between columns or count items twice.
 */
import type { VariantResult } from '../../protocol.js';
import type { Chunk } from '../run/chunk-feed.js';

export function resultShapeError(chunk: Chunk, msg: VariantResult, width: number): string | null {
  const n = chunk.count;
  const rows = msg.idx ? msg.idx.length : n;
  if (msg.rows !== rows) return `${msg.rows} rows where ${rows} are listed`;
  if (msg.columns.length !== width) return `${msg.columns.length} columns where the model has ${width}`;
  if (msg.columns.some((c) => c.length !== rows)) return `a column without one value per row (${rows} rows)`;
  if (rows + msg.errors.length !== n) return `${rows} rows and ${msg.errors.length} errors for ${n} items`;
  if (!msg.idx) return null;
  const seen = new Set<number>();
  for (const idx of [...msg.idx, ...msg.errors.map((e) => e.idx)]) {
    if (idx < chunk.start || idx >= chunk.start + n || seen.has(idx)) return `item ${idx} is not in the chunk or appears twice`;
    seen.add(idx);
  }
  return null;
}
