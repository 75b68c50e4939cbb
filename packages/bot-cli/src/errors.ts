/**
 * The CLI's one error root. Every controlled exit goes through
 * `throw new ExitError(code, message, { cause })`; only `main()` turns it
 * into an exit code (STYLE 2.9). Messages never contain a secret.
 *
 * @example
 * ```ts
 * import { EXIT, ExitError } from '@rung/bot-cli'
 * throw new ExitError(EXIT.usage, 'No market BTC_EUR.\nFix: see `rung markets`.')
 * ```
 */
export class ExitError extends Error {
  /** `'ExitError'` (or a subclass's name). */
  override name: string = 'ExitError'
  /** The process exit code this error maps to (1 runtime, 2 usage or config). */
  readonly exitCode: number

  /**
   * @param exitCode - The process exit code (see {@link EXIT}).
   * @param message - What went wrong, then a `Fix:` line.
   * @param options - `cause`, kept as given.
   */
  constructor(exitCode: number, message: string, options?: ErrorOptions) {
    super(message, options)
    this.exitCode = exitCode
  }
}

/**
 * A configuration value that cannot be used (exit code 2). The message names
 * the field, the value (never a secret's value) and the fix.
 *
 * @example
 * ```ts
 * import { ConfigError, parseBotSettings } from '@rung/bot-cli'
 * try {
 *   parseBotSettings({ bot: { onStop: 'keep' } })
 * } catch (error) {
 *   if (error instanceof ConfigError) console.log(error.field) // 'bot.onStop'
 * }
 * ```
 */
export class ConfigError extends ExitError {
  /** `'ConfigError'`. */
  override name: string = 'ConfigError'
  /** Dotted path of the offending field, e.g. `trading.orderCount`. */
  readonly field: string

  /**
   * @param field - Dotted path of the field, or the flag / variable name.
   * @param message - The problem and a `Fix:` line.
   * @param options - `cause`, kept as given.
   */
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(2, message, options)
    this.field = field
  }
}

/**
 * Exit codes of the `rung` command.
 *
 * @example
 * ```ts
 * import { EXIT } from '@rung/bot-cli'
 * if (code === EXIT.usage) console.log('fix the config or the flags')
 * ```
 */
export const EXIT = {
  /** Success, including a graceful stop. */
  ok: 0,
  /** A runtime failure (network, exchange). */
  runtime: 1,
  /** Bad flags or config; nothing was sent. */
  usage: 2,
  /** Another bot holds the data directory. */
  locked: 3,
} as const
