/**
 * One synthetic household of `simrun generate population`: the draws and their documented
 * distributions (docs/tax.md, "Synthetic population"). Rough 2020s US magnitudes, not a
 * calibrated sample: filing-status mix, ages, children, log-normal wages with a Pareto upper
 * tail, self-employment of head and spouse, investment income more likely (and larger) at high
 * wages plus a few large investors, social security for retirees, itemizable expenses, child
 * care, and separated spouses among separate filers. The draws come from one PRNG stream in a
 * fixed order, so a seed gives the same rows every time.
 */
import { NUMERIC_FIELDS, type Household } from './household.js';

export const POPULATION_COLUMNS = ['id', 'filing_status', ...Object.keys(NUMERIC_FIELDS)] as (keyof Household)[];

export class Draw {
  constructor(private readonly u: () => number) {}
  uniform(lo = 0, hi = 1) {
    return lo + (hi - lo) * this.u();
  }
  chance(p: number) {
    return this.u() < p;
  }
  normal(mean: number, sd: number) {
    const u1 = 1 - this.u();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.u());
  }
  logNormal(median: number, sigma: number) {
    return median * Math.exp(this.normal(0, sigma));
  }
  /** Pareto with minimum `min` and shape `alpha`. */
  pareto(min: number, alpha: number) {
    return min * Math.pow(1 - this.uniform(), -1 / alpha);
  }
  /** Index drawn from a list of probabilities summing to 1. */
  pick(probs: number[]) {
    let x = this.u();
    for (let i = 0; i < probs.length - 1; i++) if ((x -= probs[i]!) < 0) return i;
    return probs.length - 1;
  }
}

const STATUSES = ['single', 'mfj', 'mfs', 'hoh'] as const;
const STATUS_MIX = [0.47, 0.39, 0.03, 0.11];
/** P(0, 1, 2, 3, 4 children) by filing status. */
const CHILDREN_MIX: Record<(typeof STATUSES)[number], number[]> = {
  single: [0.9, 0.06, 0.03, 0.01, 0],
  mfj: [0.55, 0.17, 0.17, 0.08, 0.03],
  mfs: [0.6, 0.2, 0.13, 0.07, 0],
  hoh: [0.12, 0.45, 0.28, 0.11, 0.04],
};

const clampAge = (a: number) => Math.min(90, Math.max(18, Math.round(a)));
const money = (x: number) => Math.round(x);

function wage(d: Draw, age: number): number {
  const pWork = age < 62 ? 0.85 : age < 70 ? 0.35 : 0.08;
  if (!d.chance(pWork)) return 0;
  const w = d.chance(0.015) ? d.pareto(250_000, 1.5) : d.logNormal(42_000, 0.85);
  return money(Math.min(w, 50_000_000));
}

/** Social security benefits of one person: most claim from 67, some from 62. */
function benefits(d: Draw, age: number): number {
  const p = age >= 67 ? 0.92 : age >= 62 ? 0.45 : 0;
  return p > 0 && d.chance(p) ? money(Math.min(d.logNormal(21_000, 0.35), 58_476)) : 0;
}

/** Net profit of one self-employed person (10 % of heads, 8 % of spouses); small profits included. */
function selfEmployment(d: Draw, p: number): number {
  return d.chance(p) ? money(Math.min(d.logNormal(18_000, 1.3), 20_000_000)) : 0;
}

