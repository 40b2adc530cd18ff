/**
 * Hand-checked households for the provisions added in model version 2024.3 (QBI, NIIT, AMT,
 * Schedule 8812 Part II-B, the separated-spouse EITC, Schedule R, Form 2441, taxable social
 * security, Schedule A, short-term gains, spouse SE income). Every expected value is derived in
 * the comment above it from the form or section named there and the 2024 parameters in
 * models/tax/policy-2024.json; amounts are exact to the cent.
 */
import { describe, expect, it } from 'vitest';
import { computeTax, type TaxOutput } from '../../../models/tax/compute.js';
import type { Household } from '../../../models/tax/household.js';
import { loadPolicy2024 } from '../../../models/tax/policy.js';
import { amtBase, tentativeMinimumTax } from '../../../models/tax/rates.js';
import { hh } from './hh.js';

const policy = loadPolicy2024();

// QBI households: single, wages 200,000 (over the SS wage base), SE profit 10,000: SE tax is
// Medicare only, 2.9% x 9,235 = 267.815, half 133.9075; QBI = 10,000 - 133.9075 = 9,866.0925,
// 20% = 1,973.2185. other_income -3,316.0925 puts AGI at 206,550 and taxable income before the
// QBI deduction at exactly the 191,950 threshold (Rev. Proc. 2023-34); +25,000 is the middle of
// the 50,000 phase-in range (Form 8995-A Part III: phase 50 %), +60,000 is above it.
const qbiBase: Partial<Household> = { wages_head: 200_000, self_employment: 10_000, other_income: -3_316.0925 };
const over = (x: number): Partial<Household> => ({ ...qbiBase, other_income: -3_316.0925 + x });

