/**
 * Reads a file once in large pieces for a scan: hashes every byte (the run's input
 * fingerprint) and hands the scanner each piece with the unfinished tail of the one before
 * carried over, so that a block of records is always whole in one buffer.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { BlockTable } from './blocks.js';

const PIECE = 4 << 20;

export interface TextScan {
  total: number;
  fingerprint: string;
  blocks: BlockTable;
  size: number;
  /** The file's size and mtime when scanned: a change during the run fails it. */
  stat: { size: number; mtimeMs: number };
}

/**
 * @param keepFrom the absolute offset the scanner still needs when the next piece arrives
 * @param scan called with the buffer, the absolute offset of its first byte, and where the new bytes start
 * @param finish called once at the end of the file with the last buffer
 */
export async function readPieces(
  file: string,
  keepFrom: () => number,
  scan: (buf: Buffer, base: number, from: number) => void,
  finish: (buf: Buffer, base: number, end: number) => void,
): Promise<Omit<TextScan, 'total' | 'blocks'>> {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    const hash = createHash('sha256');
    let buf = Buffer.alloc(0);
    let base = 0;
    let size = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE);
      const n = readSync(fd, piece, 0, PIECE, size);
      if (n === 0) break;
      hash.update(piece.subarray(0, n));
      size += n;
      const keep = Math.max(base, Math.min(keepFrom(), base + buf.length));
      const tail = buf.subarray(keep - base);
      buf = tail.length ? Buffer.concat([tail, piece.subarray(0, n)]) : piece.subarray(0, n);
      const from = tail.length;
      base = keep;
      scan(buf, base, from);
      // Let signals and timers in between pieces of a long scan.
      await new Promise<void>((r) => setImmediate(r));
    }
    finish(buf, base, base + buf.length);
    return { fingerprint: `sha256:${hash.digest('hex')}`, size, stat: { size: st.size, mtimeMs: st.mtimeMs } };
  } finally {
    closeSync(fd);
  }
}
