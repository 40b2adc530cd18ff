/** SQL views the tax model adds beside its results table (created when a run starts). */
import type { ModelViews } from '../../src/index.js';

const bn = (x: string, name: string) => `ROUND(SUM(weight * ${x}) / 1e9, 3) AS ${name}`;

export const taxViews: ModelViews = {
  /** One row per run: households represented and weighted totals in $ billions. */
  tax_totals: `SELECT run_id, COUNT(*) AS records, ROUND(SUM(weight)) AS households,
      ${bn('gross_income', 'gross_income_bn')}, ${bn('income_tax', 'income_tax_bn')}, ${bn('payroll_tax', 'payroll_tax_bn')},
      ${bn('eitc', 'eitc_bn')}, ${bn('ctc + actc', 'ctc_actc_bn')}, ${bn('combined_tax', 'combined_tax_bn')},
      ROUND(100.0 * SUM(weight * combined_tax) / NULLIF(SUM(weight * gross_income), 0), 2) AS avg_tax_rate_pct
    FROM tax GROUP BY run_id`,
};
