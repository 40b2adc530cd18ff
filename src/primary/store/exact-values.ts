/**
 * Values read back exactly. Statements run with safeIntegers, so a 64-bit integer beyond 2^53
 * arrives as a bigint instead of a rounded number; it is printed with all its digits. JSON has
 * no int64, Infinity or NaN: there such values are written as strings ("1152921504606846977",
 * "Infinity", "-Infinity"), so nothing changes silently (docs/store.md).
 */
const MIN = BigInt(Number.MIN_SAFE_INTEGER);
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Safe integers back to numbers; larger ones stay bigint. */
export function* exactRows(rows: Iterable<unknown[]>): Generator<unknown[]> {
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      if (typeof v === 'bigint' && v >= MIN && v <= MAX) r[i] = Number(v);
    }
    yield r;
  }
}

/** A value as JSON can carry it without loss. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/** A row as a JSON object, exact (see jsonValue). */
export function jsonObject(names: string[], r: unknown[]): string {
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) obj[names[i]!] = jsonValue(r[i]);
  return JSON.stringify(obj);
}
