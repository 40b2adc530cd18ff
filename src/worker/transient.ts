/**
 * Transient errors: a model marks a failure as worth another try (`throw transient(err)` with `transient` from simrun,
 * or any error with `transient: true`), e.g. a flaky service. The worker tries the item again
 * with exponential backoff and jitter (p-retry) up to --retries times before it records the
 * error; each try starts the item afresh (same random stream, a new --item-timeout clock).
 */

/** Never throws, whatever was thrown (a Proxy with throwing traps, a hostile getter). */
export function isTransient(err: unknown): boolean {
  try {
    return err instanceof Error && (err as { transient?: unknown }).transient === true;
  } catch {
    return false;
  }
}

export interface RetryPolicy {
  retries: number;
  /** Delay before the first retry; later ones double (with jitter), up to MAX_DELAY_MS. */
  delayMs: number;
}

const MAX_DELAY_MS = 30_000;

/** An attempt's outcome that p-retry must not retry: a value, or a non-transient error. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * After a first attempt failed with transient error `first`: retries `attempt` and gives its
 * outcome and the number of attempts made in all (the first one included).
 */
export async function retryTransient<T>(
  first: Error,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
): Promise<Settled<T> & { attempts: number }> {
  let attempts = 1;
  let pending: Error | null = first;
  // Loaded on the first transient error: a worker whose model throws none never pays for it.
  const { default: pRetry } = await import('p-retry');
  try {
    const settled = await pRetry(
      async (): Promise<Settled<T>> => {
        if (pending) {
          const e = pending;
          pending = null;
          throw e;
        }
        attempts++;
        try {
          return { ok: true, value: await attempt() };
        } catch (error) {
          if (isTransient(error)) throw error;
          return { ok: false, error };
        }
      },
      {
        retries: policy.retries,
        minTimeout: policy.delayMs,
        maxTimeout: MAX_DELAY_MS,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => isTransient(error),
      },
    );
    return { ...settled, attempts };
  } catch (error) {
    return { ok: false, error, attempts };
  }
}
