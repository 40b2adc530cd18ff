/**
 * The sharp pipeline: read the header (format, size, EXIF orientation) and refuse what is not
 * a supported image or exceeds the pixel limit, then decode once with shrink-on-load, apply the
 * orientation and shrink to fit `size` (never enlarged) into raw sRGB pixels. The thumbnail file
 * and the analysis are both made from that small raw image, so the photo is decoded only once.
 * A progressive JPEG decoded at 1/8 scale is first stripped of the scans that decode does not
 * read (jpeg-dc.ts): same pixels, a third of the time.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { ImageError } from './image-error.js';
import { dcOnlyJpeg, decodesAtEighth } from './jpeg-dc.js';

export type ThumbFormat = 'jpeg' | 'webp' | 'png' | 'avif';

export interface ThumbParams {
  /** Longest side of the thumbnail in pixels (never enlarged). */
  size: number;
  format: ThumbFormat;
  /** Encoder quality 1-100 (jpeg, webp, avif). */
  quality: number;
  /** Decompression-bomb guard: images with more pixels than this are refused. */
  maxPixels: number;
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface Decoded {
  format: string;
  /** Displayed size, after EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation tag 1-8 (1 when absent). */
  orientation: number;
  /** The shrunken, upright image in sRGB (3 channels, 4 with alpha). */
  thumb: RawImage;
}

/** Input formats accepted; sharp reports AVIF as heif. */
export const INPUT_FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif'] as const;

export { ImageError };

/** One libvips thread per worker (parallelism comes from the workers), no operation cache (every image is new). */
export function configureSharp(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}

/** Throws on parameters no image could be made with (called in setup, so a run fails early). */
export function validateParams(p: ThumbParams): void {
  if (!['jpeg', 'webp', 'png', 'avif'].includes(p.format))
    throw new ImageError(`param format must be jpeg, webp, png or avif, got '${String(p.format)}'`);
  if (!Number.isInteger(p.size) || p.size < 1 || p.size > 10000)
    throw new ImageError(`param size must be a whole number of pixels 1-10000, got ${p.size}`);
  if (!Number.isInteger(p.quality) || p.quality < 1 || p.quality > 100)
    throw new ImageError(`param quality must be 1-100, got ${p.quality}`);
  if (!(p.maxPixels > 0)) throw new ImageError(`param maxPixels must be positive, got ${p.maxPixels}`);
}

/** Turns a libvips/sharp message into one that says what is wrong with the file. */
export function explain(err: unknown, name: string): ImageError {
  if (err instanceof ImageError) return err;
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  let why: string;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && code.startsWith('E')) why = `cannot read the file (${msg})`;
  else if (/unsupported image format/i.test(msg)) why = 'not an image sharp can read (unknown format, or not an image at all)';
  else if (/pixel limit/i.test(msg)) why = 'image exceeds the maxPixels limit (decompression bomb guard)';
  else if (/premature end|truncated|unexpected end|end of (input|file|stream)|incomplete|short read/i.test(msg))
    why = `truncated image (${msg})`;
  else why = `corrupt or unreadable image (${msg})`;
  return new ImageError(`${name}: ${why}`);
}

function orientedSize(meta: Metadata): { width: number; height: number } {
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

const mp = (n: number) => `${(n / 1e6).toFixed(1)} MP`;

/** One decode with shrink-on-load, EXIF orientation applied, fitted inside `size`, as raw sRGB. */
export async function shrink(input: string | Buffer, p: ThumbParams): Promise<RawImage> {
  const { data, info } = await sharp(input, { limitInputPixels: p.maxPixels, failOn: 'error', sequentialRead: true })
    .autoOrient()
    .resize(p.size, p.size, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Checks, then decodes `input` (file path or its bytes) into the upright thumbnail-sized raw image. */
export async function decode(input: string | Buffer, name: string, p: ThumbParams): Promise<Decoded> {
  validateParams(p);
  if (typeof input !== 'string' && input.length === 0) throw new ImageError(`${name}: empty file (0 bytes), not an image`);
  try {
    // The header alone (no pixel limit yet, so that an oversized image is named with its size).
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    const format = meta.format as string;
    if (!(INPUT_FORMATS as readonly string[]).includes(format)) {
      throw new ImageError(`${name}: unsupported image format '${format}' (supported: jpeg, png, webp, tiff, gif, avif)`);
    }
    const { width, height } = orientedSize(meta);
    if (!(width > 0 && height > 0)) throw new ImageError(`${name}: image header gives no size`);
    if (width * height > p.maxPixels) {
      throw new ImageError(
        `${name}: image is ${width}x${height} = ${mp(width * height)}, over the maxPixels limit of ${mp(p.maxPixels)} (decompression bomb guard)`,
      );
    }
    let pixels = input;
    if (format === 'jpeg' && decodesAtEighth(width, height, p.size)) {
      const bytes = typeof input === 'string' ? await readFile(input) : input;
      pixels = dcOnlyJpeg(bytes) ?? bytes;
    }
    return {
      format: format === 'heif' && meta.compression === 'av1' ? 'avif' : format,
      width,
      height,
      orientation: meta.orientation ?? 1,
      thumb: await shrink(pixels, p),
    };
  } catch (err) {
    throw explain(err, name);
  }
}

/** Encodes the raw thumbnail in the requested format (alpha flattened on white for JPEG). */
export async function encode(thumb: RawImage, p: ThumbParams): Promise<Buffer> {
  const { data, width, height, channels } = thumb;
  let img = sharp(data, { raw: { width, height, channels } });
  switch (p.format) {
    case 'jpeg':
      if (channels === 4 || channels === 2) img = img.flatten({ background: '#ffffff' });
      return img.jpeg({ quality: p.quality }).toBuffer();
    case 'webp':
      return img.webp({ quality: p.quality }).toBuffer();
    case 'avif':
      return img.avif({ quality: p.quality }).toBuffer();
    case 'png':
      return img.png().toBuffer();
    default:
      throw new ImageError(`param format must be jpeg, webp, png or avif, got '${String(p.format)}'`);
  }
}
