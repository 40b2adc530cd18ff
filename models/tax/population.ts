/**
 * Synthetic US-like population of tax units, streamed to a CSV file (never held in memory).
 * Deterministic per (n, seed): one PRNG stream (sfc32) consumed in a fixed order per row; the
 * distributions of each household are in population-household.ts (documented in docs/tax.md).
 * Weights sum to `total` (150M tax units by default): rows come in pairs with weights
 * base*(1+d) and base*(1-d), so the sum is exact while deciles still depend on the weights.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sfc32, writeAtomically } from '../../src/index.js';
import { csvLine, Draw, drawHousehold, POPULATION_COLUMNS } from './population-household.js';

export { POPULATION_COLUMNS } from './population-household.js';

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
    buf += csvLine(drawHousehold(d, i + 1, w1)) + '\n';
    if (paired) buf += csvLine(drawHousehold(d, i + 2, Math.round((2 * base - w1) * 100) / 100)) + '\n';
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  out.end();
  await Promise.race([once(out, 'close'), failed]);
}
