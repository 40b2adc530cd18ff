/**
 * Cuts the streamed input into chunks on demand (bounded read-ahead: only as many items as the
 * chunks in flight), skipping indices a resumed run already finished, and serving requeued
 * chunks (from crashed workers) before new input.
 */
import type { ChunkSizer } from './chunk-size.js';
import { SkipCursor, type Interval } from './intervals.js';
import type { Source } from './sources.js';

const READ_AHEAD = 1024;

/** 0 .. n-1 for a chunk of n items. */
export function positions(c: Chunk): number[] {
  return Array.from({ length: c.items.length }, (_, j) => j);
}

/** A new chunk of the items of `c` at `picked` positions, keeping their indices and crash count. */
export function subChunk(c: Chunk, picked: number[], id: number): Chunk {
  const indices = picked.map((j) => (c.indices ? c.indices[j]! : c.start + j));
  return { id, start: indices[0]!, indices, items: picked.map((j) => c.items[j]), crashes: c.crashes };
}

export interface Chunk {
  id: number;
  start: number;
  indices?: number[];
  items: unknown[];
  /** How many times this chunk (or the single item in it) has crashed a worker. */
  crashes: number;
}

export class ChunkFeed {
  private nextId = 1;
  private nextIndex = 0;
  private ended = false;
  private readonly requeued: Chunk[] = [];
  private readonly skip: SkipCursor;
  private pending: Promise<unknown> = Promise.resolve();
  /** Read-ahead: items read from the source but not yet cut into a chunk (at most READ_AHEAD). */
  private buf: unknown[] = [];
  private bufPos = 0;

  /**
   * @param remaining items this session will cut into chunks (sizes the tail; Infinity if unknown)
   */
  constructor(
    private readonly source: Source,
    private readonly sizer: ChunkSizer,
    done: Interval[] = [],
    private readonly only: ((idx: number) => boolean) | null = null,
    private remaining = Infinity,
  ) {
    this.skip = new SkipCursor(done);
  }

  /** True when neither the input nor the requeue has anything left. */
  get exhausted(): boolean {
    return this.ended && this.bufPos === this.buf.length && this.requeued.length === 0;
  }

  requeue(chunk: Chunk): void {
    this.requeued.push(chunk);
  }

  newId(): number {
    return this.nextId++;
  }

  /** The next chunk, or null at the end. Calls are serialised: the source is read in order. */
  next(): Promise<Chunk | null> {
    const p = this.pending.then(() => this.take());
    this.pending = p.catch(() => {});
    return p;
  }

  private async take(): Promise<Chunk | null> {
    if (this.requeued.length) return this.requeued.shift()!;
    const want = this.sizer.sizeFor(this.remaining);
    const items: unknown[] = [];
    const indices: number[] = [];
    let contiguous = true;
    while (items.length < want) {
      if (this.bufPos === this.buf.length) {
        if (this.ended) break;
        this.buf = await this.source.read(Math.max(READ_AHEAD, want - items.length));
        this.bufPos = 0;
        if (this.buf.length === 0) {
          this.ended = true;
          break;
        }
      }
      while (items.length < want && this.bufPos < this.buf.length) {
        const item = this.buf[this.bufPos++];
        const idx = this.nextIndex++;
        if (this.skip.has(idx) || (this.only && !this.only(idx))) continue;
        if (indices.length && idx !== indices[indices.length - 1]! + 1) contiguous = false;
        indices.push(idx);
        items.push(item);
      }
    }
    if (this.bufPos === this.buf.length) {
      this.buf = [];
      this.bufPos = 0;
    }
    if (this.requeued.length) {
      // A crash requeued work while we read: serve it first, keep what we read for later.
      if (items.length) this.requeued.push(this.makeChunk(items, indices, contiguous));
      return this.requeued.shift()!;
    }
    return items.length ? this.makeChunk(items, indices, contiguous) : null;
  }

  private makeChunk(items: unknown[], indices: number[], contiguous: boolean): Chunk {
    this.remaining -= items.length;
    return { id: this.newId(), start: indices[0]!, items, crashes: 0, ...(contiguous ? {} : { indices }) };
  }
}
