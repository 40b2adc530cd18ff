/**
 * Case 6b, the thumbnail model on real photos: delegates to bench/thumbnail/run.ts (its own
 * benchmark: Pillow, vipsthumbnail, simrun side by side) when it and its photos exist, and
 * folds its report into ours; otherwise the case is skipped with the reason.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRow } from '../lib/measure.js';
import { runProcess } from '../lib/proc.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'thumbnail';

interface ThumbReport {
  photos: { count: number; megabytes: number };
  repeat: number;
  results: { id: string; method: string; runs: number[]; medianSeconds: number; imagesPerSecond: number; vsPillowPool: number }[];
}

export const thumbnail: BenchCase = {
  name: NAME,
  title: 'Thumbnail model on real photos (bench/thumbnail/run.ts)',
  async run(ctx): Promise<CaseResult> {
    const skip = (why: string): CaseResult => ({
      name: NAME,
      title: this.title,
      rows: [],
      targets: [],
      notes: [`skipped: ${why}`],
      skipped: why,
    });
    const script = path.join(ctx.root, 'dist/bench/thumbnail/run.js');
    if (!existsSync(path.join(ctx.root, 'bench/thumbnail/run.ts'))) return skip('bench/thumbnail/run.ts does not exist yet');
    if (!existsSync(script)) return skip('dist/bench/thumbnail/run.js missing: run npm run build');
    const photos = path.join(ctx.root, 'bench/.photos/photos');
    if (!existsSync(photos) || readdirSync(photos).length === 0) return skip('no photos: run bash bench/thumbnail/setup.sh');
    // One round of all photos takes ~2 min here, so it runs once (its own rounds interleave
    // six methods); quick mode takes one copy of the photo set (~50 photos) instead of all.
    const args = [script, '--repeat', '1'];
    if (ctx.quick && existsSync(path.join(photos, 'copy1'))) args.push('--photos', path.join(photos, 'copy1'));
    // run.ts writes bench/results/thumbnail.json, the thumbnail engineer's committed report:
    // read ours from it, then put theirs back.
    const file = path.join(ctx.root, 'bench/results/thumbnail.json');
    const theirs = existsSync(file) ? readFileSync(file) : null;
    let rep: ThumbReport;
    try {
      const r = await runProcess(process.execPath, args, { cwd: ctx.root });
      if (r.code !== 0) return skip(`bench/thumbnail/run.ts failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
      rep = JSON.parse(readFileSync(file, 'utf8')) as ThumbReport;
    } finally {
      if (theirs) writeFileSync(file, theirs);
    }
    const rows = rep.results.map((x) =>
      makeRow(NAME, x.method, rep.photos.count, x.runs, `${x.vsPillowPool.toFixed(2)}x the time of the Pillow pool`),
    );
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [],
      notes: [
        `${rep.photos.count} photos (${rep.photos.megabytes} MB), 128 px JPEG, one round of bench/thumbnail/run.ts (its methods interleaved); its own committed report is bench/results/thumbnail.json`,
      ],
      data: { thumbnail: rep },
    };
  },
};
