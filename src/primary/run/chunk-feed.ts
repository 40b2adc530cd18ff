/**
 * Cuts a run's index range into chunks on demand: contiguous runs of indices [start, start +
 * count) that skip what a resumed run already finished, sized by the chunk sizer, with
 * requeued chunks (from crashed or timed-out workers) served first. Chunks carry no items:
 * what a worker needs to find them comes from the input source when the chunk is sent.
 */
import type { ChunkSizer } from './chunk-size.js';
import { intervalCount, subtractIntervals, type Interval } from './intervals.js';

export interface Chunk {
  id: number;
  start: number;
  count: number;
  /** How many times this chunk (or the single item in it) has crashed or timed out a worker. */
  crashes: number;
}

export class ChunkFeed {
  private nextId = 1;
  private readonly requeued: Chunk[] = [];
  /** What is left to cut: undone intervals, the first of which starts at `pos`. */
  private readonly todo: Interval[];
  private k = 0;
  private pos: number;

  /**
   * @param bounds the run's index range (a shard's block, or the whole input)
   * @param done intervals already finished, sorted
   */
  constructor(
    private readonly sizer: ChunkSizer,
    bounds: Interval,
    done: Interval[] = [],
  ) {
    this.todo = subtractIntervals([bounds], done);
    this.pos = this.todo[0]?.[0] ?? 0;
    this.remaining = intervalCount(this.todo);
  }

  /** Items this session still has to cut into new chunks. */
  remaining: number;

  /** True when neither the input nor the requeue has anything left. */
  get exhausted(): boolean {
    return this.k >= this.todo.length && this.requeued.length === 0;
  }

  requeue(chunk: Chunk): void {
    this.requeued.push(chunk);
  }

  newId(): number {
    return this.nextId++;
  }

  /** A new chunk of items [start, start + count) of `from`, keeping its crash count unless given. */
  sub(from: Chunk, start: number, count: number, crashes = from.crashes): Chunk {
    return { id: this.newId(), start, count, crashes };
  }

  next(): Chunk | null {
    if (this.requeued.length) return this.requeued.shift()!;
    const cur = this.todo[this.k];
    if (!cur) return null;
    const want = Math.max(1, this.sizer.sizeFor(this.remaining));
    const count = Math.min(want, cur[1] - this.pos + 1);
    const chunk = { id: this.newId(), start: this.pos, count, crashes: 0 };
    this.pos += count;
    this.remaining -= count;
    if (this.pos > cur[1]) {
      this.k++;
      this.pos = this.todo[this.k]?.[0] ?? 0;
    }
    return chunk;
  }
}
