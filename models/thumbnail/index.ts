/**
 * thumbnail: for every image of a folder or glob input, a thumbnail under --out (mirroring the
 * image's relative path, bounded by `size`, EXIF orientation applied, never enlarged) and one
 * row of facts and analysis (channel means, entropy, sharpness, dominant colour, dHash).
 * Without --out nothing is written: the row still holds the analysis and the thumbnail's size,
 * with thumb_path and thumb_bytes NULL. A bad file throws, which makes it an errors row.
 */
import { mkdirSync } from 'node:fs';
import { defineModel } from '../../src/index.js';
import { analyze, type Analysis } from './analysis.js';
import { ImageError } from './image-error.js';
import { thumbName, writeThumbnail } from './out-path.js';
import type { ThumbFormat, ThumbParams } from './pipeline.js';
import { thumbnailReport } from './report.js';

/**
 * The sharp pipeline, loaded by `setup` (in the workers): loading the model elsewhere (the
 * primary, `simrun --help`, `simrun models`) does not pay for sharp and libvips.
 */
let pipeline: typeof import('./pipeline.js') | null = null;
function loaded(): typeof import('./pipeline.js') {
  if (!pipeline) throw new Error('thumbnail: analyze before setup');
  return pipeline;
}

interface FileItem {
  path: string;
  name: string;
  size: number;
}

interface Result {
  item: FileItem;
  format: string;
  width: number;
  height: number;
  orientation: number;
  thumbPath: string | null;
  thumbWidth: number;
  thumbHeight: number;
  thumbBytes: number | null;
  analysis: Analysis | null;
}

const defaults = {
  size: 128,
  format: 'jpeg' as ThumbFormat,
  quality: 80,
  /** sharp's own default: 0x3FFF * 0x3FFF pixels. */
  maxPixels: 268_402_689,
  /** false skips the analysis columns (left NULL) for pure thumbnailing. */
  analysis: true,
};

function asFileItem(item: unknown): FileItem {
  const it = item as Partial<FileItem> | null;
  if (!it || typeof it.path !== 'string' || typeof it.name !== 'string') {
    throw new ImageError('thumbnail needs a folder or glob input (items with path and name), e.g. --input photos/');
  }
  return { path: it.path, name: it.name, size: typeof it.size === 'number' ? it.size : -1 };
}

export default defineModel<unknown, Result, typeof defaults>({
  name: 'thumbnail',
  version: '1.0.0',
  description: 'image thumbnails under --out plus per-image analysis (means, entropy, sharpness, dominant colour, dHash)',
  columns: {
    path: 'text',
    format: 'text',
    width: 'integer',
    height: 'integer',
    orientation: 'integer',
    bytes: 'integer',
    thumb_path: 'text',
    thumb_width: 'integer',
    thumb_height: 'integer',
    thumb_bytes: 'integer',
    mean_r: 'real',
    mean_g: 'real',
    mean_b: 'real',
    entropy: 'real',
    sharpness: 'real',
    dominant: 'text',
    dhash: 'text',
  },
  params: defaults,
  async setup(ctx) {
    // Parallelism comes from the workers: one libvips thread per worker, no operation cache
    // (every image is new, so the cache only costs memory). See README, "Image jobs".
    pipeline ??= await import('./pipeline.js');
    pipeline.configureSharp();
    pipeline.validateParams(ctx.params as ThumbParams);
    if (ctx.outDir) mkdirSync(ctx.outDir, { recursive: true });
  },
  async analyze(raw, ctx) {
    const item = asFileItem(raw);
    const p = ctx.params as ThumbParams & { analysis: boolean };
    if (item.size === 0) throw new ImageError(`${item.name}: empty file (0 bytes), not an image`);
    const { decode, encode } = loaded();
    const img = await decode(item.path, item.name, p);
    let thumbPath: string | null = null;
    let thumbBytes: number | null = null;
    if (ctx.outDir) {
      const rel = thumbName(item.name, p.format);
      const buf = await encode(img.thumb, p);
      writeThumbnail(ctx.outDir, rel, buf, item.path);
      thumbPath = rel;
      thumbBytes = buf.length;
    }
    const analysis = p.analysis ? analyze(img.thumb) : null;
    return {
      item,
      format: img.format,
      width: img.width,
      height: img.height,
      orientation: img.orientation,
      thumbPath,
      thumbWidth: img.thumb.width,
      thumbHeight: img.thumb.height,
      thumbBytes,
      analysis,
    };
  },
  format(r) {
    const a = r.analysis;
    return {
      path: r.item.name,
      format: r.format,
      width: r.width,
      height: r.height,
      orientation: r.orientation,
      bytes: r.item.size,
      thumb_path: r.thumbPath,
      thumb_width: r.thumbWidth,
      thumb_height: r.thumbHeight,
      thumb_bytes: r.thumbBytes,
      mean_r: a?.mean_r ?? null,
      mean_g: a?.mean_g ?? null,
      mean_b: a?.mean_b ?? null,
      entropy: a?.entropy ?? null,
      sharpness: a?.sharpness ?? null,
      dominant: a?.dominant ?? null,
      dhash: a?.dhash ?? null,
    };
  },
  report: thumbnailReport,
});
