/**
 * A damaged database is never exported, reported or merged as if whole (issue 28), and
 * `simrun check` says what holds: rows deleted behind simrun's back (what a damaged page does
 * to a scan: it ends early, no error) make export, report and merge fail naming the run, the
 * rows found and expected, and `simrun check`, which exits non-zero listing the missing range;
 * a good database checks with exit 0. merge creates the model's views in the merged database.
 */
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, query, runCli, sha, tmpDir } from '../helpers.js';

const extended = fixtureModel('extended.mjs');

function deleteRows(file: string, table: string, where: string): void {
  const db = new Database(file);
  try {
    db.prepare(`DELETE FROM "${table}" WHERE ${where}`).run();
  } finally {
    db.close();
  }
}

describe('simrun check, and the row counts of export, report and merge', () => {
  const dir = tmpDir('simrun-check-');
  const good = path.join(dir, 'good.db');
  const bad = path.join(dir, 'bad.db');
  const shard = (k: number) => path.join(dir, `shard-${k}.db`);

  beforeAll(async () => {
    const r = await runCli(['run', extended, '--input', 'range:500', '--db', good, '--workers', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    copyFileSync(good, bad);
    deleteRows(bad, 'extended', 'idx BETWEEN 100 AND 149 OR idx = 300');
    for (const k of [0, 1]) {
      const s = await runCli(['run', extended, '--input', 'range:200', '--db', shard(k), '--shard', `${k}/2`, '--workers', '1', '--quiet']);
      expect(s.code, s.stderr).toBe(0);
    }
  });

  it('check on a good database: every check holds, exit 0', async () => {
    const r = await runCli(['check', '--db', good]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('ok    SQLite integrity_check: ok');
    expect(r.stdout).toContain('ok    rows: 500, as recorded (done 500)');
    expect(r.stdout).toContain('ok    indices 0-499: every one has a row or an error row');
    expect(r.stdout).toMatch(/ok {4}fingerprints: input sha256:[0-9a-f]{12}\.\.\., model code sha256:[0-9a-f]{12}\.\.\./);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('every check holds (1 run)');
  });

  it('a damaged database: export (file and stdout) and report fail naming the counts; nothing written', async () => {
    const before = sha(bad);
    const expected =
      /^simrun: run 1 in .*bad\.db: read 449 rows but the run recorded 500 done; the database is damaged \(.*\); see: simrun check --db .*bad\.db --run 1$/;
    for (const format of ['csv', 'parquet']) {
      const out = path.join(dir, `bad.${format}`);
      const r = await runCli(['export', '--db', bad, '--run', '1', '--format', format, '--output', out]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(expected);
      expect(r.stderr).toContain(`${out} was not written`);
      expect(existsSync(out)).toBe(false);
    }
    const piped = await runCli(['export', '--db', bad, '--run', '1', '--format', 'jsonl']);
    expect(piped.code).toBe(2);
    expect(piped.stderr.trimEnd()).toMatch(expected);
    const html = path.join(dir, 'bad.html');
    const rep = await runCli(['report', '--db', bad, '--run', '1', '--html', html]);
    expect(rep.code).toBe(2);
    expect(rep.stderr.trimEnd()).toMatch(expected);
    expect(existsSync(html)).toBe(false);
    expect(sha(bad)).toBe(before);
  });

  it('check on the damaged database exits 1 and lists the missing range', async () => {
    const r = await runCli(['check', '--db', bad, '--run', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  rows: 449 found, but the run recorded 500 done');
    expect(r.stdout).toContain('FAIL  51 index(es) recorded finished have no row and no error row: 100-149, 300');
    expect(r.stderr.trimEnd()).toBe('simrun: check failed: run 1 (FAIL lines above)');
    const none = await runCli(['check', '--db', bad, '--run', '7']);
    expect(none.code).toBe(2);
  });

  it('merge refuses a damaged shard naming its counts; merged, the good ones get the views and check holds', async () => {
    const damaged = path.join(dir, 'shard-1-damaged.db');
    copyFileSync(shard(1), damaged);
    deleteRows(damaged, 'extended', 'idx = 150');
    const into = path.join(dir, 'all.db');
    const refused = await runCli(['merge', '--into', into, shard(0), damaged]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd()).toMatch(
      /^simrun: run 1 in .*shard-1-damaged\.db: read 99 rows but the run recorded 100 done; .*simrun check/,
    );
    expect(existsSync(into)).toBe(false);

    const m = await runCli(['merge', '--into', into, shard(0), shard(1)]);
    expect(m.code, m.stderr).toBe(0);
    // the model's views (and simrun's own trace_items)
    expect(query(into, `SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`)).toEqual([
      { name: 'extended_by_group' },
      { name: 'trace_items' },
      { name: 'v_extended' },
    ]);
    expect(query(into, 'SELECT grp, items FROM extended_by_group ORDER BY grp')).toEqual([
      { grp: 'even', items: 100 },
      { grp: 'odd', items: 100 },
    ]);
    const c = await runCli(['check', '--db', into]);
    expect(c.code, c.stdout).toBe(0);
    expect(c.stdout).toContain('ok    indices 0-199: every one has a row or an error row');
  });
});
