import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInside, thumbName, UnsafePathError, writeThumbnail } from '../../models/thumbnail/out-path.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'thumb-path-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('thumbName', () => {
  it('keeps a matching extension and appends otherwise', () => {
    expect(thumbName('a/b.jpg', 'jpeg')).toBe('a/b.jpg');
    expect(thumbName('a/b.JPEG', 'jpeg')).toBe('a/b.JPEG');
    expect(thumbName('a/b.png', 'jpeg')).toBe('a/b.png.jpg');
    expect(thumbName('b.jpg', 'webp')).toBe('b.jpg.webp');
    expect(() => thumbName('b.jpg', 'bmp')).toThrow(/unknown thumbnail format 'bmp'/);
  });
});

describe('resolveInside', () => {
  const out = path.join(tmp, 'out');
  it('mirrors a relative name under --out', () => {
    expect(resolveInside(out, 'x/y/z.jpg')).toBe(path.join(out, 'x/y/z.jpg'));
  });
  it.each(['../evil.jpg', 'a/../../evil.jpg', 'a/..', '..'])('rejects %s', (name) => {
    expect(() => resolveInside(out, name)).toThrow(UnsafePathError);
    expect(() => resolveInside(out, name)).toThrow(/'\.\.' would leave the --out directory/);
  });
  it('rejects absolute names, empty names and NUL bytes', () => {
    expect(() => resolveInside(out, '/etc/passwd')).toThrow(/absolute paths/);
    expect(() => resolveInside(out, 'C:/x.jpg')).toThrow(/absolute paths/);
    expect(() => resolveInside(out, '')).toThrow(UnsafePathError);
    expect(() => resolveInside(out, 'a\0b')).toThrow(UnsafePathError);
  });
  it('allows names that merely contain dots', () => {
    expect(resolveInside(out, '..a/b..jpg')).toBe(path.join(out, '..a/b..jpg'));
  });
});

describe('writeThumbnail', () => {
  it('creates parent folders and overwrites its own file', () => {
    const out = path.join(tmp, 'w1');
    mkdirSync(out);
    writeThumbnail(out, 'a/b/c.jpg', Buffer.from('one'));
    writeThumbnail(out, 'a/b/c.jpg', Buffer.from('two'));
    expect(readFileSync(path.join(out, 'a/b/c.jpg'), 'utf8')).toBe('two');
  });
  it('refuses to write through a symlinked folder inside --out', () => {
    const out = path.join(tmp, 'w2');
    const outside = path.join(tmp, 'outside');
    mkdirSync(out);
    mkdirSync(outside);
    symlinkSync(outside, path.join(out, 'link'));
    expect(() => writeThumbnail(out, 'link/x.jpg', Buffer.from('x'))).toThrow(/symbolic link/);
  });
  it('refuses to overwrite a symlink planted at the thumbnail path', () => {
    const out = path.join(tmp, 'w3');
    mkdirSync(out);
    const victim = path.join(tmp, 'victim.txt');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, path.join(out, 'x.jpg'));
    expect(() => writeThumbnail(out, 'x.jpg', Buffer.from('x'))).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
  });
});
