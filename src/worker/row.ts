/**
 * Checks each formatted row against the model's declared columns and stores it in columns
 * (protocol.ts ResultColumn): a Float64Array per real/integer column, a string array per text
 * column. Values are stored exactly or refused: NaN is refused (NaN marks NULL in a numeric
 * column; return null for a missing value), ±Infinity travels as itself in a real column, and
 * an integer beyond 2^53 (bigint) travels as exact digits in `specials`.
 */
import type { ColumnType, Row } from '../api/model.js';
import type { ChunkMessage, ChunkTrace, ItemError, ResultColumn, ResultMessage } from '../protocol.js';

export class RowShapeError extends Error {
  override name = 'RowShapeError';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** 2^63 as a double: integer-valued numbers in [-2^63, 2^63) fit a 64-bit integer. */
const INT64_LIMIT = 2 ** 63;

function show(v: unknown): string {
  return JSON.stringify(String(v)).slice(0, 40);
}

export class RowColumns {
  rows = 0;
  private readonly names: string[];
  private readonly types: ColumnType[];
  private readonly cols: ResultColumn[];
  private specials: [number, number, string][] = [];

  constructor(columns: [string, ColumnType][], capacity: number) {
    this.names = columns.map(([n]) => n);
    this.types = columns.map(([, t]) => t);
    this.cols = this.types.map((t) => (t === 'text' ? new Array<string | null>(capacity) : new Float64Array(capacity)));
  }

  /** Adds one row, or throws RowShapeError and adds nothing. */
  add(row: Row): void {
    if (row === null || typeof row !== 'object')
      throw new RowShapeError(`format() returned ${row === null ? 'null' : typeof row}, expected a row object`);
    const r = this.rows;
    const mark = this.specials.length;
    try {
      for (let c = 0; c < this.names.length; c++) this.put(r, c, row[this.names[c]!]);
    } catch (err) {
      this.specials.length = mark;
      throw err;
    }
    if (Object.keys(row).length !== this.names.length) {
      this.specials.length = mark;
      const extra = Object.keys(row).filter((k) => !this.names.includes(k));
      throw new RowShapeError(`row has columns the model does not declare: ${extra.join(', ')}`);
    }
    this.rows++;
  }

  private put(r: number, c: number, v: unknown): void {
    const name = this.names[c]!;
    const type = this.types[c]!;
    if (v === undefined) throw new RowShapeError(`row has no value for column '${name}' (use null for a missing value)`);
    if (type === 'text') {
      if (v !== null && typeof v !== 'string') throw new RowShapeError(`column '${name}' is text but the row holds ${typeof v} ${show(v)}`);
      (this.cols[c] as (string | null)[])[r] = v;
      return;
    }
    (this.cols[c] as Float64Array)[r] = this.number(r, c, v);
  }

  private number(r: number, c: number, v: unknown): number {
    const name = this.names[c]!;
    const integer = this.types[c] === 'integer';
    if (v === null) return NaN;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') {
      if (!integer) return Number(v);
      if (v < INT64_MIN || v > INT64_MAX) throw new RowShapeError(`column '${name}' is integer but ${v} is outside 64-bit integers`);
      if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) this.specials.push([r, c, v.toString()]);
      return Number(v);
    }
    if (typeof v !== 'number') throw new RowShapeError(`column '${name}' is ${this.types[c]} but the row holds ${typeof v} ${show(v)}`);
    if (v !== v) throw new RowShapeError(`column '${name}' is NaN (return null for a missing value)`);
    if (integer) {
      if (!Number.isInteger(v)) throw new RowShapeError(`column '${name}' is integer but the row holds ${v}`);
      if (v >= INT64_LIMIT || v < -INT64_LIMIT) throw new RowShapeError(`column '${name}' is integer but ${v} is outside 64-bit integers`);
      if (!Number.isSafeInteger(v)) this.specials.push([r, c, BigInt(v).toString()]);
    }
    return v;
  }

  /** The columns of the rows added, trimmed to their count (a view would send the whole buffer). */
  take(): { columns: ResultColumn[]; specials: [number, number, string][] | null } {
    const n = this.rows;
    const columns = this.cols.map((col) => (col.length === n ? col : col.slice(0, n)));
    return { columns, specials: this.specials.length ? this.specials : null };
  }
}

/**
 * A chunk's result message: its rows taken from `out`, the indices that have a row when some
 * items failed, and `timing()` (called after the rows are taken: the time includes taking them).
 */
export function chunkResult(
  chunk: ChunkMessage,
  out: RowColumns,
  okIdx: number[],
  errors: ItemError[],
  timing: () => { ms: number; trace?: ChunkTrace },
): ResultMessage {
  const { columns, specials } = out.take();
  return {
    type: 'result',
    id: chunk.id,
    start: chunk.start,
    rows: out.rows,
    columns,
    idx: errors.length ? okIdx : null,
    errors,
    specials,
    ...timing(),
  };
}