/** One household; `weight` is set by the caller. */
export function drawHousehold(d: Draw, id: number, weight: number): Household {
  const fs = STATUSES[d.pick(STATUS_MIX)]!;
  const ageHead = clampAge(d.normal(fs === 'single' ? 42 : 48, 16));
  const ageSpouse = fs === 'mfj' ? clampAge(ageHead + d.normal(-1.5, 4)) : 0;
  let children = ageHead < 60 ? d.pick(CHILDREN_MIX[fs]) : 0;
  if (fs === 'hoh' && ageHead >= 60) children = 0;
  const otherDeps = d.chance(fs === 'hoh' && children === 0 ? 0.9 : 0.06) ? 1 : 0;
  const wagesHead = wage(d, ageHead);
  const wagesSpouse = fs === 'mfj' ? (d.chance(0.72) ? wage(d, ageSpouse) : 0) : 0;
  const rich = wagesHead + wagesSpouse > 150_000 ? 3 : 1;
  const investor = d.chance(0.004);
  const se = selfEmployment(d, 0.1);
  const seSpouse = fs === 'mfj' ? selfEmployment(d, 0.08) : 0;
  const business = se + seSpouse;
  // §199A inputs: larger businesses often pay wages and hold property; a quarter are specified services.
  const w2 = business > 100_000 && d.chance(0.4) ? money(business * d.uniform(0.05, 0.6)) : 0;
  const ubia = business > 50_000 && d.chance(0.25) ? money(d.logNormal(150_000, 1)) : 0;
  const sstb = business > 0 && d.chance(0.25) ? 1 : 0;
  const interest = d.chance(Math.min(0.9, 0.35 * rich)) ? money(d.logNormal(250 * rich, 1.5)) : 0;
  const exempt = d.chance(Math.min(0.5, 0.03 * rich * rich)) ? money(d.logNormal(3_000 * rich, 1.3)) : 0;
  let ordDiv = d.chance(Math.min(0.9, 0.18 * rich)) ? money(d.logNormal(1_500 * rich, 1.7)) : 0;
  let gains = 0;
  if (d.chance(Math.min(0.9, 0.11 * rich))) {
    const g = d.logNormal(4_000 * rich, 1.9);
    gains = money(d.chance(0.2) ? -Math.min(g, 20_000) : Math.min(g, 200_000_000));
  }
  // High-income investors: Pareto-tailed long-term gains and dividends.
  if (investor) {
    gains = money(Math.min(d.pareto(150_000, 1.2), 200_000_000));
    ordDiv = money(Math.min(d.pareto(40_000, 1.3), 50_000_000));
  }
  const qualDiv = money(ordDiv * d.uniform(0.5, 0.95));
  const shortTerm = d.chance(Math.min(0.5, 0.05 * rich)) ? money(d.logNormal(2_000 * rich, 1.5) * (d.chance(0.35) ? -1 : 1)) : 0;
  let other = 0;
  if (ageHead >= 62 && d.chance(0.6)) other = money(d.logNormal(20_000, 0.7));
  else if (d.chance(0.08)) other = money(d.normal(2_000, 4_000));
  const ss = benefits(d, ageHead) + (fs === 'mfj' ? benefits(d, ageSpouse) : 0);
  // Schedule A items scale with income; about a third of households hold a mortgage.
  const income = Math.max(0, wagesHead + wagesSpouse + business + other + interest + ordDiv + gains);
  const owner = d.chance(ageHead < 70 ? (income > 80_000 ? 0.55 : 0.25) : 0.15);
  const mortgage = owner ? money(d.logNormal(6_000 * (income > 200_000 ? 2.5 : 1), 0.7)) : 0;
  const salt = money(income * d.uniform(0, 0.09) + (owner ? d.logNormal(4_000, 0.6) : 0));
  const charity = d.chance(0.45) ? money(income * 0.02 * d.logNormal(1, 1)) : 0;
  const medical = d.chance(ageHead >= 65 ? 0.25 : 0.08) ? money(d.logNormal(5_000, 1.1)) : 0;
  // Child care when the children are young enough and every parent works.
  const working = wagesHead + se > 0 && (fs !== 'mfj' || wagesSpouse + seSpouse > 0);
  const carePersons = children > 0 && working && d.chance(0.35) ? 1 + Math.floor(d.uniform(0, Math.min(children, 2))) : 0;
  const care = carePersons > 0 ? money(d.logNormal(4_500 * carePersons, 0.6)) : 0;
  // Separate filers: separated (apart the last 6 months) more often with children; some apart all year.
  const separated = fs === 'mfs' && d.chance(children > 0 ? 0.5 : 0.3) ? 1 : 0;
  const apartAllYear = separated === 1 && d.chance(0.6) ? 1 : 0;
  return {
    id: String(id),
    weight,
    filing_status: fs,
    age_head: ageHead,
    age_spouse: ageSpouse,
    wages_head: wagesHead,
    wages_spouse: wagesSpouse,
    self_employment: se,
    taxable_interest: interest,
    ordinary_dividends: ordDiv,
    qualified_dividends: qualDiv,
    capital_gains: gains,
    other_income: other,
    children,
    other_dependents: otherDeps,
    self_employment_spouse: seSpouse,
    short_term_gains: shortTerm,
    tax_exempt_interest: exempt,
    social_security: ss,
    mortgage_interest: mortgage,
    state_local_taxes: salt,
    charity,
    medical_expenses: medical,
    care_expenses: care,
    care_persons: carePersons,
    qbi_w2_wages: w2,
    qbi_ubia: ubia,
    qbi_sstb: sstb,
    separated,
    lived_apart_all_year: apartAllYear,
  };
}

/** The household as one CSV line in POPULATION_COLUMNS order. */
export function csvLine(h: Household): string {
  let line = '';
  for (let i = 0; i < POPULATION_COLUMNS.length; i++) line += (i ? ',' : '') + h[POPULATION_COLUMNS[i]!];
  return line;
}
