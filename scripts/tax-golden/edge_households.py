"""Hand-made edge households for the golden cross-check (simrun input columns; unset = 0).

Each one sits on an edge of a provision (threshold, phase-out, floor, cap) or a filing-status
corner; the name says which. Used by make_golden.py.
"""

QBI = {'wages_head': 200000, 'self_employment': 10000}

EDGES = [
    ('se-floor-below', {'self_employment': 433.13}),
    ('se-floor-above', {'self_employment': 433.14}),
    ('se-50k', {'self_employment': 50000}),
    ('se-over-wage-base', {'wages_head': 150000, 'self_employment': 100000}),
    ('se-spouse-own-wage-base', {'filing_status': 'mfj', 'age_spouse': 40, 'wages_head': 200000, 'self_employment_spouse': 100000}),
    ('qbi-at-threshold', {**QBI, 'other_income': -3316.0925}),
    ('qbi-mid-range-no-wages', {**QBI, 'other_income': 21683.9075}),
    ('qbi-mid-range-w2', {**QBI, 'other_income': 21683.9075, 'qbi_w2_wages': 2000}),
    ('qbi-mid-range-ubia', {**QBI, 'other_income': 21683.9075, 'qbi_w2_wages': 2000, 'qbi_ubia': 60000}),
    ('qbi-above-range-w2', {**QBI, 'other_income': 56683.9075, 'qbi_w2_wages': 2000}),
    ('qbi-mid-range-sstb', {**QBI, 'other_income': 21683.9075, 'qbi_w2_wages': 2000, 'qbi_sstb': 1}),
    ('qbi-above-range-sstb', {**QBI, 'other_income': 56683.9075, 'qbi_w2_wages': 2000, 'qbi_sstb': 1}),
    ('qbi-mfj-big-business', {'filing_status': 'mfj', 'age_spouse': 45, 'self_employment': 600000, 'qbi_w2_wages': 150000, 'qbi_ubia': 400000}),
    ('qbi-taxable-income-cap', {'self_employment': 30000, 'capital_gains': 20000, 'ordinary_dividends': 5000, 'qualified_dividends': 5000}),
    ('niit-above', {'wages_head': 190000, 'taxable_interest': 10010}),
    ('niit-at', {'wages_head': 190000, 'taxable_interest': 10000}),
    ('niit-loss-limited', {'wages_head': 200000, 'taxable_interest': 50000, 'capital_gains': -10000}),
    ('niit-mfs', {'filing_status': 'mfs', 'wages_head': 120000, 'ordinary_dividends': 20000, 'qualified_dividends': 15000}),
    ('amt-large-gain', {'capital_gains': 1000000}),
    ('amt-phaseout-gain', {'wages_head': 500000, 'capital_gains': 300000}),
    ('amt-mfj-itemizer', {'filing_status': 'mfj', 'age_spouse': 50, 'wages_head': 400000, 'capital_gains': 800000, 'state_local_taxes': 60000, 'mortgage_interest': 30000}),
    ('actc-3-kids-payroll-alt', {'filing_status': 'hoh', 'wages_head': 4000, 'taxable_interest': 12000, 'children': 3}),
    ('actc-2-kids-no-alt', {'filing_status': 'hoh', 'wages_head': 4000, 'taxable_interest': 12000, 'children': 2}),
    ('actc-3-kids-eitc', {'filing_status': 'hoh', 'wages_head': 4000, 'children': 3}),
    ('actc-4-kids-se', {'filing_status': 'mfj', 'age_spouse': 35, 'self_employment': 9000, 'taxable_interest': 12000, 'children': 4}),
    ('mfs-separated-child', {'filing_status': 'mfs', 'separated': 1, 'wages_head': 20000, 'children': 1}),
    ('mfs-separated-3-kids', {'filing_status': 'mfs', 'separated': 1, 'lived_apart_all_year': 1, 'wages_head': 28000, 'children': 3}),
    ('ss-first-threshold', {'age_head': 70, 'social_security': 20000, 'other_income': 15000}),
    ('ss-between', {'age_head': 70, 'social_security': 20000, 'other_income': 20000}),
    ('ss-second-threshold', {'age_head': 70, 'social_security': 20000, 'other_income': 24000}),
    ('ss-above', {'age_head': 70, 'social_security': 20000, 'other_income': 30000}),
    ('ss-85-cap', {'age_head': 70, 'social_security': 20000, 'other_income': 40000}),
    ('ss-mfj-thresholds', {'filing_status': 'mfj', 'age_head': 68, 'age_spouse': 66, 'social_security': 40000, 'other_income': 22000, 'tax_exempt_interest': 2000}),
    ('ss-mfs-apart-all-year', {'filing_status': 'mfs', 'age_head': 70, 'social_security': 20000, 'other_income': 5000, 'separated': 1, 'lived_apart_all_year': 1}),
    ('salt-cap', {'wages_head': 200000, 'state_local_taxes': 25000, 'mortgage_interest': 10000}),
    ('salt-cap-mfs', {'filing_status': 'mfs', 'wages_head': 100000, 'state_local_taxes': 25000, 'mortgage_interest': 8000}),
    ('medical-floor', {'age_head': 70, 'other_income': 40000, 'medical_expenses': 20000}),
    ('charity-60pct', {'wages_head': 50000, 'charity': 40000}),
    ('itemize-vs-standard-close', {'filing_status': 'mfj', 'age_spouse': 40, 'wages_head': 120000, 'state_local_taxes': 12000, 'mortgage_interest': 17000, 'charity': 200}),
    ('cap-loss-limit-st', {'wages_head': 50000, 'capital_gains': 5000, 'short_term_gains': -12000}),
    ('st-gain-ordinary', {'wages_head': 40000, 'short_term_gains': 10000}),
    ('st-loss-nets-lt', {'wages_head': 40000, 'capital_gains': 10000, 'short_term_gains': -4000}),
    ('cap-loss-limit-mfs', {'filing_status': 'mfs', 'wages_head': 50000, 'short_term_gains': -10000}),
    ('cdcc-floor-rate', {'filing_status': 'mfj', 'age_spouse': 40, 'wages_head': 60000, 'wages_spouse': 40000, 'children': 2, 'care_persons': 2, 'care_expenses': 8000}),
    ('cdcc-before-ctc', {'filing_status': 'hoh', 'wages_head': 30000, 'children': 1, 'care_persons': 1, 'care_expenses': 5000}),
    ('cdcc-spouse-no-earnings', {'filing_status': 'mfj', 'age_spouse': 40, 'wages_head': 60000, 'children': 1, 'care_persons': 1, 'care_expenses': 3000}),
    ('schr-single-aged', {'age_head': 70, 'other_income': 17000}),
    ('schr-nontaxable-ss', {'age_head': 70, 'other_income': 17000, 'social_security': 1000}),
    ('schr-itemizer', {'age_head': 75, 'other_income': 19000, 'medical_expenses': 9000}),
    ('ctc-phaseout-mfj', {'filing_status': 'mfj', 'age_spouse': 40, 'wages_head': 430500, 'children': 2}),
    ('ctc-phaseout-single', {'wages_head': 201001, 'children': 1}),
    ('eitc-invest-limit', {'filing_status': 'hoh', 'wages_head': 10000, 'taxable_interest': 11600, 'children': 1}),
    ('eitc-invest-cliff-exempt', {'filing_status': 'hoh', 'wages_head': 10000, 'taxable_interest': 6000, 'tax_exempt_interest': 5601, 'children': 1}),
    ('eitc-childless-age-64', {'age_head': 64, 'wages_head': 9000}),
    ('high-income-mfj', {'filing_status': 'mfj', 'age_head': 55, 'age_spouse': 53, 'wages_head': 300000, 'wages_spouse': 200000, 'ordinary_dividends': 100000, 'qualified_dividends': 100000, 'capital_gains': 100000}),
    ('addl-medicare-mfs', {'filing_status': 'mfs', 'wages_head': 150000}),
    ('aged-couple', {'filing_status': 'mfj', 'age_head': 66, 'age_spouse': 66, 'other_income': 40000, 'taxable_interest': 2000}),
    ('zero-income', {}),
    ('negative-other-income', {'wages_head': 30000, 'other_income': -5000}),
    ('other-dependent', {'wages_head': 20000, 'other_dependents': 1}),
    # Known differences (docs/tax.md): the law and Tax-Calculator part ways here.
    ('known-mfs-childless-eitc', {'filing_status': 'mfs', 'wages_head': 8000}),
    ('known-mfs-not-separated-eitc', {'filing_status': 'mfs', 'wages_head': 20000, 'children': 1}),
    ('known-mfs-cohabiting-ss', {'filing_status': 'mfs', 'age_head': 70, 'social_security': 20000, 'other_income': 5000}),
    ('known-mfs-not-separated-cdcc', {'filing_status': 'mfs', 'wages_head': 60000, 'children': 1, 'care_persons': 1, 'care_expenses': 3000}),
    ('known-se-floor-per-spouse', {'filing_status': 'mfj', 'age_spouse': 40, 'self_employment': 300, 'self_employment_spouse': 50000}),
    ('known-amt-mfs-addback', {'filing_status': 'mfs', 'capital_gains': 3000000, 'state_local_taxes': 5000}),
]

