/**
 * The record blocks of a CSV or JSONL file, found by the input scan: every BLOCK records the
 * byte offset and line where a block starts and a CRC-32 of its bytes. A chunk of items
 * [lo, lo + count) travels to a worker as the byte range of the blocks that hold it, plus
 * "skip k, take count" inside it, and the blocks' checksums, which the worker verifies before
 * it parses: an input changed under a run fails it instead of mixing contents.
 *
 * 32 records a block keeps the table small (10M records: ~5 MB) and costs a worker at most 31
 * records parsed for nothing at each end of a chunk.
 */
import type { InputSlice } from '../../protocol.js';

export const BLOCK = 32;

export class BlockTable {
  private starts = new Float64Array(1024);
  private lines = new Float64Array(1024);
  private crcs = new Uint32Array(1024);
  /** Blocks so far. */
  length = 0;
  /** Byte offset where the data ends (file size). */
  end = 0;

  /** A block starts at `offset` (line `line`, 1-based). */
  push(offset: number, line: number): void {
    if (this.length === this.starts.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts, (n) => new Float64Array(n));
      this.lines = grow(this.lines, (n) => new Float64Array(n));
      this.crcs = grow(this.crcs, (n) => new Uint32Array(n));
    }
    this.starts[this.length] = offset;
    this.lines[this.length] = line;
    this.length++;
  }

  /** The 1-based line where block `b` starts. */
  lineOf(b: number): number {
    return this.lines[b]!;
  }

  /** Sets the CRC-32 of block `b`'s bytes. */
  setCrc(b: number, crc: number): void {
    this.crcs[b] = crc;
  }

  private blockEnd(b: number): number {
    return b + 1 < this.length ? this.starts[b + 1]! : this.end;
  }

  /** The byte range, skip and checksums for items [lo, lo + count). */
  slice(lo: number, count: number): InputSlice {
    const first = Math.floor(lo / BLOCK);
    const last = Math.floor((lo + count - 1) / BLOCK);
    const lens: number[] = [];
    const crcs: number[] = [];
    for (let b = first; b <= last; b++) {
      lens.push(this.blockEnd(b) - this.starts[b]!);
      crcs.push(this.crcs[b]!);
    }
    return { offset: this.starts[first]!, skip: lo - first * BLOCK, line: this.lines[first]!, lens, crcs };
  }
}
