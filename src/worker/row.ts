/** Checks a model's formatted row against its declared columns and flattens it to values. */
import type { ColumnType, Row } from '../index.js';

export class RowShapeError extends Error {
  override name = 'RowShapeError';
}

export function rowValues(row: Row, columns: [string, ColumnType][], out: unknown[]): void {
  if (row === null || typeof row !== 'object') throw new RowShapeError(`format() returned ${row === null ? 'null' : typeof row}, expected a row object`);
  for (const [name, type] of columns) {
    let v = row[name];
    if (v === undefined) throw new RowShapeError(`row has no value for column '${name}' (use null for a missing value)`);
    if (v !== null) {
      if (typeof v === 'boolean') v = v ? 1 : 0;
      const ok = type === 'text' ? typeof v === 'string' : typeof v === 'number' || typeof v === 'bigint';
      if (!ok) throw new RowShapeError(`column '${name}' is ${type} but the row holds ${typeof v} ${JSON.stringify(String(v)).slice(0, 40)}`);
      if (type === 'integer' && typeof v === 'number' && !Number.isInteger(v)) {
        throw new RowShapeError(`column '${name}' is integer but the row holds ${v}`);
      }
      if (typeof v === 'bigint') v = Number(v);
    }
    out.push(v);
  }
  const n = Object.keys(row).length;
  if (n !== columns.length) {
    const extra = Object.keys(row).filter((k) => !columns.some(([c]) => c === k));
    throw new RowShapeError(`row has columns the model does not declare: ${extra.join(', ')}`);
  }
}
