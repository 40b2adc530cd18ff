/**
 * The tax policy as data: its type, the 2024 defaults read from policy-2024.json, and a
 * semantic check (rates in [0, 1], thresholds ascending, ...) run once per worker in setup().
 * Names and types of overrides are already checked by src/primary/run/params.ts against these defaults.
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
    /** Schedule 8812 Part II-B (payroll-tax alternative) applies from this many children. */
    alt_min_children: number;
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
    /** Reform lever: every mfs filer may claim (not 2024 law). */
    allow_mfs: boolean;
    /** §32(d)(2)(B): an mfs filer who is separated and has a qualifying child may claim. */
    mfs_separated_with_child: boolean;
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
  social_security: { rates: number[]; base1: ByStatus<number>; base2: ByStatus<number>; mfs_cohabiting_base: number };
  itemized: { medical_floor_rate: number; salt_cap: ByStatus<number>; charity_cash_agi_limit: number };
  qbi: {
    rate: number;
    threshold: ByStatus<number>;
    phase_in_range: ByStatus<number>;
    w2_wage_rate: number;
    alt_w2_wage_rate: number;
    alt_ubia_rate: number;
  };
  niit: { rate: number; threshold: ByStatus<number> };
  amt: {
    rates: number[];
    bracket: ByStatus<number>;
    exemption: ByStatus<number>;
    phaseout_start: ByStatus<number>;
    phaseout_rate: number;
    mfs_addback_start: number;
  };
  cdcc: {
    max_expenses_per_person: number;
    max_persons: number;
    rate_max: number;
    rate_min: number;
    phaseout_start: number;
    phaseout_step: number;
    rate_per_step: number;
  };
  elderly_credit: {
    rate: number;
    min_age: number;
    initial_amount: ByStatus<number>;
    mfj_both_amount: number;
    agi_threshold: ByStatus<number>;
    agi_rate: number;
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
    if (xs.length !== it.rates.length - 1)
      bad.push(`${n} needs ${it.rates.length - 1} thresholds (one fewer than income_tax.rates), got ${xs.length}`);
  });
  const cg = p.capital_gains;
  cg.rates.forEach((r, i) => rate(`capital_gains.rates[${i}]`, r));
  byStatus('capital_gains.brackets', cg.brackets, (n, xs) => {
    ascending(n, xs);
    if (xs.length !== cg.rates.length - 1)
      bad.push(`${n} needs ${cg.rates.length - 1} thresholds (one fewer than capital_gains.rates), got ${xs.length}`);
  });
  byStatus('capital_gains.loss_limit', cg.loss_limit, amount);
  byStatus('standard_deduction.base', p.standard_deduction.base, amount);
  byStatus('standard_deduction.aged_extra', p.standard_deduction.aged_extra, amount);
  const c = p.ctc;
  for (const k of ['amount', 'refundable_max', 'earnings_threshold', 'other_dependent_amount', 'phaseout_per_step'] as const)
    amount(`ctc.${k}`, c[k]);
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
  amount('ctc.alt_min_children', c.alt_min_children);
  if (cg.rates.length !== 3)
    bad.push(`capital_gains.rates needs 3 rates (Form 6251 Part III uses the 0/15/20 % structure), got ${cg.rates.length}`);
  const ss = p.social_security;
  if (ss.rates.length !== 2) bad.push(`social_security.rates needs 2 rates (50 %, 85 %), got ${ss.rates.length}`);
  ss.rates.forEach((r, i) => rate(`social_security.rates[${i}]`, r));
  byStatus('social_security.base1', ss.base1, amount);
  byStatus('social_security.base2', ss.base2, (n, v) => {
    amount(n, v);
    const fs = n.split('.').pop() as FilingStatus;
    if (v < ss.base1[fs]) bad.push(`${n} must be >= social_security.base1.${fs}, got ${v}`);
  });
  amount('social_security.mfs_cohabiting_base', ss.mfs_cohabiting_base);
  rate('itemized.medical_floor_rate', p.itemized.medical_floor_rate);
  rate('itemized.charity_cash_agi_limit', p.itemized.charity_cash_agi_limit);
  byStatus('itemized.salt_cap', p.itemized.salt_cap, amount);
  const q = p.qbi;
  for (const k of ['rate', 'w2_wage_rate', 'alt_w2_wage_rate', 'alt_ubia_rate'] as const) rate(`qbi.${k}`, q[k]);
  byStatus('qbi.threshold', q.threshold, amount);
  byStatus('qbi.phase_in_range', q.phase_in_range, (n, v) => {
    if (!(v > 0)) bad.push(`${n} must be > 0, got ${v}`);
  });
  rate('niit.rate', p.niit.rate);
  byStatus('niit.threshold', p.niit.threshold, amount);
  const a = p.amt;
  if (a.rates.length !== 2) bad.push(`amt.rates needs 2 rates (26 %, 28 %), got ${a.rates.length}`);
  a.rates.forEach((r, i) => rate(`amt.rates[${i}]`, r));
  for (const k of ['bracket', 'exemption', 'phaseout_start'] as const) byStatus(`amt.${k}`, a[k], amount);
  rate('amt.phaseout_rate', a.phaseout_rate);
  amount('amt.mfs_addback_start', a.mfs_addback_start);
  const d = p.cdcc;
  for (const k of ['max_expenses_per_person', 'max_persons', 'phaseout_start'] as const) amount(`cdcc.${k}`, d[k]);
  for (const k of ['rate_max', 'rate_min', 'rate_per_step'] as const) rate(`cdcc.${k}`, d[k]);
  if (!(d.phaseout_step > 0)) bad.push(`cdcc.phaseout_step must be > 0, got ${d.phaseout_step}`);
  if (d.rate_min > d.rate_max) bad.push(`cdcc.rate_min must be <= cdcc.rate_max, got ${d.rate_min} > ${d.rate_max}`);
  const r = p.elderly_credit;
  rate('elderly_credit.rate', r.rate);
  rate('elderly_credit.agi_rate', r.agi_rate);
  amount('elderly_credit.min_age', r.min_age);
  amount('elderly_credit.mfj_both_amount', r.mfj_both_amount);
  byStatus('elderly_credit.initial_amount', r.initial_amount, amount);
  byStatus('elderly_credit.agi_threshold', r.agi_threshold, amount);
  if (bad.length) throw new Error(`tax model: bad policy parameters: ${bad.join('; ')}`);
}
