/**
 * The input scan and the worker's slice reader agree record for record: CSV with quoted
 * commas, newlines and doubled quotes inside fields, CRLF, a BOM, blank lines and no final
 * newline; JSONL with blank lines. Every chunk of every size reads back exactly the records a
 * full papaparse / JSON.parse of the file gives; a changed byte is refused by its checksum.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { scanInput } from '../../src/primary/input/source.js';
import { parseInputSpec } from '../../src/primary/input/sources.js';
import { SliceReader } from '../../src/worker/read-slice.js';

const dir = os.tmpdir();

function csvFile(name: string, eol: string, finalNewline: boolean): { file: string; expected: Record<string, string>[] } {
  const rows: string[][] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 7 === 3) rows.push([String(i), 'quoted, with comma', `two${eol}lines and "quotes"`]);
    else if (i % 11 === 5) rows.push([String(i), '', 'ünïcödé ✓']);
    else rows.push([String(i), `n${i}`, 'x'.repeat(i % 13)]);
  }
  const records = rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','));
  // A blank line before every 50th record: blank lines take no index.
  const withBlanks = records.map((rec, i) => (i % 50 === 10 ? `${eol}${rec}` : rec)).join(eol);
  const file = path.join(dir, `${name}-${process.pid}.csv`);
  writeFileSync(file, `\uFEFFid,name,note${eol}${withBlanks}${finalNewline ? eol : ''}`);
  return { file, expected: rows.map(([id, name, note]) => ({ id: id!, name: name!, note: note! })) };
}

async function readAll(file: string, size: number): Promise<unknown[]> {
  const scan = await scanInput(parseInputSpec(file));
  const reader = new SliceReader(scan.text!);
  const out: unknown[] = [];
  for (let lo = 0; lo < scan.total; lo += size) {
    const count = Math.min(size, scan.total - lo);
    out.push(...reader.read(scan.blocks!.slice(lo, count), count));
  }
  reader.close();
  return out;
}

describe('CSV scan and slices', () => {
  it.each([
    ['crlf', '\r\n', true],
    ['lf', '\n', true],
    ['no-final-newline', '\r\n', false],
  ])('%s: chunks of 1, 7, 32, 33 and 1000 items read back every record exactly', async (name, eol, final) => {
    const { file, expected } = csvFile(name, eol, final);
    const scan = await scanInput(parseInputSpec(file));
    expect(scan.total).toBe(300);
    expect(scan.text!.fields).toEqual(['id', 'name', 'note']);
    // papaparse over the whole file agrees with what the chunks give.
    const whole = Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data.slice(1);
    expect(whole.map(([id, n, note]) => ({ id, name: n, note }))).toEqual(expected);
    for (const size of [1, 7, 32, 33, 1000]) expect(await readAll(file, size)).toEqual(expected);
  });

  it('refuses a ragged record, an unterminated quote and invalid UTF-8, naming the line', async () => {
    const bad = (name: string, text: string | Buffer) => {
      const file = path.join(dir, `${name}-${process.pid}.csv`);
      writeFileSync(file, text);
      return scanInput(parseInputSpec(file));
    };
    await expect(bad('ragged', 'a,b\n1,2\n3\n')).rejects.toThrow(/ragged-\d+\.csv: line 3: 1 fields where the header has 2/);
    await expect(bad('quote', 'a,b\n1,"open\n2,3\n')).rejects.toThrow(/line 2: Quoted field unterminated/);
    await expect(bad('utf8', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]))).rejects.toThrow(
      /line 2: invalid UTF-8/,
    );
  });

  it('a byte changed after the scan is refused by the block checksum, before parsing', async () => {
    const { file } = csvFile('changed', '\n', true);
    const scan = await scanInput(parseInputSpec(file));
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('n299', 'm299'));
    const reader = new SliceReader(scan.text!);
    expect(() => reader.read(scan.blocks!.slice(290, 10), 10)).toThrow(/differ from the scan/);
    expect(reader.read(scan.blocks!.slice(0, 10), 10)).toHaveLength(10);
  });
});

describe('JSONL scan and slices', () => {
  it('blank lines take no index; null, numbers and objects are items; chunks read back exactly', async () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 9 === 0 ? null : i % 2 ? { i, s: `line ${i}` } : i));
    const file = path.join(dir, `items-${process.pid}.jsonl`);
    writeFileSync(file, values.map((v, i) => (i % 10 === 4 ? `\n  \n${JSON.stringify(v)}` : JSON.stringify(v))).join('\n'));
    for (const size of [1, 7, 100]) expect(await readAll(file, size)).toEqual(values);
  });
});