# Grids over the rarer provisions, so each is compared on more than a handful of households.
for fs in ('single', 'mfj', 'hoh'):
    spouse = {'age_spouse': 50} if fs == 'mfj' else {}
    for gain in (250000, 700000, 1500000, 4000000):
        for items in (0, 1):
            EDGES.append((f'grid-amt-{fs}-{gain}-{items}', {'filing_status': fs, **spouse, 'capital_gains': gain, 'wages_head': 60000,
                                                           'state_local_taxes': 30000 * items, 'mortgage_interest': 12000 * items}))
    for profit in (150000, 260000, 420000, 800000):
        for w2, sstb in ((0, 0), (40000, 0), (40000, 1)):
            EDGES.append((f'grid-qbi-{fs}-{profit}-{w2}-{sstb}', {'filing_status': fs, **spouse, 'self_employment': profit,
                                                                 'qbi_w2_wages': w2, 'qbi_ubia': 100000, 'qbi_sstb': sstb,
                                                                 'capital_gains': 15000}))
for agi in (16700, 17000, 17300):
    EDGES.append((f'grid-schr-single-{agi}', {'age_head': 68, 'other_income': agi}))
for kids in (3, 4):
    for wages in (2000, 4500, 9000):
        EDGES.append((f'grid-actc-alt-{kids}-{wages}', {'filing_status': 'hoh', 'wages_head': wages, 'self_employment': 3000,
                                                       'taxable_interest': 12500, 'children': kids}))
