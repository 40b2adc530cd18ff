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
  self_employment_spouse: number;
  short_term_gains: number;
  tax_exempt_interest: number;
  social_security: number;
  mortgage_interest: number;
  state_local_taxes: number;
  charity: number;
  medical_expenses: number;
  care_expenses: number;
  care_persons: number;
  qbi_w2_wages: number;
  qbi_ubia: number;
  /** Flags are 0 or 1. Specified service trade or business (§199A(d)(2)). */
  qbi_sstb: number;
  /** mfs only: lived apart from the spouse the last 6 months of the year, or legally separated (§32(d)(2)(B), §21(e)(4)). */
  separated: number;
  /** mfs only: lived apart from the spouse all year (§86(c)(1)(C), §22(e)(1)). */
  lived_apart_all_year: number;
}

type Kind = 'amount' | 'signed' | 'count' | 'flag';
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
  // Added in model version 2024.3; every one defaults to 0 / false, so older CSVs still work.
  self_employment_spouse: { kind: 'amount', default: 0 },
  short_term_gains: { kind: 'signed', default: 0 },
  tax_exempt_interest: { kind: 'amount', default: 0 },
  social_security: { kind: 'amount', default: 0 },
  mortgage_interest: { kind: 'amount', default: 0 },
  state_local_taxes: { kind: 'amount', default: 0 },
  charity: { kind: 'amount', default: 0 },
  medical_expenses: { kind: 'amount', default: 0 },
  care_expenses: { kind: 'amount', default: 0 },
  care_persons: { kind: 'count', default: 0 },
  qbi_w2_wages: { kind: 'amount', default: 0 },
  qbi_ubia: { kind: 'amount', default: 0 },
  qbi_sstb: { kind: 'flag', default: 0 },
  separated: { kind: 'flag', default: 0 },
  lived_apart_all_year: { kind: 'flag', default: 0 },
};

const FLAG_VALUES: Record<string, number> = { '0': 0, '1': 1, false: 0, true: 1 };

export class HouseholdError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(`column ${column}: ${message}`);
    this.name = 'HouseholdError';
  }
}

function missing(column: string, f: Field): number {
  if (f.default === undefined) throw new HouseholdError(column, 'is required but missing or empty');
  return f.default;
}

function readFlag(raw: unknown, column: string): number {
  const v = typeof raw === 'boolean' ? Number(raw) : FLAG_VALUES[String(raw).trim().toLowerCase()];
  if (v === undefined) throw new HouseholdError(column, `${JSON.stringify(raw)} is not a flag (use 0, 1, true or false)`);
  return v;
}

function readNumber(item: Record<string, unknown>, column: string, f: Field): number {
  const raw = item[column];
  let v: number;
  if (typeof raw === 'string') {
    // Fast path: most of the optional columns of a generated population are "0".
    if (raw === '0') return 0;
    if (f.kind === 'flag') return raw.trim() === '' ? missing(column, f) : readFlag(raw, column);
    // Number() ignores surrounding whitespace and gives 0 for a blank string.
    v = Number(raw);
    if (v === 0 && raw.trim() === '') return missing(column, f);
  } else if (raw === undefined || raw === null) {
    return missing(column, f);
  } else if (f.kind === 'flag') {
    return readFlag(raw, column);
  } else {
    v = typeof raw === 'number' ? raw : NaN;
  }
  if (!Number.isFinite(v)) throw new HouseholdError(column, `${JSON.stringify(raw)} is not a number`);
  if (f.kind !== 'signed' && v < 0) throw new HouseholdError(column, `must be >= 0, got ${v}`);
  if (f.kind === 'count' && !Number.isInteger(v)) throw new HouseholdError(column, `must be a whole number, got ${v}`);
  return v;
}

