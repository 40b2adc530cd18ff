/**
 * `resume --retry-errors` of a sweep: the items that failed in any variant run again in every
 * variant (a chunk runs all of them), but each variant keeps only the rows and errors of the
 * items that failed in it; its other items already have their rows, which a second write would
 * count twice.
 */
import type { ErrorRow, RowBatch } from '../store/results-writer.js';

/** Which items a variant takes from a chunk; absent: all of them. */
export type Keep = (idx: number) => boolean;

export function keepItems(rows: RowBatch, errors: ErrorRow[], keep: Keep | undefined): { rows: RowBatch; errors: ErrorRow[] } {
  if (!keep) return { rows, errors };
  const idxOf = (r: number) => (rows.idx ? rows.idx[r]! : rows.start + r);
  const kept: number[] = [];
  for (let r = 0; r < rows.rows; r++) if (keep(idxOf(r))) kept.push(r);
  const errs = errors.filter((e) => keep(e.idx));
  if (kept.length === rows.rows) return { rows, errors: errs };
  const at = new Map(kept.map((r, k) => [r, k]));
  const specials = (rows.specials ?? []).flatMap(([r, c, digits]): [number, number, string][] => {
    const k = at.get(r);
    return k === undefined ? [] : [[k, c, digits]];
  });
  return {
    rows: {
      idx: kept.map(idxOf),
      start: rows.start,
      rows: kept.length,
      columns: rows.columns.map((c) => (c instanceof Float64Array ? Float64Array.from(kept, (r) => c[r]!) : kept.map((r) => c[r] ?? null))),
      specials: specials.length ? specials : null,
    },
    errors: errs,
  };
}
