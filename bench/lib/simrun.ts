/** Command lines for the built simrun CLI, scratch databases, and read-only progress polling. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runProcess, type RunOptions, type RunResult } from './proc.js';
import type { BenchContext } from './types.js';

export const TRIVIAL = 'bench/models/trivial.mjs';

export interface SimrunRun {
  model: string;
  input: string;
  workers: number;
  chunk: number | 'auto';
  params?: Record<string, string | number>;
  extra?: string[];
}

export function dbPath(ctx: BenchContext, name: string): string {
  return path.join(ctx.tmp, `${name}.db`);
}

export function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

export function simrunArgs(db: string, s: SimrunRun): string[] {
  const a = [
    'dist/src/cli.js',
    'run',
    s.model,
    '--input',
    s.input,
    '--db',
    db,
    '--workers',
    String(s.workers),
    '--chunk-size',
    String(s.chunk),
    '--quiet',
  ];
  for (const [k, v] of Object.entries(s.params ?? {})) a.push('--param', `${k}=${v}`);
  return [...a, ...(s.extra ?? [])];
}

/** A fresh database, then one whole `simrun run` process. */
export function runSimrun(ctx: BenchContext, name: string, s: SimrunRun, o: Partial<RunOptions> = {}): Promise<RunResult> {
  const db = dbPath(ctx, name);
  removeDb(db);
  return runProcess(process.execPath, simrunArgs(db, s), { cwd: ctx.root, ...o });
}

/**
 * `SELECT done FROM runs` of the newest run, read-only; null before the table exists. The
 * connection is opened lazily and kept, so polling costs one small read per call.
 */
export function donePoller(file: string): { done(): number | null; close(): void } {
  let db: Database.Database | null = null;
  return {
    done() {
      try {
        db ??= new Database(file, { readonly: true, fileMustExist: true });
        const v = db.prepare('SELECT done + errors FROM runs ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined;
        return v ?? null;
      } catch {
        db?.close();
        db = null;
        return null;
      }
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
