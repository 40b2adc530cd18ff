/**
 * The trace's cost: the trivial model over range:1M (auto and 1000-item chunks), each with the
 * trace on (the default) and off (SIMRUN_TRACE=0), interleaved round by round. The cost is the
 * median of the paired ratios on/off (each pair ran back to back, under the same load). With
 * the trace off the workers still time their chunks (chunk-timer.ts; measured apart at no
 * difference per item), so this is the primary's part: the trace rows, in every chunk's commit.
 */
import os from 'node:os';
import { makeRow, measureRounds, seconds, type Variant } from '../lib/measure.js';
import { expectExit } from '../lib/proc.js';
import { TRIVIAL, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'trace';

export const trace: BenchCase = {
  name: NAME,
  title: 'Trace: its cost to the cheapest model (trivial, range:1M), on vs off',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 200_000 : 1_000_000;
    const workers = Math.max(2, os.availableParallelism());
    const variant = (chunk: number | 'auto', on: boolean): Variant => ({
      id: `${chunk}-${on ? 'on' : 'off'}`,
      label: `chunk ${chunk}, trace ${on ? 'on' : 'off (SIMRUN_TRACE=0)'}`,
      items: n,
      run: async () =>
        expectExit(
          await runSimrun(
            ctx,
            `trace-${chunk}-${on}`,
            { model: TRIVIAL, input: `range:${n}`, workers, chunk },
            on ? {} : { env: { ...process.env, SIMRUN_TRACE: '0' } },
          ),
          `simrun trace ${on ? 'on' : 'off'}`,
        ),
    });
    const chunks: (number | 'auto')[] = ['auto', 1000];
    const variants = chunks.flatMap((c) => [variant(c, false), variant(c, true)]);
    const m = await measureRounds(ctx, NAME, variants, Math.max(ctx.runs, ctx.quick ? 1 : 7));
    const costs: Record<string, number> = {};
    const rows = variants.map((v) => {
      const times = seconds(m.get(v.id)!);
      if (v.id.endsWith('-off')) return makeRow(NAME, v.label, n, times);
      const off = seconds(m.get(v.id.replace('-on', '-off'))!);
      const cost = median(times.map((t, k) => t / off[k]! - 1));
      costs[v.id] = cost;
      return makeRow(NAME, v.label, n, times, `cost ${(cost * 100).toFixed(1)} % (median of paired on/off ratios)`);
    });
    const auto = costs['auto-on']!;
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: 'the trace costs <= 1 % of the run (auto chunk)',
          measured: `${(auto * 100).toFixed(1)} %`,
          met: auto <= 0.01,
        },
      ],
      notes: ['on a loaded machine the paired ratios spread by several %; read the cost with the spread of the rows'],
      data: { items: n, costs: Object.fromEntries(Object.entries(costs).map(([k, v]) => [k, round(v, 4)])) },
    };
  },
};
