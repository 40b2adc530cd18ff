/**
 * Streamed export of one run's rows as CSV (csv-stringify), JSON Lines or Parquet
 * (hyparquet-writer). Rows are pulled from a better-sqlite3 iterator only as fast as the
 * destination drains (Readable.from + pipeline handle backpressure), so memory stays flat for
 * tables of any length; Parquet goes out in row groups of ROW_GROUP rows.
 */
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { jsonObject } from '../store/exact-values.js';
import type { Column } from '../store/run-rows.js';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ROW_GROUP = 100_000;

/** Counts rows as they pass, so the caller can report how many went out. */
function* counted(rows: Iterable<unknown[]>, counter: { rows: number }): Generator<unknown[]> {
  for (const r of rows) {
    counter.rows++;
    yield r;
  }
}

/** JSON Lines, batched into strings of ~256 rows to keep per-chunk stream overhead low. */
function* jsonLines(columns: Column[], rows: Iterable<unknown[]>): Generator<string> {
  const names = columns.map((c) => c.name);
  let batch = '';
  let n = 0;
  for (const r of rows) {
    batch += jsonObject(names, r) + '\n';
    if (++n === 256) {
      yield batch;
      batch = '';
      n = 0;
    }
  }
  if (batch) yield batch;
}

/** Writes CSV or JSONL to `out` (a file path, or '-' for stdout); resolves with the row count. */
export async function exportText(format: 'csv' | 'jsonl', columns: Column[], rows: Iterable<unknown[]>, out: string): Promise<number> {
  const counter = { rows: 0 };
  const source = counted(rows, counter);
  const dest: Writable = out === '-' ? process.stdout : createWriteStream(out);
  const options = out === '-' ? { end: false } : {};
  if (format === 'csv') {
    const csv = stringify({ header: true, columns: columns.map((c) => c.name), cast: { bigint: (v) => v.toString() } });
    await pipeline(Readable.from(source, { objectMode: true }), csv, dest, options);
  } else {
    await pipeline(Readable.from(jsonLines(columns, source), { objectMode: false }), dest, options);
  }
  return counter.rows;
}

const PARQUET_TYPES: Record<string, object> = {
  INTEGER: { type: 'INT64' },
  REAL: { type: 'DOUBLE' },
  TEXT: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  BLOB: { type: 'BYTE_ARRAY' },
};

/**
 * Parquet file (SNAPPY, all columns nullable, SQLite types mapped to INT64/DOUBLE/UTF8/BYTE_ARRAY).
 * The event loop turns after each row group, so Ctrl-C is handled mid-export (see atomic-output.ts).
 */
export async function exportParquet(columns: Column[], rows: Iterable<unknown[]>, file: string, createdBy: string): Promise<number> {
  // Loaded here: CSV and JSON Lines exports do not pay for the Parquet writer.
  const { ParquetWriter, fileWriter } = await import('hyparquet-writer');
  const schema = [
    { name: 'root', num_children: columns.length },
    ...columns.map((c) => ({ name: c.name, repetition_type: 'OPTIONAL' as const, ...(PARQUET_TYPES[c.type] ?? PARQUET_TYPES.TEXT) })),
  ];
  const writer = new ParquetWriter({ writer: fileWriter(file), schema: schema as never, createdBy });
  let batch: unknown[][] = columns.map(() => []);
  let n = 0;
  let total = 0;
  const flush = () => {
    writer.write({ columnData: columns.map((c, i) => ({ name: c.name, data: batch[i]! })) as never, rowGroupSize: n });
    batch = columns.map(() => []);
    total += n;
    n = 0;
  };
  const int64 = columns.map((c) => c.type === 'INTEGER');
  for (const r of rows) {
    for (let i = 0; i < columns.length; i++) {
      const v = r[i] ?? null;
      batch[i]!.push(int64[i] && typeof v === 'number' ? BigInt(v) : !int64[i] && typeof v === 'bigint' ? Number(v) : v);
    }
    if (++n === ROW_GROUP) {
      flush();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (n || !total) flush();
  writer.finish();
  return total;
}
