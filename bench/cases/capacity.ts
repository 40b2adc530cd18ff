/**
 * Case 5, primary capacity: workers that return rows without computing (trivial model), so the
 * primary (receive, decode, insert, commit) is the bottleneck. In the steady state (10 % to
 * 90 % of the rows, from runs.done polled read-only) we measure the rows/s it persisted and its
 * own CPU time per row, c (utime + stime from /proc). A primary that costs c per row can feed
 * at most 1/c rows/s, while N workers on items of t_item each ask for N / t_item rows/s, so
 *   efficiency(N, t_item) = min(1, (1/c) / (N / t_item)).
 * The same for rows as wide as the tax model's (bench/models/tax-rows.mjs), next to a bare
 * better-sqlite3 insert of those rows with the writer's statement (bench/peers/bare-insert-tax.ts):
 * the primary should cost little more per row than the insert itself.
 */
import os from 'node:os';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, primaryOf, runProcess, type RunResult } from '../lib/proc.js';
import { TRIVIAL, dbPath, donePoller, runSimrun } from '../lib/simrun.js';
import { median, round, si } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'capacity';
const TAX_ROWS = 'bench/models/tax-rows.mjs';
const BARE_TAX = 'dist/bench/peers/bare-insert-tax.js';
const TAX_TARGET = 1.3;

interface Steady {
  rowsPerSec: number;
  cpuUsPerRow: number;
  cpuShare: number;
}

/** Rows/s and primary CPU per row between 10 % and 90 % of the run's rows. */
function steady(r: RunResult, n: number): Steady {
  const p = primaryOf(r)!;
  const cpuAt = new Map(p.samples.map((s) => [s.t, s.cpuS]));
  const marks = r.marks.filter((m) => cpuAt.has(m.t));
  const a = marks.find((m) => m.value >= 0.1 * n);
  const b = [...marks].reverse().find((m) => m.value <= 0.9 * n);
  if (!a || !b || b.value <= a.value) throw new Error('capacity: too few samples in the steady state; use a larger range');
  const rows = b.value - a.value;
  const cpu = cpuAt.get(b.t)! - cpuAt.get(a.t)!;
  const wall = b.t - a.t;
  return { rowsPerSec: rows / wall, cpuUsPerRow: (cpu / rows) * 1e6, cpuShare: cpu / wall };
}

export function projectEfficiency(cUs: number, cores: number, itemMs: number): number {
  const capacity = 1e6 / cUs;
  const demand = cores / (itemMs / 1000);
  return Math.min(1, capacity / demand);
}

