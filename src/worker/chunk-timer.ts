/**
 * What a worker measures about each chunk for the trace (protocol.ts ChunkTrace): when it
 * began, its CPU time, the worker's RSS, and its slowest items. Items are timed one by one
 * when they cost EXACT_MIN_MS or more on average (one clock read an item, under 1 % of such
 * an item); cheaper items are timed BLOCK at a time at the loop's existing clock read, so a
 * trivial model pays nothing for its trace and a straggler still shows, with its block.
 */
import type { ChunkTrace } from '../protocol.js';

/** Mean item time (ms) from which items are timed one by one: a clock read is ~0.06 us. */
export const EXACT_MIN_MS = 0.01;
/** Items timed together when they are cheaper than EXACT_MIN_MS (the loop's yield check runs this often). */
export const BLOCK = 64;
/** Slowest units (items or blocks) kept per chunk. */
export const SLOWEST_KEPT = 3;

/** How old the RSS and peak RSS reported with a chunk may be, ms. */
const RSS_EVERY_MS = 20;

/** A worker runs one chunk at a time: the previous chunk's mean CPU time per item picks this one's mode. */
let exactNext = true;
let rss = 0;
let peakRss = 0;
let rssAt = -Infinity;

export class ChunkTimer {
  /** Time each item (true) or each BLOCK of items. */
  readonly exact = exactNext;
  private readonly t0 = performance.now();
  /** Date.now(), not timeOrigin + now(): the primary's dispatch times come from the same clock. */
  private readonly startedAt = Date.now();
  private readonly cpu0 = process.cpuUsage();
  private last = this.t0;
  private from: number;
  /** [first index, items, ms], slowest first. */
  private readonly top: [number, number, number][] = [];

  constructor(start: number) {
    this.from = start;
  }

  /** The items from the previous mark up to (not including) `to` ended at `now`. */
  mark(to: number, now: number): void {
    const ms = now - this.last;
    this.last = now;
    const n = to - this.from;
    const from = this.from;
    this.from = to;
    const top = this.top;
    if (n <= 0 || (top.length === SLOWEST_KEPT && ms <= top[SLOWEST_KEPT - 1]![2])) return;
    let k = top.length;
    while (k > 0 && top[k - 1]![2] < ms) k--;
    top.splice(k, 0, [from, n, ms]);
    if (top.length > SLOWEST_KEPT) top.pop();
  }

  /** Time not spent on items (the worker turned its event loop) is left out from `now` on. */
  skip(now: number): void {
    this.last = now;
  }

  /** Closes the last unit at the chunk's end `to`; what goes back with the result. */
  finish(to: number, count: number): { ms: number; trace: ChunkTrace } {
    const now = performance.now();
    this.mark(to, now);
    const ms = now - this.t0;
    const cpu = process.cpuUsage(this.cpu0);
    // By CPU time, not wall time: on a loaded machine a descheduled chunk of cheap items would
    // look slow and its successor pay a clock read per item (measured: +3 % CPU at load 7).
    exactNext = count > 0 && (cpu.user + cpu.system) / 1000 / count >= EXACT_MIN_MS;
    // Reading the RSS costs ~8 us (a /proc read), its peak ~1 us: at most every RSS_EVERY_MS,
    // not for each of many short chunks. The kernel updates its high-water mark lazily, so the
    // peak is never taken below the RSS just read.
    if (now - rssAt >= RSS_EVERY_MS) {
      rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss, process.resourceUsage().maxRSS * 1024);
      rssAt = now;
    }
    return {
      ms,
      trace: {
        startedAt: this.startedAt,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rss,
        peakRss,
        slowest: this.top.map(([idx, n, t]) => [idx, n, Math.round(t * 1000) / 1000]),
      },
    };
  }
}
