/**
 * Start-up (issue 30): `simrun --help` lists the commands from src/cli/commands.ts without
 * loading them, so each listed usage must be the one the command really has; `run` and `resume`
 * fork their workers before the model, input and store are checked, so a run refused after
 * that fork must leave no worker behind and the database as it was; `--log-level debug` prints
 * the start-up phases of the primary and of every worker.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModel, jsonLines, runCli, sha, tmpDir, waitFor } from '../helpers.js';

const dir = tmpDir('simrun-startup-');

/** Live processes whose environment holds `marker` (the workers of one test's CLI). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(marker)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

describe('simrun --help', () => {
  it("lists every command with the usage its own help shows, and the built-in models' commands", async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    const listed = [...help.stdout.matchAll(/^ {2}(\w+)((?: \S+)*?) {2,}\S/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
    const names = listed.map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(['run', 'resume', 'status', 'merge', 'query', 'export', 'models', 'report', 'check']));
    expect(names).toEqual(expect.arrayContaining(['tax', 'generate', 'compare', 'help']));
    // simrun's own commands are listed without loading them: their usage must be what they define.
    for (const [name, usage] of listed) {
      if (['help', 'tax', 'generate', 'compare'].includes(name)) continue;
      const own = await runCli([name, '--help']);
      expect(own.code, name).toBe(0);
      expect(own.stdout.split('\n')[0], name).toBe(`Usage: simrun ${name}${usage ? ` ${usage}` : ''}`);
    }
  });
});

describe('workers forked before the run is checked', () => {
  it('a run refused after the fork (an input that does not exist, a model that throws on load) leaves no worker and no database', async () => {
    const db = path.join(dir, 'refused.db');
    const bad = path.join(dir, 'throws-on-load.mjs');
    writeFileSync(bad, "throw new Error('broken on purpose');\n");
    for (const args of [
      ['run', 'montecarlo', '--input', path.join(dir, 'missing.csv'), '--db', db, '--workers', '2'],
      ['run', bad, '--input', 'range:10', '--db', db, '--workers', '2'],
    ]) {
      const marker = `SIMRUN_TEST_MARK=${randomUUID()}`;
      const r = await runCli(args, { env: { SIMRUN_TEST_MARK: marker.split('=')[1] } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(existsSync(db)).toBe(false);
      await waitFor(() => processesWith(marker).length === 0, 60_000, 100);
    }
  });

  it('resume refused (the run is done) leaves no worker and the database byte for byte as it was', async () => {
    const db = path.join(dir, 'done.db');
    expect((await runCli(['run', fixtureModel('echo.mjs'), '--input', 'range:20', '--db', db, '--workers', '2', '-q'])).code).toBe(0);
    const before = sha(db);
    const marker = randomUUID();
    const r = await runCli(['resume', '--db', db, '--workers', '2'], { env: { SIMRUN_TEST_MARK: marker } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/already done/);
    expect(sha(db)).toBe(before);
    await waitFor(() => processesWith(`SIMRUN_TEST_MARK=${marker}`).length === 0, 60_000, 100);
  });
});

describe('--log-level debug', () => {
  it("logs the primary's and every worker's start-up phases, in order", async () => {
    const db = path.join(dir, 'phases.db');
    const log = path.join(dir, 'phases.jsonl');
    const r = await runCli([
      'run',
      'montecarlo',
      '--input',
      'range:50',
      '--db',
      db,
      '--workers',
      '2',
      '-q',
      '--log',
      log,
      '--log-level',
      'debug',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines<{ msg: string; phase?: string; ms?: number; role: string; pid?: number }>(log);
    const phases = lines.filter((l) => l.msg === 'phase');
    const primary = phases.filter((l) => l.role === 'primary').map((l) => l.phase);
    expect(primary.slice(0, 4)).toEqual(['run: start', 'run: model loaded', 'run: input scanned', 'run: store opened, run created']);
    expect(primary).toContain('pool: workers attached');
    // A worker logs from its init on; one may be stopped before or while it loads the model
    // (the other one finished the run), so each worker's phases are a prefix, and one has them all.
    const workers = new Set(phases.filter((l) => l.role === 'worker').map((l) => l.pid));
    expect(workers.size).toBeGreaterThanOrEqual(1);
    const all = ['worker: entry loaded', 'worker: init received', 'worker: model loaded', 'worker: ready sent'];
    const seen = [...workers].map((pid) => phases.filter((l) => l.pid === pid).map((l) => l.phase));
    for (const s of seen) expect(s).toEqual(all.slice(0, s.length));
    expect(seen.some((s) => s.length === all.length)).toBe(true);
    for (const p of phases) expect(p.ms).toBeGreaterThan(0);
  });
});
