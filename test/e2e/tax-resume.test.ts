/** A tax run interrupted (SIGINT) and resumed equals the uninterrupted run, row for row. */
import path from 'node:path';
import { expect, it } from 'vitest';
import { committed, runCli, sqlDiffCount, startCli, tmpDir, waitFor } from '../helpers.js';

it('tax: interrupt + resume gives the same table as one uninterrupted run', async () => {
  const dir = tmpDir('simrun-tax-resume-');
  const pop = path.join(dir, 'population.csv');
  expect((await runCli(['generate', 'population', '--n', '60000', '--seed', '3', '--output', pop])).code).toBe(0);
  const ref = path.join(dir, 'ref.db');
  expect((await runCli(['run', 'tax', '--input', pop, '--db', ref, '--workers', '2', '--quiet'])).code).toBe(0);

  const db = path.join(dir, 'interrupted.db');
  const { child, done } = startCli(['run', 'tax', '--input', pop, '--db', db, '--workers', '1', '--chunk-size', '200', '--quiet']);
  await waitFor(() => committed(db, 'tax') >= 2000, 60_000, 10);
  child.kill('SIGINT');
  expect((await done).code).toBe(130);
  expect(committed(db, 'tax')).toBeLessThan(60000);
  expect((await runCli(['resume', '--db', db, '--workers', '2', '--quiet'])).code).toBe(0);
  expect(committed(db, 'tax')).toBe(60000);
  expect(sqlDiffCount(db, 1, ref, 1, 'tax')).toBe(0);
});
