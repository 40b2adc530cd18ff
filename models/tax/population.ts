/**
 * Synthetic US-like population of tax units, streamed to a CSV file (never held in memory).
 * Deterministic per (n, seed): one PRNG stream (sfc32) consumed in a fixed order per row.
 * Marginals are rough 2020s magnitudes: filing-status mix, ages, children, log-normal wages
 * with a Pareto upper tail, and investment income more likely (and larger) at high wages.
 * Weights sum to `total` (150M tax units by default): rows come in pairs with weights
 * base*(1+d) and base*(1-d), so the sum is exact while deciles still depend on the weights.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../../src/atomic-output.js';
import { sfc32 } from '../../src/worker/random.js';
import { NUMERIC_FIELDS } from './household.js';

export const POPULATION_COLUMNS = ['id', 'filing_status', ...Object.keys(NUMERIC_FIELDS)];

/** sfc32 seeded through splitmix32: fast, good enough for synthetic data, reproducible. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  const next = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) next();
  return next;
}

class Draw {
  constructor(private readonly u: () => number) {}
  uniform(lo = 0, hi = 1) {
    return lo + (hi - lo) * this.u();
  }
  chance(p: number) {
    return this.u() < p;
  }
  normal(mean: number, sd: number) {
    const u1 = 1 - this.u();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.u());
  }
  logNormal(median: number, sigma: number) {
    return median * Math.exp(this.normal(0, sigma));
  }
  /** Index drawn from a list of probabilities summing to 1. */
  pick(probs: number[]) {
    let x = this.u();
    for (let i = 0; i < probs.length - 1; i++) if ((x -= probs[i]!) < 0) return i;
    return probs.length - 1;
  }
}

const STATUSES = ['single', 'mfj', 'mfs', 'hoh'] as const;
const STATUS_MIX = [0.47, 0.39, 0.03, 0.11];
/** P(0, 1, 2, 3, 4 children) by filing status. */
const CHILDREN_MIX: Record<(typeof STATUSES)[number], number[]> = {
  single: [0.9, 0.06, 0.03, 0.01, 0],
  mfj: [0.55, 0.17, 0.17, 0.08, 0.03],
  mfs: [0.7, 0.15, 0.1, 0.05, 0],
  hoh: [0.12, 0.45, 0.28, 0.11, 0.04],
};

const clampAge = (a: number) => Math.min(90, Math.max(18, Math.round(a)));

function wage(d: Draw, age: number): number {
  const pWork = age < 62 ? 0.85 : age < 70 ? 0.35 : 0.08;
  if (!d.chance(pWork)) return 0;
  const w = d.chance(0.015) ? 250_000 * Math.pow(1 - d.uniform(), -1 / 1.5) : d.logNormal(42_000, 0.85);
  return Math.round(Math.min(w, 50_000_000));
}

/** One household as CSV fields in POPULATION_COLUMNS order (weight filled in by the caller). */
function household(d: Draw, id: number, weight: number): (string | number)[] {
  const fs = STATUSES[d.pick(STATUS_MIX)]!;
  const ageHead = clampAge(d.normal(fs === 'single' ? 42 : 48, 16));
  const ageSpouse = fs === 'mfj' ? clampAge(ageHead + d.normal(-1.5, 4)) : 0;
  let children = ageHead < 60 ? d.pick(CHILDREN_MIX[fs]) : 0;
  if (fs === 'hoh' && ageHead >= 60) children = 0;
  const otherDeps = d.chance(fs === 'hoh' && children === 0 ? 0.9 : 0.06) ? 1 : 0;
  const wagesHead = wage(d, ageHead);
  const wagesSpouse = fs === 'mfj' ? (d.chance(0.72) ? wage(d, ageSpouse) : 0) : 0;
  const rich = wagesHead + wagesSpouse > 150_000 ? 3 : 1;
  const se = d.chance(0.1) ? Math.round(d.logNormal(18_000, 1.1)) : 0;
  const interest = d.chance(Math.min(0.9, 0.35 * rich)) ? Math.round(d.logNormal(250 * rich, 1.5)) : 0;
  const ordDiv = d.chance(Math.min(0.9, 0.18 * rich)) ? Math.round(d.logNormal(1_500 * rich, 1.7)) : 0;
  const qualDiv = Math.round(ordDiv * d.uniform(0.5, 0.95));
  let gains = 0;
  if (d.chance(Math.min(0.9, 0.11 * rich))) {
    const g = d.logNormal(4_000 * rich, 1.9);
    gains = Math.round(d.chance(0.2) ? -Math.min(g, 20_000) : Math.min(g, 200_000_000));
  }
  let other = 0;
  if (ageHead >= 62 && d.chance(0.75)) other = Math.round(d.logNormal(20_000, 0.7));
  else if (d.chance(0.08)) other = Math.round(d.normal(2_000, 4_000));
  return [id, fs, weight, ageHead, ageSpouse, wagesHead, wagesSpouse, se, interest, ordDiv, qualDiv, gains, other, children, otherDeps];
}

export interface PopulationOptions {
  n: number;
  seed: number;
  output: string;
  /** Sum of the weights (number of tax units represented). */
  total?: number;
}

/**
 * Writes the CSV with back-pressure into a temporary file beside `output` and renames it into
 * place when complete, so an interrupted or failed generate never leaves a short population
 * under the real name (a later run would take it for the whole file).
 */
export async function writePopulation(o: PopulationOptions): Promise<void> {
  mkdirSync(path.dirname(path.resolve(o.output)), { recursive: true });
  await writeAtomically(o.output, (partial) => writeRows(o, partial));
}

async function writeRows(o: PopulationOptions, file: string): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => undefined);
  const d = new Draw(makeRng(o.seed));
  const base = (o.total ?? 150e6) / o.n;
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(POPULATION_COLUMNS.join(',') + '\n');
  let buf = '';
  for (let i = 0; i < o.n; i += 2) {
    const paired = i + 1 < o.n;
    const dw = paired ? d.uniform(-0.6, 0.6) : 0;
    const w1 = Math.round(base * (1 + dw) * 100) / 100;
    buf += household(d, i + 1, w1).join(',') + '\n';
    if (paired) buf += household(d, i + 2, Math.round((2 * base - w1) * 100) / 100).join(',') + '\n';
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  out.end();
  await Promise.race([once(out, 'close'), failed]);
}
