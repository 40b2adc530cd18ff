/**
 * `export` interrupted by SIGINT never leaves a truncated file under the final name: it writes
 * `<output>.partial-<pid>` beside it, renames it when complete, and removes it on interrupt.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tmpDir, waitFor } from '../helpers.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tmpDir('simrun-export-int-');
  db = path.join(dir, 'big.db');
  const r = await runCli(['run', 'montecarlo', '--input', 'range:300000', '--db', db, '--param', 'draws=1', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

const partials = () => readdirSync(dir).filter((f) => f.includes('.partial-'));

/** SIGINT to an export that has begun writing, held stopped meanwhile, so however fast the machine
 * it cannot have finished by the time the signal is handled. */
function interrupt(child: ChildProcess): void {
  child.kill('SIGSTOP');
  child.kill('SIGINT');
  child.kill('SIGCONT');
}

describe('export interrupted by SIGINT', () => {
  it.each(['csv', 'jsonl', 'parquet'])('%s: exit 130, one line, no file under the final name, no partial left', async (format) => {
    const out = path.join(dir, `run1.${format}`);
    const { child, done } = startCli(['export', '--db', db, '--run', '1', '--format', format, '--output', out]);
    const partial = `${out}.partial-${child.pid}`;
    await waitFor(() => existsSync(partial) && statSync(partial).size > 0, 30_000, 5);
    interrupt(child);
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^simrun: export interrupted; .*run1\.\w+ was not written/)]);
    expect(existsSync(out)).toBe(false);
    expect(partials()).toEqual([]);
  });

  it('an older file under the name stays as it was', async () => {
    const out = path.join(dir, 'old.csv');
    writeFileSync(out, 'the previous export\n');
    const { child, done } = startCli(['export', '--db', db, '--run', '1', '--output', out]);
    await waitFor(() => existsSync(`${out}.partial-${child.pid}`), 30_000, 5);
    interrupt(child);
    expect((await done).code).toBe(130);
    expect(readFileSync(out, 'utf8')).toBe('the previous export\n');
    expect(partials()).toEqual([]);
  });

  it('a complete export replaces it, with no partial left', async () => {
    const out = path.join(dir, 'old.csv');
    const r = await runCli(['export', '--db', db, '--run', '1', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').length).toBe(300_000 + 2);
    expect(partials()).toEqual([]);
  });

  it('a symbolic link stays a link (its target is replaced); a FIFO is written as it is, never renamed over', async () => {
    const real = path.join(dir, 'real.csv');
    const link = path.join(dir, 'link.csv');
    writeFileSync(real, 'old\n');
    symlinkSync('real.csv', link);
    expect((await runCli(['export', '--db', db, '--run', '1', '--output', link])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8').split('\n').length).toBe(300_000 + 2);

    const fifo = path.join(dir, 'rows.fifo');
    execFileSync('mkfifo', [fifo]);
    const sink = path.join(dir, 'from-fifo.csv');
    const reader = spawn('sh', ['-c', 'cat "$0" > "$1"', fifo, sink]);
    const read = new Promise((resolve) => reader.on('close', resolve));
    const r = await runCli(['export', '--db', db, '--run', '1', '--output', fifo]);
    await read;
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(sink, 'utf8').split('\n').length).toBe(300_000 + 2);
    expect(partials()).toEqual([]);
  });
});
