/** The primary accepts exactly the messages a worker may send in its state (protocol-check.ts). */
import { describe, expect, it } from 'vitest';
import { protocolViolation } from '../../src/primary/pool/protocol-check.js';
import type { Chunk } from '../../src/primary/run/chunk-feed.js';

const chunk = (id: number, start: number, count = 5): Chunk => ({ id, start, count, crashes: 0 });
const slot = (state: 'starting' | 'busy', greeted: boolean, inflight: Chunk[], answered: Chunk[] = []) => ({
  state,
  greeted,
  inflight,
  answeredChunk: (id: number) => answered.find((c) => c.id === id),
});
const result = (id: number, start: number) => ({ type: 'result', id, start });

describe('protocolViolation', () => {
  it('a hello once, then ready or loadFailed once, only after init', () => {
    expect(protocolViolation(slot('starting', false, []), { type: 'hello' })).toBeNull();
    expect(protocolViolation(slot('starting', true, []), { type: 'hello' })).toBe('a second hello');
    expect(protocolViolation(slot('starting', false, []), { type: 'ready' })).toBe('ready before it was sent init');
    expect(protocolViolation(slot('starting', true, []), { type: 'ready' })).toBeNull();
    expect(protocolViolation(slot('busy', true, []), { type: 'loadFailed' })).toBe('loadFailed after its model had loaded');
  });

  it("one result per chunk it holds, for that chunk's range", () => {
    const s = slot('busy', true, [chunk(3, 10)], [chunk(2, 5)]);
    expect(protocolViolation(s, result(3, 10))).toBeNull();
    expect(protocolViolation(s, result(3, 11))).toBe('result for chunk 3 starting at item 11, but that chunk starts at 10');
    expect(protocolViolation(s, result(4, 15))).toBe('result for chunk 4, which it was not given');
    expect(protocolViolation(s, result(2, 5))).toMatch(/^a second result for chunk 2 \(items 5\.\.9\), which it already answered/);
    expect(protocolViolation(s, { type: 'chunkFailed', id: 9 })).toBe('chunkFailed for chunk 9, which it was not given');
    expect(protocolViolation(slot('starting', true, [chunk(3, 10)]), result(3, 10))).toBe('result before its model had loaded');
  });

  it('anything else', () => {
    const s = slot('busy', true, []);
    expect(protocolViolation(s, 'hello')).toBe('a string where a message object belongs');
    expect(protocolViolation(s, null)).toBe('null where a message object belongs');
    expect(protocolViolation(s, { type: 'steal' })).toBe('a message of unknown type "steal"');
  });
});
