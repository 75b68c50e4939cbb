/**
 * The CLI's one error root. Every controlled exit goes through
 * `throw new ExitError(code, message, { cause })`; only `main()` turns it
 * into `process.exitCode` (STYLE 2.9).
 */
export class ExitError extends Error {
  override name: string = 'ExitError'
  /** The process exit code this error maps to (1 runtime, 2 usage or config). */
  readonly exitCode: number

  constructor(exitCode: number, message: string, options?: ErrorOptions) {
    super(message, options)
    this.exitCode = exitCode
  }
}

/**
 * A configuration value that cannot be used. The message names the field, the
 * value (never a secret's value) and the fix.
 */
export class ConfigError extends ExitError {
  override name: string = 'ConfigError'
  /** Dotted path of the offending field, e.g. `trading.orderCount`. */
  readonly field: string

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(2, message, options)
    this.field = field
  }
}

/** Exit codes used by the CLI. */
export const EXIT = {
  ok: 0,
  runtime: 1,
  usage: 2,
  locked: 3,
} as const
