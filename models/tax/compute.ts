/**
 * US federal individual income tax and employee payroll tax for one household, in form order
 * (docs/tax.md): pure functions of (household, policy), no I/O. Amounts are dollars; the
 * outputs are rounded to cents at the end, while marginal rates use the unrounded values
 * (finite difference of +1 dollar of the head's wages). What is left out is listed in
 * docs/tax.md; the schedules live in deductions.ts, rates.ts and credits.ts.
 */
import { additionalChildCredit, careCredit, childCreditBeforeLimit, earnedIncomeCredit, elderlyCredit } from './credits.js';
import { itemizedDeductions, qbiDeduction, saltDeduction, seEarnings, seTaxOn, taxableSocialSecurity } from './deductions.js';
import type { Household } from './household.js';
import type { FilingStatus, Policy } from './policy.js';
import { amtBase, amtFlatTax, netInvestmentIncomeTax, regularTax, tentativeMinimumTax } from './rates.js';

export { regularTax, scheduleTax } from './rates.js';

export interface TaxResult {
  gross_income: number;
  agi: number;
  taxable_ss: number;
  standard_deduction: number;
  itemized_deduction: number;
  qbi_deduction: number;
  taxable_income: number;
  regular_tax: number;
  amt: number;
  niit: number;
  ctc: number;
  actc: number;
  eitc: number;
  cdcc: number;
  elderly_credit: number;
  income_tax: number;
  se_tax: number;
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

interface Liability {
  qbi: number;
  taxable: number;
  regular: number;
  amt: number;
}

/**
 * Form 1040 lines 14-17 for one choice of deduction: QBI deduction, taxable income, regular
 * tax, and the AMT (Form 6251; its line 2a adds back the standard deduction, or the SALT
 * deduction of an itemizer).
 */
function liability(
  h: Household,
  agi: number,
  deduction: number,
  addBack: number,
  qbi: number,
  pref: number,
  fs: FilingStatus,
  p: Policy,
): Liability {
  const before = Math.max(0, agi - deduction);
  const qbiDed = qbiDeduction(h, qbi, before, pref, fs, p);
  const taxable = Math.max(0, before - qbiDed);
  const regular = regularTax(taxable, pref, fs, p);
  const base = amtBase(agi - deduction - qbiDed + addBack, fs, p);
  // The TMT is at most the flat 26/28 % tax on the base: when that is no more than the regular
  // tax there is no AMT, and Part III need not be computed.
  const tmt = amtFlatTax(base, fs, p) <= regular ? 0 : tentativeMinimumTax(base, taxable, pref, fs, p);
  return { qbi: qbiDed, taxable, regular, amt: Math.max(0, tmt - regular) };
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

  // Schedule SE per person (each with their own wage base and $400 floor); half is deducted.
  const seNetHead = seEarnings(h.self_employment, p);
  const seNetSpouse = seEarnings(h.self_employment_spouse, p);
  const seTaxHead = seTaxOn(seNetHead, wagesHead, p);
  const seTaxSpouse = seTaxOn(seNetSpouse, h.wages_spouse, p);
  const seTax = seTaxHead + seTaxSpouse;
  const halfSe = seTax / 2;
  const business = h.self_employment + h.self_employment_spouse;

  // Schedule D: net gain, a net loss deducted up to the limit; preferential = qualified
  // dividends + net capital gain (net long-term gain less any net short-term loss).
  const netGain = h.capital_gains + h.short_term_gains;
  const gainInAgi = Math.max(netGain, -p.capital_gains.loss_limit[fs]);
  const pref = h.qualified_dividends + Math.max(0, Math.min(h.capital_gains, netGain));

  const gross =
    wages + business + h.taxable_interest + h.tax_exempt_interest + h.ordinary_dividends + netGain + h.other_income + h.social_security;
  const withoutSs = wages + business + h.taxable_interest + h.ordinary_dividends + gainInAgi + h.other_income - halfSe;
  const taxableSs = taxableSocialSecurity(h, withoutSs, p);
  const agi = withoutSs + taxableSs;

  // Deduction: standard or itemized, whichever gives the lower tax before credits (ties: the larger deduction).
  const sd = p.standard_deduction;
  const aged = (h.age_head >= sd.aged_min_age ? 1 : 0) + (fs === 'mfj' && h.age_spouse >= sd.aged_min_age ? 1 : 0);
  const standard = sd.base[fs] + aged * sd.aged_extra[fs];
  const qbi = Math.max(0, business - halfSe);
  let chosen = liability(h, agi, standard, standard, qbi, pref, fs, p);
  let itemized = 0;
  const salt = saltDeduction(h, p);
  const items = itemizedDeductions(h, agi, salt, p);
  // Itemizing can only win when the items exceed the standard deduction or the AMT applies
  // (a smaller deduction never lowers the regular tax, so without AMT it cannot lower the total).
  if (items > standard || (items > 0 && chosen.amt > 0)) {
    const withItems = liability(h, agi, items, salt, qbi, pref, fs, p);
    const stdTax = chosen.regular + chosen.amt;
    const itemTax = withItems.regular + withItems.amt;
    const tied = Math.abs(itemTax - stdTax) < 0.01 && stdTax > 0;
    if (tied ? items > standard : itemTax < stdTax) {
      chosen = withItems;
      itemized = items;
    }
  }
  const beforeCredits = chosen.regular + chosen.amt;

  // Earned income (EITC, ACTC): wages + SE profit - half SE tax; per person for Form 2441.
  const earned = Math.max(0, wages + business - halfSe);
  const earnedHead = Math.max(0, wagesHead + h.self_employment - seTaxHead / 2);
  const earnedSpouse = Math.max(0, h.wages_spouse + h.self_employment_spouse - seTaxSpouse / 2);

  // Nonrefundable credits in the order of Credit Limit Worksheet A: care, elderly, then child.
  const cdcc = Math.min(careCredit(h, agi, earnedHead, earnedSpouse, p), beforeCredits);
  const elderly = Math.min(elderlyCredit(h, agi, taxableSs, p), beforeCredits - cdcc);
  const credit = childCreditBeforeLimit(h, agi, p);
  const ctc = Math.min(credit, Math.max(0, beforeCredits - cdcc - elderly));
  const eitc = earnedIncomeCredit(h, agi, earned, gainInAgi, p);
  const ficaOnWages =
    pr.ss_rate * (Math.min(wagesHead, pr.ss_wage_base) + Math.min(h.wages_spouse, pr.ss_wage_base)) + pr.medicare_rate * wages;
  const actc = additionalChildCredit(h, credit - ctc, earned, ficaOnWages + halfSe, eitc, p);

  // Schedule 2: NIIT on interest, dividends and the net gain in AGI (Form 8960; MAGI = AGI).
  const niit = netInvestmentIncomeTax(h.taxable_interest + h.ordinary_dividends + gainInAgi, agi, fs, p);

  // Employee payroll tax: FICA per worker, Additional Medicare on wages + SE earnings over the
  // threshold (Form 8959), and the SE tax.
  const addl = pr.addl_medicare_rate * Math.max(0, wages + seNetHead + seNetSpouse - pr.addl_medicare_threshold[fs]);
  const payroll = ficaOnWages + addl + seTax;

  const incomeTax = beforeCredits - cdcc - elderly - ctc + niit - actc - eitc;
  const combined = incomeTax + payroll;
  return {
    gross_income: gross,
    agi,
    taxable_ss: taxableSs,
    standard_deduction: itemized > 0 ? 0 : standard,
    itemized_deduction: itemized,
    qbi_deduction: chosen.qbi,
    taxable_income: chosen.taxable,
    regular_tax: chosen.regular,
    amt: chosen.amt,
    niit,
    ctc,
    actc,
    eitc,
    cdcc,
    elderly_credit: elderly,
    income_tax: incomeTax,
    se_tax: seTax,
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
  const amt = round2(raw.amt);
  const niit = round2(raw.niit);
  const ctc = round2(raw.ctc);
  const actc = round2(raw.actc);
  const eitc = round2(raw.eitc);
  const cdcc = round2(raw.cdcc);
  const elderly = round2(raw.elderly_credit);
  const payroll = round2(raw.payroll_tax);
  const incomeTax = round2(regular + amt - cdcc - elderly - ctc + niit - actc - eitc);
  const combined = round2(incomeTax + payroll);
  const gross = round2(raw.gross_income);
  return {
    gross_income: gross,
    agi: round2(raw.agi),
    taxable_ss: round2(raw.taxable_ss),
    standard_deduction: round2(raw.standard_deduction),
    itemized_deduction: round2(raw.itemized_deduction),
    qbi_deduction: round2(raw.qbi_deduction),
    taxable_income: round2(raw.taxable_income),
    regular_tax: regular,
    amt,
    niit,
    ctc,
    actc,
    eitc,
    cdcc,
    elderly_credit: elderly,
    income_tax: incomeTax,
    se_tax: round2(raw.se_tax),
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
