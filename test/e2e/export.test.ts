/**
 * simrun export through the built CLI: CSV, JSON Lines and Parquet read back equal the SQL table
 * (row count and a checksum over every value), stdout equals the file, the provenance sidecar
 * describes the run, refusals exit 2; and the v_<model> view shows the latest done run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, root, runCli, tmpDir } from '../helpers.js';

const sample = path.join(root, 'data/population-sample.csv');
const reformFile = path.join(root, 'models/tax/reforms/ctc-3000.json');
const sha = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

describe('simrun export', () => {
  const dir = tmpDir('simrun-export-');
  const db = path.join(dir, 'tax.db');
  let columns: string[];
  let sqlRows: unknown[][];

  beforeAll(async () => {
    for (const extra of [[], ['--params', reformFile]]) {
      const r = await runCli(['run', 'tax', '--input', sample, '--db', db, '--workers', '2', '--quiet', ...extra]);
      expect(r.code).toBe(0);
    }
    const rows = query(db, 'SELECT * FROM tax WHERE run_id = 2 ORDER BY idx');
    columns = Object.keys(rows[0]!);
    sqlRows = rows.map((r) => columns.map((c) => r[c]));
    expect(sqlRows).toHaveLength(2000);
    expect(sqlRows.some((r) => r.includes(null))).toBe(true); // NULLs (average_rate) take part
  });

  it('CSV read back equals the SQL table (header, count, checksum over values)', async () => {
    const out = path.join(dir, 'run2.csv');
    const r = await runCli(['export', '--db', db, '--run', '2', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('exported 2000 rows of run 2 (tax)');
    const [header, ...rows] = parse(readFileSync(out, 'utf8')) as string[][];
    expect(header).toEqual(columns);
    expect(rows).toHaveLength(sqlRows.length);
    const asText = (row: unknown[]) => row.map((v) => (v === null ? '' : String(v))).join('\u0001');
    expect(sha(rows.map((row) => row.join('\u0001')))).toBe(sha(sqlRows.map(asText)));
  });

  it('JSON Lines read back equals the SQL table, types included; stdout gives the same bytes', async () => {
    const out = path.join(dir, 'run2.jsonl');
    expect((await runCli(['export', '--db', db, '--run', '2', '--format', 'jsonl', '--output', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const rows = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(sqlRows.length);
    expect(Object.keys(rows[0]!)).toEqual(columns);
    expect(sha(rows.map((r) => JSON.stringify(Object.values(r))))).toBe(sha(sqlRows.map((r) => JSON.stringify(r))));
    const piped = await runCli(['export', '--db', db, '--run', '2', '--format', 'jsonl']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(text);
  });

  it('Parquet read back (hyparquet) equals the SQL table', async () => {
    const out = path.join(dir, 'run2.parquet');
    expect((await runCli(['export', '--db', db, '--run', '2', '--format', 'parquet', '--output', out])).code).toBe(0);
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
    expect(rows).toHaveLength(sqlRows.length);
    const plain = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
    expect(sha(rows.map((r) => JSON.stringify(columns.map((c) => plain(r[c])))))).toBe(sha(sqlRows.map((r) => JSON.stringify(r))));
  });

  it('--with-provenance writes a sidecar describing the run', async () => {
    const out = path.join(dir, 'run2-prov.csv');
    expect((await runCli(['export', '--db', db, '--run', '2', '--output', out, '--with-provenance'])).code).toBe(0);
    const side = JSON.parse(readFileSync(`${out}.provenance.json`, 'utf8'));
    const [run] = query<Record<string, unknown>>(db, 'SELECT * FROM runs WHERE id = 2');
    expect(side.export).toMatchObject({ file: out, format: 'csv', rows: 2000, columns });
    expect(side.run).toMatchObject({
      run_id: 2,
      model: 'tax',
      model_version: run!.model_version,
      input: sample,
      input_fingerprint: run!.input_fingerprint,
      params: JSON.parse(run!.params_json as string),
      param_overrides: { ctc: { amount: 3000, refundable_max: 3000 } },
      seed: 1,
      status: 'done',
      total: 2000,
      done: 2000,
      errors: 0,
      simrun_version: run!.simrun_version,
    });
  });

  it('refuses parquet or a sidecar on stdout, and unknown runs (exit 2)', async () => {
    const pq = await runCli(['export', '--db', db, '--run', '1', '--format', 'parquet']);
    expect(pq.code).toBe(2);
    expect(pq.stderr).toContain('parquet needs a file');
    const side = await runCli(['export', '--db', db, '--run', '1', '--with-provenance']);
    expect(side.code).toBe(2);
    const missing = await runCli(['export', '--db', db, '--run', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--run 9: no such run');
  });

  it('v_tax holds the rows of the latest done run', () => {
    expect(query(db, 'SELECT run_id, count(*) AS n FROM v_tax GROUP BY run_id')).toEqual([{ run_id: 2, n: 2000 }]);
  });
});
