/**
 * CSV records parsed by papaparse (about 3x faster than csv-parse here, which matters: the
 * primary parses every record twice, once to validate and count, once to run). Header row gives
 * the keys, values stay strings; BOM, quotes, embedded commas and newlines, CRLF and blank lines
 * are handled. A malformed record stops the parse with an error naming the file and line.
 * Records go straight from papaparse's callback into a plain array that `read(max)` slices in
 * batches (an object-mode stream cost as much as the parsing itself); the file stream pauses
 * while that array is full, so memory stays flat.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { inputError } from '../errors.js';

/** 1-based line of the character at `offset` (error path only: reads the file again). */
async function lineAt(file: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const text of createReadStream(file, { encoding: 'utf8' })) {
    const s = text as string;
    const end = Math.min(s.length, offset - seen);
    for (let i = 0; i < end; i++) if (s.charCodeAt(i) === 10) line++;
    seen += s.length;
    if (seen >= offset) break;
  }
  return line;
}

/** Where parsed records go; `header` and `end` are each called exactly once, header first. */
interface CsvSink {
  /** The header row (BOM stripped); null for an empty file or one that failed before it. */
  header(h: string[] | null): void;
  /** A data record, one string per header column. */
  record(row: string[]): void;
  end(err: Error | null): void;
}

function parseCsv(raw: Readable, file: string, sink: CsvSink): void {
  let finished = false;
  let header: string[] | null = null;
  let prevCursor = 0;
  let headerSent = false;
  const sendHeader = () => {
    if (!headerSent) sink.header(header);
    headerSent = true;
  };
  const finish = (err: Error | null) => {
    if (finished) return;
    finished = true;
    if (err) raw.destroy();
    sendHeader();
    sink.end(err);
  };
  /** Stops at the line holding `offset`, with `what` went wrong there. */
  const failAt = (offset: number, extraLine: number, what: string) => {
    if (finished) return;
    finished = true; // before abort(): abort() calls complete() at once
    raw.destroy();
    sendHeader();
    void lineAt(file, offset).then((line) => sink.end(inputError(`${file}: line ${line + extraLine}: ${what}`)));
  };
  raw.on('error', (err) => finish(err));
  // Decode UTF-8 in the stream, which carries a character split across two reads over to the
  // next: papaparse would decode each Buffer alone and garble it.
  raw.setEncoding('utf8');
  Papa.parse(raw as unknown as NodeJS.ReadableStream, {
    header: false,
    delimiter: ',',
    skipEmptyLines: true,
    step(res, p) {
      if (finished) return;
      const err = res.errors[0];
      const row = res.data as string[];
      if (err) {
        // An open quote: err.index is where it opened, from the record's start (before the
        // first record that start is unknown: it is the line after the header).
        if (err.code === 'MissingQuotes') failAt(prevCursor + (err.index ?? 0), prevCursor === 0 ? 1 : 0, err.message);
        else failAt(Math.max(0, res.meta.cursor - 1), 0, err.message);
        p.abort();
        return;
      }
      if (!header) {
        header = row.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) {
          failAt(0, 0, `the header names column '${dup}' twice; every column needs its own name`);
          p.abort();
          return;
        }
        sendHeader();
      } else if (row.length !== header.length) {
        failAt(Math.max(0, res.meta.cursor - 1), 0, `${row.length} fields where the header has ${header.length}; every record needs one field per header column`);
        p.abort();
        return;
      } else {
        sink.record(row);
      }
      prevCursor = res.meta.cursor;
    },
    complete() {
      finish(null);
    },
    error(err: Error) {
      finish(err);
    },
  });
}

/** Validates every record and counts them (the input scan): nothing is kept. */
export function csvCount(raw: Readable, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    parseCsv(raw, file, {
      header: () => {},
      record: () => void n++,
      end: (err) => (err ? reject(err) : resolve(n)),
    });
  });
}

export interface CsvReader {
  /** Up to `max` records (fewer only at the end), as arrays of strings in header order. */
  read(max: number): Promise<string[][]>;
  /** The header row (BOM stripped); null for an empty file. */
  header: Promise<string[] | null>;
  close(): void;
}

/** Records above this many waiting pause the file; papaparse finishes its current 1 MiB piece. */
const HIGH_WATER = 8192;

/**
 * Records stay arrays: the primary never builds an object per record; workers zip them with
 * the header (fields travel once, in the init message).
 */
export function csvReader(raw: Readable, file: string): CsvReader {
  let queue: string[][] = [];
  let head = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let gotHeader!: (h: string[] | null) => void;
  const header = new Promise<string[] | null>((resolve) => (gotHeader = resolve));
  parseCsv(raw, file, {
    header: (h) => gotHeader(h),
    record: (row) => {
      if (queue.push(row) - head >= HIGH_WATER && !raw.isPaused()) raw.pause();
      if (wake) notify();
    },
    end: (err) => {
      failure = err;
      ended = true;
      notify();
    },
  });
  return {
    header,
    close: () => raw.destroy(),
    async read(max) {
      while (!failure && !ended && queue.length - head < max) {
        if (raw.isPaused()) raw.resume();
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure) throw failure;
      const out = queue.slice(head, head + max);
      head += out.length;
      if (head >= HIGH_WATER || head === queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      // Refill before the queue runs dry, so that the next read does not wait for the disk.
      if (!ended && queue.length < HIGH_WATER / 2 && raw.isPaused()) raw.resume();
      return out;
    },
  };
}
