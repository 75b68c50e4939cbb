/**
 * Errors of one HTTP exchange with the REST API: a non-2xx answer
 * ({@link HttpError}, {@link ApiError} for Backpack's JSON error body), no
 * answer in time ({@link TimeoutError}) or none at all ({@link NetworkError}).
 */
import { BackpackError, type BackpackErrorOptions } from './backpackError.js'

/** Largest number of body characters kept on an {@link HttpError}. */
export const MAX_ERROR_BODY_LENGTH = 1000

/** The request a transport error refers to (no headers, no body). */
export interface RequestSummary {
  /** HTTP method, upper case. */
  method: string
  /** URL path without the query string, e.g. `/api/v1/order`. */
  path: string
}

/**
 * The server answered with a non-2xx status and a body that is not Backpack's
 * JSON error shape (for example a plain-text parse error, reference §5.1).
 *
 * @example
 * ```ts
 * import { isHttpError } from '@rung/backpack-sdk'
 *
 * try {
 *   await client.getKlines({ symbol: 'SOL_USDC', interval: '1m', startTime: 0 })
 * } catch (error) {
 *   if (isHttpError(error)) console.error(error.status, error.body)
 * }
 * ```
 */
export class HttpError extends BackpackError {
  override name: 'HttpError' | 'ApiError' = 'HttpError'
  /** HTTP status code. */
  readonly status: number
  /** HTTP method, upper case. */
  readonly method: string
  /** URL path without the query string. */
  readonly path: string
  /** Response body text, truncated to {@link MAX_ERROR_BODY_LENGTH} characters. */
  readonly body: string
  /** Delay the server asked for in `Retry-After` (in ms), if any. */
  readonly retryAfterMs: number | undefined

  /**
   * @param options - Status, request summary, body text and an optional
   *   `Retry-After` delay.
   * @param shortMessage - Overrides the default sentence.
   */
  constructor(
    options: BackpackErrorOptions &
      RequestSummary & {
        status: number
        body: string
        retryAfterMs?: number | undefined
      },
    shortMessage = `Request failed with status ${options.status}.`,
  ) {
    const body = truncate(options.body)
    super(shortMessage, {
      ...options,
      details: options.details ?? (body || undefined),
      metaMessages: [
        `Status: ${options.status}`,
        `Request: ${options.method} ${options.path}`,
        ...(options.metaMessages ?? []),
      ],
    })
    this.status = options.status
    this.method = options.method
    this.path = options.path
    this.body = body
    this.retryAfterMs = options.retryAfterMs
  }
}

/**
 * Error codes Backpack documents (reference §5.2). The API may add more, so
 * {@link ApiError.code} is typed `ApiErrorCode | (string & {})`.
 */
export type ApiErrorCode =
  | 'ACCOUNT_DEACTIVATED'
  | 'ACCOUNT_LIQUIDATING'
  | 'BORROW_LIMIT'
  | 'BORROW_REQUIRES_LEND_REDEEM'
  | 'FORBIDDEN'
  | 'INSUFFICIENT_FUNDS'
  | 'INSUFFICIENT_MARGIN'
  | 'INSUFFICIENT_SUPPLY'
  | 'INVALID_ASSET'
  | 'INVALID_CLIENT_REQUEST'
  | 'INVALID_MARKET'
  | 'INVALID_ORDER'
  | 'INVALID_PRICE'
  | 'INVALID_POSITION_ID'
  | 'INVALID_QUANTITY'
  | 'INVALID_RANGE'
  | 'INVALID_SIGNATURE'
  | 'INVALID_SOURCE'
  | 'INVALID_SYMBOL'
  | 'INVALID_TWO_FACTOR_CODE'
  | 'LEND_LIMIT'
  | 'LEND_REQUIRES_BORROW_REPAY'
  | 'MAINTENANCE'
  | 'MAX_LEVERAGE_REACHED'
  | 'NOT_IMPLEMENTED'
  | 'ORDER_LIMIT'
  | 'POSITION_LIMIT'
  | 'PRECONDITION_FAILED'
  | 'RESOURCE_NOT_FOUND'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'TOO_EARLY'
  | 'TOO_MANY_REQUESTS'
  | 'TRADING_PAUSED'
  | 'UNAUTHORIZED'

