/**
 * Issue 28, what a terminal shows (run on a pseudo-terminal): human lines only, never raw pino
 * JSON, with or without -q; no ETA until the rate is known (the bar, the plain line and `status`);
 * `status --watch` ends by itself once the runs it watches have finished. Assertions are on
 * values (counts, lines), never on how fast anything went.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { committed, fixtureModel, query, runCli, startCli, tmpDir, waitFor } from '../helpers.js';
import { runInPty, screenLines, startInPty } from './pty.js';
import { scriptPty } from './system-tools.js';

let dir: string;
beforeAll(() => {
  dir = tmpDir('simrun-terminal-');
});

describe.skipIf(scriptPty.skip)('on a terminal', () => {
  // Item 15 kills its worker every time: warnings (worker died) and an error (the item) are logged.
  const crashing = (db: string) => [
    'run',
    fixtureModel('faulty.mjs'),
    '--input',
    'range:200',
    '--db',
    db,
    '--workers',
    '1',
    '--chunk-size',
    '10',
    '--param',
    'mode=exit',
    '--param',
    'at=[15]',
    '--retries',
    '0',
  ];

  it.each([
    ['', []],
    [' -q', ['-q']],
  ])('run%s: the log reaches the terminal as human lines, never as JSON', async (_, extra) => {
    const db = path.join(dir, `crash${extra.length}.db`);
    const r = await runInPty([...crashing(db), ...extra]);
    expect(r.code, r.text).toBe(3);
    expect(r.text).not.toContain('{"level"');
    const lines = screenLines(r.text);
    expect(lines).toContainEqual(
      expect.stringMatching(/^simrun: warning: worker died; requeueing its chunks \(pid \d+, code 1, inflight \d+\)$/),
    );
    expect(lines).toContainEqual('simrun: error: item crashes its worker; recorded as an error (idx 15, crashes 1, code 1)');
    expect(query(db, 'SELECT idx, kind FROM errors')).toEqual([{ idx: 15, kind: 'crash' }]);
  });

  it('--log f: the JSON goes to the file, the terminal gets none of it', async () => {
    const db = path.join(dir, 'crash-log.db');
    const log = path.join(dir, 'crash.log');
    const r = await runInPty([...crashing(db), '--log', log]);
    expect(r.code, r.text).toBe(3);
    expect(screenLines(r.text).filter((l) => l.startsWith('simrun: warning') || l.includes('{"'))).toEqual([]);
    const msgs = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toContain('worker died; requeueing its chunks');
  });

  it('the progress bar shows no ETA until 3 commits followed the first (and then one)', async () => {
    const db = path.join(dir, 'bar.db');
    // 20 chunks of 10 items, each 10 x 20 ms of work on one worker
    const args = ['run', fixtureModel('slow.mjs'), '--input', 'range:200', '--db', db, '--workers', '1', '--chunk-size', '10'];
    const r = await runInPty([...args, '--param', 'ms=20']);
    expect(r.code, r.text).toBe(0);
    const frames = screenLines(r.text).flatMap((l) => {
      const m = /^run 1 .* (\d+)\/200 \| ([\d,]+) items\/s \| ETA (\S+) \| errors 0$/.exec(l);
      return m ? [{ done: Number(m[1]), eta: m[3]! }] : [];
    });
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(f.eta, `at ${f.done}/200`).toMatch(/^(-|\d+s|\d+m\d\ds)$/);
    // before the 4th commit (40 items) the rate is not known: no ETA at all
    expect(frames.filter((f) => f.done < 40).map((f) => f.eta)).toEqual(frames.filter((f) => f.done < 40).map(() => '-'));
    expect(frames.at(-1)).toEqual({ done: 200, eta: '0s' });
    expect(frames[0]).toEqual({ done: 0, eta: '-' });
  });

  it('status --watch ends by itself once the run it watches is done', async () => {
    const db = path.join(dir, 'watched.db');
    const gate = path.join(dir, 'watched.gate');
    writeFileSync(gate, '100');
    const args = ['--input', 'range:600', '--db', db, '--workers', '1', '--chunk-size', '50', '--param', `gate=${gate}`, '--quiet'];
    const run = startCli(['run', fixtureModel('gated.mjs'), ...args]);
    await waitFor(() => committed(db, 'gated') === 100, 60_000);
    const watch = startInPty(['status', '--db', db, '--watch', '--interval', '0.2']);
    let seen = '';
    watch.child.stdout!.on('data', (d) => (seen += d));
    // the run goes on only once the watcher has shown it running
    await waitFor(() => /│ running +│ 100\/600 /.test(seen), 60_000);
    writeFileSync(gate, '600');
    expect((await run.done).code).toBe(0);
    // the watcher needs no Ctrl-C (a failed wait here is the watcher never ending)
    const w = await Promise.race([watch.done, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    if (w === null) watch.child.kill();
    expect(w, 'status --watch still running a minute after the run ended').not.toBeNull();
    expect(w!.code, w!.text).toBe(0);
    const rows = screenLines(w!.text).filter((l) => /^│ 1 /.test(l));
    expect(rows.some((l) => /│ running │/.test(l))).toBe(true);
    expect(rows.at(-1)).toMatch(/│ done +│ 600\/600 +│ 100\.0 │/);
  });

  it('status --watch on a database whose runs are all finished shows them once and ends', async () => {
    const db = path.join(dir, 'finished.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:100', '--db', db, '--quiet'])).code).toBe(0);
    const w = await runInPty(['status', '--db', db, '--watch', '--interval', '0.2']);
    expect(w.code, w.text).toBe(0);
    expect(
      screenLines(w.text)
        .filter((l) => /^│ 1 /.test(l))
        .at(-1),
    ).toMatch(/│ done +│ 100\/100 +│ 100\.0 │/);
  });
});

describe('the plain progress line (no terminal): no ETA until the rate is known', () => {
  it('a line after the first two commits reads ETA -', async () => {
    const db = path.join(dir, 'plain.db');
    const gate = path.join(dir, 'plain.gate');
    writeFileSync(gate, '10');
    const args = ['--input', 'range:100', '--db', db, '--workers', '1', '--chunk-size', '10', '--param', `gate=${gate}`];
    const run = startCli(['run', fixtureModel('gated.mjs'), ...args]);
    let stderr = '';
    run.child.stderr!.on('data', (d) => (stderr += d));
    await waitFor(() => committed(db, 'gated') === 10, 60_000);
    // a plain line is written at a commit 5 s or more after the last line (or the session's
    // start, which came before the first commit)
    await new Promise((r) => setTimeout(r, 5500));
    writeFileSync(gate, '20');
    await waitFor(() => stderr.includes(' 20/100 '), 60_000);
    writeFileSync(gate, '100');
    expect((await run.done).code).toBe(0);
    // (on a very slow start the first commit may get a line of its own: it reads ETA - too)
    const early = stderr.split('\n').filter((l) => / run 1 (10|20)\/100 /.test(l));
    expect(early.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ run 1 20\/100 \(20\.0%\) [\d,]+ items\/s ETA - errors 0$/);
    for (const l of early) expect(l).toMatch(/ ETA - errors 0$/);
  });
});

describe('status: no ETA until the rate is known', () => {
  it('a running run gets one after 10 s of work or a quarter of its items, not before', async () => {
    const db = path.join(dir, 'eta.db');
    expect((await runCli(['run', 'montecarlo', '--input', 'range:2000', '--db', db, '--param', 'draws=10', '--quiet'])).code).toBe(0);
    const copy = path.join(dir, 'eta-running.db');
    copyFileSync(db, copy);
    const eta = async (done: number, activeMs: number) => {
      const d = new Database(copy);
      d.prepare(`UPDATE runs SET status = 'running', done = ?, active_ms = ?, pid = ?, host = ?, heartbeat_at = ?, finished_at = NULL`).run(
        done,
        activeMs,
        process.pid,
        os.hostname(),
        Date.now(),
      );
      d.close();
      const r = await runCli(['status', '--db', copy, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const [run] = JSON.parse(r.stdout) as { state: string; eta_sec: number | null }[];
      expect(run!.state).toBe('running');
      return run!.eta_sec;
    };
    // the first chunk after 2 s of starting up: 20 items, 1,980 to go; 198 s would be wild
    expect(await eta(20, 2000)).toBeNull();
    expect(await eta(499, 9999)).toBeNull();
    // a quarter of the items: 500 in 5 s, 1,500 to go at 100/s
    expect(await eta(500, 5000)).toBe(15);
    // 10 s of work: 400 items, 1,600 to go at 40/s
    expect(await eta(400, 10_000)).toBe(40);
  });
});
