/**
 * Repeats a case's variants as whole processes, interleaved round by round (A B C, A B C, ...)
 * so load from other processes on a shared machine spreads over all of them, and turns the
 * wall times into table rows.
 */
import type { RunResult } from './proc.js';
import { median, spreadPct } from './stats.js';
import type { BenchContext, Row } from './types.js';

export interface Variant {
  id: string;
  label: string;
  items: number;
  run(round: number): Promise<RunResult>;
}

export type Measured = Map<string, RunResult[]>;

export async function measureRounds(ctx: BenchContext, caseName: string, variants: Variant[], runs = ctx.runs): Promise<Measured> {
  const out: Measured = new Map(variants.map((v) => [v.id, []]));
  for (let r = 0; r < runs; r++) {
    for (const v of variants) {
      const res = await v.run(r);
      out.get(v.id)!.push(res);
      ctx.log(`  ${caseName} run ${r + 1}/${runs}  ${v.label.padEnd(48)} ${res.seconds.toFixed(2)} s`);
    }
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
