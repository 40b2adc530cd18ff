/** `simrun generate population`: every generated row is a valid household, the new inputs show up, and a seed gives the same file. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeTax } from '../../../models/tax/compute.js';
import { parseHousehold } from '../../../models/tax/household.js';
import { loadPolicy2024 } from '../../../models/tax/policy.js';
import { writePopulation } from '../../../models/tax/population.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'simrun-pop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const N = 20_000;

async function rows(seed: number, name: string) {
  const output = path.join(dir, name);
  await writePopulation({ n: N, seed, output });
  const [header, ...lines] = readFileSync(output, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  return { text: readFileSync(output, 'utf8'), rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v]))) };
}

describe('generate population (2024.3 inputs)', () => {
  it('every row parses; each kind of household the model needs is there in plausible numbers', async () => {
    const { rows: rs } = await rows(5, 'a.csv');
    expect(rs.length).toBe(N);
    const policy = loadPolicy2024();
    const hs = rs.map((r, i) => parseHousehold(r, i));
    const outs = hs.map((h) => computeTax(h, policy));
    const share = (f: (i: number) => boolean) => hs.filter((_, i) => f(i)).length / N;
    // Shares are of this synthetic population (docs/tax.md), not calibrated statistics.
    expect(share((i) => outs[i]!.itemized_deduction > 0)).toBeGreaterThan(0.05);
    expect(share((i) => outs[i]!.itemized_deduction > 0)).toBeLessThan(0.2);
    expect(share((i) => hs[i]!.social_security > 0 && hs[i]!.age_head >= 62)).toBeGreaterThan(0.08);
    expect(share((i) => hs[i]!.self_employment_spouse > 0)).toBeGreaterThan(0.02);
    expect(share((i) => hs[i]!.filing_status === 'mfs' && hs[i]!.separated === 1 && hs[i]!.children > 0)).toBeGreaterThan(0.003);
    expect(share((i) => hs[i]!.capital_gains >= 150_000)).toBeGreaterThan(0.003);
    expect(share((i) => outs[i]!.qbi_deduction > 0)).toBeGreaterThan(0.05);
    expect(share((i) => outs[i]!.niit > 0)).toBeGreaterThan(0.01);
    expect(share((i) => outs[i]!.cdcc > 0)).toBeGreaterThan(0.01);
    expect(share((i) => hs[i]!.short_term_gains < 0)).toBeGreaterThan(0.005);
    expect(share((i) => outs[i]!.amt > 0)).toBeGreaterThan(0);
  });

  it('the same seed gives the same file; another seed another', async () => {
    const [a, b, c] = await Promise.all([rows(9, 'b1.csv'), rows(9, 'b2.csv'), rows(10, 'c.csv')]);
    expect(a.text).toBe(b.text);
    expect(c.text).not.toBe(a.text);
  });
});
