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