const cases: [string, Partial<Household>, Partial<TaxOutput>][] = [
  // Form 8995 line 15: at the threshold the 20% rule holds: 1,973.2185 (cap 20% x 191,950 does not bind).
  ['QBI at the threshold: 20% of QBI', qbiBase, { agi: 206_550, qbi_deduction: 1_973.22, taxable_income: 189_976.78 }],
  // Form 8995-A lines 24-26: no W-2 wages -> limit 0; reduction 50% x (1,973.2185 - 0) -> 986.609.
  ['QBI mid phase-in, no W-2 wages', over(25_000), { qbi_deduction: 986.61 }],
  // W-2 wages 2,000: limit max(50% x 2,000, 25% x 2,000 + 2.5% x 0) = 1,000;
  // 1,973.2185 - 50% x (1,973.2185 - 1,000) = 1,486.60925.
  ['QBI mid phase-in, W-2 wage limit', { ...over(25_000), qbi_w2_wages: 2_000 }, { qbi_deduction: 1_486.61 }],
  // UBIA 60,000 and W-2 wages 2,000: alternative 25% x 2,000 + 2.5% x 60,000 = 2,000 > 1,000.
  // 2,000 >= 1,973.2185: no reduction.
  ['QBI mid phase-in, UBIA limit', { ...over(25_000), qbi_w2_wages: 2_000, qbi_ubia: 60_000 }, { qbi_deduction: 1_973.22 }],
  // Above the range (251,950 >= 241,950): min(1,973.2185, 1,000) = 1,000.
  ['QBI above the range: the W-2 wage limit', { ...over(60_000), qbi_w2_wages: 2_000 }, { qbi_deduction: 1_000 }],
  // Specified service business mid-range: applicable 50%: QBI part 986.60925, limit 500;
  // 986.60925 - 50% x 486.60925 = 743.304625 (§199A(d)(3), Form 8995-A Schedule A).
  ['QBI mid phase-in, specified service', { ...over(25_000), qbi_w2_wages: 2_000, qbi_sstb: 1 }, { qbi_deduction: 743.3 }],
  // Specified service above the range: nothing.
  ['QBI above the range, specified service', { ...over(60_000), qbi_w2_wages: 2_000, qbi_sstb: 1 }, { qbi_deduction: 0 }],

  // NIIT (Form 8960): MAGI 200,010, 10 over the 200,000 threshold: 3.8% x min(10,010, 10) = 0.38.
  ['NIIT just above the MAGI threshold', { wages_head: 190_000, taxable_interest: 10_010 }, { agi: 200_010, niit: 0.38 }],
  // At the threshold exactly: nothing.
  ['NIIT at the MAGI threshold', { wages_head: 190_000, taxable_interest: 10_000 }, { niit: 0 }],
  // Capital loss limited to 3,000 lowers NII (Form 8960 line 5a): interest 50,000 - 3,000 = 47,000;
  // MAGI 247,000 -> 3.8% x min(47,000, 47,000) = 1,786.
  [
    'NIIT with a limited capital loss',
    { wages_head: 200_000, taxable_interest: 50_000, capital_gains: -10_000 },
    { agi: 247_000, niit: 1_786 },
  ],

  // AMT: single, 1,000,000 long-term gain, nothing else. Regular: TI 985,400, all preferential:
  // 15% x (518,900 - 47,025) = 70,781.25 + 20% x 466,500 = 93,300 -> 164,081.25. Form 6251:
  // AMTI 1,000,000, exemption 85,700 - 25% x 390,650 < 0 -> 0; Part III: 0% on 47,025, 15% on
  // 471,875 = 70,781.25, 20% on 481,100 = 96,220 -> 167,001.25. AMT 2,920 (= 20% of the standard
  // deduction, which the AMT does not allow). NIIT 3.8% x min(1,000,000, 800,000) = 30,400.
  [
    'AMT: exemption fully phased out on a large gain',
    { capital_gains: 1_000_000 },
    { taxable_income: 985_400, regular_tax: 164_081.25, amt: 2_920, niit: 30_400, income_tax: 197_401.25 },
  ],

  // AMT inside the exemption phase-out: single, 920,000 long-term gain. Regular: TI 905,400:
  // 70,781.25 + 20% x (905,400 - 518,900) = 77,300 -> 148,081.25. Form 6251: exemption 85,700 -
  // 25% x (920,000 - 609,350) = 8,037.50 -> base 911,962.50; Part III: 0% on 47,025, 15% on
  // 471,875 = 70,781.25, 20% on 393,062.50 = 78,612.50 -> 149,393.75. AMT 1,312.50 (= 20% x
  // (14,600 - 8,037.50): the exemption left is smaller than the standard deduction).
  ['AMT: partly phased-out exemption', { capital_gains: 920_000 }, { regular_tax: 148_081.25, amt: 1_312.5 }],

  // Schedule 8812 Part II-B: hoh, 3 children, wages 4,000, interest 12,000 (> 11,600: no EITC).
  // AGI 16,000 < 21,900 -> no tax; line 17 min(6,000, 3 x 1,700) = 5,100; line 20 15% x 1,500 = 225;
  // line 21 FICA 7.65% x 4,000 = 306, line 25 EITC 0 -> line 27 max(225, 306) = 306.
  [
    'ACTC 3+ children: payroll-tax alternative',
    { filing_status: 'hoh', wages_head: 4_000, taxable_interest: 12_000, children: 3 },
    { eitc: 0, actc: 306, income_tax: -306, payroll_tax: 306 },
  ],
  // Same with 2 children: Part II-B does not apply -> 225.
  ['ACTC 2 children: no alternative', { filing_status: 'hoh', wages_head: 4_000, taxable_interest: 12_000, children: 2 }, { actc: 225 }],
  // 3 children where the EITC exceeds the payroll taxes: hoh, wages 4,000: EITC 45% x 4,000 = 1,800
  // > 306 -> line 26 0 -> 225 (the 15% rule).
  ['ACTC 3+ children: EITC above payroll tax', { filing_status: 'hoh', wages_head: 4_000, children: 3 }, { eitc: 1_800, actc: 225 }],

  // §32(d)(2)(B): mfs, separated, 1 child, wages 20,000: EITC plateau 4,213. TI 5,400 -> 540 =
  // non-refundable CTC; ACTC min(1,460, 1,700, 15% x 17,500) = 1,460. Income tax -5,673.
  [
    'EITC: separated mfs filer with a child',
    { filing_status: 'mfs', separated: 1, wages_head: 20_000, children: 1 },
    { eitc: 4_213, ctc: 540, actc: 1_460, income_tax: -5_673 },
  ],
  // Not separated: no EITC (§32(d)(1)).
  ['EITC: mfs filer living with the spouse', { filing_status: 'mfs', wages_head: 20_000, children: 1 }, { eitc: 0, income_tax: -1_460 }],
  // Separated but childless: §32(d)(2)(B) needs a qualifying child -> none.
  ['EITC: separated mfs filer without a child', { filing_status: 'mfs', separated: 1, wages_head: 8_000 }, { eitc: 0 }],
  // Tax-exempt interest counts as investment income (§32(i)(2)(B)): 6,000 + 5,601 > 11,600.
  [
    'EITC: tax-exempt interest over the limit',
    { filing_status: 'hoh', wages_head: 10_000, taxable_interest: 6_000, tax_exempt_interest: 5_601, children: 1 },
    { eitc: 0 },
  ],

  // Taxable social security (Pub 915 worksheet 1), single, benefits 20,000 (half 10,000):
  // pension 15,000 -> provisional 25,000 = base amount -> 0.
  ['SS at the first threshold', { age_head: 70, social_security: 20_000, other_income: 15_000 }, { taxable_ss: 0, agi: 15_000 }],
  // pension 20,000 -> provisional 30,000: 50% x min(5,000, 20,000) = 2,500.
  ['SS between the thresholds', { age_head: 70, social_security: 20_000, other_income: 20_000 }, { taxable_ss: 2_500, agi: 22_500 }],
  // pension 24,000 -> provisional 34,000 = adjusted base: 50% x 9,000 = 4,500.
  ['SS at the second threshold', { age_head: 70, social_security: 20_000, other_income: 24_000 }, { taxable_ss: 4_500 }],
  // pension 30,000 -> provisional 40,000: 85% x 6,000 + min(4,500, 50% x 9,000) = 9,600 (< 85% x 20,000).
  ['SS above the second threshold', { age_head: 70, social_security: 20_000, other_income: 30_000 }, { taxable_ss: 9_600 }],
  // pension 40,000 -> provisional 50,000: 13,600 + 4,500 = 18,100 -> capped at 85% x 20,000 = 17,000.
  ['SS at the 85% cap', { age_head: 70, social_security: 20_000, other_income: 40_000 }, { taxable_ss: 17_000 }],
  // mfs who lived with the spouse: base 0 (§86(c)(1)(C)): 85% x provisional 15,000 = 12,750 (< 17,000).
  [
    'SS mfs living with the spouse',
    { filing_status: 'mfs', age_head: 70, social_security: 20_000, other_income: 5_000 },
    { taxable_ss: 12_750 },
  ],
  // mfs apart all year: the single base amounts -> provisional 15,000 < 25,000 -> 0.
  [
    'SS mfs apart all year',
    { filing_status: 'mfs', age_head: 70, social_security: 20_000, other_income: 5_000, separated: 1, lived_apart_all_year: 1 },
    { taxable_ss: 0 },
  ],

  // Schedule A, SALT cap: single, wages 200,000, state and local taxes 25,000 -> 10,000, mortgage
  // interest 10,000: 20,000 > 14,600 -> itemize. TI 180,000 -> 1,160 + 4,266 + 11,742.50 + 24% x
  // 79,475 = 19,074 -> 36,242.50. AMT: AMTI 190,000 - 85,700 = 104,300 x 26% = 27,118 < tax -> 0.
  [
    'Itemized: SALT cap binds',
    { wages_head: 200_000, state_local_taxes: 25_000, mortgage_interest: 10_000 },
    { itemized_deduction: 20_000, standard_deduction: 0, taxable_income: 180_000, regular_tax: 36_242.5, amt: 0 },
  ],
  // mfs: the cap is 5,000 -> 5,000 + 8,000 = 13,000 < 14,600 -> standard deduction.
  [
    'Itemized: mfs SALT cap 5,000, standard is larger',
    { filing_status: 'mfs', wages_head: 100_000, state_local_taxes: 25_000, mortgage_interest: 8_000 },
    { itemized_deduction: 0, standard_deduction: 14_600 },
  ],
  // Medical above 7.5% of AGI: single 70, pension 40,000, medical 20,000: 20,000 - 3,000 = 17,000 >
  // 16,550 -> TI 23,000 -> 1,160 + 12% x 11,400 = 2,528.
  [
    'Itemized: medical above 7.5% of AGI',
    { age_head: 70, other_income: 40_000, medical_expenses: 20_000 },
    { itemized_deduction: 17_000, taxable_income: 23_000, regular_tax: 2_528 },
  ],
  // Cash gifts limited to 60% of AGI: AGI 50,000, gifts 40,000 -> 30,000; TI 20,000 -> 1,160 + 12% x 8,400 = 2,168.
  [
    'Itemized: charity limited to 60% of AGI',
    { wages_head: 50_000, charity: 40_000 },
    { itemized_deduction: 30_000, taxable_income: 20_000, regular_tax: 2_168 },
  ],

  // Schedule D: LT 5,000, ST -12,000 -> net -7,000, deductible -3,000 (§1211(b)); AGI 47,000;
  // TI 32,400 -> 3,656, nothing preferential.
  [
    'Capital loss limit with short-term losses',
    { wages_head: 50_000, capital_gains: 5_000, short_term_gains: -12_000 },
    { agi: 47_000, regular_tax: 3_656 },
  ],
  // Short-term gains are ordinary: wages 40,000 + ST 10,000 -> TI 35,400 -> 4,016 (long-term: 2,816).
  ['Short-term gains at ordinary rates', { wages_head: 40_000, short_term_gains: 10_000 }, { regular_tax: 4_016 }],
  // LT 10,000, ST -4,000 -> net capital gain 6,000 at 0%: TI 31,400, ordinary 25,400 -> 2,816.
  [
    'Short-term loss nets against long-term gain',
    { wages_head: 40_000, capital_gains: 10_000, short_term_gains: -4_000 },
    { taxable_income: 31_400, regular_tax: 2_816 },
  ],
  // mfs loss limit 1,500: AGI 50,000 - 1,500.
  ['Capital loss limit mfs', { filing_status: 'mfs', wages_head: 50_000, short_term_gains: -10_000 }, { agi: 48_500 }],

  // Spouse SE, per person (Schedule SE for each spouse): head 300 x 92.35% = 277.05 < 400 -> none;
  // spouse 50,000 -> 46,175 x 15.3% = 7,064.775.
  [
    'SE per person: the floor applies to each spouse',
    { filing_status: 'mfj', age_spouse: 40, self_employment: 300, self_employment_spouse: 50_000 },
    { se_tax: 7_064.78, payroll_tax: 7_064.78 },
  ],
  // Each spouse has their own wage base: head wages 200,000, spouse SE 100,000 and no wages:
  // 15.3% x 92,350 = 14,129.55; FICA 10,453.20 + 2,900; Additional Medicare 0.9% x (200,000 +
  // 92,350 - 250,000) = 381.15 -> payroll 27,863.90.
  [
    'SE per person: the spouse has their own wage base',
    { filing_status: 'mfj', age_spouse: 40, wages_head: 200_000, self_employment_spouse: 100_000 },
    { se_tax: 14_129.55, payroll_tax: 27_863.9 },
  ],

  // Form 2441: mfj 60,000 + 40,000, 2 persons, expenses 8,000 -> 6,000; AGI 100,000: 35% less 43
  // points -> floor 20% -> 1,200.
  [
    'Care credit at the 20% floor',
    { filing_status: 'mfj', age_spouse: 40, wages_head: 60_000, wages_spouse: 40_000, care_persons: 2, care_expenses: 8_000 },
    { cdcc: 1_200 },
  ],
  // hoh, wages 30,000, 1 child, 1 person, 5,000 -> 3,000 x (35% - ceil(15,000 / 2,000) = 8 points) =
  // 810 = the whole tax (TI 8,100 -> 810), so the CTC has no room: ACTC min(2,000, 1,700, 4,125) =
  // 1,700; EITC 4,213 - 15.98% x 7,280 = 3,049.66. Income tax -4,749.66.
  [
    'Care credit uses the tax before the CTC',
    { filing_status: 'hoh', wages_head: 30_000, children: 1, care_persons: 1, care_expenses: 5_000 },
    { cdcc: 810, ctc: 0, actc: 1_700, eitc: 3_049.66, income_tax: -4_749.66 },
  ],
  // Limited by the lower earner: spouse without earnings -> 0 (§21(d)(1)).
  [
    'Care credit: spouse without earnings',
    { filing_status: 'mfj', age_spouse: 40, wages_head: 60_000, care_persons: 1, care_expenses: 3_000 },
    { cdcc: 0 },
  ],
  // mfs not separated: none (§21(e)(2)).
  ['Care credit: mfs living together', { filing_status: 'mfs', wages_head: 60_000, care_persons: 1, care_expenses: 3_000 }, { cdcc: 0 }],

  // Schedule R: single 70, pension 17,000: AGI 17,000, TI 450 -> 45. Line 19 5,000 - 0 - 50% x
  // (17,000 - 7,500) = 250 -> 15% = 37.50 (< 45). Income tax 7.50.
  ['Schedule R: single 65+', { age_head: 70, other_income: 17_000 }, { regular_tax: 45, elderly_credit: 37.5, income_tax: 7.5 }],
  // Nontaxable social security reduces it: + 1,000 benefits (provisional 17,500: not taxable) ->
  // 5,000 - 1,000 - 4,750 < 0 -> 0.
  ['Schedule R: nontaxable benefits', { age_head: 70, other_income: 17_000, social_security: 1_000 }, { elderly_credit: 0 }],
  // Under 65: none (disability not modelled).
  ['Schedule R: under 65', { age_head: 60, other_income: 17_000 }, { elderly_credit: 0 }],
];

