/**
 * Every error simrun raises on purpose, with its exit code, plus the plain-object form in
 * which errors cross IPC (never a bare string: name, message, stack, code survive).
 */
export const EXIT = { done: 0, failed: 1, usage: 2, itemErrors: 3, interrupted: 130 } as const;

/**
 * An error simrun raises on purpose: a one-line message for the user, a stable `code` to
 * match on, the exit code it ends the process with, and the `cause` it wraps (kept for the log).
 */
export class SimrunError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments: exit 2, nothing written. */
export class UsageError extends SimrunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'E_USAGE', EXIT.usage, options);
  }
}

/** Bad or unreadable input (file, line or item named): exit 2, nothing written. */
export class InputError extends SimrunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'E_INPUT', EXIT.usage, options);
  }
}

/** A model that cannot be used (not found, fails to load, bad declaration, bad rows): exit 2. */
export class ModelError extends SimrunError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.code ?? 'E_MODEL', EXIT.usage, options);
  }
}

/** A database that cannot be used (not simrun's, newer, locked, held by another run): exit 2. */
export class DatabaseError extends SimrunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'E_DB', EXIT.usage, options);
  }
}

/** The run could not go on (model setup failed, crash loop, input changed): exit 1, run marked failed. */
export class RunFailedError extends SimrunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'E_RUN_FAILED', EXIT.failed, options);
  }
}

export const usageError = (message: string, cause?: unknown) => new UsageError(message, { cause });
export const inputError = (message: string, cause?: unknown) => new InputError(message, { cause });
export const modelError = (message: string, cause?: unknown) => new ModelError(message, { cause });
export const dbError = (message: string, cause?: unknown) => new DatabaseError(message, { cause });
export const runFailed = (message: string, cause?: unknown) => new RunFailedError(message, { cause });

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * Never throws and always gives strings, whatever a model threw: an Error whose message is an
 * object, an object whose toString/toJSON throw, a Proxy that throws on every access. A bad
 * field becomes a readable placeholder so the item is one `errors` row, never a crash.
 */
export function serializeError(err: unknown): SerializedError {
  let isError = false;
  try {
    isError = err instanceof Error;
  } catch {
    // a Proxy whose getPrototypeOf trap throws
  }
  if (!isError) return { name: 'NonError', message: describeValue(err) };
  const e = err as Error & { code?: unknown };
  const name = field(() => e.name);
  const stack = field(() => e.stack);
  const code = field(() => e.code);
  return {
    name: name === undefined ? 'Error' : describeValue(name),
    message: describeValue(field(() => e.message) ?? ''),
    ...(stack !== undefined ? { stack: describeValue(stack) } : {}),
    ...(code !== undefined ? { code: describeValue(code) } : {}),
  };
}

const UNPRINTABLE = '[unprintable value: its toString and toJSON throw]';

/** A property read that may throw (a getter, a Proxy): a placeholder when it does. */
function field(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return UNPRINTABLE;
  }
}

/** Text for any value: strings as they are, objects as JSON when that says more than String(). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') {
    try {
      return String(v);
    } catch {
      return UNPRINTABLE;
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(v);
  } catch {
    // cyclic, a throwing toJSON or getter
  }
  if (typeof json === 'string' && json !== '{}') return json;
  try {
    const s = String(v);
    if (typeof s === 'string') return s;
  } catch {
    // a throwing toString / Symbol.toPrimitive
  }
  return json ?? UNPRINTABLE;
}

export function deserializeError(s: SerializedError): Error {
  const err = new Error(s.message);
  err.name = s.name;
  if (s.stack) err.stack = s.stack;
  if (s.code) (err as Error & { code?: string }).code = s.code;
  return err;
}
