/**
 * A worker reads its own chunk of a CSV or JSONL input: the byte range the primary's scan
 * found, checked block by block against the scan's CRC-32s before anything is parsed (a file
 * changed under the run is refused, never mixed in), then parsed with the same rules as the
 * scan: papaparse for CSV (header from the init message), JSON.parse per non-blank line for JSONL.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { papaparse } from '../util/papaparse.js';
import type { InputSlice, TextInput } from '../protocol.js';
import { recordMaker, type RecordMaker } from './record-object.js';

/** The input is not what the scan saw: the run must stop (code E_INPUT_CHANGED). */
export class InputChangedError extends Error {
  override name = 'InputChangedError';
  readonly code = 'E_INPUT_CHANGED';
}

/** A record the scan accepted but the parser does not (code E_INPUT). */
export class InputRecordError extends Error {
  override name = 'InputRecordError';
  readonly code = 'E_INPUT';
}

export class SliceReader {
  private fd: number | null = null;
  private makeRecord: RecordMaker | undefined;

  constructor(private readonly input: TextInput) {}

  /** Items [skip, skip + count) of the slice. */
  read(slice: InputSlice, count: number): unknown[] {
    const text = this.bytes(slice).toString('utf8');
    const records = this.input.kind === 'csv' ? this.csv(text, slice) : jsonl(text);
    if (records.length < slice.skip + count) throw new InputChangedError(`lines from ${slice.line} hold fewer records than scanned`);
    return records.slice(slice.skip, slice.skip + count);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private bytes(slice: InputSlice): Buffer {
    const total = slice.lens.reduce((a, b) => a + b, 0);
    const buf = Buffer.allocUnsafe(total);
    this.fd ??= openSync(this.input.file, 'r');
    let got = 0;
    while (got < total) {
      const n = readSync(this.fd, buf, got, total - got, slice.offset + got);
      if (n === 0) throw new InputChangedError(`it is shorter than scanned (ends before byte ${slice.offset + total})`);
      got += n;
    }
    let pos = 0;
    for (let b = 0; b < slice.lens.length; b++) {
      const len = slice.lens[b]!;
      if (crc32(buf.subarray(pos, pos + len)) !== slice.crcs[b]) {
        throw new InputChangedError(`the bytes of the records from byte ${slice.offset + pos} differ from the scan`);
      }
      pos += len;
    }
    return buf;
  }

  private csv(text: string, slice: InputSlice): Record<string, string>[] {
    const fields = this.input.fields!;
    const make = (this.makeRecord ??= recordMaker(fields));
    const res = papaparse().parse<string[]>(text, { delimiter: ',', newline: this.input.newline, skipEmptyLines: true });
    const err = res.errors[0];
    if (err) throw new InputRecordError(`${this.input.file}: line ${slice.line}+: ${err.message}`);
    const out: Record<string, string>[] = new Array(res.data.length);
    for (let i = 0; i < res.data.length; i++) {
      const row = res.data[i]!;
      if (row.length !== fields.length)
        throw new InputChangedError(`a record near line ${slice.line} has ${row.length} fields, not ${fields.length}`);
      out[i] = make(row);
    }
    return out;
  }
}

function jsonl(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
  return out;
}
