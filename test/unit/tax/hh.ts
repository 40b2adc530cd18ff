/** A household for hand-checked tests: every input at its default (0 / false), age 40, single. */
import { NUMERIC_FIELDS, type Household } from '../../../models/tax/household.js';

const defaults = Object.fromEntries(Object.entries(NUMERIC_FIELDS).map(([k, f]) => [k, f.default ?? 0]));

export function hh(p: Partial<Household>): Household {
  return { id: 'x', filing_status: 'single', ...defaults, age_head: 40, ...p } as Household;
}
