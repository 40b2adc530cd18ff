import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dcOnlyJpeg, decodesAtEighth } from '../../models/thumbnail/jpeg-dc.js';
import { decode, shrink, type ThumbParams } from '../../models/thumbnail/pipeline.js';

// 600x400 is 9.4x a 64 px thumbnail: sharp decodes it at 1/8 scale, where the shortcut applies.
const p: ThumbParams = { size: 64, format: 'jpeg', quality: 80, maxPixels: 268_402_689 };

/** A textured photo-like image (noise over gradients), so that every AC scan carries data. */
async function photo(opts: { chroma?: '4:2:0' | '4:4:4'; grey?: boolean; progressive?: boolean; orientation?: number }) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><defs><linearGradient id="g"><stop offset="0" stop-color="#d04010"/><stop offset="1" stop-color="#1060c0"/></linearGradient></defs>
    <rect width="600" height="400" fill="url(#g)"/><circle cx="420" cy="180" r="120" fill="#30c050"/><rect x="40" y="250" width="200" height="90" fill="#f8f0e0"/></svg>`;
  const noise = await sharp({
    create: { width: 600, height: 400, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .png()
    .toBuffer();
  let img = sharp(Buffer.from(svg))
    .removeAlpha()
    .composite([{ input: noise, blend: 'overlay' }]);
  if (opts.grey) img = img.greyscale();
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.jpeg({ quality: 90, progressive: opts.progressive ?? true, chromaSubsampling: opts.chroma ?? '4:2:0' }).toBuffer();
}

let yuv420: Buffer;
beforeAll(async () => {
  yuv420 = await photo({ chroma: '4:2:0' });
});

describe('dcOnlyJpeg: the thumbnail is pixel-identical to the full decode, from fewer bytes', () => {
  const cases: [string, Parameters<typeof photo>[0]][] = [
    ['4:2:0 colour (chroma AC scans kept)', { chroma: '4:2:0' }],
    ['4:4:4 colour (all AC scans dropped)', { chroma: '4:4:4' }],
    ['greyscale', { grey: true }],
    ['EXIF orientation 6', { orientation: 6 }],
  ];
  for (const [label, opts] of cases) {
    it(label, async () => {
      const jpeg = await photo(opts);
      const dc = dcOnlyJpeg(jpeg);
      expect(dc).not.toBeNull();
      expect(dc!.length).toBeLessThan(jpeg.length * 0.8);
      const full = await shrink(jpeg, p);
      const fast = await shrink(dc!, p);
      expect([fast.width, fast.height, fast.channels]).toEqual([full.width, full.height, full.channels]);
      expect(fast.data.equals(full.data)).toBe(true);
      // decode() takes the shortcut itself and gives the same pixels.
      const d = await decode(jpeg, 'photo.jpg', p);
      expect(d.thumb.data.equals(full.data)).toBe(true);
      expect([d.width, d.height]).toEqual(opts.orientation === 6 ? [400, 600] : [600, 400]);
    });
  }
});

describe("decode() at the edge of sharp's 1/8 shrink-on-load", () => {
  it('an image exactly 9x the thumbnail size still gets identical pixels (pins the rule to sharp)', async () => {
    const jpeg = await sharp(yuv420).resize(576, 384).jpeg({ quality: 90, progressive: true }).toBuffer();
    expect(decodesAtEighth(576, 384, p.size)).toBe(true);
    const d = await decode(jpeg, 'edge.jpg', p);
    const full = await shrink(jpeg, p);
    expect(d.thumb.data.equals(full.data)).toBe(true);
    // The shortcut was taken: the file given to sharp is smaller than the original.
    expect(dcOnlyJpeg(jpeg)!.length).toBeLessThan(jpeg.length * 0.8);
  });
});

describe('dcOnlyJpeg: declines what it cannot shorten safely', () => {
  it('a baseline (non-progressive) JPEG', async () => {
    expect(dcOnlyJpeg(await photo({ progressive: false }))).toBeNull();
  });
  it('not a JPEG, empty, or cut off in the middle of a scan', async () => {
    expect(dcOnlyJpeg(await sharp(yuv420).png().toBuffer())).toBeNull();
    expect(dcOnlyJpeg(Buffer.alloc(0))).toBeNull();
    expect(dcOnlyJpeg(Buffer.from('not an image at all'))).toBeNull();
    expect(dcOnlyJpeg(yuv420.subarray(0, Math.floor(yuv420.length * 0.6)))).toBeNull();
  });
  it('a quantisation table shared by luma and subsampled chroma (block smoothing cannot be switched off)', () => {
    const shared = Buffer.from(yuv420);
    const sof = shared.indexOf(Buffer.from([0xff, 0xc2]));
    const n = shared[sof + 9]!;
    for (let c = 0; c < n; c++) shared[sof + 10 + 3 * c + 2] = 0; // every component uses table 0
    expect(dcOnlyJpeg(shared)).toBeNull();
  });
});

describe('dcOnlyJpeg on damaged files', () => {
  it('never throws or hangs on 2,000 randomly damaged copies; what it returns is a whole JPEG', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let t = 0; t < 2000; t++) {
      const b = Buffer.from(yuv420);
      // Damage where it matters most: the headers and the first scans.
      for (let k = 1 + rand(4); k > 0; k--) b[rand(Math.min(b.length, 4000))] = rand(256);
      const cut = t % 5 === 0 ? b.subarray(0, rand(b.length)) : b;
      const out = dcOnlyJpeg(cut);
      if (out !== null) {
        expect(out.readUInt16BE(0)).toBe(0xffd8);
        expect(out.readUInt16BE(out.length - 2)).toBe(0xffd9);
      }
    }
  });
});

describe('decodesAtEighth', () => {
  it("follows sharp's shrink-on-load rule: 1/8 scale from a shrink factor of 9", () => {
    expect(decodesAtEighth(1152, 800, 128)).toBe(true);
    expect(decodesAtEighth(800, 1152, 128)).toBe(true);
    expect(decodesAtEighth(1151, 800, 128)).toBe(false);
    expect(decodesAtEighth(1024, 1024, 128)).toBe(false);
  });
});
