/**
 * The one check every command that writes a file runs first, before it writes anything: the
 * target must not be a file the command reads or that holds results (the database, its -wal,
 * -shm or -journal, an input file), under any spelling of it: a symbolic link, `./x`, a
 * relative or absolute path, or a hard link (same device and inode). A target that already is
 * a SQLite database, write-ahead log or rollback journal of another database is refused too:
 * no command of simrun writes one of those as a file (a typo of `.db` for `.csv`).
 */
import { closeSync, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';

/** A file a command must not write over, and what it is, for the message ("the database q.db"). */
export interface Guarded {
  file: string;
  what: string;
}

const SIDECARS: [string, string][] = [
  ['-wal', 'the write-ahead log'],
  ['-shm', 'the shared-memory file'],
  ['-journal', 'the rollback journal'],
];

/** The database and the files SQLite keeps beside it, under the given and the resolved name. */
export function databaseFiles(db: string, label = `the database ${db}`): Guarded[] {
  const names = [...new Set([path.resolve(db), canonical(db)])];
  return [
    { file: db, what: label },
    ...names.flatMap((n) => SIDECARS.map(([suffix, what]) => ({ file: n + suffix, what: `${what} of ${label}` }))),
  ];
}

/**
 * The absolute path with every symbolic link resolved, also for a path that does not exist
 * (yet): its deepest existing folder is resolved, a dangling link is followed to its target.
 */
export function canonical(p: string, depth = 0): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    // missing, or a dangling link: resolve what exists
  }
  if (depth > 40) return abs;
  const st = lstatOrNull(abs);
  if (st?.isSymbolicLink()) return canonical(path.resolve(path.dirname(abs), readlinkSync(abs)), depth + 1);
  const parent = path.dirname(abs);
  return parent === abs ? abs : path.join(canonical(parent, depth + 1), path.basename(abs));
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

const sameInode = (a: Stats | null, b: Stats | null) => !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/** Whether two paths name the same file: the same resolved path, or the same device and inode. */
export function sameFile(a: string, b: string): boolean {
  return canonical(a) === canonical(b) || sameInode(statOrNull(a), statOrNull(b));
}

const MAGIC: [Buffer, string][] = [
  [Buffer.from('SQLite format 3\0', 'latin1'), 'a SQLite database'],
  [Buffer.from([0x37, 0x7f, 0x06, 0x82]), 'a SQLite write-ahead log'],
  [Buffer.from([0x37, 0x7f, 0x06, 0x83]), 'a SQLite write-ahead log'],
  [Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), 'a SQLite rollback journal'],
];

/** What SQLite file an existing regular file is, from its first bytes; null for anything else. */
function sqliteKind(file: string): string | null {
  if (!statOrNull(file)?.isFile()) return null;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return MAGIC.find(([m]) => n >= m.length && head.subarray(0, m.length).equals(m))?.[1] ?? null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why writing `target` would damage a database or an input, or null when it would not.
 * `database`: the target is itself a database (merge --into), so an existing one is expected.
 */
export function clobbers(target: string, guarded: Guarded[], database = false): string | null {
  const hit = guarded.find((g) => sameFile(target, g.file));
  if (hit) return hit.what;
  const kind = database ? null : sqliteKind(target);
  if (kind) return kind;
  const side = /^(.*)-(wal|shm|journal)$/.exec(canonical(target));
  if (side && sqliteKind(side[1]!) === 'a SQLite database') return `the -${side[2]} file of the SQLite database ${side[1]}`;
  return null;
}

export interface TargetOptions {
  /** what to do instead, ending the message (default: give another file name) */
  hint?: string;
  /** the target is a database itself (see clobbers) */
  database?: boolean;
}

/**
 * Refuses (exit 2, one line, nothing written) to write `target`, given with `flag`, over one
 * of `guarded` or over any SQLite file.
 */
export function refuseOutputTarget(target: string, flag: string, guarded: Guarded[], o: TargetOptions = {}): void {
  const what = clobbers(target, guarded, o.database);
  if (what)
    throw usageError(
      `${flag} ${target} is ${what}; refusing to write over it (nothing was written); ${o.hint ?? 'give another file name'}`,
    );
}

/**
 * The public form (src/index.ts) for a model's own commands: refuses (exit 2, one line) a
 * `target` that is one of `databases` (or its -wal/-shm/-journal, by any spelling) or any
 * existing SQLite file. Call it before writing anything.
 */
export function checkOutputTarget(target: string, flag: string, databases: string[] = []): void {
  refuseOutputTarget(
    target,
    flag,
    databases.flatMap((db) => databaseFiles(db)),
  );
}

/** The same check for standard output (`> q.db` or `>> q.db` in the shell). */
export function refuseStdoutTarget(guarded: Guarded[]): void {
  let out: Stats;
  try {
    out = fstatSync(1);
  } catch {
    return;
  }
  if (!out.isFile()) return;
  const hit = guarded.find((g) => sameInode(out, statOrNull(g.file)));
  if (hit) throw usageError(`standard output is ${hit.what}; refusing to write over it; redirect to another file or use --output`);
}

/** A folder a model writes into must not hold input files (a thumbnail would replace its own image). */
export function refuseOutDirOverInputs(outDir: string, flag: string, base: string, files: string[]): void {
  const out = canonical(outDir);
  const root = canonical(base);
  const inside = files.find((f) => {
    const real = path.join(root, path.relative(base, f));
    return real === out || real.startsWith(out + path.sep);
  });
  if (inside) {
    throw usageError(
      `${flag} ${outDir} holds input files (e.g. ${inside}): outputs written there could replace them; give a folder outside the input`,
    );
  }
}
