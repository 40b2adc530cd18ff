/**
 * The trace's cost: the trivial model over range:1M (auto and 1000-item chunks), each with the
 * trace on (the default) and off (SIMRUN_TRACE=0), interleaved round by round. The cost is the
 * median of the paired ratios on/off (each pair ran back to back, under the same load). With
 * the trace off the workers still time their chunks (chunk-timer.ts; measured apart at no
 * difference per item), so this is the primary's part: the trace rows, in every chunk's commit.
 * Besides wall time it compares CPU time (user + system of simrun and its workers, from this
 * process's children's times in /proc/self/stat), which load from other processes disturbs less.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { makeRow, measureRounds, seconds, type Variant } from '../lib/measure.js';
import { expectExit } from '../lib/proc.js';
import { TRIVIAL, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'trace';

/** CPU seconds of this process's waited-for children (simrun, and the workers it waited for). */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime in clock ticks (USER_HZ 100)
}

export const trace: BenchCase = {
  name: NAME,
  title: 'Trace: its cost to the cheapest model (trivial, range:1M), on vs off',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 200_000 : 1_000_000;
    const workers = Math.max(2, os.availableParallelism());
    const cpu = new Map<string, number[]>();
    const variant = (chunk: number | 'auto', on: boolean): Variant => {
      const id = `${chunk}-${on ? 'on' : 'off'}`;
      return {
        id,
        label: `chunk ${chunk}, trace ${on ? 'on' : 'off (SIMRUN_TRACE=0)'}`,
        items: n,
        run: async () => {
          const c0 = childCpu();
          const env = on ? {} : { env: { ...process.env, SIMRUN_TRACE: '0' } };
          const r = expectExit(
            await runSimrun(ctx, `trace-${id}`, { model: TRIVIAL, input: `range:${n}`, workers, chunk }, env),
            `simrun ${id}`,
          );
          cpu.set(id, [...(cpu.get(id) ?? []), childCpu() - c0]);
          return r;
        },
      };
    };
    const chunks: (number | 'auto')[] = ['auto', 1000];
    const variants = chunks.flatMap((c) => [variant(c, false), variant(c, true)]);
    const m = await measureRounds(ctx, NAME, variants, Math.max(ctx.runs, ctx.quick ? 1 : 7));
    const costs: Record<string, { wall: number; cpu: number }> = {};
    const paired = (a: number[], b: number[]) => median(a.map((t, k) => t / b[k]! - 1));
    const rows = variants.map((v) => {
      const times = seconds(m.get(v.id)!);
      const mine = cpu.get(v.id)!;
      const cpuNote = `CPU ${median(mine).toFixed(2)} s`;
      if (v.id.endsWith('-off')) return makeRow(NAME, v.label, n, times, cpuNote);
      const off = v.id.replace('-on', '-off');
      const cost = { wall: paired(times, seconds(m.get(off)!)), cpu: paired(mine, cpu.get(off)!) };
      costs[v.id] = cost;
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      return makeRow(
        NAME,
        v.label,
        n,
        times,
        `${cpuNote}; cost: CPU ${pct(cost.cpu)}, wall ${pct(cost.wall)} (medians of paired on/off ratios)`,
      );
    });
    const auto = costs['auto-on']!;
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: 'the trace costs <= 1 % of the run (auto chunk, CPU time)',
          measured: `${(auto.cpu * 100).toFixed(1)} % CPU (wall ${(auto.wall * 100).toFixed(1)} %)`,
          met: auto.cpu <= 0.01,
        },
      ],
      notes: ['on a loaded machine the paired ratios spread by several %; read the cost with the spread of the rows'],
      data: {
        items: n,
        costs: Object.fromEntries(Object.entries(costs).map(([k, v]) => [k, { wall: round(v.wall, 4), cpu: round(v.cpu, 4) }])),
        cpuSeconds: Object.fromEntries(cpu),
      },
    };
  },
};
