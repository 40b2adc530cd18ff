/** Pulls up to `max` objects from an object-mode Readable without per-item awaits. */
import type { Readable } from 'node:stream';

export type ReadBatch = (max: number) => Promise<unknown[]>;

export function objectReader(stream: Readable, mapError: (err: Error) => Error): ReadBatch {
  let ended = false;
  let failure: Error | null = null;
  stream.on('end', () => (ended = true));
  stream.on('error', (err) => (failure = mapError(err)));
  const wait = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('error', done);
        resolve();
      };
      stream.on('readable', done).on('end', done).on('error', done);
    });
  return async (max) => {
    const out: unknown[] = [];
    while (out.length < max) {
      if (failure) throw failure;
      const v = stream.read();
      if (v !== null) out.push(v);
      else if (ended) break;
      else await wait();
    }
    if (failure) throw failure;
    return out;
  };
}
