/**
 * The JSONL input scan: one JSON value per non-blank line (a newline never occurs inside a
 * JSON text, so every LF is a boundary). Each line is validated with JSON.parse here, so bad
 * input is refused naming its line before the database is touched; workers parse their own
 * slices again. Blocks, checksums and the fingerprint as for CSV (blocks.ts, read-pieces.ts).
 */
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { inputError } from '../../errors.js';
import { BLOCK, BlockTable } from './blocks.js';
import { readPieces, type TextScan } from './read-pieces.js';

const LF = 0x0a;

/** True when bytes [a, b) are only JSON whitespace (a blank line takes no index). */
function blank(buf: Buffer, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export async function scanJsonl(file: string): Promise<TextScan> {
  const blocks = new BlockTable();
  let count = 0;
  let line = 0;
  let recStart = 0;
  let blockStart = -1;
  const closeBlock = (buf: Buffer, base: number, end: number) => {
    if (blockStart >= 0) blocks.setCrc(blocks.length - 1, crc32(buf.subarray(blockStart - base, end - base)));
  };
  const record = (buf: Buffer, base: number, end: number) => {
    line++;
    const a = recStart - base;
    const b = end - base;
    if (!blank(buf, a, b)) {
      const bytes = buf.subarray(a, b);
      if (!isUtf8(bytes)) throw inputError(`${file}:${line}: invalid UTF-8 (save the file as UTF-8)`);
      try {
        JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw inputError(`${file}:${line}: invalid JSON (${(err as Error).message}); fix or remove that line`);
      }
      if (count % BLOCK === 0) {
        closeBlock(buf, base, recStart);
        blocks.push(recStart, line);
        blockStart = recStart;
      }
      count++;
    }
  };
  const scan = await readPieces(
    file,
    () => (blockStart >= 0 ? blockStart : recStart),
    (buf, base, from) => {
      for (let i = buf.indexOf(LF, from); i >= 0; i = buf.indexOf(LF, i + 1)) {
        record(buf, base, base + i);
        recStart = base + i + 1;
      }
    },
    (buf, base, end) => {
      if (end > recStart) record(buf, base, end);
      closeBlock(buf, base, end);
    },
  );
  blocks.end = scan.size;
  return { ...scan, total: count, blocks };
}
