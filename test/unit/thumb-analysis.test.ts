import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../models/thumbnail/analysis.js';

async function raw(img: Sharp) {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('analysis', () => {
  it('a solid red image has mean R=255, G=B=0, zero entropy and sharpness, dominant red', async () => {
    const a = analyze(await raw(sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } })));
    expect([a.mean_r, a.mean_g, a.mean_b]).toEqual([255, 0, 0]);
    expect(a.entropy).toBe(0);
    expect(a.sharpness).toBe(0);
    expect(a.dominant).toBe('#f80808');
  });
  it("agrees with sharp's stats() on a real-looking picture", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="96"><defs><radialGradient id="g"><stop offset="0" stop-color="#e05020"/><stop offset="1" stop-color="#103060"/></radialGradient></defs>
      <rect width="128" height="96" fill="url(#g)"/><rect x="10" y="10" width="30" height="20" fill="#f0f0f0"/><circle cx="90" cy="60" r="20" fill="#20a040"/></svg>`;
    const img = await raw(sharp(Buffer.from(svg)).removeAlpha());
    const a = analyze(img);
    const s = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).stats();
    expect(a.mean_r).toBeCloseTo(s.channels[0]!.mean, 2);
    expect(a.mean_g).toBeCloseTo(s.channels[1]!.mean, 2);
    expect(a.mean_b).toBeCloseTo(s.channels[2]!.mean, 2);
    expect(Math.abs(a.entropy - s.entropy)).toBeLessThan(0.05);
    expect(Math.abs(a.sharpness - s.sharpness) / s.sharpness).toBeLessThan(0.05);
    const d = s.dominant;
    expect(a.dominant).toBe(`#${[d.r, d.g, d.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
  });
  it('treats a grey image as R=G=B', () => {
    const a = analyze({ data: Buffer.alloc(16, 100), width: 4, height: 4, channels: 1 });
    expect([a.mean_r, a.mean_g, a.mean_b]).toEqual([100, 100, 100]);
  });
});
