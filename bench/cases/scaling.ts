/**
 * Case 1, scaling: the montecarlo model with `draws` calibrated to ~1 ms of CPU per item, run
 * by the in-process loop (no cluster, no IPC, no store) and by simrun on 1 and 2 workers (auto
 * chunk) and on 2 workers with two fixed chunk sizes. Speedup = in-process time / simrun time;
 * efficiency = speedup / workers. All are whole-process wall times.
 *
 * The same loop also runs as N processes at once, each over 1/N of the items: no runner at all,
 * so its efficiency is the most this machine gives N busy processes (a VM's vCPUs are not N
 * whole cores: the hypervisor's steal time, shown per variant, stretches their wall time).
 */
import os from 'node:os';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runAtOnce, runProcess, type RunResult } from '../lib/proc.js';
import { runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, BenchContext, CaseResult } from '../lib/types.js';

const NAME = 'scaling';
const PEER = 'dist/bench/peers/inprocess-montecarlo.js';

/**
 * CPU seconds of the whole process tree (last /proc sample of each process, at most one
 * sample interval short): unlike wall time it hardly moves when other jobs share the cores.
 */
function cpuSeconds(r: RunResult): number {
  return r.procs.reduce((s, p) => s + (p.samples[p.samples.length - 1]?.cpuS ?? 0), 0);
}

/** The loop as `procs` processes at once over consecutive slices; the wall time is until the last ends. */
function loopSlices(ctx: BenchContext, n: number, draws: number, procs: number): Promise<RunResult> {
  const per = Math.ceil(n / procs);
  const slice = (k: number) => [String(Math.min(per, n - k * per)), '--start', String(k * per)];
  const commands = Array.from({ length: procs }, (_, k) => [process.execPath, PEER, '--n', ...slice(k), '--draws', String(draws)]);
  return runAtOnce(commands, { cwd: ctx.root }, 'in-process loop on a slice');
}

/** Steal time as a share of the CPU time the run's wall time spans on all cores, percent. */
function stealPct(r: RunResult): number {
  return (100 * r.stealS) / (r.seconds * os.availableParallelism());
}

async function calibrate(ctx: BenchContext): Promise<number> {
  const r = expectExit(await runProcess(process.execPath, [PEER, '--calibrate', '1'], { cwd: ctx.root }), 'calibration');
  return (JSON.parse(r.stdout) as { draws: number }).draws;
}

export const scaling: BenchCase = {
  name: NAME,
  title: 'Scaling: montecarlo at ~1 ms per item, in-process loop vs simrun workers',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 4000 : 20_000;
    const draws = await calibrate(ctx);
    const maxW = Math.max(2, os.availableParallelism());
    ctx.log(`  ${NAME}: draws=${draws} for ~1 ms per item, ${n} items`);
    const input = `range:${n}`;
    const sim = (id: string, label: string, workers: number, chunk: number | 'auto'): Variant => ({
      id,
      label,
      items: n,
      run: async () =>
        expectExit(await runSimrun(ctx, `scaling-${id}`, { model: 'montecarlo', input, workers, chunk, params: { draws } }), label),
    });
    const variants: Variant[] = [
      {
        id: 'inproc',
        label: 'in-process loop (1 core, no IPC, no store)',
        items: n,
        run: async () =>
          expectExit(
            await runProcess(process.execPath, [PEER, '--n', String(n), '--draws', String(draws)], { cwd: ctx.root }),
            'in-process loop',
          ),
      },
      {
        id: `loop${maxW}`,
        label: `in-process loop, ${maxW} processes at once, 1/${maxW} of the items each`,
        items: n,
        run: () => loopSlices(ctx, n, draws, maxW),
      },
      sim('w1', 'simrun --workers 1, auto chunk', 1, 'auto'),
      sim(`w${maxW}`, `simrun --workers ${maxW}, auto chunk`, maxW, 'auto'),
      sim(`w${maxW}c10`, `simrun --workers ${maxW}, chunk 10`, maxW, 10),
      sim(`w${maxW}c1000`, `simrun --workers ${maxW}, chunk 1000`, maxW, 1000),
    ];
    const m = await measureRounds(ctx, NAME, variants);
    const base = median(seconds(m.get('inproc')!));
    const baseCpu = median(m.get('inproc')!.map(cpuSeconds));
    const loopMs = median(m.get('inproc')!.map((r) => (JSON.parse(r.stdout) as { loopMs: number }).loopMs));
    const workersOf = (id: string) => (id === 'inproc' ? 1 : Number(/^(?:w|loop)(\d+)/.exec(id)![1]));
    const eff: Record<string, number> = {};
    const rows = variants.map((v) => {
      const t = median(seconds(m.get(v.id)!));
      const speedup = base / t;
      eff[v.id] = speedup / workersOf(v.id);
      const cpu = median(m.get(v.id)!.map(cpuSeconds));
      const steal = `steal ${median(m.get(v.id)!.map(stealPct)).toFixed(1)} %`;
      const detail =
        v.id === 'inproc'
          ? `baseline; loop alone ${(loopMs / 1000).toFixed(2)} s (${(loopMs / n).toFixed(3)} ms/item); CPU ${cpu.toFixed(1)} s; ${steal}`
          : `speedup ${speedup.toFixed(2)}x, efficiency ${eff[v.id]!.toFixed(3)}; CPU ${cpu.toFixed(1)} s (${(cpu / baseCpu).toFixed(2)}x the loop's); ${steal}`;
      return makeRow(NAME, v.label, n, seconds(m.get(v.id)!), detail);
    });
    const autoT = median(seconds(m.get(`w${maxW}`)!));
    const bestFixed = Math.min(...[`w${maxW}c10`, `w${maxW}c1000`].map((id) => median(seconds(m.get(id)!))));
    const e2 = eff[`w${maxW}`]!;
    const ceiling = eff[`loop${maxW}`]!;
    const stealW = median(m.get(`w${maxW}`)!.map(stealPct));
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: `efficiency >= 0.97 on ${maxW} workers (auto chunk)`,
          measured: `${e2.toFixed(4)} (${maxW} loops at once, no runner: ${ceiling.toFixed(4)}; steal ${stealW.toFixed(1)} %)`,
          met: e2 >= 0.97,
        },
        {
          case: NAME,
          target: 'auto chunk within 10 % of the best fixed size',
          measured: `auto ${autoT.toFixed(2)} s vs best fixed ${bestFixed.toFixed(2)} s (${((autoT / bestFixed - 1) * 100).toFixed(1)} %)`,
          met: autoT <= bestFixed * 1.1,
        },
      ],
      notes: [
        `draws=${draws} (calibrated to ~1 ms per item on this machine); items/s for montecarlo: 1 worker ${Math.round(n / median(seconds(m.get('w1')!)))}, ${maxW} workers ${Math.round(n / autoT)}`,
      ],
      data: {
        draws,
        items: n,
        inProcessLoopMs: round(loopMs, 1),
        ceiling,
        efficiency: Object.fromEntries(Object.entries(eff).map(([k, v]) => [k, round(v, 4)])),
      },
    };
  },
};
