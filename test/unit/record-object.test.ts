import { describe, expect, it } from 'vitest';
import { recordMaker } from '../../src/worker/record-object.js';

/** What the compiled maker must equal: assignment key by key, later duplicates winning. */
function byLoop(fields: string[], values: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < fields.length; i++) o[fields[i]!] = values[i]!;
  return o;
}

describe('recordMaker', () => {
  const cases: string[][] = [
    ['id', 'weight', 'wages'],
    ['a"b', 'c\\d', "e'f", 'g\nh', '\u2028', '${x}', '}); throw 1; ({'],
    ['', ' ', 'x', 'x'], // empty, blank, a duplicate: the later value wins
    ['constructor', 'toString', 'hasOwnProperty', '0', '1e3', '-1'],
    ['__proto__', 'a'],
  ];
  for (const fields of cases) {
    it(`makes the same object as key-by-key assignment for ${JSON.stringify(fields)}`, () => {
      const values = fields.map((_, i) => `v${i}`);
      const made = recordMaker(fields)(values);
      expect(made).toEqual(byLoop(fields, values));
      expect(Object.keys(made)).toEqual(Object.keys(byLoop(fields, values)));
      expect(Object.getPrototypeOf(made)).toBe(Object.getPrototypeOf(byLoop(fields, values)));
    });
  }

  it('leaves a missing value undefined, as the loop did', () => {
    expect(recordMaker(['a', 'b'])(['1'])).toEqual({ a: '1', b: undefined });
  });
});
