/** pino's levels, as `--log-level` takes them (its own module: the CLI's options need no pino). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
