/**
 * Image analysis on the thumbnail-sized raw sRGB image (so values compare across photo sizes):
 * per-channel means, greyscale entropy and sharpness, dominant colour and the 64-bit dHash.
 *
 * The statistics follow sharp's stats() definitions (libvips sRGB -> B_W grey; entropy of the
 * 256-bin grey histogram; sharpness = standard deviation of the 3x3 Laplacian / 9 with edges
 * copied; dominant = fullest cell of a 16x16x16 RGB histogram, reported at the cell centre)
 * but run in plain JS over the pixels already decoded: stats() itself costs ~7 ms per
 * 128 px image here, this ~0.3 ms. test/unit/thumb-analysis.test.ts checks both agree.
 */
import { dhash } from './dhash.js';
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
const hex2 = (v: number) =>
  Math.max(0, Math.min(255, Math.round(v)))
    .toString(16)
    .padStart(2, '0');

/** sRGB 8-bit -> linear light. */
const TO_LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
/** Histogram cell of an 8-bit value, as libvips hist_find_ndim(bins: 16) bins it. */
const BIN = Uint8Array.from({ length: 256 }, (_, v) => Math.floor((v * 16) / 257));
const GAMMA_STEPS = 4096;
/** Linear light (0-1, in GAMMA_STEPS) -> sRGB 8-bit. */
const TO_SRGB = Uint8Array.from({ length: GAMMA_STEPS + 1 }, (_, k) => {
  const l = k / GAMMA_STEPS;
  return Math.round(255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055));
});

/** Grey as libvips makes it from sRGB: Rec. 709 luminance in linear light, gamma-encoded. */
export function toGrey(img: RawImage): Uint8Array {
  const { data, width, height, channels } = img;
  const n = width * height;
  const grey = new Uint8Array(n);
  if (channels < 3) {
    for (let i = 0; i < n; i++) grey[i] = data[i * channels]!;
    return grey;
  }
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const y = 0.2126 * TO_LINEAR[data[j]!]! + 0.7152 * TO_LINEAR[data[j + 1]!]! + 0.0722 * TO_LINEAR[data[j + 2]!]!;
    grey[i] = TO_SRGB[Math.round(y * GAMMA_STEPS)]!;
  }
  return grey;
}

export function entropy(grey: Uint8Array): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) hist[grey[i]!]!++;
  let e = 0;
  for (const c of hist) {
    if (c) {
      const p = c / grey.length;
      e -= p * Math.log2(p);
    }
  }
  return e;
}

/** Standard deviation of the 4-neighbour Laplacian / 9, edges extended by copying. */
export function sharpness(grey: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let sum2 = 0;
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const row = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < width - 1 ? x + 1 : x;
      const v = (grey[up + x]! + grey[down + x]! + grey[row + l]! + grey[row + r]! - 4 * grey[row + x]!) / 9;
      sum += v;
      sum2 += v * v;
    }
  }
  const n = width * height;
  const mean = sum / n;
  return n > 1 ? Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / (n - 1))) : 0;
}

export function analyze(img: RawImage): Analysis {
  const { data, width, height, channels } = img;
  const n = width * height;
  let sumR = 0;
  let sumG = 0;
  let sumB = 0;
  const hist = new Uint32Array(4096);
  const colour = channels >= 3;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = data[j]!;
    const g = colour ? data[j + 1]! : r;
    const b = colour ? data[j + 2]! : r;
    sumR += r;
    sumG += g;
    sumB += b;
    hist[(BIN[r]! << 8) | (BIN[g]! << 4) | BIN[b]!]!++;
  }
  let best = 0;
  for (let k = 1; k < 4096; k++) if (hist[k]! > hist[best]!) best = k;
  const grey = toGrey(img);
  return {
    mean_r: round(sumR / n),
    mean_g: round(sumG / n),
    mean_b: round(sumB / n),
    entropy: round(entropy(grey), 4),
    sharpness: round(sharpness(grey, width, height), 4),
    dominant: `#${hex2((best >> 8) * 16 + 8)}${hex2(((best >> 4) & 15) * 16 + 8)}${hex2((best & 15) * 16 + 8)}`,
    dhash: dhash(data, width, height, channels),
  };
}
