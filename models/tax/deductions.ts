/**
 * From income to taxable income: self-employment tax per person (Schedule SE), taxable social
 * security (§86, Pub 915 worksheet 1), itemized deductions (Schedule A) and the qualified
 * business income deduction (§199A, Forms 8995 / 8995-A). Pure functions, no rounding.
 */
import type { Household } from './household.js';
import type { FilingStatus, Policy } from './policy.js';

/** Schedule SE line 6 for one person: 92.35 % of net profit, 0 when under $400 (IRC §1402(b)). */
export function seEarnings(profit: number, p: Policy): number {
  const earnings = profit * p.payroll.se_earnings_factor;
  return earnings < p.payroll.se_min_earnings ? 0 : earnings;
}

/** Schedule SE for one person: both halves of social security, up to what the person's wages left of the wage base, and Medicare. */
export function seTaxOn(earnings: number, wages: number, p: Policy): number {
  const pr = p.payroll;
  return earnings === 0 ? 0 : 2 * pr.ss_rate * Math.min(earnings, Math.max(0, pr.ss_wage_base - wages)) + 2 * pr.medicare_rate * earnings;
}

/**
 * Taxable social security benefits (Pub 915 worksheet 1): `otherIncome` is AGI without the
 * benefits; provisional income adds tax-exempt interest and half the benefits. A separate
 * filer who lived with the spouse at any time has base amounts of zero (§86(c)(1)(C)).
 */
export function taxableSocialSecurity(h: Household, otherIncome: number, p: Policy): number {
  const benefits = h.social_security;
  if (benefits <= 0) return 0;
  const s = p.social_security;
  const [r1, r2] = s.rates as [number, number];
  const fs = h.filing_status;
  const cohabiting = fs === 'mfs' && h.lived_apart_all_year === 0;
  const base1 = cohabiting ? s.mfs_cohabiting_base : s.base1[fs];
  const base2 = cohabiting ? s.mfs_cohabiting_base : s.base2[fs];
  const provisional = otherIncome + h.tax_exempt_interest + r1 * benefits;
  if (provisional <= base1) return 0;
  if (provisional <= base2) return r1 * Math.min(provisional - base1, benefits);
  return Math.min(r2 * (provisional - base2) + r1 * Math.min(benefits, base2 - base1), r2 * benefits);
}

/** Schedule A line 7: state and local taxes after the SALT cap (Form 6251 line 2a adds them back). */
export function saltDeduction(h: Household, p: Policy): number {
  return Math.min(h.state_local_taxes, p.itemized.salt_cap[h.filing_status]);
}

/** Schedule A line 17: medical over 7.5 % of AGI, taxes up to the SALT cap, mortgage interest, cash gifts up to 60 % of AGI. */
export function itemizedDeductions(h: Household, agi: number, salt: number, p: Policy): number {
  const it = p.itemized;
  const posAgi = Math.max(0, agi);
  const medical = Math.max(0, h.medical_expenses - it.medical_floor_rate * posAgi);
  const charity = Math.min(h.charity, it.charity_cash_agi_limit * posAgi);
  return medical + salt + h.mortgage_interest + charity;
}

/**
 * §199A deduction for one combined business (the self-employment of head and spouse, less the
 * deductible half of SE tax): 20 % of QBI below the threshold; above it the W-2 wage / UBIA
 * limit phased in over the range (Form 8995-A Part III), and for a specified service business
 * the applicable percentage phased down to nothing; never more than 20 % of taxable income
 * before the deduction less net capital gain (qualified dividends included).
 */
export function qbiDeduction(
  h: Household,
  qbi: number,
  taxableBefore: number,
  netCapitalGain: number,
  fs: FilingStatus,
  p: Policy,
): number {
  if (qbi <= 0) return 0;
  const q = p.qbi;
  const tentative = q.rate * qbi;
  const lower = q.threshold[fs];
  let ded = tentative;
  if (taxableBefore > lower) {
    const gap = q.phase_in_range[fs];
    const phase = Math.min(1, (taxableBefore - lower) / gap);
    // Specified service: only the applicable percentage of QBI, wages and UBIA count (§199A(d)(3)).
    const applicable = h.qbi_sstb === 1 ? 1 - phase : 1;
    const limit =
      applicable * Math.max(q.w2_wage_rate * h.qbi_w2_wages, q.alt_w2_wage_rate * h.qbi_w2_wages + q.alt_ubia_rate * h.qbi_ubia);
    const base = applicable * tentative;
    ded = phase >= 1 ? Math.min(base, limit) : base - phase * Math.max(0, base - limit);
  }
  return Math.min(ded, q.rate * Math.max(0, taxableBefore - netCapitalGain));
}
