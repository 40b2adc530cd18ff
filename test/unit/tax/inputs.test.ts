/** CSV-style household parsing, policy validation, and reforms through src/primary/run/params.ts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHousehold } from '../../../models/tax/household.js';
import { loadPolicy2024, validatePolicy } from '../../../models/tax/policy.js';
import taxModel from '../../../models/tax/index.js';
import { resolveParams } from '../../../src/primary/run/params.js';

const row = (o: Record<string, string> = {}) => ({
  id: 'h1',
  weight: '75000',
  filing_status: 'single',
  age_head: '40',
  wages_head: '50000',
  ...o,
});

describe('household parsing', () => {
  it('parses strings, defaults the optional columns', () => {
    const h = parseHousehold(row({ capital_gains: '-1200', other_income: '' }), 7);
    expect(h).toMatchObject({
      id: 'h1',
      weight: 75000,
      filing_status: 'single',
      wages_head: 50000,
      capital_gains: -1200,
      other_income: 0,
      children: 0,
    });
    expect(parseHousehold({ filing_status: 'MFJ', age_head: 30, wages_head: 1 }, 7)).toMatchObject({
      id: '7',
      filing_status: 'mfj',
      weight: 1,
    });
  });

  it.each([
    [{ wages_head: 'abc' }, /column wages_head: "abc" is not a number/],
    [{ filing_status: 'married' }, /column filing_status: "married" is not one of single, mfj, mfs, hoh/],
    [{ children: '-1' }, /column children: must be >= 0/],
    [{ children: '1.5' }, /column children: must be a whole number/],
    [{ wages_head: '' }, /column wages_head: is required/],
    [{ ordinary_dividends: '100', qualified_dividends: '200' }, /column qualified_dividends/],
    [{ wages_spouse: '100' }, /column wages_spouse: must be 0 or empty unless filing_status is mfj/],
  ])('rejects %o', (bad, message) => {
    expect(() => parseHousehold(row(bad), 0)).toThrow(message);
  });

  it('a bad item fails in analyze (so it becomes an errors row)', () => {
    const ctx = { index: 0, params: taxModel.params!, random: Math.random, log: undefined as never, outDir: null };
    expect(() => taxModel.analyze(row({ wages_head: 'n/a' }), ctx)).toThrow(/wages_head/);
    const r = taxModel.analyze(row(), ctx) as Parameters<typeof taxModel.format>[0];
    expect(Object.keys(taxModel.format(r, row(), ctx) as object).sort()).toEqual(Object.keys(taxModel.columns).sort());
  });
});

describe('policy parameters', () => {
  it('the 2024 policy is valid', () => {
    expect(() => validatePolicy(loadPolicy2024())).not.toThrow();
  });

  it('rejects negative rates and brackets out of order', () => {
    const p = loadPolicy2024();
    p.income_tax.rates[2] = -0.22;
    p.income_tax.brackets.single = [11600, 100525, 47150, 191950, 243725, 609350];
    expect(() => validatePolicy(p)).toThrow(
      /income_tax.rates\[2\] must be a rate between 0 and 1.*income_tax.brackets.single must be ascending/,
    );
  });

  it('reforms go through --param / --params with dotted paths, and typos are usage errors', () => {
    const r = resolveParams(taxModel, { ctc: { refundable_max: 3000 } }, [['ctc.amount', 3000]]);
    const eff = r.effective as unknown as ReturnType<typeof loadPolicy2024>;
    expect(eff.ctc.amount).toBe(3000);
    expect(eff.ctc.refundable_max).toBe(3000);
    expect(eff.ctc.phaseout_start.mfj).toBe(400000);
    expect(() => validatePolicy(eff)).not.toThrow();
    const brackets = resolveParams(taxModel, {}, [['income_tax.brackets.single', [12000, 48000, 101000, 192000, 244000, 610000]]]);
    expect((brackets.effective as unknown as typeof eff).income_tax.brackets.single[0]).toBe(12000);
    expect(() => resolveParams(taxModel, {}, [['ctc.amout', 3000]])).toThrow(/unknown parameter 'ctc.amout'/);
    expect(() => resolveParams(taxModel, {}, [['ctc.amount', 'lots']])).toThrow(/'ctc.amount' of model tax must be number/);
    expect(() => resolveParams(taxModel, {}, [['ctc.refundable_rate', -1]])).toThrow(/bad params for model tax: .*ctc.refundable_rate/);
  });
});

describe('2024.3 inputs and parameters', () => {
  it('an old-style row (no new columns) still parses, every new input at 0', () => {
    const h = parseHousehold(row(), 0);
    expect(h).toMatchObject({
      self_employment_spouse: 0,
      short_term_gains: 0,
      social_security: 0,
      state_local_taxes: 0,
      care_persons: 0,
      qbi_sstb: 0,
      separated: 0,
      lived_apart_all_year: 0,
    });
  });

  it('flags take 0/1/true/false/empty and nothing else', () => {
    expect(parseHousehold(row({ qbi_sstb: 'TRUE' }), 0).qbi_sstb).toBe(1);
    expect(parseHousehold(row({ qbi_sstb: 'false' }), 0).qbi_sstb).toBe(0);
    expect(parseHousehold(row({ qbi_sstb: '' }), 0).qbi_sstb).toBe(0);
    expect(() => parseHousehold(row({ qbi_sstb: 'yes' }), 0)).toThrow(/column qbi_sstb: "yes" is not a flag \(use 0, 1, true or false\)/);
    expect(() => parseHousehold(row({ qbi_sstb: '2' }), 0)).toThrow(/column qbi_sstb/);
  });

  it.each([
    [{ self_employment_spouse: '100' }, /column self_employment_spouse: must be 0 or empty unless filing_status is mfj/],
    [{ separated: '1' }, /column separated: must be 0 or empty unless filing_status is mfs/],
    [{ filing_status: 'mfs', lived_apart_all_year: '1' }, /column separated: must be 1 when lived_apart_all_year is 1/],
    [{ social_security: '-5' }, /column social_security: must be >= 0/],
    [{ care_persons: '1.5' }, /column care_persons: must be a whole number/],
  ])('rejects %o', (bad, message) => {
    expect(() => parseHousehold(row(bad), 0)).toThrow(message);
  });

  it('every policy parameter has a source in policy-2024.sources.json, and every source a parameter', () => {
    const sources = JSON.parse(readFileSync(new URL('../../../models/tax/policy-2024.sources.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
    const leaves: string[] = [];
    const walk = (o: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(o)) {
        const name = prefix ? `${prefix}.${k}` : k;
        // A by-status object or a list is one parameter with one source.
        if (v && typeof v === 'object' && !Array.isArray(v) && !('single' in v)) walk(v as Record<string, unknown>, name);
        else leaves.push(name);
      }
    };
    walk(loadPolicy2024() as unknown as Record<string, unknown>, '');
    expect(leaves.filter((l) => !sources[l])).toEqual([]);
    expect(Object.keys(sources).filter((s) => !leaves.includes(s))).toEqual([]);
  });

  it('the new parameters are checked too', () => {
    const p = loadPolicy2024();
    p.niit.rate = 3.8;
    p.qbi.phase_in_range.mfj = 0;
    p.social_security.base2.single = 1000;
    expect(() => validatePolicy(p)).toThrow(
      /niit.rate must be a rate.*qbi.phase_in_range.mfj must be > 0|social_security.base2.single must be >= /,
    );
  });
});
