/**
 * CSV records as an object-mode stream, parsed by papaparse (about 3x faster than csv-parse
 * here, which matters: the primary parses every record twice, once to validate and once to
 * run). Header row gives the keys, values stay strings; BOM, quotes, embedded commas and
 * newlines, CRLF and blank lines are handled. Back-pressure: the file stream pauses while
 * the consumer is behind, so memory stays flat. A malformed record stops the stream with an error
 * naming the file and line.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
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

export interface CsvRecords {
  /** Data records as arrays of strings, one per header column. */
  records: Readable;
  /** The header row (BOM stripped); null for an empty file. */
  header: Promise<string[] | null>;
}

/**
 * Records stay arrays: the primary never builds an object per record; workers zip them with
 * the header (fields travel once, in the init message).
 */
export function csvRecords(raw: Readable, file: string): CsvRecords {
  let failed = false;
  let header: string[] | null = null;
  let prevCursor = 0;
  let gotHeader!: (h: string[] | null) => void;
  const headerPromise = new Promise<string[] | null>((resolve) => (gotHeader = resolve));
  const out = new Readable({
    objectMode: true,
    highWaterMark: 2048,
    read() {
      if (raw.isPaused()) raw.resume();
    },
  });
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    raw.destroy();
    gotHeader(null);
    out.destroy(err);
  };
  /** Stops at the line holding `offset`, with `what` went wrong there. */
  const failAt = (offset: number, extraLine: number, what: string) => {
    failed = true; // set before abort(): abort() calls complete() at once
    raw.destroy();
    gotHeader(header);
    void lineAt(file, offset).then((line) => out.destroy(inputError(`${file}: line ${line + extraLine}: ${what}`)));
  };
  raw.on('error', (err) => fail(err));
  Papa.parse(raw as unknown as NodeJS.ReadableStream, {
    header: false,
    delimiter: ',',
    skipEmptyLines: true,
    step(res, p) {
      if (failed) return;
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
        gotHeader(header);
      } else if (row.length !== header.length) {
        failAt(Math.max(0, res.meta.cursor - 1), 0, `${row.length} fields where the header has ${header.length}; every record needs one field per header column`);
        p.abort();
        return;
      } else if (!out.push(row)) {
        // Back-pressure on the bytes: at most one read chunk (1 MiB) of records sits past the mark.
        raw.pause();
      }
      prevCursor = res.meta.cursor;
    },
    complete() {
      if (failed) return;
      gotHeader(header);
      out.push(null);
    },
    error(err: Error) {
      fail(err);
    },
  });
  return { records: out, header: headerPromise };
}
