/** Median and spread of repeated runs, and the number formats of the report. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** (max - min) / median, in percent: how far apart the runs were. 0 for a single run. */
export function spreadPct(xs: number[]): number {
  if (xs.length < 2) return 0;
  return ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** 1234567 -> "1.23M", 45678 -> "45.7k". */
export function si(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return x.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}