/**
 * Backpack rejected the request with its JSON error body
 * `{ "code": "...", "message": "..." }`. An {@link HttpError}, so
 * `status`, `method`, `path` and the raw `body` are there too.
 *
 * @example
 * ```ts
 * import { isApiError } from '@rung/backpack-sdk'
 *
 * try {
 *   await client.executeOrder({ symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '100', quantity: '1' })
 * } catch (error) {
 *   if (isApiError(error) && error.code === 'INSUFFICIENT_FUNDS') {
 *     // top up, then retry
 *   }
 * }
 * ```
 */
export class ApiError extends HttpError {
  override name = 'ApiError' as const
  /** Backpack's error code, e.g. `INVALID_ORDER`. */
  readonly code: ApiErrorCode | (string & {})
  /** Backpack's own message text, e.g. `Invalid order`. */
  readonly apiMessage: string

  /**
   * @param options - The parsed `code` and `apiMessage`, plus everything an
   *   {@link HttpError} holds.
   */
  constructor(
    options: BackpackErrorOptions &
      RequestSummary & {
        status: number
        body: string
        code: string
        apiMessage: string
        retryAfterMs?: number | undefined
      },
  ) {
    super(
      { ...options, details: options.apiMessage || undefined },
      `Backpack rejected the request with ${options.code}.`,
    )
    this.code = options.code
    this.apiMessage = options.apiMessage
  }
}

// TimeoutError and NetworkError carry the same request fields on purpose:
// each public class declares and documents its own (no hidden base class).

/**
 * No response arrived within `timeoutMs`. For an order placement the order may
 * or may not exist; `executeOrder` resolves that itself (see its docs).
 *
 * @example
 * ```ts
 * import { TimeoutError, createBackpackClient } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ timeoutMs: 2_000 })
 * try {
 *   await client.getDepth({ symbol: 'SOL_USDC' })
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.error(error.timeoutMs)
 * }
 * ```
 */
export class TimeoutError extends BackpackError {
  override name = 'TimeoutError' as const
  /** HTTP method, upper case. */
  readonly method: string
  /** URL path without the query string. */
  readonly path: string
  /** The timeout that elapsed (in ms). */
  readonly timeoutMs: number

  /**
   * @param options - Request summary and the elapsed timeout.
   */
  constructor(
    options: BackpackErrorOptions & RequestSummary & { timeoutMs: number },
  ) {
    super(
      `Request timed out after ${options.timeoutMs} ms; raise timeoutMs or check connectivity.`,
      {
        ...options,
        metaMessages: [`Request: ${options.method} ${options.path}`],
      },
    )
    this.method = options.method
    this.path = options.path
    this.timeoutMs = options.timeoutMs
  }
}

/**
 * The request failed without any HTTP response (DNS failure, refused or reset
 * connection), or the caller aborted it through its `signal`.
 *
 * @example
 * ```ts
 * import { isNetworkError } from '@rung/backpack-sdk'
 *
 * try {
 *   await client.getStatus()
 * } catch (error) {
 *   if (isNetworkError(error)) console.error(error.cause)
 * }
 * ```
 */
export class NetworkError extends BackpackError {
  override name = 'NetworkError' as const
  /** HTTP method, upper case. */
  readonly method: string
  /** URL path without the query string. */
  readonly path: string
  /** True when the caller's own `signal` aborted the request. */
  readonly aborted: boolean

  /**
   * @param options - Request summary, the cause and whether the caller
   *   aborted.
   */
  constructor(
    options: BackpackErrorOptions &
      RequestSummary & { aborted?: boolean | undefined },
  ) {
    super(
      options.aborted
        ? 'Request was aborted by the caller.'
        : 'Request failed before a response arrived.',
      {
        ...options,
        metaMessages: [`Request: ${options.method} ${options.path}`],
      },
    )
    this.method = options.method
    this.path = options.path
    this.aborted = options.aborted ?? false
  }
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_BODY_LENGTH
    ? `${text.slice(0, MAX_ERROR_BODY_LENGTH)}… (${text.length - MAX_ERROR_BODY_LENGTH} more characters)`
    : text
}
