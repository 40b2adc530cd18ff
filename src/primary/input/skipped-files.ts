/**
 * A folder or glob input takes only regular files whose path has no part starting with '.':
 * dotfiles and dot-folders (.DS_Store, .git, .thumbnails), symbolic links, FIFOs, sockets and
 * devices are skipped. This counts what was skipped, and why, for the run's log.
 */
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { GLOB_CHARS } from './sources.js';

export interface SkippedFiles {
  /** Files under a name starting with '.' (the file's own, or a folder's on the way). */
  dotfiles: number;
  symlinks: number;
  /** FIFOs, sockets, character and block devices. */
  special: number;
}

function walk(dir: string, inDot: boolean, out: SkippedFiles): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: the listing skips it too
  }
  for (const e of entries) {
    const dot = inDot || e.name.startsWith('.');
    if (e.isDirectory()) walk(path.join(dir, e.name), dot, out);
    else if (dot) out.dotfiles++;
    else if (e.isSymbolicLink()) out.symlinks++;
    else if (!e.isFile()) out.special++;
  }
}

/** What a folder (walked) or a glob (listed with and without dotfiles) input skipped. */
export async function countSkippedFiles(uri: string): Promise<SkippedFiles> {
  const out: SkippedFiles = { dotfiles: 0, symlinks: 0, special: 0 };
  if (!GLOB_CHARS.test(uri)) {
    walk(uri, false, out);
    return out;
  }
  const opts = { cwd: process.cwd(), onlyFiles: true, followSymbolicLinks: false };
  const { glob } = await import('tinyglobby');
  const [all, taken] = await Promise.all([glob([uri], { ...opts, dot: true }), glob([uri], opts)]);
  out.dotfiles = all.length - taken.length;
  return out;
}

/** One log line when anything was skipped: info for dotfiles only, warn when links or special files were. */
export async function logSkippedFiles(uri: string, log: Logger): Promise<void> {
  const s = await countSkippedFiles(uri);
  if (!s.dotfiles && !s.symlinks && !s.special) return;
  const why = [
    s.dotfiles && `${s.dotfiles} dotfile(s) (a name starting with '.', or inside such a folder)`,
    s.symlinks && `${s.symlinks} symbolic link(s) (links are not followed)`,
    s.special && `${s.special} FIFO(s), socket(s) or device(s) (not regular files)`,
  ].filter(Boolean);
  const msg = `input ${uri}: skipped ${why.join(', ')}`;
  if (s.symlinks || s.special) log.warn({ input: uri, skipped: s }, msg);
  else log.info({ input: uri, skipped: s }, msg);
}
