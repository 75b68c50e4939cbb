/**
 * The SDK's error tree. Every error the SDK throws or rejects with is a
 * {@link BackpackError}:
 *
 * ```
 * BackpackError
 * ├─ ValidationError         bad parameters, thrown before any signing or I/O
 * ├─ SigningError            malformed key (length / encoding)
 * ├─ PrecisionError          rounding to tick/step reached zero or a market minimum
 * ├─ HttpError               non-2xx answer (status, method, path, body text)
 * │  └─ ApiError             … whose body was Backpack's JSON `{ code, message }`
 * ├─ TimeoutError            no answer within `timeoutMs`
 * ├─ NetworkError            no answer at all (DNS, reset, refused, aborted by the caller)
 * ├─ OrderStateUnknownError  an order placement failed ambiguously; `orderLookups` says what is known
 * └─ WebSocketError          stream connection or subscription failure
 * ```
 *
 * Where each lives: this file (the root), `inputErrors.ts` (validation,
 * signing, precision), `httpErrors.ts` (HTTP, API, timeout, network),
 * `orderStateUnknownError.ts`, `webSocketError.ts`, and `guards.ts` (the
 * name-based `is…Error` guards).
 *
 * Message shape (STYLE 2.4): one short sentence, then context lines
 * (`Status: 429`, `Request: POST /api/v1/order`), then `Details: …`. The
 * short sentence is kept separately in `shortMessage`.
 *
 * Nothing here ever holds a secret key, a signature or an auth header: the
 * constructors take only the fields listed on each class.
 */

/** Every `name` an SDK error can carry; the type guards switch on it. */
export type BackpackErrorName =
  | 'BackpackError'
  | 'ValidationError'
  | 'SigningError'
  | 'PrecisionError'
  | 'HttpError'
  | 'ApiError'
  | 'TimeoutError'
  | 'NetworkError'
  | 'OrderStateUnknownError'
  | 'WebSocketError'

/** Options every SDK error accepts. */
export interface BackpackErrorOptions {
  /** The underlying error, kept as `error.cause`. */
  cause?: unknown
  /**
   * Text for the `Details:` line. Defaults to the cause's message when the
   * cause is an `Error`.
   */
  details?: string | undefined
  /** Context lines printed between the short message and the details. */
  metaMessages?: readonly string[] | undefined
}

/**
 * Root of every error thrown by `@rung/backpack-sdk`.
 *
 * @example
 * ```ts
 * import { BackpackError, getTicker } from '@rung/backpack-sdk'
 *
 * try {
 *   await getTicker(client, { symbol: 'SOL_USDC' })
 * } catch (error) {
 *   if (error instanceof BackpackError) console.error(error.shortMessage)
 * }
 * ```
 */
export class BackpackError extends Error {
  /** Identifies the class across realms and duplicated bundles. */
  override name: BackpackErrorName = 'BackpackError'
  /** The first sentence of `message`, without context lines. */
  readonly shortMessage: string
  /** The `Details:` text (usually the cause's message), if any. */
  readonly details: string | undefined

  /**
   * @param shortMessage - One sentence saying what went wrong and, where
   *   possible, how to fix it.
   * @param options - Cause, details and context lines.
   */
  constructor(shortMessage: string, options: BackpackErrorOptions = {}) {
    const details =
      options.details ??
      (options.cause instanceof Error ? options.cause.message : undefined)
    const lines = [shortMessage]
    if (options.metaMessages?.length) lines.push('', ...options.metaMessages)
    if (details) lines.push('', `Details: ${details}`)
    super(
      lines.join('\n'),
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.shortMessage = shortMessage
    this.details = details
  }
}
