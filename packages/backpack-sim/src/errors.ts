/**
 * Root error of `@rung/backpack-sim`: thrown for bad options, an unreadable
 * replay file, or a use of a closed simulator. Exchange-level rejections are
 * never thrown at clients: they answer as JSON error bodies, like the real
 * exchange.
 *
 * @example
 * ```ts
 * import { SimError, startSim } from '@rung/backpack-sim'
 *
 * try {
 *   await startSim({ port: -1 })
 * } catch (error) {
 *   if (error instanceof SimError) console.error(error.message)
 * }
 * ```
 */
export class SimError extends Error {
  /** Always `"SimError"`. */
  override name = 'SimError' as const

  /**
   * @param message - One sentence naming the field and the fix.
   * @param options - `cause`, when wrapping another error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/** An exchange error answer: HTTP status plus the `{code, message}` body. @internal */
export class ApiFailure {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/** Builds a 400 answer. @internal */
export function bad(code: string, message: string): ApiFailure {
  return new ApiFailure(400, code, message)
}
