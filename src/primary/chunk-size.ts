/**
 * Chunk size: fixed (--chunk-size N) or auto. Auto starts small and sizes chunks to ~100 ms of
 * work from the per-item time the workers report, so cheap items amortise IPC and the SQLite
 * transaction, and slow items still balance across workers.
 */
export const AUTO_TARGET_MS = 100;
export const AUTO_FIRST = 8;
export const AUTO_MAX = 10_000;

export interface ChunkSizer {
  readonly size: number;
  observe(items: number, ms: number): void;
}

export function fixedChunkSize(n: number): ChunkSizer {
  return { size: n, observe: () => {} };
}

export function autoChunkSize(): ChunkSizer {
  let size = AUTO_FIRST;
  let perItemMs = 0;
  return {
    get size() {
      return size;
    },
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
