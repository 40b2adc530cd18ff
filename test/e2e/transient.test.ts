/** Issue 16: transient errors are retried in the worker with backoff, then recorded with their attempts. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, tmpDir } from '../helpers.js';

describe('transient errors', () => {
  it('a transient error is retried until it passes; one that never passes is recorded after --retries; a plain error is not retried', async () => {
    const db = path.join(tmpDir(), 'flaky.db');
    const r = await runCli([
      'run',
      fixtureModel('flaky.mjs'),
      '--input',
      'range:10',
      '--db',
      db,
      '--workers',
      '1',
      '--retries',
      '3',
      '--retry-delay',
      '1',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(query(db, 'SELECT idx, tries FROM flaky WHERE idx = 3')).toEqual([{ idx: 3, tries: 3 }]);
    expect(query(db, 'SELECT idx, kind, attempts, message FROM errors ORDER BY idx')).toEqual([
      { idx: 5, kind: 'throw', attempts: 4, message: 'service unavailable for 5 (try 4)' },
      { idx: 7, kind: 'throw', attempts: 1, message: 'broken 7' },
    ]);
    // The retried item's result is what a first try would have given: its random stream restarts.
    const again = path.join(tmpDir(), 'again.db');
    expect(
      (await runCli(['run', fixtureModel('flaky.mjs'), '--input', 'range:10', '--db', again, '--param', 'flaky=[]', '--quiet'])).code,
    ).toBe(3);
    expect(query(db, 'SELECT value FROM flaky WHERE idx = 3')).toEqual(query(again, 'SELECT value FROM flaky WHERE idx = 3'));
  });
});
