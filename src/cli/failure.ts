/**
 * How the CLI ends on a failure: one line on stderr (system-errors.ts words it), the stack only
 * in the log (the --log file of run/resume, or stderr with SIMRUN_DEBUG=1), and the exit code.
 */
import { appendFileSync } from 'node:fs';
import { toUserError } from '../system-errors.js';
import { clobbers, databaseFiles, type Guarded } from '../util/output-target.js';

/** --flag <value> / --flag=<value> (or -f <value>) on the command line, if given. */
function flagArg(argv: string[], flag: string, short?: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag || (short !== undefined && a === short)) return argv[i + 1] ?? null;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return null;
}

/** The --log file, unless it is the database, its -wal/-shm/-journal, the input or another SQLite file. */
function logFile(argv: string[]): string | null {
  const file = flagArg(argv, '--log');
  if (!file) return null;
  const db = flagArg(argv, '--db', '-d');
  const input = flagArg(argv, '--input', '-i');
  const guarded: Guarded[] = [...(db ? databaseFiles(db) : []), ...(input ? [{ file: input, what: 'the input' }] : [])];
  return clobbers(file, guarded) ? null : file;
}

function stackText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}

/** Prints the one line, logs the stack, and returns the exit code (synchronous: also for an uncaught exception). */
export function reportFailure(err: unknown): number {
  const failure = toUserError(err);
  process.stderr.write(`simrun: ${failure.message}\n`);
  if (process.env.SIMRUN_DEBUG) process.stderr.write(`${stackText(err)}\n`);
  const file = logFile(process.argv.slice(2));
  if (file) {
    // One pino-shaped line (level 50 = error), written directly: pino is not loaded for this.
    const line = { level: 50, time: Date.now(), role: 'primary', pid: process.pid, msg: failure.message, stack: stackText(err) };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the log cannot be written either: the line above is all there is
    }
  }
  return failure.exitCode;
}

/** A failed write to stdout (a full disk, /dev/full): one line; a reader that went away is not an error. */
export function stdoutFailure(err: NodeJS.ErrnoException): { line: string | null; code: number } {
  if (err.code === 'EPIPE') return { line: null, code: 0 };
  const why = err.code === 'ENOSPC' ? 'no space left on the device' : err.message;
  return { line: `simrun: cannot write to standard output: ${why} (${err.code ?? 'error'}); the output is incomplete`, code: 1 };
}