export const capacity: BenchCase = {
  name: NAME,
  title: 'Primary capacity: rows/s the primary persists with idle workers; projection to 64/128 cores',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 1_000_000 : 3_000_000;
    const workers = Math.max(2, os.availableParallelism());
    const sizes: (number | 'auto')[] = [1000, 10_000, 'auto'];
    const nTax = n / 3;
    const polled = (id: string, label: string, items: number, model: string, chunk: number | 'auto'): Variant => ({
      id,
      label,
      items,
      run: async () => {
        const name = `capacity-${id}`;
        const poll = donePoller(dbPath(ctx, name));
        try {
          return expectExit(
            await runSimrun(
              ctx,
              name,
              { model, input: `range:${items}`, workers, chunk },
              { sampleMs: 50, onSample: () => poll.done() ?? undefined },
            ),
            label,
          );
        } finally {
          poll.close();
        }
      },
    });
    const trivial: Variant[] = sizes.map((chunk) =>
      polled(String(chunk), `simrun --workers ${workers}, chunk ${chunk}, range:${n / 1e6}M`, n, TRIVIAL, chunk),
    );
    const taxRows = polled('tax', `simrun --workers ${workers}, tax-width rows, auto chunk, range:${nTax / 1e6}M`, nTax, TAX_ROWS, 'auto');
    const bare: Variant = {
      id: 'bare-tax',
      label: `bare better-sqlite3 insert of the same tax-width rows`,
      items: nTax,
      run: async () =>
        expectExit(
          await runProcess(process.execPath, [BARE_TAX, '--n', String(nTax), '--db', dbPath(ctx, 'bare-tax')], { cwd: ctx.root }),
          'bare tax insert',
        ),
    };
    const variants = [...trivial, taxRows, bare];
    const m = await measureRounds(ctx, NAME, variants);
    const st = new Map([...trivial, taxRows].map((v) => [v.id, m.get(v.id)!.map((r) => steady(r, v.items))]));
    const med = (id: string, k: keyof Steady) => median(st.get(id)!.map((s) => s[k]));
    const best = trivial.map((v) => v.id).reduce((a, b) => (med(a, 'rowsPerSec') >= med(b, 'rowsPerSec') ? a : b));
    const c = med(best, 'cpuUsPerRow');
    const cWall = 1e6 / med(best, 'rowsPerSec');
    const cTax = med('tax', 'cpuUsPerRow');
    const cBare = median(m.get('bare-tax')!.map((r) => (JSON.parse(r.stdout) as { cpuUsPerRow: number }).cpuUsPerRow));
    const ratio = cTax / cBare;
    // efficiency(N, t) >= 0.95  <=>  t >= 0.95 * N * c
    const minItemUs = (cores: number) => 0.95 * cores * cTax;
    const rows = trivial.map((v) =>
      makeRow(
        NAME,
        v.label,
        n,
        seconds(m.get(v.id)!),
        `steady ${si(med(v.id, 'rowsPerSec'))} rows/s; primary CPU ${med(v.id, 'cpuUsPerRow').toFixed(2)} us/row (busy ${(med(v.id, 'cpuShare') * 100).toFixed(0)} %)${v.id === best ? ' <- best' : ''}`,
      ),
    );
    const projection = [64, 128].flatMap((cores) =>
      [1, 10].map((itemMs) => ({
        cores,
        itemMs,
        efficiency: round(projectEfficiency(c, cores, itemMs), 3),
        efficiencyWallBound: round(projectEfficiency(cWall, cores, itemMs), 3),
      })),
    );
    rows.push(
      makeRow(
        NAME,
        taxRows.label,
        nTax,
        seconds(m.get('tax')!),
        `steady ${si(med('tax', 'rowsPerSec'))} rows/s; primary CPU ${cTax.toFixed(2)} us/row, ${ratio.toFixed(2)}x the bare insert`,
      ),
    );
    rows.push(
      makeRow(
        NAME,
        bare.label,
        nTax,
        seconds(m.get('bare-tax')!),
        `insert CPU ${cBare.toFixed(2)} us/row (rows made before the clock starts)`,
      ),
    );
    rows.push(
      makeRow(
        NAME,
        'projection: tax rows, 128 cores',
        0,
        [],
        `a model cost above ${(minItemUs(128) / 1000).toFixed(2)} ms per household keeps 128 cores >= 0.95 efficient (64 cores: ${(minItemUs(64) / 1000).toFixed(2)} ms)`,
        NaN,
      ),
    );
    for (const p of projection) {
      rows.push(
        makeRow(
          NAME,
          `projection: ${p.cores} cores x ${p.itemMs} ms items`,
          0,
          [],
          `demand ${si((p.cores * 1000) / p.itemMs)} rows/s vs capacity ${si(1e6 / c)} rows/s -> efficiency ${p.efficiency.toFixed(3)} (wall bound ${p.efficiencyWallBound.toFixed(3)})`,
          NaN,
        ),
      );
    }
    const e128 = projection.find((p) => p.cores === 128 && p.itemMs === 1)!.efficiency;
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: '1 ms items project to >= 0.97 efficiency at 128 cores',
          measured: `${e128.toFixed(3)} (c = ${c.toFixed(2)} us/row, capacity ${si(1e6 / c)} rows/s)`,
          met: e128 >= 0.97,
        },
        {
          case: NAME,
          target: `tax-width rows: primary CPU <= ${TAX_TARGET}x a bare insert of the same rows`,
          measured: `${ratio.toFixed(2)}x (${cTax.toFixed(2)} vs ${cBare.toFixed(2)} us/row)`,
          met: ratio <= TAX_TARGET,
        },
      ],
      notes: [
        `c = primary CPU time per row in the steady state at the best chunk size (${best}): ${c.toFixed(2)} us; wall-clock bound 1/rows/s = ${cWall.toFixed(2)} us (the primary shares ${os.availableParallelism()} cores with ${workers} workers here)`,
      ],
      data: {
        items: n,
        taxRows: {
          items: nTax,
          cUsPerRow: round(cTax, 3),
          bareUsPerRow: round(cBare, 3),
          ratio: round(ratio, 3),
          minItemMs128: round(minItemUs(128) / 1000, 3),
        },
        bestChunk: best,
        cUsPerRow: round(c, 3),
        cWallUsPerRow: round(cWall, 3),
        steady: Object.fromEntries(
          [...st].map(([k, v]) => [
            k,
            v.map((s) => ({ rowsPerSec: Math.round(s.rowsPerSec), cpuUsPerRow: round(s.cpuUsPerRow), cpuShare: round(s.cpuShare) })),
          ]),
        ),
        projection,
      },
    };
  },
};
