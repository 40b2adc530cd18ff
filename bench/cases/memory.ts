/**
 * Case 3, memory: a range:10M trivial run (quick: 2M) on all cores: total time, peak RSS of the
 * primary and of each worker (VmHWM from /proc), and whether RSS grows over the run (the RSS
 * sampled at 25 % vs 90 % of the run's duration).
 */
import os from 'node:os';
import { measureRounds, makeRow, seconds } from '../lib/measure.js';
import { expectExit, primaryOf, rssAt, workersOf, type ProcInfo } from '../lib/proc.js';
import { TRIVIAL, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'memory';
/** Growth from 25 % to 90 % of the run above this counts as growing. */
const GROWTH_LIMIT_MB = 10;

function growth(p: ProcInfo): { at25: number; at90: number; delta: number } {
  const at25 = rssAt(p, 0.25);
  const at90 = rssAt(p, 0.9);
  return { at25: round(at25, 1), at90: round(at90, 1), delta: round(at90 - at25, 1) };
}

export const memory: BenchCase = {
  name: NAME,
  title: 'Memory: range:10M trivial run, peak RSS per process, growth over the run',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 2_000_000 : 10_000_000;
    const workers = Math.max(2, os.availableParallelism());
    const label = `simrun range:${n / 1e6}M --workers ${workers}, auto chunk`;
    const m = await measureRounds(ctx, NAME, [
      {
        id: 'run',
        label,
        items: n,
        run: async () => expectExit(await runSimrun(ctx, 'memory', { model: TRIVIAL, input: `range:${n}`, workers, chunk: 'auto' }), label),
      },
    ]);
    const runs = m.get('run')!;
    const prim = runs.map((r) => primaryOf(r)!);
    const wk = runs.map((r) => workersOf(r));
    const primPeak = median(prim.map((p) => p.peakMb));
    const workerPeak = Math.max(...wk.flat().map((p) => p.peakMb));
    const pg = prim.map(growth);
    const wg = wk.flat().map(growth);
    const maxPrimGrowth = Math.max(...pg.map((g) => g.delta));
    const maxWorkerGrowth = Math.max(...wg.map((g) => g.delta));
    const lastWorkers = wk[wk.length - 1]!.map((p) => p.peakMb.toFixed(0)).join(' / ');
    const g0 = pg[pg.length - 1]!;
    const detail = `primary peak ${primPeak.toFixed(0)} MB (RSS ${g0.at25.toFixed(0)} -> ${g0.at90.toFixed(0)} MB at 25 -> 90 %); workers peak ${lastWorkers} MB`;
    const flat = maxPrimGrowth < GROWTH_LIMIT_MB && maxWorkerGrowth < GROWTH_LIMIT_MB;
    return {
      name: NAME,
      title: this.title,
      rows: [makeRow(NAME, label, n, seconds(runs), detail)],
      targets: [
        { case: NAME, target: 'primary peak RSS < 200 MB', measured: `${primPeak.toFixed(0)} MB`, met: primPeak < 200 },
        { case: NAME, target: 'each worker peak RSS < 150 MB', measured: `${workerPeak.toFixed(0)} MB (largest)`, met: workerPeak < 150 },
        {
          case: NAME,
          target: `no RSS growth (25 % -> 90 % of the run, < ${GROWTH_LIMIT_MB} MB)`,
          measured: `primary +${maxPrimGrowth.toFixed(1)} MB, workers +${maxWorkerGrowth.toFixed(1)} MB (worst run)`,
          met: flat,
        },
      ],
      notes: [`primary peak RSS on a ${n / 1e6}M-item range run: ${primPeak.toFixed(0)} MB (median of ${runs.length})`],
      data: {
        items: n,
        primaryPeakMb: prim.map((p) => round(p.peakMb, 1)),
        workerPeakMb: wk.map((ws) => ws.map((p) => round(p.peakMb, 1))),
        primaryRss25to90: pg,
        workerRss25to90: wg,
        primaryRssSeries: prim[prim.length - 1]!.samples.filter((_, k) => k % 5 === 0).map((s) => [round(s.t, 2), round(s.rssMb, 1)]),
      },
    };
  },
};
