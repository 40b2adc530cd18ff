/**
 * Case 6a, the tax model over a generated population of 1M households (quick: 200k), CSV
 * input, on 1 and all workers. The population is generated once into bench/.data/ (gitignored).
 *
 * The same households also run through the in-process loop (bench/peers/inprocess-tax.ts):
 * once over the whole file, and as two processes at once over its two halves. Those two share
 * nothing (no primary, no IPC, no store), so their efficiency is the most this machine gives
 * for this work, the ceiling against which simrun's own efficiency is read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runAtOnce, runProcess, type RunResult } from '../lib/proc.js';
import { runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, BenchContext, CaseResult } from '../lib/types.js';

const NAME = 'tax';
const PEER = 'dist/bench/peers/inprocess-tax.js';
const DIY = 'dist/bench/peers/diy-tax.js';
/** --workers 2 against the hand-written one-process script (the limit on 2 cores is ~2x). */
const SPEEDUP_TARGET = 1.7;

export async function population(ctx: BenchContext, n: number): Promise<string> {
  const dir = path.join(ctx.root, 'bench/.data');
  const file = path.join(dir, n === 1_000_000 ? 'population.csv' : `population-${n}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  ctx.log(`  ${NAME}: generating ${n} households into ${path.relative(ctx.root, file)}`);
  expectExit(
    await runProcess(process.execPath, ['dist/src/cli.js', 'generate', 'population', '--n', String(n), '--seed', '1', '--output', file], {
      cwd: ctx.root,
    }),
    'generate population',
  );
  return file;
}

/** The population's two halves, each with the header (the file has no quoted newlines). */
function halves(file: string): [string, string] {
  const out = [1, 2].map((k) => file.replace(/\.csv$/, `.half${k}.csv`)) as [string, string];
  if (out.every((f) => existsSync(f))) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [header, ...records] = lines;
  const mid = Math.ceil(records.length / 2);
  writeFileSync(out[0], [header, ...records.slice(0, mid)].join('\n') + '\n');
  writeFileSync(out[1], [header, ...records.slice(mid)].join('\n') + '\n');
  return out;
}

/** Both halves at once; the wall time is until the later one ends. */
function pair(ctx: BenchContext, files: string[]): Promise<RunResult> {
  const commands = files.map((f) => [process.execPath, PEER, f]);
  return runAtOnce(commands, { cwd: ctx.root }, 'in-process tax loop on a half');
}

export const tax: BenchCase = {
  name: NAME,
  title: 'Tax model: 1M generated households (CSV) on 1 and all workers',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 200_000 : 1_000_000;
    const input = await population(ctx, n);
    const half = halves(input);
    const maxW = Math.max(2, os.availableParallelism());
    const variants: Variant[] = [
      {
        id: 'diy',
        label: 'hand-written script: papaparse + tax + the same INSERT, 1 process',
        items: n,
        run: async () =>
          expectExit(
            await runProcess(process.execPath, [DIY, input, path.join(ctx.tmp, 'diy-tax.db')], { cwd: ctx.root }),
            'hand-written tax script',
          ),
      },
      {
        id: 'loop1',
        label: 'in-process loop, 1 process, whole file',
        items: n,
        run: async () => expectExit(await runProcess(process.execPath, [PEER, input], { cwd: ctx.root }), 'in-process tax loop'),
      },
      { id: 'loop2', label: 'in-process loop, 2 processes, a half each', items: n, run: () => pair(ctx, half) },
      ...[1, maxW].map((workers) => ({
        id: `w${workers}`,
        label: `simrun tax --workers ${workers}, auto chunk`,
        items: n,
        run: async () =>
          expectExit(await runSimrun(ctx, `tax-w${workers}`, { model: 'tax', input, workers, chunk: 'auto' }), `tax ${workers} workers`),
      })),
    ];
    const m = await measureRounds(ctx, NAME, variants);
    const t = (id: string) => median(seconds(m.get(id)!));
    const ceiling = t('loop1') / t('loop2') / 2;
    const eff = t('w1') / t(`w${maxW}`) / 2;
    const vsDiy = (id: string) => t('diy') / t(id);
    const detail: Record<string, string> = {
      diy: 'what a researcher writes without simrun: the peer to beat',
      loop1: 'baseline of the ceiling: no primary, no IPC, no store',
      loop2: `speedup ${(t('loop1') / t('loop2')).toFixed(2)}x, efficiency ${ceiling.toFixed(2)}: this machine's ceiling for this work`,
      w1: `${vsDiy('w1').toFixed(2)}x the hand-written script; includes the input scan (fingerprint, record blocks)`,
      [`w${maxW}`]: `${vsDiy(`w${maxW}`).toFixed(2)}x the hand-written script; ${(t('w1') / t(`w${maxW}`)).toFixed(2)}x over 1 worker, parallel efficiency ${eff.toFixed(2)} (${(eff / ceiling).toFixed(2)} of the ceiling)`,
    };
    const rows = variants.map((v) => makeRow(NAME, v.label, n, seconds(m.get(v.id)!), detail[v.id]));
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: `--workers ${maxW} >= ${SPEEDUP_TARGET}x faster than the hand-written one-process script`,
          measured: `${vsDiy(`w${maxW}`).toFixed(2)}x (${t(`w${maxW}`).toFixed(2)} s vs ${t('diy').toFixed(2)} s)`,
          met: vsDiy(`w${maxW}`) >= SPEEDUP_TARGET,
        },
        {
          case: NAME,
          target: '--workers 1 faster than the hand-written script',
          measured: `${vsDiy('w1').toFixed(2)}x`,
          met: vsDiy('w1') > 1,
        },
      ],
      notes: [
        `input: ${path.relative(ctx.root, input)} (generate population --n ${n} --seed 1); halves: ${half.map((f) => path.basename(f)).join(', ')}`,
      ],
      data: {
        households: n,
        diySeconds: round(t('diy'), 3),
        speedupW1: round(vsDiy('w1'), 3),
        speedupWmax: round(vsDiy(`w${maxW}`), 3),
        efficiency: round(eff, 3),
        ceiling: round(ceiling, 3),
        loopSeconds: round(t('loop1'), 3),
      },
    };
  },
};
