/**
 * Case 6a, the tax model over a generated population of 1M households (quick: 200k), CSV
 * input, on 1 and all workers. The population is generated once into bench/.data/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runProcess } from '../lib/proc.js';
import { runSimrun } from '../lib/simrun.js';
import { median } from '../lib/stats.js';
import type { BenchCase, BenchContext, CaseResult } from '../lib/types.js';

const NAME = 'tax';

async function population(ctx: BenchContext, n: number): Promise<string> {
  const dir = path.join(ctx.root, 'bench/.data');
  const file = path.join(dir, n === 1_000_000 ? 'population.csv' : `population-${n}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  ctx.log(`  ${NAME}: generating ${n} households into ${path.relative(ctx.root, file)}`);
  expectExit(await runProcess(process.execPath, ['dist/src/cli.js', 'generate', 'population', '--n', String(n), '--seed', '1', '--output', file], { cwd: ctx.root }), 'generate population');
  return file;
}

export const tax: BenchCase = {
  name: NAME,
  title: 'Tax model: 1M generated households (CSV) on 1 and all workers',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 200_000 : 1_000_000;
    const input = await population(ctx, n);
    const maxW = Math.max(2, os.availableParallelism());
    const variants: Variant[] = [1, maxW].map((workers) => ({
      id: `w${workers}`,
      label: `simrun tax --workers ${workers}, auto chunk`,
      items: n,
      run: async () => expectExit(await runSimrun(ctx, `tax-w${workers}`, { model: 'tax', input, workers, chunk: 'auto' }), `tax ${workers} workers`),
    }));
    const m = await measureRounds(ctx, NAME, variants);
    const t1 = median(seconds(m.get('w1')!));
    const rows = variants.map((v) => {
      const t = median(seconds(m.get(v.id)!));
      return makeRow(NAME, v.label, n, seconds(m.get(v.id)!), v.id === 'w1' ? 'includes the input scan (fingerprint) and CSV parsing in the primary' : `speedup ${(t1 / t).toFixed(2)}x over 1 worker, parallel efficiency ${(t1 / t / 2).toFixed(2)}`);
    });
    return { name: NAME, title: this.title, rows, targets: [], notes: [`input: ${path.relative(ctx.root, input)} (generate population --n ${n} --seed 1)`] };
  },
};
