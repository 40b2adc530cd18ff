/**
 * Repeats a case's variants as whole processes, interleaved round by round (A B C, A B C, ...)
 * so load from other processes on a shared machine spreads over all of them, and turns the
 * wall times into table rows.
 */
import type { RunResult } from './proc.js';
import { median, spreadPct } from './stats.js';
import { recordBuildRun } from './against.js';
import type { BenchContext, Row } from './types.js';

export interface Variant {
  id: string;
  label: string;
  items: number;
  /** Why the ref build cannot run this variant (a feature it lacks): then it runs on this build only. */
  notOnRef?: string;
  run(round: number): Promise<RunResult>;
}

export type Measured = Map<string, RunResult[]>;

/**
 * Runs every variant `runs` times, round by round. With `--against`, each run is made on both
 * builds, this one first in even rounds and the ref first in odd ones; the case gets this
 * build's results, and both builds' go to ctx.against for the comparison table.
 */
export async function measureRounds(ctx: BenchContext, caseName: string, variants: Variant[], runs = ctx.runs): Promise<Measured> {
  const out: Measured = new Map(variants.map((v) => [v.id, []]));
  const mine = { name: 'this', root: ctx.root };
  const builds = ctx.against ? [mine, ctx.against.ref] : [mine];
  try {
    for (let r = 0; r < runs; r++) {
      for (const v of variants) {
        for (const b of r % 2 ? [...builds].reverse() : builds) {
          if (v.notOnRef && b !== mine) {
            if (r === 0) ctx.against?.notOnRef.set(`${caseName}/${v.id}`, v.notOnRef);
            continue;
          }
          ctx.root = b.root;
          const res = await v.run(r);
          if (b === mine) out.get(v.id)!.push(res);
          if (ctx.against) recordBuildRun(ctx.against, b.name, `${caseName}/${v.id}`, v.label, res);
          const tag = ctx.against ? ` [${b.name}]` : '';
          ctx.log(`  ${caseName} run ${r + 1}/${runs}  ${`${v.label}${tag}`.padEnd(56)} ${res.seconds.toFixed(2)} s`);
        }
      }
    }
  } finally {
    ctx.root = mine.root;
  }
  return out;
}

export function seconds(rs: RunResult[]): number[] {
  return rs.map((r) => r.seconds);
}

export function makeRow(caseName: string, variant: string, items: number, times: number[], detail = '', itemsPerSec?: number): Row {
  const m = median(times);
  return {
    case: caseName,
    variant,
    items,
    runs: times.map((t) => Math.round(t * 1000) / 1000),
    median: m,
    spreadPct: spreadPct(times),
    itemsPerSec: itemsPerSec ?? items / m,
    detail,
  };
}
