/**
 * Thumbnail benchmark: the same photos, the same 128 px target, side by side:
 * Pillow sequential, Pillow ProcessPoolExecutor, vipsthumbnail under GNU parallel, and simrun
 * thumbnail on 1 and all cores (with and without the analysis columns). Each method runs
 * `--repeat` times, interleaved so that load from other processes spreads evenly; the median
 * wall time counts. Writes bench/results/thumbnail.json.
 *
 *   bash bench/thumbnail/setup.sh && npm run build && node dist/bench/thumbnail/run.js [--repeat 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] ? args[k + 1]! : def;
};
const photos = path.resolve(opt('photos', path.join(root, 'bench/.photos/photos')));
const repeat = Number(opt('repeat', '3'));
const size = Number(opt('size', '128'));
const quality = 80;
const cores = os.availableParallelism();
const tmp = path.join(root, 'bench/results/tmp/thumbnail');
const python = '/usr/bin/python3';

interface Method {
  id: string;
  label: string;
  out: string;
  cmd: () => [string, string[]];
}

function listImages(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(jpe?g|png|webp|tiff?|gif)$/i.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

function simrun(workers: number, analysis: boolean, id: string): Method {
  const out = path.join(tmp, id);
  return {
    id,
    label: `simrun thumbnail, ${workers} worker${workers > 1 ? 's' : ''}${analysis ? ' + analysis' : ''}`,
    out,
    cmd: () => {
      rmSync(`${out}.db`, { force: true });
      const a = ['dist/src/cli.js', 'run', 'thumbnail', '--input', photos, '--db', `${out}.db`, '--out', out];
      a.push('--workers', String(workers), '--quiet', '--param', `size=${size}`, '--param', `quality=${quality}`);
      if (!analysis) a.push('--param', 'analysis=false');
      return [process.execPath, a];
    },
  };
}

const methods: Method[] = [
  {
    id: 'pillow-seq',
    label: 'Pillow sequential',
    out: path.join(tmp, 'pillow-seq'),
    cmd: () => [
      python,
      [path.join(root, 'bench/thumbnail/pillow_thumbs.py'), 'seq', photos, path.join(tmp, 'pillow-seq'), String(size), String(quality)],
    ],
  },
  {
    id: 'pillow-pool',
    label: `Pillow ProcessPoolExecutor(${cores})`,
    out: path.join(tmp, 'pillow-pool'),
    cmd: () => [
      python,
      [
        path.join(root, 'bench/thumbnail/pillow_thumbs.py'),
        'pool',
        photos,
        path.join(tmp, 'pillow-pool'),
        String(size),
        String(quality),
        String(cores),
      ],
    ],
  },
  {
    id: 'vips-parallel',
    label: `vipsthumbnail, GNU parallel -X -j${cores}`,
    out: path.join(tmp, 'vips-parallel'),
    // vipsthumbnail writes into one folder: same-named photos of different folders overwrite each other.
    cmd: () => [
      'bash',
      [
        '-c',
        `find "${photos}" -type f -name '*.jpg' | parallel -X -j${cores} vipsthumbnail -s ${size} -o "${path.join(tmp, 'vips-parallel')}/%s.jpg[Q=${quality}]" 2>/dev/null`,
      ],
    ],
  },
  simrun(1, true, 'simrun-1'),
  simrun(cores, true, `simrun-${cores}`),
  simrun(cores, false, `simrun-${cores}-noanalysis`),
];

function loadavg(): string {
  return os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

function runOnce(m: Method): number {
  rmSync(m.out, { recursive: true, force: true });
  mkdirSync(m.out, { recursive: true });
  const [cmd, a] = m.cmd();
  const t = performance.now();
  const r = spawnSync(cmd, a, { cwd: root, encoding: 'utf8', env: { ...process.env } });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${m.label} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(0, 500)}`);
  return s;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Mean file size of a method's thumbnails, and PSNR (dB) of simrun's against Pillow's. */
