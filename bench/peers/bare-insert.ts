/**
 * The store's limit: one Node process, no workers, inserting the rows of the trivial model
 * (idx, value, half) with better-sqlite3: one prepared single-row INSERT, 10,000 rows per
 * transaction, WAL, synchronous NORMAL. Prints JSON: {n, insertMs, rowsPerSec}.
 *
 *   node dist/bench/peers/bare-insert.js --n 1000000 --db /tmp/bare.db
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] ? args[k + 1]! : def;
};
const n = Number(opt('n', '1000000'));
const file = opt('db', 'bare-insert.db');
const perTx = Number(opt('per-tx', '10000'));
for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE trivial (idx INTEGER PRIMARY KEY, value INTEGER NOT NULL, half REAL NOT NULL)');
const insert = db.prepare('INSERT INTO trivial (idx, value, half) VALUES (?, ?, ?)');
const batch = db.transaction((lo: number, hi: number) => {
  for (let i = lo; i < hi; i++) insert.run(i, i, i / 2);
});
const t = performance.now();
for (let lo = 0; lo < n; lo += perTx) batch(lo, Math.min(n, lo + perTx));
const ms = performance.now() - t;
db.close();
console.log(JSON.stringify({ n, perTx, insertMs: ms, rowsPerSec: Math.round(n / (ms / 1000)) }));
