/**
 * Checks a model's formatted row against its declared columns and flattens it to values.
 * Values are stored exactly or refused: NaN is refused (return null for a missing value);
 * ±Infinity in a real column and integers beyond 2^53 (bigint) in an integer column travel as
 * `specials`, because JSON on the IPC channel cannot carry them.
 */
import type { ColumnType, Row } from '../index.js';

export class RowShapeError extends Error {
  override name = 'RowShapeError';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** 2^63 as a double: integer-valued numbers from -2^63 up to (not including) this fit int64. */
const INT64_LIMIT = 2 ** 63;

function show(v: unknown): string {
  return JSON.stringify(String(v)).slice(0, 40);
}

/** One value for a column, or throws; `special` receives values JSON cannot carry. */
function columnValue(name: string, type: ColumnType, v: unknown, special: (text: string) => void): unknown {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (type === 'text') {
    if (typeof v !== 'string') throw new RowShapeError(`column '${name}' is text but the row holds ${typeof v} ${show(v)}`);
    return v;
  }
  if (typeof v === 'bigint') {
    if (type === 'real') return Number(v);
    if (v < INT64_MIN || v > INT64_MAX) throw new RowShapeError(`column '${name}' is integer but ${v} is outside 64-bit integers`);
    if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    special(v.toString());
    return null;
  }
  if (typeof v !== 'number') throw new RowShapeError(`column '${name}' is ${type} but the row holds ${typeof v} ${show(v)}`);
  if (Number.isNaN(v)) throw new RowShapeError(`column '${name}' is NaN (return null for a missing value)`);
  if (type === 'integer') {
    if (!Number.isInteger(v)) throw new RowShapeError(`column '${name}' is integer but the row holds ${v}`);
    if (v >= INT64_LIMIT || v < -INT64_LIMIT) throw new RowShapeError(`column '${name}' is integer but ${v} is outside 64-bit integers`);
    if (!Number.isSafeInteger(v)) {
      special(BigInt(v).toString());
      return null;
    }
    return v;
  }
  if (v === Infinity || v === -Infinity) {
    special(String(v));
    return null;
  }
  return v;
}

/** Appends the row's values to `out`, and its special values as [position in out, text]. */
export function rowValues(row: Row, columns: [string, ColumnType][], out: unknown[], specials: [number, string][]): void {
  if (row === null || typeof row !== 'object') throw new RowShapeError(`format() returned ${row === null ? 'null' : typeof row}, expected a row object`);
  const mark = specials.length;
  try {
    for (const [name, type] of columns) {
      const v = row[name];
      if (v === undefined) throw new RowShapeError(`row has no value for column '${name}' (use null for a missing value)`);
      const pos = out.length;
      out.push(columnValue(name, type, v, (text) => specials.push([pos, text])));
    }
  } catch (err) {
    specials.length = mark;
    throw err;
  }
  const n = Object.keys(row).length;
  if (n !== columns.length) {
    specials.length = mark;
    const extra = Object.keys(row).filter((k) => !columns.some(([c]) => c === k));
    throw new RowShapeError(`row has columns the model does not declare: ${extra.join(', ')}`);
  }
}
