/**
 * The in-process baseline of the tax case: the tax model's analyze/format over every household
 * of one CSV file in one plain loop (papaparse on 4,000-record blocks, records zipped with the
 * header, rows flattened and checked as a worker does), with no cluster, no IPC and no store.
 * Run on the whole population, then as two processes at once on its two halves: the second
 * gives the parallel efficiency this machine allows for this work, whatever runs it.
 * Prints JSON: {n, loopMs}.
 *
 *   node dist/bench/peers/inprocess-tax.js bench/.data/population.csv
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import taxModel from '../../models/tax/index.js';
import type { ColumnType, Context, Row } from '../../src/index.js';
import { RowColumns } from '../../src/worker/row.js';
import { recordMaker } from '../../src/worker/record-object.js';

const BLOCK = 4000;
const NL = 10;

const tax = taxModel as unknown as {
  params: Record<string, unknown>;
  columns: Record<string, ColumnType>;
  analyze(item: unknown, ctx: Context): unknown;
  format(result: unknown, item: unknown, ctx: Context): Row;
};

const file = process.argv[2];
if (!file) {
  console.error('usage: inprocess-tax.js <population.csv>');
  process.exit(2);
}
const t0 = performance.now();
// The generated population has no quoted fields, so a newline always ends a record.
const buf = readFileSync(file);
let pos = buf.indexOf(NL) + 1;
const fields = buf
  .toString('utf8', 0, pos - 1)
  .trim()
  .split(',');
const columns = Object.entries(tax.columns);
const toItem = recordMaker(fields);
const ctx = { index: 0, params: tax.params, random: Math.random, log: null, outDir: null } as unknown as Context;
let n = 0;
while (pos < buf.length) {
  let end = pos;
  for (let k = 0; k < BLOCK && end > 0; k++) end = buf.indexOf(NL, end) + 1;
  if (end <= 0) end = buf.length;
  const records = Papa.parse<string[]>(buf.toString('utf8', pos, end), { skipEmptyLines: true }).data;
  pos = end;
  const out = new RowColumns(columns, records.length);
  for (const r of records) {
    const item = toItem(r);
    (ctx as { index: number }).index = n++;
    out.add(tax.format(tax.analyze(item, ctx), item, ctx));
  }
}
console.log(JSON.stringify({ n, loopMs: performance.now() - t0 }));
