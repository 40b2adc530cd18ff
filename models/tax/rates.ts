/**
 * Rate schedules of the 2024 tax: the ordinary brackets, the Qualified Dividends and Capital
 * Gain Tax Worksheet (Form 1040 line 16), the tentative minimum tax of Form 6251 (Parts II and
 * III) and the net investment income tax of Form 8960. Pure functions, no rounding.
 */
import type { FilingStatus, Policy } from './policy.js';

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
 * dividends + net capital gain) stacked on top of it at the 0/15/20 % rates
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

/** Form 6251 lines 4-6: AMTI after the MFS add-back, minus the phased-out exemption. */
export function amtBase(amti: number, fs: FilingStatus, p: Policy): number {
  const a = p.amt;
  // Form 6251 (2024) instructions, line 4: a separate filer above $875,950 adds 25 % of the
  // excess, at most the exemption amount (IRC §55(d)).
  if (fs === 'mfs' && amti > a.mfs_addback_start) amti += Math.min(a.phaseout_rate * (amti - a.mfs_addback_start), a.exemption.mfs);
  const exemption = Math.max(0, a.exemption[fs] - a.phaseout_rate * Math.max(0, amti - a.phaseout_start[fs]));
  return Math.max(0, amti - exemption);
}

/** 26 % up to the bracket, 28 % above it (Form 6251 line 7 / line 18). */
export function amtFlatTax(x: number, fs: FilingStatus, p: Policy): number {
  const [r1, r2] = p.amt.rates as [number, number];
  return r1 * x + (r2 - r1) * Math.max(0, x - p.amt.bracket[fs]);
}

/**
 * Tentative minimum tax (Form 6251 line 9, no foreign tax credit) on `base` (line 6). With
 * preferential income, Part III taxes it at the capital gains rates: `pref` is line 13 (= QDCGTW
 * line 4) and `taxable` the regular taxable income (its line 5 is taxable - pref).
 */
export function tentativeMinimumTax(base: number, taxable: number, pref: number, fs: FilingStatus, p: Policy): number {
  const flat = amtFlatTax(base, fs, p);
  if (pref <= 0) return flat;
  const [, rate15, rate20] = p.capital_gains.rates as [number, number, number];
  const [brk1, brk2] = p.capital_gains.brackets[fs] as [number, number];
  const line16 = Math.min(base, pref);
  const line18 = amtFlatTax(base - line16, fs, p);
  const line20 = Math.max(0, taxable - pref);
  const line21 = Math.max(0, brk1 - line20);
  const line22 = line16;
  const line23 = Math.min(line21, line22);
  const line24 = line22 - line23;
  const line29 = Math.max(0, brk2 - (line21 + line20));
  const line30 = Math.min(line24, line29);
  const line33 = line22 - line23 - line30;
  return Math.min(flat, line18 + rate15 * line30 + rate20 * line33);
}

/** Form 8960: 3.8 % of the smaller of net investment income and MAGI over the threshold. */
export function netInvestmentIncomeTax(nii: number, magi: number, fs: FilingStatus, p: Policy): number {
  return p.niit.rate * Math.min(Math.max(0, nii), Math.max(0, magi - p.niit.threshold[fs]));
}
