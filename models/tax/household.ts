/**
 * One household record (a row of the input): parsing and checking. CSV items arrive with
 * every field as a string, JSONL items may hold numbers; both are accepted. A bad value
 * throws an Error naming the column, which turns that item into an `errors` row.
 */
import { FILING_STATUSES, type FilingStatus } from './policy.js';

export interface Household {
  id: string;
  weight: number;
  filing_status: FilingStatus;
  age_head: number;
  age_spouse: number;
  wages_head: number;
  wages_spouse: number;
  self_employment: number;
  taxable_interest: number;
  ordinary_dividends: number;
  qualified_dividends: number;
  capital_gains: number;
  other_income: number;
  children: number;
  other_dependents: number;
}

type Kind = 'amount' | 'signed' | 'count';
interface Field {
  kind: Kind;
  /** Used when the column is missing or empty; undefined = required. */
  default?: number;
}

/** Every numeric input column, in documentation order. */
export const NUMERIC_FIELDS: Record<Exclude<keyof Household, 'id' | 'filing_status'>, Field> = {
  weight: { kind: 'amount', default: 1 },
  age_head: { kind: 'count' },
  age_spouse: { kind: 'count', default: 0 },
  wages_head: { kind: 'amount' },
  wages_spouse: { kind: 'amount', default: 0 },
  self_employment: { kind: 'amount', default: 0 },
  taxable_interest: { kind: 'amount', default: 0 },
  ordinary_dividends: { kind: 'amount', default: 0 },
  qualified_dividends: { kind: 'amount', default: 0 },
  capital_gains: { kind: 'signed', default: 0 },
  other_income: { kind: 'signed', default: 0 },
  children: { kind: 'count', default: 0 },
  other_dependents: { kind: 'count', default: 0 },
};

export class HouseholdError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(`column ${column}: ${message}`);
    this.name = 'HouseholdError';
  }
}

function readNumber(item: Record<string, unknown>, column: string, f: Field): number {
  const raw = item[column];
  const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
  if (empty) {
    if (f.default === undefined) throw new HouseholdError(column, 'is required but missing or empty');
    return f.default;
  }
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(v)) throw new HouseholdError(column, `${JSON.stringify(raw)} is not a number`);
  if (f.kind !== 'signed' && v < 0) throw new HouseholdError(column, `must be >= 0, got ${v}`);
  if (f.kind === 'count' && !Number.isInteger(v)) throw new HouseholdError(column, `must be a whole number, got ${v}`);
  return v;
}

export function parseHousehold(item: unknown, index: number): Household {
  if (typeof item !== 'object' || item === null) throw new HouseholdError('(record)', 'expected an object with the household columns');
  const rec = item as Record<string, unknown>;
  const fs = String(rec.filing_status ?? '').trim().toLowerCase();
  if (!(FILING_STATUSES as readonly string[]).includes(fs)) {
    throw new HouseholdError('filing_status', `${JSON.stringify(rec.filing_status ?? '')} is not one of ${FILING_STATUSES.join(', ')}`);
  }
  const num = (column: keyof typeof NUMERIC_FIELDS) => readNumber(rec, column, NUMERIC_FIELDS[column]);
  // One object literal, so every household has the same shape (fast property access).
  const h: Household = {
    id: rec.id === undefined || rec.id === '' ? String(index) : String(rec.id),
    weight: num('weight'),
    filing_status: fs as FilingStatus,
    age_head: num('age_head'),
    age_spouse: num('age_spouse'),
    wages_head: num('wages_head'),
    wages_spouse: num('wages_spouse'),
    self_employment: num('self_employment'),
    taxable_interest: num('taxable_interest'),
    ordinary_dividends: num('ordinary_dividends'),
    qualified_dividends: num('qualified_dividends'),
    capital_gains: num('capital_gains'),
    other_income: num('other_income'),
    children: num('children'),
    other_dependents: num('other_dependents'),
  };
  if (h.qualified_dividends > h.ordinary_dividends) {
    throw new HouseholdError('qualified_dividends', `${h.qualified_dividends} exceeds ordinary_dividends ${h.ordinary_dividends} (qualified dividends are part of ordinary dividends)`);
  }
  if (h.filing_status !== 'mfj' && (h.wages_spouse !== 0 || h.age_spouse !== 0)) {
    throw new HouseholdError(h.wages_spouse !== 0 ? 'wages_spouse' : 'age_spouse', `must be 0 or empty unless filing_status is mfj (got ${h.filing_status})`);
  }
  return h;
}
