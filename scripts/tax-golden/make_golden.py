"""Golden file for the simrun tax model: Tax-Calculator's results for the same households.

Reads a population made by `simrun generate population` plus the hand-made edge households
(edge_households.py), maps every simrun input column one to one onto Tax-Calculator's Records
variables, runs Tax-Calculator's 2024 current law with exact (tax-form) calculations, and
writes test/fixtures/tax-golden/{households.csv,expected.csv,meta.json}. The vitest test
test/unit/tax/golden.test.ts reads only those files (CI needs no Python).

Needs Tax-Calculator and ParamTools source trees on PYTHONPATH and Debian's python3-numpy,
python3-pandas, python3-numba, python3-marshmallow, python3-fsspec; bokeh is only imported
for plots, so a stub package serves (scripts/tax-golden/stubs). See scripts/tax-golden/README.md.

    PYTHONPATH=<taxcalc>:<paramtools>:scripts/tax-golden/stubs /usr/bin/python3 \
      scripts/tax-golden/make_golden.py population.csv test/fixtures/tax-golden \
      --taxcalc-commit <sha> --paramtools-commit <sha>
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd
import taxcalc as tc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from edge_households import EDGES  # noqa: E402

INPUTS = ['id', 'filing_status', 'weight', 'age_head', 'age_spouse', 'wages_head', 'wages_spouse',
          'self_employment', 'taxable_interest', 'ordinary_dividends', 'qualified_dividends',
          'capital_gains', 'other_income', 'children', 'other_dependents', 'self_employment_spouse',
          'short_term_gains', 'tax_exempt_interest', 'social_security', 'mortgage_interest',
          'state_local_taxes', 'charity', 'medical_expenses', 'care_expenses', 'care_persons',
          'qbi_w2_wages', 'qbi_ubia', 'qbi_sstb', 'separated', 'lived_apart_all_year']
MARS = {'single': 1, 'mfj': 2, 'mfs': 3, 'hoh': 4}


def edge_frame():
    rows = []
    for name, values in EDGES:
        row = {c: 0 for c in INPUTS}
        row.update({'id': 'edge-' + name, 'filing_status': 'single', 'weight': 1, 'age_head': 40})
        row.update(values)
        rows.append(row)
    return pd.DataFrame(rows, columns=INPUTS)


def records_frame(h):
    """simrun inputs -> Tax-Calculator Records variables (records_variables.json)."""
    mfj = h.filing_status == 'mfj'
    other = h.other_income
    return pd.DataFrame({
        'RECID': np.arange(1, len(h) + 1),
        'MARS': h.filing_status.map(MARS).astype(int),
        'FLPDYR': 2024,
        's006': h.weight,
        'age_head': h.age_head.astype(int),
        'age_spouse': h.age_spouse.astype(int),
        'XTOT': 1 + mfj.astype(int) + h.children + h.other_dependents,
        'n24': h.children.astype(int),
        'nu18': h.children.astype(int),
        'EIC': np.minimum(h.children, 3).astype(int),
        'f2441': h.care_persons.astype(int),
        'e00200p': h.wages_head, 'e00200s': h.wages_spouse, 'e00200': h.wages_head + h.wages_spouse,
        'e00900p': h.self_employment, 'e00900s': h.self_employment_spouse,
        'e00900': h.self_employment + h.self_employment_spouse,
        'e00300': h.taxable_interest, 'e00400': h.tax_exempt_interest,
        'e00600': h.ordinary_dividends, 'e00650': h.qualified_dividends,
        'p23250': h.capital_gains, 'p22250': h.short_term_gains,
        # other_income: a positive amount is taxable IRA distributions (ordinary income, not
        # earned, not investment income); a negative one an above-the-line IRA deduction.
        'e01400': np.maximum(other, 0), 'e03150': np.maximum(-other, 0),
        'e02400': h.social_security,
        'e19200': h.mortgage_interest, 'e18400': h.state_local_taxes,
        'e19800': h.charity, 'e17500': h.medical_expenses,
        'e32800': h.care_expenses,
        'PT_binc_w2_wages': h.qbi_w2_wages, 'PT_ubia_property': h.qbi_ubia,
        'PT_SSTB_income': h.qbi_sstb.astype(int),
    })


OUTPUTS = {
    # simrun column: Tax-Calculator expression
    'agi': lambda c: c.array('c00100'),
    'taxable_ss': lambda c: c.array('c02500'),
    'standard_deduction': lambda c: c.array('standard'),
    'itemized_deduction': lambda c: c.array('c04470'),
    'qbi_deduction': lambda c: c.array('qbided'),
    'taxable_income': lambda c: c.array('c04800'),
    'regular_tax': lambda c: c.array('taxbc'),
    'amt': lambda c: c.array('c09600'),
    'niit': lambda c: c.array('niit'),
    'ctc': lambda c: c.array('c07220') + c.array('odc'),
    'actc': lambda c: c.array('c11070'),
    'eitc': lambda c: c.array('eitc'),
    'cdcc': lambda c: c.array('c07180'),
    'elderly_credit': lambda c: c.array('c07200'),
    'income_tax': lambda c: c.array('iitax'),
    'se_tax': lambda c: c.array('setax'),
    # payrolltax holds both FICA shares; simrun reports the employee share.
    'payroll_tax': lambda c: c.array('payrolltax') - c.array('ptax_er_p') - c.array('ptax_er_s'),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('population')
    ap.add_argument('outdir')
    ap.add_argument('--taxcalc-commit', required=True)
    ap.add_argument('--paramtools-commit', required=True)
    ap.add_argument('--generate', default='', help='the simrun generate command that made the population (for meta.json)')
    a = ap.parse_args()

    gen = pd.read_csv(a.population, dtype={'id': str})
    gen['id'] = 'gen-' + gen['id']
    h = pd.concat([gen[INPUTS], edge_frame()], ignore_index=True)
    recs = tc.Records(data=records_frame(h), start_year=2024, gfactors=None, weights=None,
                      adjust_ratios=None, exact_calculations=True)
    # Tax-Calculator models take-up: an EITC or ACTC is dropped at random with a probability that
    # falls with its size. simrun computes the statutory amount, so claim probabilities are set
    # to 1 (prob = scale x max(min, credit / max credit) >= 1 > the uniform draw).
    policy = tc.Policy()
    policy.implement_reform({'eitc_claim_prob_min': {2024: 1.0}, 'actc_claim_prob_min': {2024: 1.0}})
    calc = tc.Calculator(policy=policy, records=recs, verbose=False)
    calc.advance_to_year(2024)
    calc.calc_all()
    out = pd.DataFrame({'id': h['id']})
    for col, f in OUTPUTS.items():
        out[col] = np.round(f(calc), 2)
    os.makedirs(a.outdir, exist_ok=True)
    h.to_csv(os.path.join(a.outdir, 'households.csv'), index=False)
    out.to_csv(os.path.join(a.outdir, 'expected.csv'), index=False)
    meta = {
        'reference': 'PSLmodels/Tax-Calculator',
        'taxcalc_version': tc.__version__,
        'taxcalc_commit': a.taxcalc_commit,
        'paramtools_commit': a.paramtools_commit,
        'policy': 'current law, tax year 2024, exact_calculations=True, full take-up of EITC and ACTC '
                  '(eitc_claim_prob_min = actc_claim_prob_min = 1)',
        'households': {'generated': int(len(gen)), 'edge': len(EDGES)},
        'population': a.generate,
        'script': 'scripts/tax-golden/make_golden.py',
        'python': sys.version.split()[0], 'numpy': np.__version__, 'pandas': pd.__version__,
    }
    with open(os.path.join(a.outdir, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=2)
        f.write('\n')
    print(f'{len(h)} households -> {a.outdir}')


if __name__ == '__main__':
    main()