export function parseHousehold(item: unknown, index: number): Household {
  if (typeof item !== 'object' || item === null) throw new HouseholdError('(record)', 'expected an object with the household columns');
  const rec = item as Record<string, unknown>;
  const fs = String(rec.filing_status ?? '')
    .trim()
    .toLowerCase();
  if (!(FILING_STATUSES as readonly string[]).includes(fs)) {
    throw new HouseholdError('filing_status', `${JSON.stringify(rec.filing_status ?? '')} is not one of ${FILING_STATUSES.join(', ')}`);
  }
  const F = NUMERIC_FIELDS;
  // One object literal, so every household has the same shape (fast property access).
  const h: Household = {
    id: rec.id === undefined || rec.id === '' ? String(index) : String(rec.id),
    weight: readNumber(rec, 'weight', F.weight),
    filing_status: fs as FilingStatus,
    age_head: readNumber(rec, 'age_head', F.age_head),
    age_spouse: readNumber(rec, 'age_spouse', F.age_spouse),
    wages_head: readNumber(rec, 'wages_head', F.wages_head),
    wages_spouse: readNumber(rec, 'wages_spouse', F.wages_spouse),
    self_employment: readNumber(rec, 'self_employment', F.self_employment),
    taxable_interest: readNumber(rec, 'taxable_interest', F.taxable_interest),
    ordinary_dividends: readNumber(rec, 'ordinary_dividends', F.ordinary_dividends),
    qualified_dividends: readNumber(rec, 'qualified_dividends', F.qualified_dividends),
    capital_gains: readNumber(rec, 'capital_gains', F.capital_gains),
    other_income: readNumber(rec, 'other_income', F.other_income),
    children: readNumber(rec, 'children', F.children),
    other_dependents: readNumber(rec, 'other_dependents', F.other_dependents),
    self_employment_spouse: readNumber(rec, 'self_employment_spouse', F.self_employment_spouse),
    short_term_gains: readNumber(rec, 'short_term_gains', F.short_term_gains),
    tax_exempt_interest: readNumber(rec, 'tax_exempt_interest', F.tax_exempt_interest),
    social_security: readNumber(rec, 'social_security', F.social_security),
    mortgage_interest: readNumber(rec, 'mortgage_interest', F.mortgage_interest),
    state_local_taxes: readNumber(rec, 'state_local_taxes', F.state_local_taxes),
    charity: readNumber(rec, 'charity', F.charity),
    medical_expenses: readNumber(rec, 'medical_expenses', F.medical_expenses),
    care_expenses: readNumber(rec, 'care_expenses', F.care_expenses),
    care_persons: readNumber(rec, 'care_persons', F.care_persons),
    qbi_w2_wages: readNumber(rec, 'qbi_w2_wages', F.qbi_w2_wages),
    qbi_ubia: readNumber(rec, 'qbi_ubia', F.qbi_ubia),
    qbi_sstb: readNumber(rec, 'qbi_sstb', F.qbi_sstb),
    separated: readNumber(rec, 'separated', F.separated),
    lived_apart_all_year: readNumber(rec, 'lived_apart_all_year', F.lived_apart_all_year),
  };
  if (h.qualified_dividends > h.ordinary_dividends) {
    throw new HouseholdError(
      'qualified_dividends',
      `${h.qualified_dividends} exceeds ordinary_dividends ${h.ordinary_dividends} (qualified dividends are part of ordinary dividends)`,
    );
  }
  if (h.filing_status !== 'mfj') {
    const spouseColumn =
      h.wages_spouse !== 0
        ? 'wages_spouse'
        : h.age_spouse !== 0
          ? 'age_spouse'
          : h.self_employment_spouse !== 0
            ? 'self_employment_spouse'
            : null;
    if (spouseColumn) throw new HouseholdError(spouseColumn, `must be 0 or empty unless filing_status is mfj (got ${h.filing_status})`);
  }
  if (h.filing_status !== 'mfs' && (h.separated !== 0 || h.lived_apart_all_year !== 0)) {
    throw new HouseholdError(
      h.separated !== 0 ? 'separated' : 'lived_apart_all_year',
      `must be 0 or empty unless filing_status is mfs (got ${h.filing_status})`,
    );
  }
  if (h.lived_apart_all_year === 1 && h.separated === 0) {
    throw new HouseholdError('separated', 'must be 1 when lived_apart_all_year is 1 (apart all year includes the last 6 months)');
  }
  return h;
}
