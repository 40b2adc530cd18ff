/**
 * US federal individual income tax and employee payroll tax for one household: pure
 * functions of (household, policy), no I/O. Amounts are dollars; the outputs are rounded to
 * cents at the end, while marginal rates use the unrounded values (finite difference of
 * +1 dollar of the head's wages).
 *
 * Simplifications (documented in the README): standard deduction only (no itemizing), no
 * AMT, no tax tables (exact bracket formula, like Tax-Calculator), no alternative ACTC
 * method for 3+ children, the EITC investment income is interest + dividends + positive
 * capital gains, self-employment income belongs to the head.
 */
import type { Household } from './household.js';
import type { FilingStatus, Policy } from './policy.js';

export interface TaxResult {
  gross_income: number;
  agi: number;
  standard_deduction: number;
  taxable_income: number;
  regular_tax: number;
  ctc: number;
  actc: number;
  eitc: number;
  income_tax: number;
  payroll_tax: number;
  combined_tax: number;
  after_tax_income: number;
}

export interface TaxOutput extends TaxResult {
  average_rate: number | null;
  marginal_rate: number;
  marginal_income_tax_rate: number;
}

/** Cents, half away from zero; the 1e-6 absorbs float noise such as 0.22 * 50 = 10.999999... */
export const round2 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-6)) / 100 + 0;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6 + 0;

/** Tax on `income` under a schedule: rates[k] applies between thresholds[k-1] and thresholds[k]. */
export function scheduleTax(income: number, thresholds: number[], rates: number[]): number {
  let tax = 0;
  for (let k = 0; k < rates.length; k++) {
    const lower = k === 0 ? 0 : thresholds[k - 1]!;
    const upper = k < thresholds.length ? thresholds[k]! : Infinity;
    if (income <= lower) break;
    tax += (Math.min(income, upper) - lower) * rates[k]!;
  }
  return tax;
}

/**
 * Regular tax: ordinary income on the brackets, then the preferential income (qualified
 * dividends + net long-term gains) stacked on top of it at the 0/15/20 % rates
 * (Qualified Dividends and Capital Gain Tax Worksheet); never more than the all-ordinary tax.
 */
export function regularTax(taxable: number, preferential: number, fs: FilingStatus, p: Policy): number {
  const allOrdinary = scheduleTax(taxable, p.income_tax.brackets[fs], p.income_tax.rates);
  const pref = Math.min(Math.max(0, preferential), taxable);
  if (pref <= 0) return allOrdinary;
  const ordinary = taxable - pref;
  let tax = scheduleTax(ordinary, p.income_tax.brackets[fs], p.income_tax.rates);
  const thr = p.capital_gains.brackets[fs];
  const rates = p.capital_gains.rates;
  for (let k = 0; k < rates.length; k++) {
    const lower = k === 0 ? 0 : thr[k - 1]!;
    const upper = k < thr.length ? thr[k]! : Infinity;
    tax += Math.max(0, Math.min(taxable, upper) - Math.max(ordinary, lower)) * rates[k]!;
  }
  return Math.min(tax, allOrdinary);
}

function eitcAmount(h: Household, agi: number, earned: number, p: Policy): number {
  const e = p.eitc;
  if (h.filing_status === 'mfs' && !e.allow_mfs) return 0;
  const investment = h.taxable_interest + h.ordinary_dividends + Math.max(0, h.capital_gains);
  if (investment > e.investment_income_limit) return 0;
  const n = Math.min(h.children, 3);
  if (n === 0) {
    const inRange = (age: number) => age >= e.childless_min_age && age <= e.childless_max_age;
    if (!inRange(h.age_head) && !(h.filing_status === 'mfj' && inRange(h.age_spouse))) return 0;
  }
  const start = e.phaseout_start[n]! + (h.filing_status === 'mfj' ? e.mfj_phaseout_extra : 0);
  const credit = (x: number) =>
    Math.max(0, Math.min(e.credit_rate[n]! * x, e.max_credit[n]!) - e.phaseout_rate[n]! * Math.max(0, x - start));
  const fromEarned = credit(earned);
  // Pub 596 worksheet: when AGI is at or above the phase-out start, take the smaller of the two.
  return agi >= start && agi !== earned ? Math.min(fromEarned, credit(agi)) : fromEarned;
}

/**
 * The whole computation without rounding (so that +1 dollar differences are exact).
 * `extraWages` is added to the head's wages (for marginal rates, without copying `h`).
 */
