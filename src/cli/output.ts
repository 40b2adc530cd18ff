/** Writes rows as a table (cli-table3), CSV (csv-stringify) or JSON to stdout. */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { jsonObject } from '../primary/store/exact-values.js';

export { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';
import type { OutputFormat } from './output-formats.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(10)));
  return String(v);
}

export function writeRows(columns: string[], rows: Iterable<unknown[]>, format: OutputFormat): number {
  let n = 0;
  const out = process.stdout;
  if (format === 'json') {
    out.write('[');
    for (const r of rows) {
      out.write((n++ ? ',\n' : '\n') + jsonObject(columns, r));
    }
    out.write(n ? '\n]\n' : ']\n');
    return n;
  }
  if (format === 'csv') {
    out.write(stringify([columns]));
    for (const r of rows) {
      out.write(stringify([r.map((v) => (v === null ? '' : typeof v === 'bigint' ? v.toString() : v))]));
      n++;
    }
    return n;
  }
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows) {
    table.push(r.map(cell));
    n++;
  }
  out.write(table.toString() + '\n');
  return n;
}
