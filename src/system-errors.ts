/**
 * The one place where a failure simrun did not raise on purpose becomes one line for the user:
 * permissions and read-only media, a full disk, the open-file and memory limits, input nested
 * too deeply, a model command's own throw. Each names the file (the database or output this
 * command writes, noted by noteTarget) and what to do; the stack goes to the log only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { EXIT, SimrunError } from './errors.js';

/** The files this command writes (a database opened for writing, an output file), latest last. */
const targets: string[] = [];
let modelCommand: { model: string; name: string } | null = null;

export function noteTarget(file: string): void {
  targets.push(file);
}

/** A model's own subcommand is running: an error it throws is its, not simrun's. */
export function noteModelCommand(model: string, name: string): void {
  modelCommand = { model, name };
}

type Failure = Error & { code?: unknown; path?: unknown; syscall?: unknown };

/** The soft limit of one /proc/self/limits row ("Max open files", "Max address space"); null if unlimited or unknown. */
export function softLimit(row: string): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(row));
    const soft = line?.slice(row.length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

export const openFileLimit = () => softLimit('Max open files');

/** What `ulimit -n` to suggest: comfortably above what simrun uses (about 40 plus a few per worker). */
export const suggestedOpenFiles = (limit: number | null) => Math.max(1024, (limit ?? 0) * 4);

function openFiles(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

export function tooManyOpenFiles(code: string): SimrunError {
  const limit = openFileLimit();
  const what = limit === null ? 'the open-file limit' : `the open-file limit (ulimit -n) is ${limit}`;
  return new SimrunError(
    `too many open files (${code}): ${what}; raise it, e.g. ulimit -n ${suggestedOpenFiles(limit)}, then run the command again`,
    'E_LIMIT',
    EXIT.failed,
  );
}

export function outOfMemory(code: string): SimrunError {
  const limit = softLimit('Max address space');
  const how =
    limit === null
      ? 'free memory (fewer --workers, or close other programs)'
      : `the virtual-memory limit (ulimit -v) is ${Math.round(limit / 1024)} KiB; raise it, e.g. ulimit -v unlimited`;
  return new SimrunError(`out of memory (${code}): ${how}, then run the command again`, 'E_LIMIT', EXIT.failed);
}

/** The file an error is about: its own path, else the file this command writes. */
function fileOf(err: Failure): string | null {
  if (typeof err.path === 'string') return err.path;
  return targets[targets.length - 1] ?? null;
}

function systemError(err: Failure, code: string): SimrunError | null {
  const file = fileOf(err);
  const named = file ? ` ${file}` : '';
  const fail = (message: string, exitCode: number = EXIT.failed) => new SimrunError(message, 'E_SYSTEM', exitCode, { cause: err });
  if (code === 'EMFILE' || code === 'ENFILE') return tooManyOpenFiles(code);
  // SQLite reports an open-file limit as "unable to open database file".
  if (code === 'SQLITE_CANTOPEN') {
    const limit = openFileLimit();
    const open = openFiles();
    if (limit !== null && open !== null && open >= limit - 8) return tooManyOpenFiles('EMFILE');
    return fail(
      `cannot open${named} (SQLITE_CANTOPEN): SQLite cannot open it or create its -wal/-journal beside it; check that the file and its folder exist and are writable`,
      EXIT.usage,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const why =
      code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'SQLITE_READONLY_DIRECTORY'
          ? 'its folder is read-only, and SQLite must create its -journal/-wal there'
          : code === 'SQLITE_READONLY_DBMOVED'
            ? 'it was moved or deleted while open'
            : 'it is read-only';
    return fail(`cannot write${named}: ${why} (${code}); make the file and its folder writable, or use another location`, EXIT.usage);
  }
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT') {
    const why = code === 'EDQUOT' ? 'the disk quota is exceeded' : 'no space left';
    return fail(
      `${why} on the disk holding${named || ' the output'} (${code}); free space there or write to another disk, then run the command again`,
    );
  }
  if (code === 'ENOMEM' || code === 'SQLITE_NOMEM' || code === 'ERR_MEMORY_ALLOCATION_FAILED') return outOfMemory(code);
  return null;
}

/** A one-line SimrunError for any failure; an unknown one says it is unexpected (a bug to report). */
export function toUserError(err: unknown): SimrunError {
  if (err instanceof SimrunError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as Failure;
  const code = typeof e.code === 'string' ? e.code : '';
  const known = systemError(e, code);
  if (known) return known;
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return new SimrunError(
      `a value is nested too deeply to process (${e.message}); flatten the JSON input or params`,
      'E_INPUT',
      EXIT.usage,
      { cause: e },
    );
  if (e instanceof RangeError && /allocation failed|invalid array length|invalid string length/i.test(e.message))
    return outOfMemory(e.message);
  const first = e.message.split('\n')[0];
  if (modelCommand)
    return new SimrunError(
      `model ${modelCommand.model}: command ${modelCommand.name} failed: ${e.name}: ${first}`,
      'E_MODEL',
      EXIT.failed,
      {
        cause: e,
      },
    );
  return new SimrunError(
    `unexpected error: ${e.name}: ${first} (set SIMRUN_DEBUG=1 to see its stack, and please report it)`,
    'E_UNEXPECTED',
    EXIT.failed,
    { cause: e },
  );
}