describe('tax 2024.3: hand-checked provisions', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(computeTax(hh(input), policy)).toMatchObject(expected);
  });

  it('the SE floor is per person and half the SE tax still leaves AGI', () => {
    // 433.13 x 92.35% = 399.9956 < 400: no SE tax for the head (Schedule SE line 4c).
    expect(computeTax(hh({ self_employment: 433.13 }), policy).se_tax).toBe(0);
    expect(computeTax(hh({ self_employment: 433.14 }), policy).se_tax).toBe(61.2);
  });

  it('AMT exemption phase-out (Form 6251 line 5, Rev. Proc. 2023-34)', () => {
    // At the 609,350 start: full exemption 85,700.
    expect(amtBase(609_350, 'single', policy)).toBe(609_350 - 85_700);
    // 700,000: 85,700 - 25% x 90,650 = 63,037.50.
    expect(amtBase(700_000, 'single', policy)).toBe(700_000 - 63_037.5);
    // Gone at 609,350 + 4 x 85,700 = 952,150.
    expect(amtBase(952_150, 'single', policy)).toBe(952_150);
    // mfj: 133,300 up to 1,218,700.
    expect(amtBase(1_000_000, 'mfj', policy)).toBe(1_000_000 - 133_300);
    // mfs above 875,950 adds min(25% x excess, 66,650): 1,000,000 + 31,012.50 (exemption 0).
    expect(amtBase(1_000_000, 'mfs', policy)).toBe(1_031_012.5);
    // Flat rates: 26% x 232,600 + 28% x 67,400 = 60,476 + 18,872 = 79,348.
    expect(tentativeMinimumTax(300_000, 300_000, 0, 'single', policy)).toBeCloseTo(79_348, 6);
  });
});
