/**
 * Chunk size: fixed (--chunk-size N) or auto. Auto starts small and sizes chunks to ~100 ms of
 * work from the per-item time the workers report, so cheap items amortise IPC and the SQLite
 * transaction, and slow items still balance across workers. Near the end of the input auto
 * chunks shrink so that the last ones finish together instead of one worker finishing alone.
 */
export const AUTO_TARGET_MS = 100;
export const AUTO_FIRST = 8;
export const AUTO_MAX = 10_000;

export interface ChunkSizer {
  /** Items for the next chunk, given how many are left to cut in this session. */
  sizeFor(remaining: number): number;
  observe(items: number, ms: number): void;
}

export function fixedChunkSize(n: number): ChunkSizer {
  return { sizeFor: () => n, observe: () => {} };
}

export function autoChunkSize(workers: number): ChunkSizer {
  let size = AUTO_FIRST;
  let perItemMs = 0;
  return {
    // At most 2 chunks per worker of what is left: the tail is spread over every worker.
    sizeFor: (remaining) => Math.max(1, Math.min(size, Math.ceil(remaining / (2 * workers)))),
    observe(items, ms) {
      if (items === 0) return;
      const sample = ms / items;
      perItemMs = perItemMs === 0 ? sample : 0.7 * perItemMs + 0.3 * sample;
      const ideal = perItemMs > 0 ? AUTO_TARGET_MS / perItemMs : AUTO_MAX;
      // Grow at most 4x per observation so one noisy tiny chunk cannot overshoot.
      size = Math.max(1, Math.min(AUTO_MAX, Math.round(ideal), size * 4));
    },
  };
}
