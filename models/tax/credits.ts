/**
 * Credits of the 2024 tax, in the order they use up the tax: child and dependent care credit
 * (Form 2441), credit for the elderly or disabled (Schedule R), child tax credit and credit for
 * other dependents with the additional child tax credit (Schedule 8812), and the earned income
 * credit (Pub 596). Pure functions, no rounding.
 */
import type { Household } from './household.js';
import type { Policy } from './policy.js';

/**
 * Form 2441 line 9a (before the tax limit): qualified expenses up to $3,000 per person (two at
 * most), no more than the earned income of either spouse, times 35 % less one point per $2,000
 * (or part) of AGI over $15,000, not below 20 %. A separate filer qualifies only when separated
 * (§21(e)(4)).
 */
export function careCredit(h: Household, agi: number, earnedHead: number, earnedSpouse: number, p: Policy): number {
  const d = p.cdcc;
  if (h.care_persons === 0 || h.care_expenses === 0) return 0;
  if (h.filing_status === 'mfs' && h.separated === 0) return 0;
  const qualified = Math.min(h.care_expenses, Math.min(h.care_persons, d.max_persons) * d.max_expenses_per_person);
  const line6 = Math.min(qualified, earnedHead, h.filing_status === 'mfj' ? earnedSpouse : earnedHead);
  if (line6 <= 0) return 0;
  const steps = agi > d.phaseout_start ? Math.ceil((agi - d.phaseout_start) / d.phaseout_step) : 0;
  return line6 * Math.max(d.rate_min, d.rate_max - steps * d.rate_per_step);
}

/**
 * Schedule R for filers 65 or older (the under-65 disability route is not modelled): 15 % of
 * the initial amount less nontaxable social security and half of AGI over the threshold.
 * A separate filer must have lived apart from the spouse all year (§22(e)(1)).
 */
export function elderlyCredit(h: Household, agi: number, taxableSs: number, p: Policy): number {
  const r = p.elderly_credit;
  const fs = h.filing_status;
  const aged = (h.age_head >= r.min_age ? 1 : 0) + (fs === 'mfj' && h.age_spouse >= r.min_age ? 1 : 0);
  if (aged === 0 || (fs === 'mfs' && h.lived_apart_all_year === 0)) return 0;
  const initial = fs === 'mfj' && aged === 2 ? r.mfj_both_amount : r.initial_amount[fs];
  const nontaxable = Math.max(0, h.social_security - taxableSs);
  const excess = r.agi_rate * Math.max(0, agi - r.agi_threshold[fs]);
  return r.rate * Math.max(0, initial - nontaxable - excess);
}

/** Schedule 8812 line 12: child and other dependent credits after the phase-out. */
export function childCreditBeforeLimit(h: Household, agi: number, p: Policy): number {
  const c = p.ctc;
  const over = Math.round((agi - c.phaseout_start[h.filing_status]) * 100) / 100;
  const reduction = over > 0 ? Math.ceil(over / c.phaseout_step) * c.phaseout_per_step : 0;
  return Math.max(0, h.children * c.amount + h.other_dependents * c.other_dependent_amount - reduction);
}

/**
 * Schedule 8812 Part II: the refundable part of the unused credit (`unused` = line 12 - line
 * 14), at most refundable_max per child, equal to 15 % of earnings over $2,500; with 3 or more
 * children the larger of that and the social security and Medicare taxes (withheld on wages
 * plus half the SE tax) over the EITC (Part II-B). Fully refundable (2021 style): the unused
 * credit up to the children's full amount.
 */
export function additionalChildCredit(h: Household, unused: number, earned: number, fica: number, eitc: number, p: Policy): number {
  const c = p.ctc;
  if (h.children === 0 || unused <= 0) return 0;
  if (c.fully_refundable) return Math.min(unused, h.children * c.amount);
  const line17 = Math.min(unused, h.children * c.refundable_max);
  const line20 = c.refundable_rate * Math.max(0, earned - c.earnings_threshold);
  if (h.children < c.alt_min_children || line20 >= line17) return Math.min(line17, line20);
  return Math.min(line17, Math.max(line20, fica - eitc));
}

/** The EITC schedule for `n` children at income x (phase-in, plateau, phase-out). */
function eitcSchedule(x: number, n: number, start: number, p: Policy): number {
  const e = p.eitc;
  return Math.max(0, Math.min(e.credit_rate[n]! * x, e.max_credit[n]!) - e.phaseout_rate[n]! * Math.max(0, x - start));
}

/**
 * EITC (Pub 596). Investment income is interest (taxable and exempt), dividends and the
 * capital gain net of the loss limit. A separate filer qualifies only with a qualifying child
 * and separated (§32(d)(2)(B)), unless the reform lever allow_mfs is set.
 */
export function earnedIncomeCredit(h: Household, agi: number, earned: number, gainInAgi: number, p: Policy): number {
  const e = p.eitc;
  const n = Math.min(h.children, 3);
  if (h.filing_status === 'mfs' && !e.allow_mfs && !(e.mfs_separated_with_child && n > 0 && h.separated === 1)) return 0;
  const investment = h.taxable_interest + h.tax_exempt_interest + h.ordinary_dividends + Math.max(0, gainInAgi);
  if (investment > e.investment_income_limit) return 0;
  if (n === 0) {
    const inRange = (age: number) => age >= e.childless_min_age && age <= e.childless_max_age;
    if (!inRange(h.age_head) && !(h.filing_status === 'mfj' && inRange(h.age_spouse))) return 0;
  }
  const start = e.phaseout_start[n]! + (h.filing_status === 'mfj' ? e.mfj_phaseout_extra : 0);
  const fromEarned = eitcSchedule(earned, n, start, p);
  // Pub 596 worksheet: when AGI is at or above the phase-out start, take the smaller of the two.
  return agi >= start && agi !== earned ? Math.min(fromEarned, eitcSchedule(agi, n, start, p)) : fromEarned;
}
