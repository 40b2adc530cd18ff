import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Two workers thumbnailing images of one new folder: both see the folder missing, one makes it,
// and the other's mkdir meets EEXIST. The stub below replays that interleaving deterministically.
const raced = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const lstatSync = ((p: string, opts?: object) => {
    if (raced.has(p)) {
      raced.delete(p);
      fs.mkdirSync(p); // the other worker wins the race
      return undefined;
    }
    return fs.lstatSync(p, opts as never);
  }) as typeof fs.lstatSync;
  return { ...fs, lstatSync, default: { ...fs, lstatSync } };
});

const { writeThumbnail } = await import('../../models/thumbnail/out-path.js');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'simrun-race-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeThumbnail when another worker creates the same folder at the same moment', () => {
  it('writes the thumbnail into the folder the other worker made', () => {
    const out = path.join(tmp, 'out');
    mkdirSync(out);
    raced.add(path.join(out, 'copy6'));
    const target = writeThumbnail(out, 'copy6/a.jpg', Buffer.from('thumb'));
    expect(target).toBe(path.join(out, 'copy6', 'a.jpg'));
    expect(readFileSync(target, 'utf8')).toBe('thumb');
  });
});
