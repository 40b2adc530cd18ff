/**
 * Hand-checked households for the 2024 tax model (the cases, each derived in a comment, are in
 * hand-cases.ts), and reforms that must move only whom they should.
 */
import { describe, expect, it } from 'vitest';
import { computeTax } from '../../../models/tax/compute.js';
import { cases } from './hand-cases.js';
import { hh } from './hh.js';
import { loadPolicy2024 } from '../../../models/tax/policy.js';

const policy = loadPolicy2024();

describe('tax 2024: hand-checked households', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const out = computeTax(hh(input), policy);
    expect(out).toMatchObject(expected);
  });

  it('totals add up: income tax = regular - credits, combined = income + payroll', () => {
    for (const [, input] of cases) {
      const o = computeTax(hh(input), policy);
      expect(o.income_tax).toBeCloseTo(o.regular_tax + o.amt + o.niit - o.cdcc - o.elderly_credit - o.ctc - o.actc - o.eitc, 9);
      expect(o.combined_tax).toBeCloseTo(o.income_tax + o.payroll_tax, 9);
    }
  });

  it('a reform of the CTC amount moves only households with children', () => {
    const reform = structuredClone(policy);
    reform.ctc.amount = 3000;
    reform.ctc.refundable_max = 3000;
    for (const [, input] of cases) {
      const base = computeTax(hh(input), policy);
      const ref = computeTax(hh(input), reform);
      if (!input.children) expect(ref.combined_tax).toBe(base.combined_tax);
      else expect(ref.combined_tax).toBeLessThanOrEqual(base.combined_tax);
    }
    // hoh 2 kids at 5,000 is limited by 15% x 2,500 = 375 either way; mfj 40k with 2 kids gets
    // 6,000 - 1,080 = 4,920 of ACTC (cap 6,000, 15% x 37,500 = 5,625) instead of 2,920.
    expect(computeTax(hh(cases[10]![1]), reform).actc).toBe(375);
    expect(computeTax(hh(cases[1]![1]), reform).actc).toBe(4_920);
  });

  it('a fully refundable CTC (2021 style) reaches families without earnings', () => {
    const reform = structuredClone(policy);
    reform.ctc.amount = 3000;
    reform.ctc.fully_refundable = true;
    // hoh, 2 kids, no income. 2024 law: ACTC min(4,000, 2 x 1,700, 15% x max(0, 0 - 2,500) = 0) = 0.
    // Fully refundable at 3,000: credit 6,000, regular tax 0 -> ACTC min(6,000, 2 x 3,000) = 6,000;
    // no earnings, no EITC, no payroll tax: income tax -6,000.
    const noEarnings = hh({ filing_status: 'hoh', age_head: 30, children: 2 });
    expect(computeTax(noEarnings, policy)).toMatchObject({ ctc: 0, actc: 0, eitc: 0, income_tax: 0 });
    expect(computeTax(noEarnings, reform)).toMatchObject({
      ctc: 0,
      actc: 6_000,
      eitc: 0,
      income_tax: -6_000,
      payroll_tax: 0,
      combined_tax: -6_000,
    });
    // 1 child + 1 other dependent, no income: credit 3,000 + 500 = 3,500, but only the child's
    // 3,000 is refundable: ACTC min(3,500, 1 x 3,000) = 3,000.
    expect(computeTax(hh({ filing_status: 'hoh', age_head: 30, children: 1, other_dependents: 1 }), reform)).toMatchObject({
      ctc: 0,
      actc: 3_000,
    });
    // mfj 40k, 2 kids: non-refundable 1,080 (the regular tax), ACTC min(6,000 - 1,080, 6,000) = 4,920:
    // the same as refundable up to 3,000 with the phase-in, whose 15% x 37,500 = 5,625 does not bind.
    expect(computeTax(hh(cases[1]![1]), reform)).toMatchObject({ ctc: 1_080, actc: 4_920 });
    // Childless households never move.
    for (const [, input] of cases)
      if (!input.children) expect(computeTax(hh(input), reform).combined_tax).toBe(computeTax(hh(input), policy).combined_tax);
  });
});
