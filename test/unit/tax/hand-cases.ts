/**
 * The hand-checked households of compute.test.ts. Every expected value below is derived in
 * the comment above it from ../shared/notes/tax-2024.md (brackets, standard deduction,
 * Schedule 8812, Pub 596 EITC, FICA); amounts are exact to the cent.
 */
import type { TaxOutput } from '../../../models/tax/compute.js';
import type { Household } from '../../../models/tax/household.js';

export const cases: [string, Partial<Household>, Partial<TaxOutput>][] = [
  // AGI 50,000; SD 14,600; TI 35,400; tax 10% x 11,600 = 1,160 + 12% x 23,800 = 2,856 -> 4,016.
  // EITC (childless): 632 - 7.65% x (50,000 - 10,330) < 0 -> 0. Payroll 6.2% + 1.45% of 50,000 = 3,825.
  // Marginal: 12% + 7.65% = 19.65 %.
  [
    'single wage earner',
    { age_head: 30, wages_head: 50_000 },
    {
      agi: 50_000,
      standard_deduction: 14_600,
      taxable_income: 35_400,
      regular_tax: 4_016,
      eitc: 0,
      income_tax: 4_016,
      payroll_tax: 3_825,
      combined_tax: 7_841,
      after_tax_income: 42_159,
      marginal_rate: 0.1965,
      marginal_income_tax_rate: 0.12,
    },
  ],
  // mfj, 40,000 wages, 2 kids. TI 40,000 - 29,200 = 10,800 -> 1,080. CTC 4,000: non-refundable 1,080;
  // ACTC min(4,000 - 1,080 = 2,920, 2 x 1,700, 15% x 37,500 = 5,625) = 2,920.
  // EITC 2 kids: start 22,720 + 6,920 = 29,640; 6,960 - 21.06% x 10,360 = 6,960 - 2,181.816 = 4,778.18.
  // income tax 1,080 - 1,080 - 2,920 - 4,778.18 = -7,698.18; payroll 7.65% x 40,000 = 3,060.
  [
    'mfj with two kids: CTC, ACTC, EITC phase-out',
    { filing_status: 'mfj', age_spouse: 38, wages_head: 30_000, wages_spouse: 10_000, children: 2 },
    {
      agi: 40_000,
      taxable_income: 10_800,
      regular_tax: 1_080,
      ctc: 1_080,
      actc: 2_920,
      eitc: 4_778.18,
      income_tax: -7_698.18,
      payroll_tax: 3_060,
      combined_tax: -4_638.18,
      after_tax_income: 44_638.18,
    },
  ],
  // hoh, 1 kid, 15,000: TI 0. ACTC min(2,000, 1,700, 15% x 12,500 = 1,875) = 1,700 (per-child cap).
  // EITC plateau (12,390 <= 15,000 <= 22,720): 4,213. Income tax -5,913; payroll 1,147.50.
  [
    'hoh one kid: EITC plateau, ACTC capped at 1,700',
    { filing_status: 'hoh', age_head: 35, wages_head: 15_000, children: 1 },
    {
      standard_deduction: 21_900,
      taxable_income: 0,
      ctc: 0,
      actc: 1_700,
      eitc: 4_213,
      income_tax: -5_913,
      payroll_tax: 1_147.5,
      combined_tax: -4_765.5,
    },
  ],
  // Childless EITC phase-in: 7.65% x 6,000 = 459 (below 632 and below the 10,330 phase-out start).
  // Marginal: the 7.65% credit rate exactly offsets the 7.65% payroll tax -> 0 combined.
  [
    'single childless EITC phase-in',
    { age_head: 30, wages_head: 6_000 },
    { eitc: 459, income_tax: -459, payroll_tax: 459, combined_tax: 0, marginal_rate: 0, marginal_income_tax_rate: -0.0765 },
  ],
  // Same, age 22: childless filers must be 25-64 -> no EITC.
  ['childless EITC age limit', { age_head: 22, wages_head: 6_000 }, { eitc: 0, income_tax: 0 }],
  // hoh, 3 kids, 40,000. TI 18,100: 10% x 16,550 = 1,655 + 12% x 1,550 = 186 -> 1,841.
  // CTC 6,000: non-refundable 1,841; ACTC min(4,159, 5,100, 5,625) = 4,159.
  // EITC 3+: 7,830 - 21.06% x (40,000 - 22,720) = 7,830 - 3,639.168 = 4,190.83. Income tax -8,349.83.
  [
    'hoh three kids: EITC phase-out',
    { filing_status: 'hoh', age_head: 35, wages_head: 40_000, children: 3 },
    { taxable_income: 18_100, regular_tax: 1_841, ctc: 1_841, actc: 4_159, eitc: 4_190.83, income_tax: -8_349.83, payroll_tax: 3_060 },
  ],
  // Investment income exactly 11,600 (allowed): AGI 21,600 < 22,720 -> EITC 34% x 10,000 = 3,400.
  // ACTC min(2,000, 1,700, 15% x 7,500 = 1,125) = 1,125. TI 0. Income tax -4,525.
  [
    'EITC investment income at the limit',
    { filing_status: 'hoh', age_head: 35, wages_head: 10_000, taxable_interest: 11_600, children: 1 },
    { agi: 21_600, eitc: 3_400, actc: 1_125, income_tax: -4_525, payroll_tax: 765 },
  ],
  // One dollar more investment income (11,601 > 11,600): no EITC at all; ACTC unchanged.
  [
    'EITC investment income cliff',
    { filing_status: 'hoh', age_head: 35, wages_head: 10_000, taxable_interest: 11_601, children: 1 },
    { agi: 21_601, eitc: 0, actc: 1_125, income_tax: -1_125 },
  ],
  // AGI 25,000 > earned 20,000: EITC is the smaller of f(earned) = 4,213 and
  // f(AGI) = 4,213 - 15.98% x (25,000 - 22,720) = 4,213 - 364.344 = 3,848.66.
  // TI 3,100 -> 310 = CTC non-refundable; ACTC min(1,690, 1,700, 2,625) = 1,690. Income tax -5,538.66.
  [
    'EITC on AGI when AGI exceeds earnings',
    { filing_status: 'hoh', age_head: 35, wages_head: 20_000, taxable_interest: 5_000, children: 1 },
    { agi: 25_000, regular_tax: 310, ctc: 310, actc: 1_690, eitc: 3_848.66, income_tax: -5_538.66 },
  ],
  // mfj childless, 15,000: phase-out start 10,330 + 6,920 = 17,250 -> full 632.
  [
    'mfj childless EITC plateau',
    { filing_status: 'mfj', age_head: 30, age_spouse: 30, wages_head: 15_000 },
    { eitc: 632, income_tax: -632, payroll_tax: 1_147.5 },
  ],
  // hoh, 2 kids, 5,000: ACTC min(4,000, 3,400, 15% x (5,000 - 2,500) = 375) = 375; EITC 40% x 5,000 = 2,000.
  [
    'ACTC at low earnings (15% over 2,500)',
    { filing_status: 'hoh', age_head: 30, wages_head: 5_000, children: 2 },
    { actc: 375, eitc: 2_000, income_tax: -2_375, payroll_tax: 382.5 },
  ],
  // Capital gains all at 0%: AGI 50,000, TI 35,400 of which 10,000 gains; ordinary 25,400 ->
  // 1,160 + 12% x 13,800 = 2,816; gains fit under 47,025 -> 0%.
  [
    'long-term gains at 0%',
    { wages_head: 40_000, capital_gains: 10_000 },
    { agi: 50_000, taxable_income: 35_400, regular_tax: 2_816, payroll_tax: 3_060 },
  ],
  // 0% and 15%: TI 55,400, gains 20,000, ordinary 35,400 -> 4,016; 0% on 35,400..47,025 (11,625),
  // 15% on 47,025..55,400 = 8,375 x 15% = 1,256.25 -> 5,272.25.
  [
    'long-term gains stacked across 0% and 15%',
    { wages_head: 50_000, capital_gains: 20_000 },
    { taxable_income: 55_400, regular_tax: 5_272.25 },
  ],
  // mfj 300k + 200k wages, 100k qualified dividends, 100k gains. AGI 700,000; TI 670,800; pref 200,000;
  // ordinary 470,800: 2,320 + 8,532 + 23,485 + 43,884 + 32% x 86,900 = 27,808 -> 106,029.
  // 15% on 470,800..583,750 = 112,950 -> 16,942.50; 20% on 583,750..670,800 = 87,050 -> 17,410.
  // Regular tax 140,381.50. Payroll: SS 6.2% x 168,600 per worker = 10,453.20 x 2; Medicare 1.45% x
  // 500,000 = 7,250; Additional Medicare 0.9% x (500,000 - 250,000) = 2,250 -> 30,406.40.
  // NIIT (IRC §1411, Form 8960): 3.8% x min(NII 200,000, MAGI 700,000 - 250,000) = 7,600 -> income tax 147,981.50.
  // AMT (Form 6251): AMTI 700,000 - exemption 133,300 = 566,700; Part III: ordinary 366,700 at 26% x 232,600
  // + 28% x 134,100 = 98,024; gains 15% x 112,950 + 20% x 87,050 = 34,352.50 -> TMT 132,376.50 < 140,381.50: no AMT.
  [
    'mfj high income: 15% and 20% rates, SS cap per worker, Additional Medicare',
    {
      filing_status: 'mfj',
      age_head: 55,
      age_spouse: 53,
      wages_head: 300_000,
      wages_spouse: 200_000,
      ordinary_dividends: 100_000,
      qualified_dividends: 100_000,
      capital_gains: 100_000,
    },
    {
      agi: 700_000,
      taxable_income: 670_800,
      regular_tax: 140_381.5,
      amt: 0,
      niit: 7_600,
      payroll_tax: 30_406.4,
      income_tax: 147_981.5,
      combined_tax: 178_387.9,
    },
  ],
  // single 250,000: TI 235,400: 1,160 + 4,266 + 22% x 53,375 = 11,742.50 + 24% x 91,425 = 21,942
  // + 32% x 43,450 = 13,904 -> 53,014.50. Payroll 10,453.20 + 3,625 + 0.9% x 50,000 = 450 -> 14,528.20.
  // Marginal: 32% + 1.45% + 0.9% = 34.35%.
  [
    'single above the SS wage base',
    { wages_head: 250_000 },
    { regular_tax: 53_014.5, payroll_tax: 14_528.2, marginal_rate: 0.3435, marginal_income_tax_rate: 0.32 },
  ],
  // mfj 430,500 wages, 2 kids: CTC phase-out ceil(30,500 / 1,000) = 31 steps x 50 = 1,550 -> 2,450.
  // TI 401,300: 78,221 + 32% x 17,400 = 5,568 -> 83,789; income tax 81,339.
  // Payroll 10,453.20 + 1.45% x 430,500 = 6,242.25 + 0.9% x 180,500 = 1,624.50 -> 18,319.95.
  [
    'CTC phase-out above 400k (mfj), 50 per 1,000 or part',
    { filing_status: 'mfj', age_spouse: 40, wages_head: 430_500, children: 2 },
    { regular_tax: 83_789, ctc: 2_450, actc: 0, income_tax: 81_339, payroll_tax: 18_319.95 },
  ],
  // single 1 kid at 201,000 + 1: ceil(1,001 / 1,000) = 2 steps -> credit 1,900.
  ['CTC phase-out above 200k (single)', { wages_head: 201_001, children: 1 }, { ctc: 1_900, actc: 0 }],
  // mfs, 60,000, 1 kid: no EITC for mfs; TI 45,400 -> 1,160 + 12% x 33,800 = 4,056 -> 5,216; CTC 2,000.
  [
    'mfs: no EITC',
    { filing_status: 'mfs', wages_head: 60_000, children: 1 },
    { taxable_income: 45_400, regular_tax: 5_216, ctc: 2_000, eitc: 0, income_tax: 3_216, payroll_tax: 4_590 },
  ],
  // mfs 150,000: TI 135,400 -> 1,160 + 4,266 + 11,742.50 + 24% x 34,875 = 8,370 -> 25,538.50;
  // payroll 9,300 + 2,175 + 0.9% x (150,000 - 125,000) = 225 -> 11,700.
  ['mfs Additional Medicare above 125k', { filing_status: 'mfs', wages_head: 150_000 }, { regular_tax: 25_538.5, payroll_tax: 11_700 }],
  // mfj both 66, pension 40,000 + interest 2,000: SD 29,200 + 2 x 1,550 = 32,300; TI 9,700 -> 970.
  // No payroll (no wages); no childless EITC past 64.
  [
    'aged couple: additional standard deduction',
    { filing_status: 'mfj', age_head: 66, age_spouse: 66, other_income: 40_000, taxable_interest: 2_000 },
    { standard_deduction: 32_300, taxable_income: 9_700, regular_tax: 970, eitc: 0, payroll_tax: 0 },
  ],
  // single 70: SD 14,600 + 1,950 = 16,550.
  ['aged single', { age_head: 70, other_income: 20_000 }, { standard_deduction: 16_550, taxable_income: 3_450, regular_tax: 345 }],
  // Negative other income lowers AGI: 30,000 - 5,000 = 25,000; TI 10,400 -> 1,040.
  [
    'negative other income',
    { wages_head: 30_000, other_income: -5_000 },
    { agi: 25_000, taxable_income: 10_400, regular_tax: 1_040, eitc: 0, payroll_tax: 2_295 },
  ],
  // Capital loss limited to 3,000: AGI 47,000; TI 32,400 -> 1,160 + 12% x 20,800 = 2,496 -> 3,656.
  // Gross income counts the whole loss: 40,000; after-tax 40,000 - (3,656 + 3,825) = 32,519.
  [
    'capital loss limit',
    { wages_head: 50_000, capital_gains: -10_000 },
    { agi: 47_000, regular_tax: 3_656, gross_income: 40_000, after_tax_income: 32_519 },
  ],
  // Nothing at all: zeros, no average rate; +1 dollar of wages earns 7.65% EITC = its 7.65% payroll.
  ['zero income', {}, { agi: 0, income_tax: 0, payroll_tax: 0, average_rate: null, marginal_rate: 0, marginal_income_tax_rate: -0.0765 }],
  // Self-employment 50,000: net earnings 92.35% = 46,175; SE tax 15.3% = 7,064.775 -> 7,064.78;
  // AGI 50,000 - 3,532.3875 = 46,467.61; before QBI 31,867.6125. QBI (Form 8995): QBI 50,000 - 3,532.3875
  // = 46,467.6125, 20% = 9,293.52, limited to 20% x 31,867.6125 = 6,373.52 (line 14). TI 25,494.09 ->
  // 1,160 + 12% x 13,894.09 = 2,827.29.
  [
    'self-employment tax and its deduction',
    { self_employment: 50_000 },
    {
      agi: 46_467.61,
      qbi_deduction: 6_373.52,
      taxable_income: 25_494.09,
      regular_tax: 2_827.29,
      se_tax: 7_064.78,
      payroll_tax: 7_064.78,
      eitc: 0,
    },
  ],
  // SE floor, IRC §1402(b) and Schedule SE line 4c: 433.13 x 92.35% = 399.9956 < 400 -> no SE tax;
  // AGI 433.13 (no half-SE deduction). Childless EITC 7.65% x 433.13 = 33.13.
  ['SE floor: 433.13 profit is under 400 of net earnings', { self_employment: 433.13 }, { agi: 433.13, payroll_tax: 0, eitc: 33.13 }],
  // 433.14 x 92.35% = 400.00479 >= 400 -> SE tax 15.3% x 400.00479 = 61.2007 -> 61.20;
  // AGI 433.14 - 30.60037 = 402.54.
  ['SE floor: 433.14 profit is taxed', { self_employment: 433.14 }, { agi: 402.54, payroll_tax: 61.2 }],
  // Credit for other dependents: TI 20,000 - 14,600 = 5,400 -> 540; 500 non-refundable -> 40.
  [
    'other dependent credit is non-refundable',
    { wages_head: 20_000, other_dependents: 1 },
    { regular_tax: 540, ctc: 500, actc: 0, income_tax: 40 },
  ],
];
