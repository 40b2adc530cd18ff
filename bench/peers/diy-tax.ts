/**
 * The hand-written peer of the tax case: what a researcher would write without simrun. One
 * Node process: papaparse streams the CSV (header row, values as strings), the project's own
 * tax computation per household, and the same results table as simrun's (run_id, idx, the tax
 * columns; WITHOUT ROWID, WAL, synchronous NORMAL, 16 KiB pages), filled with a prepared
 * 256-row INSERT, one transaction per 10,000 rows. Prints JSON: {n, ms}.
 *
 *   node dist/bench/peers/diy-tax.js bench/.data/population.csv /tmp/diy.db
 */
import { createReadStream, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import taxModel from '../../models/tax/index.js';
import type { ColumnType, Context, Row } from '../../src/index.js';

const tax = taxModel as unknown as {
  params: Record<string, unknown>;
  columns: Record<string, ColumnType>;
  analyze(item: unknown, ctx: Context): unknown;
  format(result: unknown, item: unknown, ctx: Context): Row;
};

const [file, dbFile] = process.argv.slice(2);
if (!file || !dbFile) {
  console.error('usage: diy-tax.js <population.csv> <out.db>');
  process.exit(2);
}
for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
const t0 = performance.now();
const db = new Database(dbFile);
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const names = Object.keys(tax.columns);
const width = names.length + 1;
db.exec(
  `CREATE TABLE tax (run_id INTEGER NOT NULL, idx INTEGER NOT NULL, ${names.map((c) => `"${c}" ${tax.columns[c]!.toUpperCase()}`).join(', ')}, PRIMARY KEY (run_id, idx)) WITHOUT ROWID`,
);
const BATCH = 256;
const row = `(1,${new Array(width).fill('?').join(',')})`;
const insertMany = db.prepare(`INSERT INTO tax VALUES ${new Array(BATCH).fill(row).join(',')}`);
const insertOne = db.prepare(`INSERT INTO tax VALUES ${row}`);
const pending: unknown[] = [];
const flush = db.transaction((values: unknown[]) => {
  let k = 0;
  for (; k + BATCH * width <= values.length; k += BATCH * width) insertMany.run(values.slice(k, k + BATCH * width));
  for (; k < values.length; k += width) insertOne.run(values.slice(k, k + width));
});

const ctx = { index: 0, params: tax.params, random: Math.random, log: null, outDir: null } as unknown as Context;
let n = 0;
Papa.parse<Record<string, string>>(createReadStream(file), {
  header: true,
  skipEmptyLines: true,
  step(res) {
    const item = res.data;
    (ctx as { index: number }).index = n;
    const out = tax.format(tax.analyze(item, ctx), item, ctx);
    pending.push(n++);
    for (const c of names) pending.push(out[c]);
    if (n % 10_000 === 0) flush(pending.splice(0));
  },
  complete() {
    flush(pending.splice(0));
    db.close();
    console.log(JSON.stringify({ n, ms: Math.round(performance.now() - t0) }));
  },
});
