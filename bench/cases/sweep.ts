/**
 * Case 6c (issue 27), a sweep against separate runs: 8 variants of the tax model (the baseline
 * and a $2,500 ... $5,500 child tax credit) over 1M generated households (quick: 200k), as one
 * `simrun sweep` (each household read and parsed once, a chunk of all variants one transaction)
 * and as 8 `simrun run`s one after another, all workers each. Also the primary's CPU per
 * written row in both: the one writer is what bounds a sweep on many cores.
 */
import os from 'node:os';
import { makeRow, measureRounds, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runProcess, type RunResult } from '../lib/proc.js';
import { dbPath, removeDb, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';
import { population } from './tax.js';

const NAME = 'sweep';
const AMOUNTS = [2500, 3000, 3500, 4000, 4500, 5000, 5500];
const VARIANTS = AMOUNTS.length + 1;
/** The issue's target: the sweep takes at most this share of the separate runs' time. */
const TARGET = 0.7;

const primaryCpu = (r: RunResult) => r.procs.find((p) => p.role === 'primary')?.samples.at(-1)?.cpuS ?? 0;

export const sweep: BenchCase = {
  name: NAME,
  title: `Sweep: ${VARIANTS} tax variants in one pass vs ${VARIANTS} separate runs`,
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 200_000 : 1_000_000;
    const input = await population(ctx, n);
    const workers = Math.max(2, os.availableParallelism());
    const cpu = new Map<string, number[]>([
      ['sweep', []],
      ['separate', []],
    ]);
    const variants: Variant[] = [
      {
        id: 'sweep',
        label: `simrun sweep tax --grid ctc.amount (${VARIANTS} variants), --workers ${workers}`,
        items: n * VARIANTS,
        run: async () => {
          const db = dbPath(ctx, 'sweep');
          removeDb(db);
          const args = ['dist/src/cli.js', 'sweep', 'tax', '--input', input, '--db', db, '--workers', String(workers), '--quiet'];
          const r = expectExit(
            await runProcess(process.execPath, [...args, '--grid', `ctc.amount=${AMOUNTS.join(',')}`], { cwd: ctx.root }),
            'sweep',
          );
          cpu.get('sweep')!.push(primaryCpu(r));
          return r;
        },
      },
      {
        id: 'separate',
        label: `${VARIANTS} x simrun run tax, one after another, --workers ${workers}`,
        items: n * VARIANTS,
        run: async () => {
          const t0 = performance.now();
          const rs: RunResult[] = [];
          for (const amount of [null, ...AMOUNTS]) {
            const params: Record<string, number> = amount === null ? {} : { 'ctc.amount': amount };
            rs.push(
              expectExit(
                await runSimrun(ctx, `separate-${amount ?? 'base'}`, { model: 'tax', input, workers, chunk: 'auto', params }),
                'run',
              ),
            );
          }
          cpu.get('separate')!.push(rs.reduce((s, r) => s + primaryCpu(r), 0));
          return { ...rs[0]!, seconds: (performance.now() - t0) / 1000, procs: rs.flatMap((r) => r.procs) };
        },
      },
    ];
    const m = await measureRounds(ctx, NAME, variants);
    const t = (id: string) => median(seconds(m.get(id)!));
    const ratio = t('sweep') / t('separate');
    const usPerRow = (id: string) => (median(cpu.get(id)!) * 1e6) / (n * VARIANTS);
    const rows = variants.map((v) =>
      makeRow(NAME, v.label, v.items, seconds(m.get(v.id)!), `primary CPU ${usPerRow(v.id).toFixed(2)} us per written row`),
    );
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: `the sweep takes <= ${TARGET}x the time of ${VARIANTS} separate runs`,
          measured: `${ratio.toFixed(2)}x (${t('sweep').toFixed(1)} s vs ${t('separate').toFixed(1)} s)`,
          met: ratio <= TARGET,
        },
        {
          case: NAME,
          target: "the primary's CPU per written row no higher in the sweep than in the separate runs",
          measured: `${usPerRow('sweep').toFixed(2)} vs ${usPerRow('separate').toFixed(2)} us per row`,
          met: usPerRow('sweep') <= usPerRow('separate'),
        },
      ],
      notes: [`input: generate population --n ${n} --seed 1; variants: the baseline and ctc.amount ${AMOUNTS.join(', ')}`],
      data: {
        households: n,
        variants: VARIANTS,
        ratio: round(ratio, 3),
        primaryUsPerRowSweep: round(usPerRow('sweep'), 3),
        primaryUsPerRowSeparate: round(usPerRow('separate'), 3),
      },
    };
  },
};
