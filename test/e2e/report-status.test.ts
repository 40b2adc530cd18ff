/**
 * Live progress for the researcher: `status --json` polled while another process runs reports
 * each stage it reaches, and `status --watch` off a TTY prints one line per refresh until the run ends.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, runCli, startCli, tmpDir, waitFor } from '../helpers.js';

interface StatusRow {
  id: number;
  state: string;
  done: number;
  total: number;
  finished_items: number;
}

describe('status during a run', () => {
  // The run goes only as far as the test opens its gate (gated.mjs), so what status shows at each
  // stage is a value to assert, however fast or slow the machine is.
  it('status --json reports each stage the run reaches; --watch prints a line per refresh until done', async () => {
    const dir = tmpDir('simrun-status-');
    const db = path.join(dir, 'gated.db');
    const gate = path.join(dir, 'gate');
    writeFileSync(gate, '0');
    const args = ['--input', 'range:2500', '--db', db, '--workers', '2', '--chunk-size', '100', '--param', `gate=${gate}`, '--quiet'];
    const run = startCli(['run', fixtureModel('gated.mjs'), ...args]);
    const watch = startCli(['status', '--db', db, '--watch', '--interval', '0.3', '--until-done']);
    let watched = '';
    watch.child.stdout!.on('data', (d) => (watched += d));
    const status = async () => {
      const r = await runCli(['status', '--db', db, '--json']);
      return r.code === 0 ? (JSON.parse(r.stdout) as StatusRow[])[0] : undefined;
    };
    const seen: StatusRow[] = [];
    for (const stage of [500, 1000, 1500]) {
      writeFileSync(gate, String(stage));
      for (let s = await status(); ; s = await status()) {
        if (s?.done === stage) {
          seen.push(s);
          break;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      await waitFor(() => watched.includes(` ${stage}/2500 `), 60_000);
    }
    writeFileSync(gate, '2500');
    expect((await run.done).code).toBe(0);
    expect(seen.map((s) => [s.state, s.done, s.total])).toEqual([
      ['running', 500, 2500],
      ['running', 1000, 2500],
      ['running', 1500, 2500],
    ]);
    const last = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout)[0] as StatusRow;
    expect(last).toMatchObject({ state: 'done', done: 2500, total: 2500, finished_items: 2500 });

    const w = await watch.done;
    expect(w.code).toBe(0);
    const lines = w.stdout.trim().split('\n');
    const counts = lines.flatMap((l) => [...l.matchAll(/run 1 gated \w+ (\d+)\/2500/g)].map((m) => Number(m[1])));
    for (let k = 1; k < counts.length; k++) expect(counts[k]!).toBeGreaterThanOrEqual(counts[k - 1]!);
    expect(counts).toEqual(expect.arrayContaining([500, 1000, 1500, 2500]));
    expect(lines.at(-1)).toMatch(/run 1 gated done 2500\/2500 \(100\.0%\) \d+ items\/s ETA - errors 0$/);
  });
});