export function computeRaw(h: Household, p: Policy, extraWages = 0): TaxResult {
  const fs = h.filing_status;
  const pr = p.payroll;
  const wagesHead = h.wages_head + extraWages;
  const wages = wagesHead + h.wages_spouse;

  // Self-employment tax (both halves) on 92.35 % of net earnings; the SS part only up to
  // what the head's wages left of the wage base. Half of it is deducted from AGI.
  // IRC §1402(b): net earnings under $400 are not self-employment income (no SE tax at all).
  const seEarnings = h.self_employment * pr.se_earnings_factor;
  const seNet = seEarnings < pr.se_min_earnings ? 0 : seEarnings;
  const seTax = 2 * pr.ss_rate * Math.min(seNet, Math.max(0, pr.ss_wage_base - wagesHead)) + 2 * pr.medicare_rate * seNet;
  const halfSe = seTax / 2;

  const gross = wages + h.self_employment + h.taxable_interest + h.ordinary_dividends + h.capital_gains + h.other_income;
  const cgInAgi = Math.max(h.capital_gains, -p.capital_gains.loss_limit[fs]);
  const agi = wages + h.self_employment + h.taxable_interest + h.ordinary_dividends + cgInAgi + h.other_income - halfSe;

  const sd = p.standard_deduction;
  const aged = (h.age_head >= sd.aged_min_age ? 1 : 0) + (fs === 'mfj' && h.age_spouse >= sd.aged_min_age ? 1 : 0);
  const standard = sd.base[fs] + aged * sd.aged_extra[fs];
  const taxable = Math.max(0, agi - standard);
  const regular = regularTax(taxable, h.qualified_dividends + Math.max(0, h.capital_gains), fs, p);

  // Child tax credit and credit for other dependents (Schedule 8812).
  const c = p.ctc;
  const over = round2(agi - c.phaseout_start[fs]);
  const reduction = over > 0 ? Math.ceil(over / c.phaseout_step) * c.phaseout_per_step : 0;
  const credit = Math.max(0, h.children * c.amount + h.other_dependents * c.other_dependent_amount - reduction);
  const ctc = Math.min(credit, regular);
  const earned = Math.max(0, wages + h.self_employment - halfSe);
  // Refundable: the unused credit, at most refundable_max per child and 15 % of earnings above
  // 2,500; fully refundable (2021 law), the unused credit up to the children's full amount.
  const actc =
    h.children === 0
      ? 0
      : c.fully_refundable
        ? Math.min(credit - ctc, h.children * c.amount)
        : Math.min(credit - ctc, h.children * c.refundable_max, c.refundable_rate * Math.max(0, earned - c.earnings_threshold));
  const eitc = eitcAmount(h, agi, earned, p);

  // Employee payroll tax: Social Security per worker up to the wage base, Medicare on all
  // wages, Additional Medicare on wages + SE earnings above the filing-status threshold.
  const ss = pr.ss_rate * (Math.min(wagesHead, pr.ss_wage_base) + Math.min(h.wages_spouse, pr.ss_wage_base));
  const addl = pr.addl_medicare_rate * Math.max(0, wages + seNet - pr.addl_medicare_threshold[fs]);
  const payroll = ss + pr.medicare_rate * wages + addl + seTax;

  const incomeTax = regular - ctc - actc - eitc;
  const combined = incomeTax + payroll;
  return {
    gross_income: gross,
    agi,
    standard_deduction: standard,
    taxable_income: taxable,
    regular_tax: regular,
    ctc,
    actc,
    eitc,
    income_tax: incomeTax,
    payroll_tax: payroll,
    combined_tax: combined,
    after_tax_income: gross - combined,
  };
}

/** Rounds every amount to cents; the totals are sums of the rounded parts, so they add up. */
export function roundResult(r: TaxResult): TaxResult {
  const { average_rate: _a, marginal_rate: _m, marginal_income_tax_rate: _i, ...amounts } = roundedOutput(r, r);
  return amounts;
}

/** One object literal with every output (a fixed shape keeps this hot path fast). */
function roundedOutput(raw: TaxResult, up: TaxResult): TaxOutput {
  const regular = round2(raw.regular_tax);
  const ctc = round2(raw.ctc);
  const actc = round2(raw.actc);
  const eitc = round2(raw.eitc);
  const payroll = round2(raw.payroll_tax);
  const incomeTax = round2(regular - ctc - actc - eitc);
  const combined = round2(incomeTax + payroll);
  const gross = round2(raw.gross_income);
  return {
    gross_income: gross,
    agi: round2(raw.agi),
    standard_deduction: round2(raw.standard_deduction),
    taxable_income: round2(raw.taxable_income),
    regular_tax: regular,
    ctc,
    actc,
    eitc,
    income_tax: incomeTax,
    payroll_tax: payroll,
    combined_tax: combined,
    after_tax_income: round2(gross - combined),
    average_rate: gross > 0 ? round6(combined / gross) : null,
    marginal_rate: round6(up.combined_tax - raw.combined_tax),
    marginal_income_tax_rate: round6(up.income_tax - raw.income_tax),
  };
}

/** Rounded amounts plus the average rate (combined / gross income) and marginal rates. */
export function computeTax(h: Household, p: Policy): TaxOutput {
  return roundedOutput(computeRaw(h, p, 0), computeRaw(h, p, 1));
}
