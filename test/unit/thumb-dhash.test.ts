import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { dhash, dhashFromGrey, greyGrid, hammingDistance } from '../../models/thumbnail/dhash.js';

async function rawOf(img: Sharp) {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return dhash(data, info.width, info.height, info.channels);
}

/** A smooth but structured test picture: a gradient with a few shapes. */
function picture(w: number, h: number, seed: number): Sharp {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 160 120">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#${seed ? '203080' : 'f0e0a0'}"/><stop offset="1" stop-color="#${seed ? 'e0f040' : '102030'}"/></linearGradient></defs>
    <rect width="160" height="120" fill="url(#g)"/>
    <circle cx="${seed ? 40 : 120}" cy="60" r="30" fill="#ffffff"/><rect x="${seed ? 100 : 10}" y="${seed ? 10 : 70}" width="40" height="40" fill="#000000"/></svg>`;
  return sharp(Buffer.from(svg));
}

describe('dhash', () => {
  it('encodes the 64 left>right comparisons as 16 hex chars, first row first', () => {
    const grey = new Uint8Array(72);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) grey[y * 9 + x] = y === 0 ? 100 - x : x;
    expect(dhashFromGrey(grey)).toBe('ff00000000000000');
    expect(() => dhashFromGrey(new Uint8Array(10))).toThrow(/9x8/);
  });
  it('averages cells, also for images smaller than the grid', () => {
    const tiny = greyGrid(new Uint8Array([0, 0, 0, 255, 255, 255]), 2, 1, 3);
    expect(tiny.length).toBe(72);
    expect(tiny[0]).toBe(0);
    expect(tiny[8]).toBe(255);
  });
  it('hamming distance counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow(/not 64-bit hex/);
  });
  it('two sizes of one picture are within 4 bits; unrelated pictures are over 10', async () => {
    const big = await rawOf(picture(640, 480, 1).resize(128, 128, { fit: 'inside' }));
    const smallJpeg = await picture(200, 150, 1).jpeg({ quality: 60 }).toBuffer();
    const small = await rawOf(sharp(smallJpeg).resize(128, 128, { fit: 'inside' }));
    const other = await rawOf(picture(640, 480, 0).resize(128, 128, { fit: 'inside' }));
    expect(big).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(big, small)).toBeLessThanOrEqual(4);
    expect(hammingDistance(big, other)).toBeGreaterThan(10);
  });
});
