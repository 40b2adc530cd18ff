import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvCount, csvReader } from '../../src/primary/csv-records.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'simrun-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 200_000;
const file = path.join(tmp, 'big.csv');
const pad = 'x'.repeat(50);
const lines = ['\uFEFFid,name,note'];
for (let i = 0; i < N; i++) lines.push(i % 1000 === 7 ? `${i},"quoted, with comma","two\nlines"` : `${i},n${i},${pad}`);
writeFileSync(file, lines.join('\r\n') + '\r\n');
const open = () => createReadStream(file, { highWaterMark: 1 << 20 });

describe('csvReader', () => {
  it('returns every record once, in order, in batches of the size asked for', async () => {
    const r = csvReader(open(), file);
    expect(await r.header).toEqual(['id', 'name', 'note']);
    const sizes: number[] = [];
    let next = 0;
    for (let batch = await r.read(3000); batch.length; batch = await r.read(3000)) {
      sizes.push(batch.length);
      for (const row of batch) if (Number(row[0]) !== next++) throw new Error(`record ${row[0]} where ${next - 1} was due`);
    }
    expect(next).toBe(N);
    expect(sizes.slice(0, -1).every((s) => s === 3000)).toBe(true);
    const all = csvReader(open(), file);
    const rows = await all.read(N + 10);
    expect(rows[7]).toEqual(['7', 'quoted, with comma', 'two\nlines']);
    expect(rows[N - 1]).toEqual([String(N - 1), `n${N - 1}`, pad]);
  });

  it('keeps a character whose UTF-8 bytes are split between two 1 MiB reads', async () => {
    const utf = path.join(tmp, 'utf8.csv');
    const text = ['id,name'];
    for (let i = 0; i < 200_000; i++) text.push(`${i},Zoë Ångström ${i}`);
    writeFileSync(utf, text.join('\n') + '\n');
    const r = csvReader(createReadStream(utf, { highWaterMark: 1 << 20 }), utf);
    const rows = await r.read(300_000);
    expect(rows.length).toBe(200_000);
    expect(rows.filter((row) => row[1] !== `Zoë Ångström ${row[0]}`)).toEqual([]);
  });

  it('stops reading the file while nobody takes the records (memory stays flat)', async () => {
    const raw = open();
    const r = csvReader(raw, file);
    expect((await r.read(10)).length).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(raw.isPaused()).toBe(true);
    // 8,192 records waiting pause it: what was read is a few 1 MiB pieces of a ~13 MB file.
    expect(raw.bytesRead).toBeLessThanOrEqual(3 << 20);
    expect(statSync(file).size).toBeGreaterThan(12 << 20);
    r.close();
  });

  it('csvCount counts the data records; a bad record is an error naming the line', async () => {
    expect(await csvCount(open(), file)).toBe(N);
    const bad = path.join(tmp, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    await expect(csvCount(createReadStream(bad), bad)).rejects.toThrow(`${bad}: line 3: 3 fields where the header has 2`);
    const r = csvReader(createReadStream(bad), bad);
    await expect(r.read(100)).rejects.toThrow('line 3');
  });
});
