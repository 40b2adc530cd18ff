/** Shared helpers for end-to-end tests: run the built CLI, temp dirs, read databases. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export const root = path.resolve(import.meta.dirname, '..');
export const cli = path.join(root, 'dist/src/cli.js');
export const fixtureModel = (name: string) => path.join(root, 'test/fixtures/models', name);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built script (default: the CLI) with node, collecting its output. */
export function startCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; script?: string } = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [opts.script ?? cli, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; script?: string } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** sha256 of a file's bytes: "unchanged" means byte for byte. */
export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A JSON-lines file (a `--log` file: pino's records) as its parsed lines. */
export function jsonLines<T = Record<string, unknown>>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

export function tmpDir(prefix = 'simrun-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function query<T = Record<string, unknown>>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Rows of `table` for one run as comparable text lines (idx order, run_id left out). */
export function tableDump(dbFile: string, table: string, runId: number): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(`SELECT * FROM "${table}" WHERE run_id = ? ORDER BY idx`).raw().all(runId) as unknown[][]).map((r) =>
      JSON.stringify(r.slice(1)),
    );
  } finally {
    db.close();
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 30_000, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Runs visible so far (0 while the database does not exist yet: workers are forked before the
 * primary opens the store, so a worker can be seen before the database).
 */
export function committedRuns(dbFile: string): number {
  try {
    return query<{ n: number }>(dbFile, 'SELECT count(*) AS n FROM runs')[0]!.n;
  } catch {
    return 0;
  }
}

/** Rows committed so far for a run (0 while the database or table does not exist yet). */
export function committed(dbFile: string, table: string): number {
  try {
    return query<{ n: number }>(dbFile, `SELECT count(*) AS n FROM "${table}"`)[0]!.n;
  } catch {
    return 0;
  }
}

export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // process ended while we looked
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Rows in one run's table but not the other's (both directions), compared in SQL. */
export function sqlDiffCount(dbA: string, runA: number, dbB: string, runB: number, table: string): number {
  const db = new Database(dbA, { readonly: true });
  try {
    db.prepare('ATTACH DATABASE ? AS other').run(dbB);
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE name != 'run_id'`).pluck().all(table) as string[])
      .map((c) => `"${c}"`)
      .join(', ');
    const a = `SELECT ${cols} FROM main."${table}" WHERE run_id = ${runA}`;
    const b = `SELECT ${cols} FROM other."${table}" WHERE run_id = ${runB}`;
    return db
      .prepare(`SELECT (SELECT count(*) FROM (${a} EXCEPT ${b})) + (SELECT count(*) FROM (${b} EXCEPT ${a})) AS n`)
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}
