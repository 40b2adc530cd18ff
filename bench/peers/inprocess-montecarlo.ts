/**
 * The in-process baseline of the scaling case: the montecarlo model's analyze/format over
 * items 0..n-1 in one plain loop, with ctx.random from the worker's own itemRandom, no
 * cluster, no IPC, no store. Prints JSON: {n, draws, loopMs, perItemMs, checksum}.
 *
 *   node dist/bench/peers/inprocess-montecarlo.js --n 20000 --draws 4000 [--start 0]
 *   node dist/bench/peers/inprocess-montecarlo.js --calibrate 1   (draws for ~1 ms per item)
 */
import montecarloModel from '../../models/montecarlo/index.js';
import { itemRandom } from '../../src/worker/random.js';

// montecarlo is synchronous; typed loosely here so the loop calls it exactly as a worker would.
interface Ctx {
  index: number;
  params: { draws: number };
  random: () => number;
  log: null;
  outDir: null;
}
const montecarlo = montecarloModel as unknown as {
  analyze(item: number, ctx: Ctx): unknown;
  format(result: unknown, item: number, ctx: Ctx): { inside: number };
};

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : def;
};

function loop(n: number, draws: number, start = 0, seed = 1): { ms: number; checksum: number } {
  const ctx: Ctx = { index: 0, params: { draws }, random: Math.random, log: null, outDir: null };
  let checksum = 0;
  const t = performance.now();
  for (let i = start; i < start + n; i++) {
    ctx.index = i;
    ctx.random = itemRandom(seed, i);
    checksum += montecarlo.format(montecarlo.analyze(i, ctx), i, ctx).inside;
  }
  return { ms: performance.now() - t, checksum };
}

const calibrate = opt('calibrate', 0);
if (calibrate > 0) {
  // Warm up, then time a fixed draw count and scale it to the wanted per-item cost.
  loop(200, 10_000);
  const probe = 10_000;
  const per = Math.min(...[0, 1, 2].map(() => loop(300, probe).ms / 300));
  const draws = Math.max(1, Math.round((probe * calibrate) / per));
  console.log(JSON.stringify({ targetMs: calibrate, probe, probeMsPerItem: per, draws }));
} else {
  const n = opt('n', 20_000);
  const draws = opt('draws', 1000);
  const start = opt('start', 0);
  const r = loop(n, draws, start);
  console.log(JSON.stringify({ n, start, draws, loopMs: r.ms, perItemMs: r.ms / n, checksum: r.checksum }));
}
