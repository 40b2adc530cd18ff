/**
 * The built CLI on a generated image folder: good images of every shape give rows and
 * thumbnails, every bad file gives an errors row, and the run exits 3 (done with item errors).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance } from '../../models/thumbnail/dhash.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/src/cli.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'simrun-thumb-'));
const input = path.join(tmp, 'images');
const out = path.join(tmp, 'out');
const dbFile = path.join(tmp, 't.db');

/** A photo-like picture: gradient and shapes; `kind` picks one of two unrelated layouts. */
function picture(w: number, h: number, kind = 0): Sharp {
  const [c1, c2, cx, rx] = kind ? ['203080', 'e0f040', 40, 100] : ['f0e0a0', '102030', 120, 10];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 160 120" preserveAspectRatio="none">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#${c1}"/><stop offset="1" stop-color="#${c2}"/></linearGradient></defs>
    <rect width="160" height="120" fill="url(#g)"/><circle cx="${cx}" cy="60" r="30" fill="#fff"/>
    <rect x="${rx}" y="${kind ? 10 : 70}" width="40" height="40" fill="#000"/></svg>`;
  return sharp(Buffer.from(svg));
}

/** A PNG whose header claims 30000 x 30000 pixels (900 MP) with almost no data: a bomb. */
function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(30001))), chunk('IEND', Buffer.alloc(0))]);
}

interface Row {
  path: string;
  format: string;
  width: number;
  height: number;
  orientation: number;
  bytes: number;
  thumb_path: string | null;
  thumb_width: number;
  thumb_height: number;
  thumb_bytes: number | null;
  mean_r: number;
  mean_g: number;
  mean_b: number;
  entropy: number;
  sharpness: number;
  dominant: string;
  dhash: string;
}

let result: SpawnSyncReturns<string>;
let rows: Map<string, Row>;
let errors: { message: string }[];
let nearDuplicates: { image: string; near_duplicates: string }[];

beforeAll(async () => {
  mkdirSync(path.join(input, 'nested/deeper'), { recursive: true });
  const f = (name: string) => path.join(input, name);
  await picture(400, 300).jpeg().toFile(f('landscape.jpg'));
  await picture(300, 400).jpeg().toFile(f('portrait.jpg'));
  // Stored 400x200; orientation 6 and 8 turn it upright to 200x400.
  await picture(400, 200).jpeg().withMetadata({ orientation: 6 }).toFile(f('rot6.jpg'));
  await picture(400, 200).jpeg().withMetadata({ orientation: 8 }).toFile(f('rot8.jpg'));
  await picture(300, 150).ensureAlpha(0.5).png().toFile(f('alpha.png'));
  await picture(50, 40).png().toFile(f('tiny.png'));
  await picture(256, 256).greyscale().jpeg().toFile(f('grey.jpg'));
  await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ff0000' } })
    .webp({ lossless: true })
    .toFile(f('nested/red.webp'));
  await picture(800, 600, 1).jpeg({ quality: 90 }).toFile(f('dup-big.jpg'));
  await picture(200, 150, 1).jpeg({ quality: 60 }).toFile(f('nested/deeper/dup-small.jpg'));
  // Bad input, each must become an errors row.
  writeFileSync(f('empty.jpg'), '');
  const whole = await picture(400, 300).jpeg().toBuffer();
  writeFileSync(f('truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
  writeFileSync(f('notes.jpg'), 'this is a text file, not a JPEG\n');
  writeFileSync(f('vector.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  writeFileSync(f('bomb.png'), bombPng());

  result = spawnSync(
    process.execPath,
    [cli, 'run', 'thumbnail', '--input', input, '--db', dbFile, '--out', out, '--workers', '2', '--quiet'],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const db = new Database(dbFile, { readonly: true });
  rows = new Map((db.prepare('SELECT * FROM thumbnail').all() as Row[]).map((r) => [r.path, r]));
  errors = db.prepare('SELECT message FROM errors ORDER BY idx').all() as { message: string }[];
  nearDuplicates = db.prepare(readFileSync(path.join(root, 'models/thumbnail/near-duplicates.sql'), 'utf8')).all() as typeof nearDuplicates;
  db.close();
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('simrun run thumbnail', () => {
  it('exits 3: done, with item errors', () => {
    expect(result.stderr + result.stdout).not.toMatch(/failed to start/);
    expect(result.status).toBe(3);
    expect(rows.size).toBe(10);
    expect(errors).toHaveLength(5);
  });

  it('bounds thumbnails by 128 px, keeps the aspect and never enlarges', () => {
    const dims = (p: string) => {
      const r = rows.get(p)!;
      return [r.width, r.height, r.thumb_width, r.thumb_height];
    };
    expect(dims('landscape.jpg')).toEqual([400, 300, 128, 96]);
    expect(dims('portrait.jpg')).toEqual([300, 400, 96, 128]);
    expect(dims('tiny.png')).toEqual([50, 40, 50, 40]);
    expect(dims('grey.jpg')).toEqual([256, 256, 128, 128]);
    expect(dims('alpha.png')).toEqual([300, 150, 128, 64]);
    expect(dims('nested/red.webp')).toEqual([200, 100, 128, 64]);
  });

  it('applies EXIF orientation 6 and 8: upright size and thumbnail', async () => {
    for (const [name, o] of [
      ['rot6.jpg', 6],
      ['rot8.jpg', 8],
    ] as const) {
      const r = rows.get(name)!;
      expect([r.orientation, r.width, r.height, r.thumb_width, r.thumb_height]).toEqual([o, 200, 400, 64, 128]);
      const meta = await sharp(path.join(out, name)).metadata();
      expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([64, 128, 1]);
    }
    expect(rows.get('landscape.jpg')!.orientation).toBe(1);
  });

  it('writes thumbnails under --out, mirroring the relative path, as JPEG', async () => {
    for (const r of rows.values()) {
      expect(r.thumb_path).not.toBeNull();
      const file = path.join(out, r.thumb_path!);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).length).toBe(r.thumb_bytes);
      expect((await sharp(file).metadata()).format).toBe('jpeg');
    }
    expect(rows.get('nested/deeper/dup-small.jpg')!.thumb_path).toBe('nested/deeper/dup-small.jpg');
    expect(rows.get('alpha.png')!.thumb_path).toBe('alpha.png.jpg');
    expect(rows.get('nested/red.webp')!.thumb_path).toBe('nested/red.webp.jpg');
    expect(existsSync(path.join(out, 'empty.jpg'))).toBe(false);
  });

  it('stores formats, byte sizes and plausible analysis values', () => {
    expect(rows.get('alpha.png')!.format).toBe('png');
    expect(rows.get('nested/red.webp')!.format).toBe('webp');
    const red = rows.get('nested/red.webp')!;
    expect(red.mean_r).toBeGreaterThan(250);
    expect(red.mean_g).toBeLessThan(5);
    expect(red.mean_b).toBeLessThan(5);
    expect(red.entropy).toBe(0);
    expect(red.dominant).toBe('#f80808');
    const grey = rows.get('grey.jpg')!;
    expect(grey.mean_r).toBeCloseTo(grey.mean_g, 0);
    expect(grey.mean_g).toBeCloseTo(grey.mean_b, 0);
    const land = rows.get('landscape.jpg')!;
    expect(land.bytes).toBe(readFileSync(path.join(input, 'landscape.jpg')).length);
    expect(land.entropy).toBeGreaterThan(3);
    expect(land.sharpness).toBeGreaterThan(0);
    for (const r of rows.values()) expect(r.dhash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('finds the two copies of one picture as near-duplicates, and no unrelated pair', () => {
    const big = rows.get('dup-big.jpg')!.dhash;
    const small = rows.get('nested/deeper/dup-small.jpg')!.dhash;
    expect(hammingDistance(big, small)).toBeLessThanOrEqual(4);
    expect(hammingDistance(big, rows.get('landscape.jpg')!.dhash)).toBeGreaterThan(10);
    const dup = nearDuplicates.find((g) => g.image === 'dup-big.jpg');
    expect(dup?.near_duplicates).toMatch(/^nested\/deeper\/dup-small\.jpg \(\d\)$/);
  });

  it('records each bad file as an errors row that says what is wrong', () => {
    const msgs = errors.map((e) => e.message).join('\n');
    expect(msgs).toMatch(/empty\.jpg: empty file \(0 bytes\)/);
    expect(msgs).toMatch(/truncated\.jpg: truncated image/);
    expect(msgs).toMatch(/notes\.jpg: not an image sharp can read/);
    expect(msgs).toMatch(/vector\.svg: unsupported image format 'svg'/);
    expect(msgs).toMatch(/bomb\.png: image is 30000x30000 = 900\.0 MP, over the maxPixels limit/);
  });
});
