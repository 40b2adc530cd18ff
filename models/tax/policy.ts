/**
 * The tax policy as data: its type, the 2024 defaults read from policy-2024.json, and a
 * semantic check (rates in [0, 1], thresholds ascending, ...) run once per worker in setup().
 * Names and types of overrides are already checked by src/params.ts against these defaults.
 */
import { existsSync, readFileSync } from 'node:fs';

export const FILING_STATUSES = ['single', 'mfj', 'mfs', 'hoh'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];
export type ByStatus<T> = Record<FilingStatus, T>;

export interface Policy {
  year: number;
  income_tax: { rates: number[]; brackets: ByStatus<number[]> };
  capital_gains: { rates: number[]; brackets: ByStatus<number[]>; loss_limit: ByStatus<number> };
  standard_deduction: { base: ByStatus<number>; aged_extra: ByStatus<number>; aged_min_age: number };
  ctc: {
    amount: number;
    refundable_max: number;
    refundable_rate: number;
    earnings_threshold: number;
    /** 2021 (ARPA) style: the child credit is refundable without earnings, up to its full amount. */
    fully_refundable: boolean;
    other_dependent_amount: number;
    phaseout_per_step: number;
    phaseout_step: number;
    phaseout_start: ByStatus<number>;
  };
  eitc: {
    credit_rate: number[];
    max_credit: number[];
    phaseout_rate: number[];
    phaseout_start: number[];
    mfj_phaseout_extra: number;
    investment_income_limit: number;
    childless_min_age: number;
    childless_max_age: number;
    allow_mfs: boolean;
  };
  payroll: {
    ss_rate: number;
    ss_wage_base: number;
    medicare_rate: number;
    addl_medicare_rate: number;
    addl_medicare_threshold: ByStatus<number>;
    se_earnings_factor: number;
    /** IRC §1402(b): no SE tax when net earnings from self-employment are below this. */
    se_min_earnings: number;
  };
}

/**
 * tsc does not copy .json into dist/, so look next to this file first (running from source,
 * e.g. vitest) and then in the source tree (dist/models/tax/policy.js -> models/tax/).
 */
function policyFile(): URL {
  const candidates = [new URL('./policy-2024.json', import.meta.url), new URL('../../../models/tax/policy-2024.json', import.meta.url)];
  const found = candidates.find((u) => existsSync(u));
  if (!found) throw new Error(`tax model: policy-2024.json not found (looked at ${candidates.map((u) => u.pathname).join(', ')})`);
  return found;
}

export function loadPolicy2024(): Policy {
  return JSON.parse(readFileSync(policyFile(), 'utf8')) as Policy;
}

/** Throws one Error listing every semantically bad value of `p` (after overrides). */
export function validatePolicy(p: Policy): void {
  const bad: string[] = [];
  const rate = (name: string, v: number) => {
    if (!Number.isFinite(v) || v < 0 || v > 1) bad.push(`${name} must be a rate between 0 and 1, got ${v}`);
  };
  const amount = (name: string, v: number) => {
    if (!Number.isFinite(v) || v < 0) bad.push(`${name} must be a number >= 0, got ${v}`);
  };
  const ascending = (name: string, xs: number[]) => {
    xs.forEach((x, i) => amount(`${name}[${i}]`, x));
    if (xs.some((x, i) => i > 0 && x < xs[i - 1]!)) bad.push(`${name} must be ascending, got [${xs.join(', ')}]`);
  };
  const byStatus = <T>(name: string, o: ByStatus<T>, check: (n: string, v: T) => void) => {
    for (const fs of FILING_STATUSES) {
      if (!(fs in o)) bad.push(`${name}.${fs} is missing`);
      else check(`${name}.${fs}`, o[fs]);
    }
  };
  const it = p.income_tax;
  it.rates.forEach((r, i) => rate(`income_tax.rates[${i}]`, r));
  byStatus('income_tax.brackets', it.brackets, (n, xs) => {
    ascending(n, xs);
    if (xs.length !== it.rates.length - 1) bad.push(`${n} needs ${it.rates.length - 1} thresholds (one fewer than income_tax.rates), got ${xs.length}`);
  });
  const cg = p.capital_gains;
  cg.rates.forEach((r, i) => rate(`capital_gains.rates[${i}]`, r));
  byStatus('capital_gains.brackets', cg.brackets, (n, xs) => {
    ascending(n, xs);
    if (xs.length !== cg.rates.length - 1) bad.push(`${n} needs ${cg.rates.length - 1} thresholds (one fewer than capital_gains.rates), got ${xs.length}`);
  });
  byStatus('capital_gains.loss_limit', cg.loss_limit, amount);
  byStatus('standard_deduction.base', p.standard_deduction.base, amount);
  byStatus('standard_deduction.aged_extra', p.standard_deduction.aged_extra, amount);
  const c = p.ctc;
  for (const k of ['amount', 'refundable_max', 'earnings_threshold', 'other_dependent_amount', 'phaseout_per_step'] as const) amount(`ctc.${k}`, c[k]);
  rate('ctc.refundable_rate', c.refundable_rate);
  if (!(c.phaseout_step > 0)) bad.push(`ctc.phaseout_step must be > 0, got ${c.phaseout_step}`);
  byStatus('ctc.phaseout_start', c.phaseout_start, amount);
  const e = p.eitc;
  for (const k of ['credit_rate', 'max_credit', 'phaseout_rate', 'phaseout_start'] as const) {
    if (e[k].length !== 4) bad.push(`eitc.${k} needs 4 values (0, 1, 2, 3+ children), got ${e[k].length}`);
  }
  e.credit_rate.forEach((r, i) => rate(`eitc.credit_rate[${i}]`, r));
  e.phaseout_rate.forEach((r, i) => rate(`eitc.phaseout_rate[${i}]`, r));
  e.max_credit.forEach((v, i) => amount(`eitc.max_credit[${i}]`, v));
  e.phaseout_start.forEach((v, i) => amount(`eitc.phaseout_start[${i}]`, v));
  amount('eitc.mfj_phaseout_extra', e.mfj_phaseout_extra);
  amount('eitc.investment_income_limit', e.investment_income_limit);
  const pr = p.payroll;
  rate('payroll.ss_rate', pr.ss_rate);
  rate('payroll.medicare_rate', pr.medicare_rate);
  rate('payroll.addl_medicare_rate', pr.addl_medicare_rate);
  rate('payroll.se_earnings_factor', pr.se_earnings_factor);
  amount('payroll.ss_wage_base', pr.ss_wage_base);
  amount('payroll.se_min_earnings', pr.se_min_earnings);
  byStatus('payroll.addl_medicare_threshold', pr.addl_medicare_threshold, amount);
  if (bad.length) throw new Error(`tax model: bad policy parameters: ${bad.join('; ')}`);
}
