/**
 * tax: US federal individual income tax + employee payroll tax, tax year 2024, per household.
 * Policy parameters are data (policy-2024.json); reforms override them with --params / --param.
 * Inputs, outputs and the law line by line are documented in docs/tax.md.
 */
import { defineModel } from '../../src/index.js';
import { computeTax, type TaxOutput } from './compute.js';
import { parseHousehold, type Household } from './household.js';
import { loadPolicy2024, validatePolicy, type Policy } from './policy.js';
import { taxCommands } from './commands.js';
import { taxReport } from './report.js';
import { taxViews } from './views.js';

const checked = new WeakSet<object>();

/** The effective params are one object per worker: validate it once. */
function policyOf(params: object): Policy {
  if (!checked.has(params)) {
    validatePolicy(params as Policy);
    checked.add(params);
  }
  return params as Policy;
}

export default defineModel<unknown, { h: Household; t: TaxOutput }, Policy & Record<string, unknown>>({
  name: 'tax',
  version: '2024.3',
  description: 'US federal income + payroll tax 2024 per household (reforms via --params/--param)',
  columns: {
    id: 'text',
    weight: 'real',
    filing_status: 'text',
    children: 'integer',
    gross_income: 'real',
    agi: 'real',
    taxable_ss: 'real',
    standard_deduction: 'real',
    itemized_deduction: 'real',
    qbi_deduction: 'real',
    taxable_income: 'real',
    regular_tax: 'real',
    amt: 'real',
    niit: 'real',
    ctc: 'real',
    actc: 'real',
    eitc: 'real',
    cdcc: 'real',
    elderly_credit: 'real',
    income_tax: 'real',
    se_tax: 'real',
    payroll_tax: 'real',
    combined_tax: 'real',
    after_tax_income: 'real',
    average_rate: 'real',
    marginal_rate: 'real',
    marginal_income_tax_rate: 'real',
  },
  params: loadPolicy2024() as Policy & Record<string, unknown>,
  validateParams(params) {
    validatePolicy(params);
  },
  setup(ctx) {
    policyOf(ctx.params);
  },
  analyze(item, ctx) {
    const h = parseHousehold(item, ctx.index);
    return { h, t: computeTax(h, policyOf(ctx.params)) };
  },
  format({ h, t }) {
    // Spelled out (no spread): a fixed object shape keeps this per-item path fast.
    return {
      id: h.id,
      weight: h.weight,
      filing_status: h.filing_status,
      children: h.children,
      gross_income: t.gross_income,
      agi: t.agi,
      taxable_ss: t.taxable_ss,
      standard_deduction: t.standard_deduction,
      itemized_deduction: t.itemized_deduction,
      qbi_deduction: t.qbi_deduction,
      taxable_income: t.taxable_income,
      regular_tax: t.regular_tax,
      amt: t.amt,
      niit: t.niit,
      ctc: t.ctc,
      actc: t.actc,
      eitc: t.eitc,
      cdcc: t.cdcc,
      elderly_credit: t.elderly_credit,
      income_tax: t.income_tax,
      se_tax: t.se_tax,
      payroll_tax: t.payroll_tax,
      combined_tax: t.combined_tax,
      after_tax_income: t.after_tax_income,
      average_rate: t.average_rate,
      marginal_rate: t.marginal_rate,
      marginal_income_tax_rate: t.marginal_income_tax_rate,
    };
  },
  report: taxReport,
  views: taxViews,
  commands: taxCommands,
});
