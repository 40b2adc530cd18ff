/** Sorted, disjoint [lo, hi] index intervals: which items a run has already finished. */
export type Interval = [lo: number, hi: number];

/** Compresses indices into intervals (sorts a copy first). */
export function toIntervals(indices: number[]): Interval[] {
  const sorted = Float64Array.from(indices).sort();
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i <= last[1] + 1) last[1] = Math.max(last[1], i);
    else out.push([i, i]);
  }
  return out;
}

/** Merges possibly overlapping intervals sorted by lo. */
export function mergeIntervals(sortedByLo: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [lo, hi] of sortedByLo) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function intervalCount(iv: Interval[]): number {
  return iv.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** Intervals minus the given sorted points. */
export function subtractPoints(iv: Interval[], sortedPoints: number[]): Interval[] {
  const out: Interval[] = [];
  let p = 0;
  for (const [lo, hi] of iv) {
    let from = lo;
    while (p < sortedPoints.length && sortedPoints[p]! <= hi) {
      const x = sortedPoints[p++]!;
      if (x < from) continue;
      if (x > from) out.push([from, x - 1]);
      from = x + 1;
    }
    if (from <= hi) out.push([from, hi]);
  }
  return out;
}

/** Sorted disjoint intervals minus other sorted disjoint intervals. */
export function subtractIntervals(iv: Interval[], minus: Interval[]): Interval[] {
  const out: Interval[] = [];
  let m = 0;
  for (const [lo, hi] of iv) {
    let from = lo;
    while (m < minus.length && minus[m]![1] < from) m++;
    for (let j = m; j < minus.length && minus[j]![0] <= hi; j++) {
      const [a, b] = minus[j]!;
      if (a > from) out.push([from, a - 1]);
      from = Math.max(from, b + 1);
    }
    if (from <= hi) out.push([from, hi]);
  }
  return out;
}
