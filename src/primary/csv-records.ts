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

function describe(err: Papa.ParseError): string {
  if (err.code === 'TooFewFields' || err.code === 'TooManyFields') return `${err.message.replace(/:.*/, '')}: the record does not have one field per header column`;
  return err.message;
}

export function csvRecords(raw: Readable, file: string): Readable {
  let failed = false;
  let prevCursor = 0;
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
    out.destroy(err);
  };
  raw.on('error', (err) => fail(err));
  Papa.parse(raw as unknown as NodeJS.ReadableStream, {
    header: true,
    skipEmptyLines: true,
    step(res, p) {
      if (failed) return;
      const err = res.errors[0];
      if (err) {
        failed = true; // before abort(): it calls complete() at once
        p.abort();
        raw.destroy();
        // A ragged record: the cursor is at its end. An open quote: err.index is where it opened.
        // (Before the first record the row start is unknown: it is the line after the header.)
        const quote = err.code === 'MissingQuotes';
        const at = quote ? prevCursor + (err.index ?? 0) : Math.max(0, res.meta.cursor - 1);
        const headerLine = quote && prevCursor === 0 ? 1 : 0;
        void lineAt(file, at).then((line) => out.destroy(inputError(`${file}: line ${line + headerLine}: ${describe(err)}`)));
        return;
      }
      prevCursor = res.meta.cursor;
      // Back-pressure on the bytes: at most one read chunk (1 MiB) of records sits past the mark.
      if (!out.push(res.data)) raw.pause();
    },
    complete() {
      if (!failed) out.push(null);
    },
    error(err: Error) {
      fail(err);
    },
  });
  return out;
}
