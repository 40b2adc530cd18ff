/**
 * Golden cross-check against PSLmodels/Tax-Calculator (tax year 2024): the households and
 * Tax-Calculator's results were written by scripts/tax-golden/make_golden.py (commit and
 * versions in test/fixtures/tax-golden/meta.json); this test reads only those files.
 *
 * Every output column must agree within $1 on at least 99.9 % of the households that no known
 * difference touches. A known difference is a place where the law and Tax-Calculator part
 * ways (docs/tax.md, "Differences from Tax-Calculator", says which side is right and why): a
 * household in one may differ only in the columns that difference explains.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTax, type TaxOutput } from '../../../models/tax/compute.js';
import { parseHousehold, type Household } from '../../../models/tax/household.js';
import { loadPolicy2024 } from '../../../models/tax/policy.js';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/tax-golden');
const readCsv = (file: string): Record<string, string>[] => {
  const [header, ...lines] = readFileSync(path.join(dir, file), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
};

const ALL = [
  'agi',
  'taxable_ss',
  'standard_deduction',
  'itemized_deduction',
  'qbi_deduction',
  'taxable_income',
  'regular_tax',
  'amt',
  'niit',
  'ctc',
  'actc',
  'eitc',
  'cdcc',
  'elderly_credit',
  'income_tax',
  'se_tax',
  'payroll_tax',
] as const;
type Column = (typeof ALL)[number];
const HEADLINE: Column[] = ['agi', 'taxable_income', 'income_tax', 'payroll_tax'];
const NOT_PAYROLL = ALL.filter((c) => c !== 'se_tax' && c !== 'payroll_tax');

/** The known differences: which households, and which columns they may move. */
const KNOWN: { name: string; applies: (h: Household) => boolean; columns: readonly Column[] }[] = [
  // §32(d)(1)-(2): a separate filer gets the EITC only with a qualifying child and separated;
  // Tax-Calculator (EITC_sep_filers_elig) grants it to every separate filer.
  {
    name: 'mfs-eitc',
    applies: (h) => h.filing_status === 'mfs' && !(h.children > 0 && h.separated === 1),
    columns: ['eitc', 'actc', 'income_tax'],
  },
  // §86(c)(1)(C)(ii): base amounts of 0 for a separate filer who lived with the spouse; Tax-Calculator uses 25,000 / 34,000.
  {
    name: 'mfs-ss-base',
    applies: (h) => h.filing_status === 'mfs' && h.lived_apart_all_year === 0 && h.social_security > 0,
    columns: NOT_PAYROLL,
  },
  // §21(e)(2), (4): no care credit for a separate filer unless separated; Tax-Calculator allows it.
  {
    name: 'mfs-cdcc',
    applies: (h) => h.filing_status === 'mfs' && h.separated === 0 && h.care_persons > 0 && h.care_expenses > 0,
    columns: ['cdcc', 'ctc', 'actc', 'income_tax'],
  },
  // §1402(b) per person: Tax-Calculator applies the $400 floor to the couple's combined SE income.
  {
    name: 'se-floor-per-spouse',
    applies: (h) =>
      h.filing_status === 'mfj' &&
      [h.self_employment, h.self_employment_spouse].some((x) => x > 0 && x * 0.9235 < 400) &&
      (h.self_employment + h.self_employment_spouse) * 0.9235 >= 400,
    columns: ALL,
  },
  // Form 6251 line 4: the MFS add-back above 875,950 of AMTI; Tax-Calculator only zeroes the exemption.
  {
    name: 'amt-mfs-addback',
    applies: (h) =>
      h.filing_status === 'mfs' && h.capital_gains + h.wages_head + h.ordinary_dividends + h.self_employment + h.other_income > 875_950,
    columns: ['amt', 'income_tax'],
  },
];

const policy = loadPolicy2024();
const households = readCsv('households.csv');
const expected = readCsv('expected.csv');
const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { households: { generated: number; edge: number } };

interface Compared {
  id: string;
  known: string[];
  /** Columns a known difference of this household may move. */
  excused: Set<Column>;
  off: Column[];
  out: TaxOutput;
  ref: Record<string, string>;
}
const compared: Compared[] = households.map((row, i) => {
  const h = parseHousehold(row, i);
  const out = computeTax(h, policy);
  const ref = expected[i]!;
  const off = ALL.filter((c) => !(Math.abs(out[c] - Number(ref[c])) <= 1));
  const known = KNOWN.filter((k) => k.applies(h));
  return { id: h.id, known: known.map((k) => k.name), excused: new Set(known.flatMap((k) => k.columns)), off, out, ref };
});

describe('golden cross-check against Tax-Calculator 2024', () => {
  it('covers at least 2,000 generated and 40 edge households, row for row', () => {
    expect(meta.households.generated).toBeGreaterThanOrEqual(2000);
    expect(meta.households.edge).toBeGreaterThanOrEqual(40);
    expect(households.length).toBe(meta.households.generated + meta.households.edge);
    expect(expected.map((r) => r.id)).toEqual(households.map((r) => r.id));
  });

  it.each(ALL)('%s agrees within $1 on >= 99.9 % of the households on shared provisions', (column) => {
    const shared = compared.filter((c) => !c.excused.has(column));
    const within = shared.filter((c) => !c.off.includes(column)).length;
    const misses = shared
      .filter((c) => c.off.includes(column))
      .slice(0, 5)
      .map((c) => `${c.id}: ${c.out[column]} vs ${c.ref[column]}`);
    expect(within / shared.length, misses.join('; ')).toBeGreaterThanOrEqual(0.999);
    if (HEADLINE.includes(column)) expect(shared.length).toBeGreaterThan(3000 * 0.95);
  });

  it('every edge household outside the known differences agrees on every column', () => {
    const off = compared.filter((c) => c.id.startsWith('edge-') && c.known.length === 0 && c.off.length > 0);
    expect(off.map((c) => `${c.id}: ${c.off.join(', ')}`)).toEqual([]);
  });

  it('a household in a known difference differs only in the columns that difference explains', () => {
    const unexplained = compared
      .filter((c) => c.known.length > 0)
      .map((c) => ({ id: c.id, extra: c.off.filter((col) => !c.excused.has(col)) }))
      .filter((c) => c.extra.length > 0);
    expect(unexplained).toEqual([]);
  });

  it('each known difference shows up in its hand-made edge household (the reference really differs there)', () => {
    const edge = (name: string) => compared.find((c) => c.id === `edge-known-${name}`)!;
    expect(edge('mfs-childless-eitc').off).toEqual(['eitc', 'income_tax']);
    expect(edge('mfs-not-separated-eitc').off).toEqual(['eitc', 'income_tax']);
    expect(edge('mfs-cohabiting-ss').off).toContain('taxable_ss');
    expect(edge('mfs-not-separated-cdcc').off).toEqual(['cdcc', 'income_tax']);
    expect(edge('se-floor-per-spouse').off).toContain('se_tax');
    expect(edge('amt-mfs-addback').off).toEqual(['amt', 'income_tax']);
  });
});