async function compare(images: string[]) {
  const rel = images.map((f) => path.relative(photos, f));
  const meanBytes = (dir: string, names: string[]) => names.reduce((s, n) => s + statSync(path.join(dir, n)).size, 0) / names.length;
  const simOut = path.join(tmp, `simrun-${cores}`);
  const pilOut = path.join(tmp, 'pillow-pool');
  const sample = rel.filter((_, k) => k % Math.max(1, Math.floor(rel.length / 12)) === 0).slice(0, 12);
  const psnr: { image: string; simrun: string; pillow: string; db: number | null }[] = [];
  for (const n of sample) {
    const a = await sharp(path.join(simOut, n)).raw().toBuffer({ resolveWithObject: true });
    const b = await sharp(path.join(pilOut, n)).raw().toBuffer({ resolveWithObject: true });
    const dims = (x: typeof a) => `${x.info.width}x${x.info.height}`;
    let db: number | null = null;
    if (dims(a) === dims(b) && a.info.channels === b.info.channels) {
      let se = 0;
      for (let k = 0; k < a.data.length; k++) se += (a.data[k]! - b.data[k]!) ** 2;
      db = Math.round(10 * Math.log10((255 * 255) / (se / a.data.length)) * 10) / 10;
    }
    psnr.push({ image: n, simrun: dims(a), pillow: dims(b), db });
  }
  return {
    meanThumbBytes: { simrun: Math.round(meanBytes(simOut, rel)), pillow: Math.round(meanBytes(pilOut, rel)) },
    psnrVsPillow: psnr,
  };
}

function tool(cmd: string, a: string[]): string {
  const r = spawnSync(cmd, a, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? '';
}

async function main(): Promise<void> {
  const images = listImages(photos);
  if (!images.length) throw new Error(`no photos in ${photos}: run bash bench/thumbnail/setup.sh first`);
  const mb = images.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  console.log(
    `${images.length} photos (${mb.toFixed(0)} MB) -> ${size} px JPEG q${quality}; ${cores} cores, ${cpu}; node ${process.version}; repeat ${repeat}`,
  );
  const times = new Map<string, number[]>(methods.map((m) => [m.id, []]));
  const loads: string[] = [loadavg()];
  for (let r = 0; r < repeat; r++) {
    for (const m of methods) {
      const s = runOnce(m);
      times.get(m.id)!.push(s);
      console.log(`  round ${r + 1}  ${m.label.padEnd(42)} ${s.toFixed(2)} s   (load ${loadavg()})`);
    }
    loads.push(loadavg());
  }
  const pool = median(times.get('pillow-pool')!);
  const results = methods.map((m) => {
    const t = median(times.get(m.id)!);
    return {
      id: m.id,
      method: m.label,
      runs: times.get(m.id)!.map((x) => Math.round(x * 1000) / 1000),
      medianSeconds: Math.round(t * 1000) / 1000,
      imagesPerSecond: Math.round((images.length / t) * 10) / 10,
      vsPillowPool: Math.round((t / pool) * 100) / 100,
    };
  });
  console.log(`\n${'method'.padEnd(44)} ${'median s'.padStart(9)} ${'images/s'.padStart(9)} ${'/ Pillow pool'.padStart(14)}`);
  for (const r of results)
    console.log(
      `${r.method.padEnd(44)} ${r.medianSeconds.toFixed(2).padStart(9)} ${r.imagesPerSecond.toFixed(1).padStart(9)} ${r.vsPillowPool.toFixed(2).padStart(13)}x`,
    );
  const quality_ = await compare(images);
  console.log(`\nmean thumbnail size: simrun ${quality_.meanThumbBytes.simrun} B, Pillow ${quality_.meanThumbBytes.pillow} B`);
  console.log(
    `PSNR simrun vs Pillow (dB, same size only): ${quality_.psnrVsPillow.map((p) => p.db ?? `${p.simrun}/${p.pillow}`).join(', ')}`,
  );
  const report = {
    date: new Date().toISOString(),
    machine: {
      nproc: cores,
      cpu,
      node: process.version,
      loadavg: loads,
      sharp: sharp.versions.sharp,
      libvips: sharp.versions.vips,
      pillow: tool(python, ['-c', 'import PIL; print(PIL.__version__)']),
      vipsthumbnail: tool('vips', ['--version']),
    },
    photos: { count: images.length, megabytes: Math.round(mb), dir: path.relative(root, photos) },
    size,
    quality,
    repeat,
    results,
    comparison: quality_,
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/thumbnail.json'), JSON.stringify(report, null, 2) + '\n');
  console.log('wrote bench/results/thumbnail.json');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
