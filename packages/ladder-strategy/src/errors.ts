/** One problem found in a configuration (or in market rules). */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `trading.orderCount`. */
  path: string
  /** The value found (as given; `undefined` when missing). */
  value: unknown
  /** What is wrong and how to fix it, e.g. `must be an integer >= 1`. */
  message: string
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value)
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number') return String(value)
  try {
    const text = JSON.stringify(value)
    return text === undefined ? String(value) : text
  } catch {
    return String(value)
  }
}

/**
 * The package's one error class: a configuration, market rules or reference
 * price the ladder cannot work with. The message lists every problem, one per
 * line (`trading.orderCount: must be an integer >= 1, got 0`); `issues` holds
 * the same as data.
 *
 * @example
 * ```ts
 * import { LadderConfigError, validateConfig } from '@rung/ladder-strategy'
 * try {
 *   validateConfig({ trading: { orderCount: 0 } })
 * } catch (error) {
 *   if (error instanceof LadderConfigError) console.log(error.issues)
 * }
 * ```
 */
export class LadderConfigError extends Error {
  /** `'LadderConfigError'` (or `'CandleDataError'` for the candle subclass). */
  override name: 'LadderConfigError' | 'CandleDataError' = 'LadderConfigError'
  /** The first line of the message, without the per-field lines. */
  readonly shortMessage: string
  /** Every problem found, with its path, value and fix. */
  readonly issues: readonly ConfigIssue[]

  /**
   * @param shortMessage - One sentence saying what was being checked.
   * @param issues - The problems; each becomes one line of the message.
   * @param options - `cause`, kept as given.
   */
  constructor(
    shortMessage: string,
    issues: readonly ConfigIssue[],
    options?: ErrorOptions,
  ) {
    const lines = issues.map(
      (issue) => `- ${issue.path}: ${issue.message}, got ${show(issue.value)}`,
    )
    super([shortMessage, ...lines].join('\n'), options)
    this.shortMessage = shortMessage
    this.issues = issues
  }
}

/**
 * Tells whether a value is a {@link LadderConfigError}, also across realms or
 * duplicated bundles (it checks the `name`).
 *
 * @param error - Anything caught.
 * @returns `true` when it is a `LadderConfigError`.
 * @example
 * ```ts
 * import { isLadderConfigError } from '@rung/ladder-strategy'
 * isLadderConfigError(new Error('x')) // false
 * ```
 */
export function isLadderConfigError(
  error: unknown,
): error is LadderConfigError {
  return (
    error instanceof Error &&
    ((error as { name?: unknown }).name === 'LadderConfigError' ||
      (error as { name?: unknown }).name === 'CandleDataError')
  )
}
