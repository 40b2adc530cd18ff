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
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function show(v: unknown): string {
  return JSON.stringify(String(v)).slice(0, 40);
}

export class RowColumns {
  rows = 0;
  private readonly names: string[];
  private readonly types: ColumnType[];
  private readonly cols: ResultColumn[];
  private readonly specials: [number, number, string][] = [];

  constructor(columns: [string, ColumnType][], capacity: number) {
    this.names = columns.map(([n]) => n);
    this.types = columns.map(([, t]) => t);
    this.cols = this.types.map((t) => (t === 'text' ? new Array<string | null>(capacity) : new Float64Array(capacity)));
  }

  /**
   * Adds one row, or throws RowShapeError and adds nothing.
   *
   * One method, checks and all, on purpose: its bytecode is above V8's 460-byte limit for
   * inlining, so it stays out of line in the worker's item loop. When it was split into small
   * methods, V8 inlined them into runChunk and they used up the loop's inlining budget (~920
   * bytes) before the model's analyze() got its share: montecarlo's ctx.random() was left out
   * of line and a 1 ms item cost 7 % more CPU (`node --trace-turbo-inlining`; bench --against).
   */
  add(row: Row): void {
    if (row === null || typeof row !== 'object')
      throw new RowShapeError(`format() returned ${row === null ? 'null' : typeof row}, expected a row object`);
    const { names, types, cols, specials } = this;
    const r = this.rows;
    const mark = specials.length;
    try {
      for (let c = 0; c < names.length; c++) {
        const v: unknown = row[names[c]!];
        const type = types[c]!;
        if (v === undefined) throw new RowShapeError(`row has no value for column '${names[c]}' (use null for a missing value)`);
        if (type === 'text') {
          if (v !== null && typeof v !== 'string') throw this.wrongType(c, v);
          (cols[c] as (string | null)[])[r] = v;
          continue;
        }
        let x: number;
        if (typeof v === 'number') {
          if (v !== v) throw new RowShapeError(`column '${names[c]}' is NaN (return null for a missing value)`);
          if (type === 'integer') {
            if (!Number.isInteger(v)) throw new RowShapeError(`column '${names[c]}' is integer but the row holds ${v}`);
            if (v >= INT64_LIMIT || v < -INT64_LIMIT) throw this.outOfRange(c, v);
            if (!Number.isSafeInteger(v)) specials.push([r, c, BigInt(v).toString()]);
          }
          x = v;
        } else if (v === null) x = NaN;
        else if (typeof v === 'boolean') x = v ? 1 : 0;
        else if (typeof v === 'bigint') {
          if (type === 'integer') {
            if (v < INT64_MIN || v > INT64_MAX) throw this.outOfRange(c, v);
            if (v < MIN_SAFE || v > MAX_SAFE) specials.push([r, c, v.toString()]);
          }
          x = Number(v);
        } else throw this.wrongType(c, v);
        (cols[c] as Float64Array)[r] = x;
      }
    } catch (err) {
      specials.length = mark;
      throw err;
    }
    if (Object.keys(row).length !== names.length) {
      specials.length = mark;
      const extra = Object.keys(row).filter((k) => !names.includes(k));
      throw new RowShapeError(`row has columns the model does not declare: ${extra.join(', ')}`);
    }
    this.rows++;
  }

  private wrongType(c: number, v: unknown): RowShapeError {
    return new RowShapeError(`column '${this.names[c]}' is ${this.types[c]} but the row holds ${typeof v} ${show(v)}`);
  }

  private outOfRange(c: number, v: number | bigint): RowShapeError {
    return new RowShapeError(`column '${this.names[c]}' is integer but ${v} is outside 64-bit integers`);
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
