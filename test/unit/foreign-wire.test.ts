/** The foreign-model framing (src/worker/foreign/wire.ts): frames split anywhere, tagged values. */
import { describe, expect, it } from 'vitest';
import { decodeRow, encodeFrame, FrameError, FrameReader } from '../../src/worker/foreign/wire.js';

describe('FrameReader', () => {
  it('gives back every frame whatever the pieces they arrive in (a byte at a time, several at once)', () => {
    const messages = [{ type: 'row', index: 0, row: { t: 'ünï\n"' } }, { type: 'done' }, { type: 'row', index: 1, row: { x: 1.5 } }];
    const bytes = Buffer.concat(messages.map(encodeFrame));
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const reader = new FrameReader();
      const got: unknown[] = [];
      for (let at = 0; at < bytes.length; at += size) got.push(...reader.push(bytes.subarray(at, at + size)));
      expect(got).toEqual(messages);
    }
  });

  it('refuses a frame that is not a JSON object with a type, or announces an absurd length', () => {
    const raw = (text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length);
      return Buffer.concat([head, body]);
    };
    expect(() => new FrameReader().push(raw('{"type":'))).toThrow(FrameError);
    expect(() => new FrameReader().push(raw('[1]'))).toThrow(/not an object with a type/);
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/announced/);
  });
});

describe('decodeRow', () => {
  it('turns tagged values into what JSON cannot carry, and leaves the rest', () => {
    expect(
      decodeRow({
        a: { $float: 'Infinity' },
        b: { $float: '-Infinity' },
        c: { $int: '9223372036854775807' },
        d: { $int: '12' },
        e: 'x',
        f: null,
        g: { other: 1 },
      }),
    ).toEqual({ a: Infinity, b: -Infinity, c: 9223372036854775807n, d: 12, e: 'x', f: null, g: { other: 1 } });
    expect(Number.isNaN((decodeRow({ n: { $float: 'NaN' } }) as { n: number }).n)).toBe(true);
  });
});
