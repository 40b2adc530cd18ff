/**
 * Live progress for the researcher: `status --json` polled while another process runs reports
 * increasing counts, and `status --watch` off a TTY prints one line per refresh until the run ends.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, runCli, startCli, tmpDir } from '../helpers.js';

interface StatusRow {
  id: number;
  state: string;
  done: number;
  total: number;
  finished_items: number;
}

describe('status during a run', () => {
  it('status --json reports increasing counts; --watch prints a line per refresh until done', async () => {
    const db = path.join(tmpDir('simrun-status-'), 'slow.db');
    const run = startCli([
      'run',
      fixtureModel('slow.mjs'),
      '--input',
      'range:2500',
      '--db',
      db,
      '--workers',
      '2',
      '--param',
      'ms=2',
      '--quiet',
    ]);
    const watch = startCli(['status', '--db', db, '--watch', '--interval', '0.3', '--until-done']);
    const seen: StatusRow[] = [];
    let exited = false;
    void run.done.then(() => (exited = true));
    while (!exited) {
      const r = await runCli(['status', '--db', db, '--json']);
      if (r.code === 0) seen.push((JSON.parse(r.stdout) as StatusRow[])[0]!);
      await new Promise((res) => setTimeout(res, 250));
    }
    expect((await run.done).code).toBe(0);
    const during = seen.filter((s) => s && s.state === 'running');
    expect(during.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < during.length; k++) expect(during[k]!.done).toBeGreaterThanOrEqual(during[k - 1]!.done);
    expect(new Set(during.map((s) => s.done)).size).toBeGreaterThanOrEqual(3);
    // The last chunk commits a moment before the run is marked done (workers still stopping),
    // so a poll in between sees 'running' with every item done.
    expect(during.every((s) => s.total === 2500 && s.done <= 2500)).toBe(true);
    const last = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout)[0] as StatusRow;
    expect(last).toMatchObject({ state: 'done', done: 2500, total: 2500, finished_items: 2500 });

    const w = await watch.done;
    expect(w.code).toBe(0);
    const lines = w.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const counts = lines.flatMap((l) => [...l.matchAll(/run 1 slow \w+ (\d+)\/2500/g)].map((m) => Number(m[1])));
    for (let k = 1; k < counts.length; k++) expect(counts[k]!).toBeGreaterThanOrEqual(counts[k - 1]!);
    expect(lines.at(-1)).toMatch(/run 1 slow done 2500\/2500 \(100\.0%\) \d+ items\/s ETA - errors 0$/);
  });
});
