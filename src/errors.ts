/**
 * Every error simrun raises on purpose, with its exit code, plus the plain-object form in
 * which errors cross IPC (never a bare string: name, message, stack, code survive).
 */
export const EXIT = { done: 0, failed: 1, usage: 2, itemErrors: 3, interrupted: 130 } as const;

export class SimrunError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'SimrunError';
  }
}

/** Bad flags, bad input, bad database: exit 2, nothing written. */
export const usageError = (message: string) => new SimrunError(message, 'E_USAGE', EXIT.usage);
export const inputError = (message: string) => new SimrunError(message, 'E_INPUT', EXIT.usage);
export const modelError = (message: string) => new SimrunError(message, 'E_MODEL', EXIT.usage);
export const dbError = (message: string) => new SimrunError(message, 'E_DB', EXIT.usage);
/** The run could not go on (model setup failed, crash loop): exit 1, run marked failed. */
export const runFailed = (message: string) => new SimrunError(message, 'E_RUN_FAILED', EXIT.failed);

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      ...(code !== undefined ? { code: String(code) } : {}),
    };
  }
  return { name: 'NonError', message: typeof err === 'string' ? err : safeJson(err) };
}

export function deserializeError(s: SerializedError): Error {
  const err = new Error(s.message);
  err.name = s.name;
  if (s.stack) err.stack = s.stack;
  if (s.code) (err as Error & { code?: string }).code = s.code;
  return err;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
