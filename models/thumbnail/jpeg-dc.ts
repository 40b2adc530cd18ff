/**
 * DC-only progressive JPEGs: a lossless shortcut for small thumbnails of progressive photos.
 *
 * When libjpeg decodes at 1/8 scale (sharp's shrink-on-load 8, used once the image is at least
 * 9x the thumbnail size), each 8x8 block of a full-resolution component becomes one pixel computed
 * from its DC coefficient alone (jpeg_idct_1x1). A progressive JPEG stores those DC coefficients
 * in their own scans, so the AC scans of such components can be left out without changing a
 * single output pixel, and they are most of the file: the decode of a progressive photo drops
 * from ~85 ms to ~20 ms here (README, "Image jobs").
 *
 * Two details keep the pixels identical, and the tests check that they are:
 * - Subsampled components (the chroma of 4:2:0) are decoded at 2x2 or larger, which needs their
 *   AC coefficients: their scans are all kept.
 * - libjpeg's block smoothing would invent AC terms (and, in libjpeg-turbo 2.1+, adjust DC) for
 *   blocks whose AC is missing. It is switched off by setting a quantiser it checks (Q01) to zero in
 *   a table used only by full-resolution components, where no IDCT at 1/8 scale ever reads it.
 *   Without such a table the shortcut is not taken.
 *
 * Anything unexpected (not progressive Huffman, 12-bit, a malformed marker, entropy data without
 * an end) returns null, and the caller decodes the original bytes: a broken file fails there with
 * libjpeg's own message.
 */

interface Component {
  id: number;
  h: number;
  v: number;
  table: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DQT = 0xdb;
const SOF2 = 0xc2;

/** Is `m` a start-of-frame marker (SOF0-SOF15 minus DHT, JPG and DAC)? */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** End of the entropy-coded data that starts at `from`: the next marker other than FF00 and RSTn. */
function entropyEnd(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = buf.indexOf(0xff, i);
    if (i < 0 || i + 1 >= buf.length) return -1;
    const n = buf[i + 1]!;
    if (n === 0x00 || n === 0xff || (n >= 0xd0 && n <= 0xd7)) i += 1;
    else return i;
  }
}

/** The SOF2 frame's components, or null if it is not an 8-bit frame we understand. */
function frameComponents(seg: Buffer): Component[] | null {
  if (seg[4] !== 8) return null;
  const n = seg[9]!;
  if (n < 1 || n > 4 || seg.length < 10 + 3 * n) return null;
  const comps: Component[] = [];
  for (let c = 0; c < n; c++) {
    const o = 10 + 3 * c;
    comps.push({ id: seg[o]!, h: seg[o + 1]! >> 4, v: seg[o + 1]! & 15, table: seg[o + 2]! });
  }
  return comps;
}

/** Ids of the full-resolution components (sampled at the frame's maximum), decoded 1x1 at 1/8. */
function fullResolutionIds(comps: Component[]): Set<number> {
  const maxH = Math.max(...comps.map((c) => c.h));
  const maxV = Math.max(...comps.map((c) => c.v));
  return new Set(comps.filter((c) => c.h === maxH && c.v === maxV).map((c) => c.id));
}

/** The table whose Q01 can be zeroed: used by full-resolution components and by nothing else. */
function smoothingOffTable(comps: Component[], full: Set<number>): number | null {
  for (const c of comps) {
    if (full.has(c.id) && comps.every((o) => o.table !== c.table || full.has(o.id))) return c.table;
  }
  return null;
}

/** Copy of a DQT segment with Q01 (zigzag position 1) of table `table` set to zero. */
function zeroQ01(seg: Buffer, table: number): { seg: Buffer; found: boolean } {
  const out = Buffer.from(seg);
  let found = false;
  let q = 4;
  while (q < out.length) {
    const precision16 = out[q]! >> 4;
    if ((out[q]! & 15) === table) {
      if (precision16) out.writeUInt16BE(0, q + 3);
      else out[q + 2] = 0;
      found = true;
    }
    q += precision16 ? 129 : 65;
  }
  return { seg: out, found };
}

function parse(buf: Buffer): Buffer | null {
  if (buf[0] !== 0xff || buf[1] !== SOI) return null;
  const parts: Buffer[] = [buf.subarray(0, 2)];
  const dqts: number[] = [];
  let comps: Component[] | null = null;
  let full = new Set<number>();
  let dropped = 0;
  let pos = 2;
  for (;;) {
    if (pos + 2 > buf.length || buf[pos] !== 0xff) return null;
    const m = buf[pos + 1]!;
    if (m === 0xff) {
      pos += 1;
      continue;
    }
    if (m === EOI) break;
    if (pos + 4 > buf.length) return null;
    const end = pos + 2 + buf.readUInt16BE(pos + 2);
    if (end > buf.length) return null;
    const seg = buf.subarray(pos, end);
    if (isSof(m)) {
      if (m !== SOF2 || comps) return null;
      comps = frameComponents(seg);
      if (!comps) return null;
      full = fullResolutionIds(comps);
    }
    if (m !== SOS) {
      if (m === DQT) dqts.push(parts.length);
      parts.push(seg);
      pos = end;
      continue;
    }
    if (!comps) return null;
    const dataEnd = entropyEnd(buf, end);
    if (dataEnd < 0) return null;
    // SOS: Ns, then Ns (id, tables) pairs, then Ss; a DC scan has Ss = 0.
    const ns = seg[4]!;
    if (ns < 1 || seg.length !== 8 + 2 * ns) return null; // a malformed scan header: let libjpeg say so
    const ss = seg[5 + 2 * ns];
    // An AC scan holds one component; it can go if that component is decoded at 1x1.
    if (ss !== 0 && ns === 1 && full.has(seg[5]!)) dropped += 1;
    else parts.push(buf.subarray(pos, dataEnd));
    pos = dataEnd;
  }
  if (!comps || dropped === 0) return null;
  const table = smoothingOffTable(comps, full);
  if (table === null) return null;
  let zeroed = false;
  for (const i of dqts) {
    const z = zeroQ01(parts[i]!, table);
    parts[i] = z.seg;
    zeroed ||= z.found;
  }
  if (!zeroed) return null;
  parts.push(Buffer.from([0xff, EOI]));
  return Buffer.concat(parts);
}

/**
 * The bytes of `jpeg` without the AC scans that a 1/8-scale decode does not read, or null when
 * the shortcut does not apply (baseline JPEG, nothing to drop, or anything unexpected).
 */
export function dcOnlyJpeg(jpeg: Buffer): Buffer | null {
  try {
    return parse(jpeg);
  } catch {
    return null;
  }
}

/** Does sharp decode an image of this size at 1/8 scale for a thumbnail bounded by `size`? */
export function decodesAtEighth(width: number, height: number, size: number): boolean {
  // sharp (pipeline.cc): shrink-on-load 8 when the shrink factor is >= 8 and not exactly 8.
  return Math.max(width, height) >= 9 * size;
}
