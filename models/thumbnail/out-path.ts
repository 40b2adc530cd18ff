/**
 * Where a thumbnail may be written: always inside --out, mirroring the image's path relative
 * to the input folder. A name that is absolute or walks up with `..`, or a path inside --out
 * that goes through a symbolic link, is refused; the file itself is opened with O_NOFOLLOW.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

const EXT: Record<string, string[]> = {
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  webp: ['.webp'],
  avif: ['.avif'],
  tiff: ['.tif', '.tiff'],
};

/**
 * The thumbnail's path relative to --out: the source name with the output format's extension.
 * `a/b.jpg` stays `a/b.jpg` for JPEG output; `a/b.png` becomes `a/b.png.jpg` so that `b.png`
 * and `b.jpg` in one folder never share a thumbnail.
 */
export function thumbName(name: string, format: string): string {
  const exts = EXT[format];
  if (!exts) throw new Error(`unknown thumbnail format '${format}' (use ${Object.keys(EXT).join(', ')})`);
  const ext = path.extname(name).toLowerCase();
  return exts.includes(ext) ? name : name + exts[0];
}

/** Checks a relative name and returns the absolute path it maps to under outDir. */
export function resolveInside(outDir: string, name: string): string {
  if (name === '' || name.includes('\0'))
    throw new UnsafePathError(`unsafe thumbnail name ${JSON.stringify(name)}: empty or holds a NUL byte`);
  if (path.isAbsolute(name) || /^[A-Za-z]:/.test(name)) {
    throw new UnsafePathError(`unsafe thumbnail name '${name}': absolute paths cannot be mirrored under --out`);
  }
  if (name.split(/[\\/]/).some((seg) => seg === '..')) {
    throw new UnsafePathError(`unsafe thumbnail name '${name}': '..' would leave the --out directory`);
  }
  const root = path.resolve(outDir);
  const target = path.resolve(root, name);
  const rel = path.relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new UnsafePathError(`unsafe thumbnail name '${name}': resolves outside --out (${root})`);
  }
  return target;
}

/**
 * Creates the parent folders of `target` (inside outDir) and refuses any of them, or the
 * target, that is a symbolic link: a link planted in --out could otherwise redirect a write.
 */
export function prepareParents(outDir: string, target: string): void {
  const root = realpathSync(outDir);
  const rel = path.relative(path.resolve(outDir), path.dirname(target));
  let dir = root;
  for (const seg of rel ? rel.split(path.sep) : []) {
    dir = path.join(dir, seg);
    let st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) {
      try {
        mkdirSync(dir);
        continue;
      } catch (err) {
        // Another worker made it between our look and our mkdir: check what is there now.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        st = lstatSync(dir);
      }
    }
    if (st.isSymbolicLink()) throw new UnsafePathError(`refusing to write through symbolic link ${dir} inside --out`);
    if (!st.isDirectory()) throw new UnsafePathError(`cannot create folder ${dir} inside --out: a file is in the way`);
  }
}

/** Writes `data` to `target`, replacing a regular file but never following a symbolic link. */
export function writeNoFollow(target: string, data: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOOP')
      throw new UnsafePathError(`refusing to overwrite symbolic link ${target} inside --out`);
    throw err;
  }
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } finally {
    closeSync(fd);
  }
}

/** A thumbnail never replaces its own image (the same file by another path or a hard link). */
function refuseSource(target: string, source: string | undefined): void {
  if (source === undefined) return;
  const [t, s] = [statSync(target, { throwIfNoEntry: false }), statSync(source, { throwIfNoEntry: false })];
  if (t && s && t.dev === s.dev && t.ino === s.ino)
    throw new UnsafePathError(
      `refusing to write the thumbnail over its own image ${source} (${target}); give an --out folder outside the input`,
    );
}

/** All of the above: the absolute path where the thumbnail of `name` (of the image `source`) was written. */
export function writeThumbnail(outDir: string, relName: string, data: Uint8Array, source?: string): string {
  const target = resolveInside(outDir, relName);
  prepareParents(outDir, target);
  refuseSource(target, source);
  writeNoFollow(target, data);
  return target;
}
