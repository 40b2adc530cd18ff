/**
 * Image analysis on the thumbnail-sized raw image (so values compare across photo sizes):
 * per-channel means, greyscale entropy and sharpness and the dominant colour from sharp's
 * stats(), and the 64-bit dHash for near-duplicate search.
 */
import sharp from 'sharp';
import { DHASH_HEIGHT, DHASH_WIDTH, dhashFromGrey } from './dhash.js';
import type { RawImage } from './pipeline.js';

export interface Analysis {
  mean_r: number;
  mean_g: number;
  mean_b: number;
  /** Greyscale histogram entropy in bits (0 for a flat image, at most 8). */
  entropy: number;
  /** Greyscale sharpness: standard deviation of the Laplacian (higher is crisper). */
  sharpness: number;
  /** Dominant colour as #rrggbb. */
  dominant: string;
  /** 64-bit difference hash, 16 hex characters. */
  dhash: string;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const hex2 = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');

function rawInput(img: RawImage) {
  const { width, height, channels } = img;
  return sharp(img.data, { raw: { width, height, channels } });
}

/** The 9x8 grey image behind the dHash (alpha dropped, so transparency does not count). */
async function dhashOf(img: RawImage): Promise<string> {
  const grey = await rawInput(img)
    .removeAlpha()
    .greyscale()
    .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return dhashFromGrey(grey);
}

export async function analyze(img: RawImage): Promise<Analysis> {
  const [stats, dhash] = await Promise.all([rawInput(img).stats(), dhashOf(img)]);
  const ch = stats.channels;
  // A one- or two-channel image is grey: R = G = B.
  const [r, g, b] = img.channels >= 3 ? [ch[0]!, ch[1]!, ch[2]!] : [ch[0]!, ch[0]!, ch[0]!];
  const d = stats.dominant;
  return {
    mean_r: round(r.mean),
    mean_g: round(g.mean),
    mean_b: round(b.mean),
    entropy: round(stats.entropy, 4),
    sharpness: round(stats.sharpness, 4),
    dominant: `#${hex2(d.r)}${hex2(d.g)}${hex2(d.b)}`,
    dhash,
  };
}
