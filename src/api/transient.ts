/**
 * Marks an error as transient: `throw transient(err)` (or throw any error with
 * `transient: true`), and the worker tries the item again with exponential backoff and jitter,
 * up to --retries times, before it records the error. A non-Error becomes an Error first.
 */
export function transient(err: unknown): Error {
  let e: Error;
  if (err instanceof Error) e = err;
  else {
    let text = 'a non-Error value';
    try {
      text = String(err);
    } catch {
      // a hostile toString: keep the generic text
    }
    e = new Error(text);
  }
  (e as Error & { transient?: boolean }).transient = true;
  return e;
}
