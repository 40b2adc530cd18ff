/**
 * 64-bit difference hash (dHash): the image shrunk to 9x8 grey pixels; bit k is set when a
 * pixel is brighter than its right neighbour (8 comparisons per row, rows top to bottom, first
 * bit most significant). Resizing, recompression and small edits change few bits, so the
 * Hamming distance between two hashes measures how alike two pictures look.
 */

export const DHASH_WIDTH = 9;
export const DHASH_HEIGHT = 8;

/** dHash of a 9x8 one-channel image (72 bytes, row-major) as 16 lowercase hex characters. */
export function dhashFromGrey(grey: Uint8Array): string {
  if (grey.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new Error(`dHash needs ${DHASH_WIDTH}x${DHASH_HEIGHT} = ${DHASH_WIDTH * DHASH_HEIGHT} grey pixels, got ${grey.length}`);
  }
  let hex = '';
  for (let y = 0; y < DHASH_HEIGHT; y++) {
    let byte = 0;
    for (let x = 0; x < DHASH_WIDTH - 1; x++) {
      const i = y * DHASH_WIDTH + x;
      byte = (byte << 1) | (grey[i]! > grey[i + 1]! ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/**
 * Shrinks a raw image (1-4 channels, 8-bit, row-major) to the 9x8 grey grid by averaging the
 * pixels of each cell (Rec. 601 luma; alpha ignored). Works on the thumbnail, in plain JS, so
 * the hash costs no extra image pipeline.
 */
export function greyGrid(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  if (data.length < width * height * channels || width < 1 || height < 1)
    throw new Error(`raw image too short for ${width}x${height}x${channels}`);
  const out = new Uint8Array(DHASH_WIDTH * DHASH_HEIGHT);
  const colour = channels >= 3;
  for (let cy = 0; cy < DHASH_HEIGHT; cy++) {
    const y0 = Math.floor((cy * height) / DHASH_HEIGHT);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * height) / DHASH_HEIGHT));
    for (let cx = 0; cx < DHASH_WIDTH; cx++) {
      const x0 = Math.floor((cx * width) / DHASH_WIDTH);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * width) / DHASH_WIDTH));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        let i = (y * width + x0) * channels;
        for (let x = x0; x < x1; x++, i += channels) {
          sum += colour ? 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]! : data[i]!;
        }
      }
      out[cy * DHASH_WIDTH + cx] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

/** dHash of a raw image: greyGrid() then dhashFromGrey(). */
export function dhash(data: Uint8Array, width: number, height: number, channels: number): string {
  return dhashFromGrey(greyGrid(data, width, height, channels));
}

/** Number of differing bits between two 16-hex-character hashes. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) throw new Error(`not 64-bit hex hashes: '${a}', '${b}'`);
  let d = 0;
  for (let k = 0; k < 16; k += 8) {
    let x = (parseInt(a.slice(k, k + 8), 16) ^ parseInt(b.slice(k, k + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
