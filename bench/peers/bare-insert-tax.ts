/**
 * The store's limit for tax-width rows: the capacity case's rows (bench/models/tax-rows.mjs,
 * the tax model's columns) inserted by one process with the statement simrun's writer uses
 * (a prepared 256-row INSERT OR REPLACE into the same WITHOUT ROWID table, 16 KiB pages, WAL,
 * synchronous NORMAL), one transaction per 10,240 rows (40 statements). The rows are made before the clock
 * starts, so only the insert is timed. Prints JSON: {n, insertMs, cpuUsPerRow}.
 *
 *   node dist/bench/peers/bare-insert-tax.js --n 1000000 --db /tmp/bare-tax.db
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] ? args[k + 1]! : def;
};
const n = Number(opt('n', '1000000'));
const file = opt('db', 'bare-insert-tax.db');
const PER_TX = 10_240; // whole 256-row statements
const { default: model } = (await import(pathToFileURL(path.resolve('bench/models/tax-rows.mjs')).href)) as {
  default: { columns: Record<string, string>; format(i: number): Record<string, unknown> };
};
const BATCH = 256;
for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

const columns = Object.entries(model.columns);
const width = columns.length + 1;
const db = new Database(file);
db.pragma('page_size = 16384');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  `CREATE TABLE taxrows (run_id INTEGER NOT NULL, idx INTEGER NOT NULL, ${columns.map(([c, t]) => `"${c}" ${t.toUpperCase()}`).join(', ')}, PRIMARY KEY (run_id, idx)) WITHOUT ROWID`,
);
const row = `(1,${new Array(width).fill('?').join(',')})`;
const insertMany = db.prepare(`INSERT OR REPLACE INTO taxrows VALUES ${new Array(BATCH).fill(row).join(',')}`);
const values: unknown[][] = [];
for (let lo = 0; lo < n; lo += PER_TX) {
  const tx: unknown[] = [];
  for (let i = lo; i < Math.min(n, lo + PER_TX); i++) {
    const r = model.format(i);
    tx.push(i, ...columns.map(([c]) => r[c]));
  }
  values.push(tx);
}
const write = db.transaction((tx: unknown[]) => {
  const params = new Array(BATCH * width);
  for (let k = 0; k + BATCH * width <= tx.length; k += BATCH * width) {
    for (let j = 0; j < params.length; j++) params[j] = tx[k + j];
    insertMany.run(params);
  }
});
const cpu0 = process.cpuUsage();
const t = performance.now();
for (const tx of values) write(tx);
const insertMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
db.close();
console.log(JSON.stringify({ n, insertMs: Math.round(insertMs), cpuUsPerRow: (cpu.user + cpu.system) / n }));
