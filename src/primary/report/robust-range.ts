/**
 * The value range a chart's axis shows when a few values dwarf the rest: the values inside the
 * outer fences (3 interquartile ranges past the quartiles, Tukey's "far out" rule), but only when
 * showing everything would squash those into under a third of the axis. Values beyond it are
 * drawn clipped (bar charts) or counted in an overflow bar (histograms), their values printed.
 */
import { quantileSorted } from 'd3-array';

export const FENCE_IQRS = 3;
/** clip only when the values inside the fences would span less than this share of the full range */
export const SQUASHED = 1 / 3;

export interface Spread {
  min: number;
  q1: number;
  q3: number;
  max: number;
}

/** The fences [lo, hi] to clip at, or null when the full range is readable as it is. */
export function fences(s: Spread, inside: (lo: number, hi: number) => { min: number; max: number }): { lo: number; hi: number } | null {
  const iqr = s.q3 - s.q1;
  if (!(iqr > 0) || !(s.max > s.min)) return null;
  const lo = s.q1 - FENCE_IQRS * iqr;
  const hi = s.q3 + FENCE_IQRS * iqr;
  if (lo <= s.min && hi >= s.max) return null;
  const kept = inside(lo, hi);
  if (kept.max - kept.min >= SQUASHED * (s.max - s.min)) return null;
  return { lo: kept.min, hi: kept.max };
}

/** fences() of an array of values: the extent of the values inside, or null (show all). */
export function robustExtent(values: number[]): { lo: number; hi: number } | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length < 4) return null;
  const spread = { min: v[0]!, q1: quantileSorted(v, 0.25)!, q3: quantileSorted(v, 0.75)!, max: v.at(-1)! };
  return fences(spread, (lo, hi) => {
    const kept = v.filter((x) => x >= lo && x <= hi);
    return { min: kept[0]!, max: kept.at(-1)! };
  });
}
