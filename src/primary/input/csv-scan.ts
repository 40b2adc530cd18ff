/**
 * The CSV input scan: one pass over the file's bytes that finds every record boundary
 * quote-aware (a newline inside a quoted field is not one), counts the records, fingerprints
 * the bytes, checksums each block of records (blocks.ts) and validates what a run depends on,
 * so that bad input is refused before the database is touched: a header naming a column twice,
 * a record with another number of fields than the header, an unterminated or malformed quote,
 * invalid UTF-8. It parses nothing but the header: the workers parse their own slices with
 * papaparse, which splits records exactly as this scan does (same quote rules, blank lines
 * skipped, CRLF or LF as the header line ends).
 */
import { isUtf8 } from 'node:buffer';
import { papaparse } from '../../util/papaparse.js';
import { crc32 } from 'node:zlib';
import { inputError } from '../../errors.js';
import { BLOCK, BlockTable } from './blocks.js';
import { readPieces, type TextScan } from './read-pieces.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: it closes the field, or starts an escaped "" pair. */
const CLOSING = 3;

export interface CsvScan extends TextScan {
  fields: string[];
  newline: '\n' | '\r\n';
}

export async function scanCsv(file: string): Promise<CsvScan> {
  const fail = (line: number, what: string) => inputError(`${file}: line ${line}: ${what}`);
  const blocks = new BlockTable();
  let fields: string[] | null = null;
  let crlf = false;
  let count = 0;
  // Parser state, carried across pieces (offsets are absolute).
  let state = FIELD_START;
  let nFields = 1;
  let recStart = 0;
  let line = 1;
  let recLine = 1;
  let quoteLine = 0;
  let blockStart = -1;

  const closeBlock = (buf: Buffer, base: number, end: number) => {
    if (blockStart < 0) return;
    const bytes = buf.subarray(blockStart - base, end - base);
    if (!isUtf8(bytes)) throw fail(badUtf8Line(bytes, blocks.lineOf(blocks.length - 1)), 'invalid UTF-8 (save the file as UTF-8)');
    blocks.setCrc(blocks.length - 1, crc32(bytes));
  };

  /** A record ended at `end` (exclusive, after its newline); `contentEnd` is before the newline. */
  const endRecord = (buf: Buffer, base: number, contentEnd: number, end: number) => {
    if (contentEnd > recStart) {
      if (!fields) {
        const raw = buf.subarray(recStart - base, contentEnd - base);
        if (!isUtf8(raw)) throw fail(recLine, 'invalid UTF-8 in the header (save the file as UTF-8)');
        fields = (papaparse().parse<string[]>(raw.toString('utf8'), { delimiter: ',' }).data[0] ?? []).map((h, i) =>
          i === 0 ? h.replace(/^\uFEFF/, '') : h,
        );
        const dup = fields.find((h, i) => fields!.indexOf(h) !== i);
        if (dup !== undefined) throw fail(recLine, `the header names column '${dup}' twice; every column needs its own name`);
        crlf = contentEnd < end - 1;
      } else {
        if (nFields !== fields.length)
          throw fail(recLine, `${nFields} fields where the header has ${fields.length}; every record needs one field per header column`);
        if (count % BLOCK === 0) {
          closeBlock(buf, base, recStart);
          blocks.push(recStart, recLine);
          blockStart = recStart;
        }
        count++;
      }
    }
    recStart = end;
    recLine = line;
    nFields = 1;
    state = FIELD_START;
  };

  const scan = await readPieces(
    file,
    () => (blockStart >= 0 ? blockStart : recStart),
    (buf, base, from) => {
      for (let i = from; i < buf.length; i++) {
        const c = buf[i]!;
        if (c === LF) {
          line++;
          if (state !== QUOTED) {
            const contentEnd = crlf || !fields ? (i > 0 && buf[i - 1] === CR ? i - 1 : i) : i;
            endRecord(buf, base, base + contentEnd, base + i + 1);
          }
          continue;
        }
        switch (state) {
          case FIELD_START:
            if (c === QUOTE) {
              state = QUOTED;
              quoteLine = line;
            } else if (c === COMMA) nFields++;
            else state = UNQUOTED;
            break;
          case UNQUOTED:
            if (c === COMMA) {
              nFields++;
              state = FIELD_START;
            }
            break;
          case QUOTED:
            if (c === QUOTE) state = CLOSING;
            break;
          default:
            if (c === QUOTE) state = QUOTED;
            else if (c === COMMA) {
              nFields++;
              state = FIELD_START;
            } else if (c !== CR) throw fail(line, 'Trailing quote on quoted field is malformed');
        }
      }
    },
    (buf, base, end) => {
      if (state === QUOTED) throw fail(quoteLine, 'Quoted field unterminated');
      const contentEnd = end > 0 && buf[end - base - 1] === CR && crlf ? end - 1 : end;
      endRecord(buf, base, contentEnd, end);
      closeBlock(buf, base, end);
    },
  );
  blocks.end = scan.size;
  if (!fields) throw inputError(`input ${file} is empty: it holds no header and no items`);
  return { ...scan, total: count, blocks, fields, newline: crlf ? '\r\n' : '\n' };
}

/** The line of the first invalid UTF-8 in `bytes`, which start at line `first` (error path only). */
export function badUtf8Line(bytes: Buffer, first: number): number {
  let line = first;
  for (let a = 0; a < bytes.length; line++) {
    const nl = bytes.indexOf(LF, a);
    const b = nl < 0 ? bytes.length : nl + 1;
    if (!isUtf8(bytes.subarray(a, b))) return line;
    a = b;
  }
  return line;
}
