/**
 * The SDK's error tree. Every error the SDK throws or rejects with is a
 * {@link BackpackError}:
 *
 * ```
 * BackpackError
 * ├─ ValidationError   bad parameters, thrown before any signing or I/O
 * ├─ SigningError      malformed key (length / encoding)
 * ├─ PrecisionError    rounding to tick/step reached zero or a market minimum
 * ├─ HttpError         non-2xx answer (status, method, path, body text)
 * │  └─ ApiError       … whose body was Backpack's JSON `{ code, message }`
 * ├─ TimeoutError      no answer within `timeoutMs`
 * ├─ NetworkError      no answer at all (DNS, reset, refused, aborted by the caller)
 * └─ WebSocketError    stream connection or subscription failure
 * ```
 *
 * Message shape (STYLE 2.4): one short sentence, then context lines
 * (`Status: 429`, `Request: POST /api/v1/order`), then `Details: …`. The
 * short sentence is kept separately in `shortMessage`.
 *
 * Nothing here ever holds a secret key, a signature or an auth header: the
 * constructors take only the fields listed on each class.
 */

import type { Order } from './types/private.js'

/**
 * What `executeOrder` / `executeOrders` learned when looking an order up by
 * its `clientId` after an ambiguous failure (timeout, network error, 5xx).
 */
export interface OrderLookup {
  /** The order's `clientId`. */
  clientId: number
  /**
   * - `found`: the order exists (resting, open or in history): see `order`.
   * - `notFound`: every lookup answered and none has it; the original
   *   request's signing window has passed, so it can no longer execute.
   *   Re-placing it (ideally with the same `clientId`) is safe.
   * - `failed`: a lookup itself failed; the order's state is unknown.
   * - `skipped`: the caller aborted, so no lookup was made.
   */
  outcome: 'found' | 'notFound' | 'failed' | 'skipped'
  /** The order, when `outcome` is `found`. */
  order?: Order | undefined
}

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

/** Largest number of body characters kept on an {@link HttpError}. */
export const MAX_ERROR_BODY_LENGTH = 1000

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
   * Set by `executeOrder` / `executeOrders` on an ambiguous failure
   * (timeout, network error, 5xx): what the lookup by `clientId` found for
   * each order. Undefined on every other error.
   */
  orderLookups: readonly OrderLookup[] | undefined = undefined

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

/**
 * A parameter or option is malformed. Thrown before anything is signed or
 * sent, so nothing reached the exchange.
 *
 * @example
 * ```ts
 * import { ValidationError, executeOrder } from '@rung/backpack-sdk'
 *
 * try {
 *   await executeOrder(client, { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '1e2', quantity: '1' })
 * } catch (error) {
 *   if (error instanceof ValidationError) console.error(error.field) // 'price'
 * }
 * ```
 */
export class ValidationError extends BackpackError {
  override name = 'ValidationError' as const
  /** Dotted path of the offending field (e.g. `orders[2].price`), if known. */
  readonly field: string | undefined

  /**
   * @param shortMessage - What is wrong and what is expected.
   * @param options - `field` plus the common options.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & { field?: string | undefined } = {},
  ) {
    super(shortMessage, options)
    this.field = options.field
  }
}

/**
 * A key is malformed: wrong encoding or length, or a 64-byte secret whose
 * public half does not match its seed. The message names the argument and
 * the expected form but never contains the key.
 *
 * @example
 * ```ts
 * import { SigningError } from '@rung/backpack-sdk'
 * import { createSigner } from '@rung/backpack-sdk/signing'
 *
 * try {
 *   createSigner('not-a-key')
 * } catch (error) {
 *   if (error instanceof SigningError) console.error(error.argument) // 'secretKey'
 * }
 * ```
 */
export class SigningError extends BackpackError {
  override name = 'SigningError' as const
  /** Name of the offending argument, e.g. `secretKey`. */
  readonly argument: string

  /**
   * @param shortMessage - What is wrong, naming the argument and the expected
   *   length/encoding (never the value).
   * @param options - `argument` plus the common options.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & { argument: string },
  ) {
    super(shortMessage, options)
    this.argument = options.argument
  }
}

/**
 * Rounding a price or quantity to the market's tick/step reached zero, or the
 * result falls below the market's minimum quantity, price or notional (or
 * above its maximum). Thrown instead of sending an order the exchange would
 * reject.
 *
 * @example
 * ```ts
 * import { PrecisionError, formatQuantity } from '@rung/backpack-sdk'
 *
 * try {
 *   formatQuantity(rules, 'SOL_USDC', '0.001', 'down')
 * } catch (error) {
 *   if (error instanceof PrecisionError) console.error(error.rule) // 'minQuantity'
 * }
 * ```
 */
export class PrecisionError extends BackpackError {
  override name = 'PrecisionError' as const
  /** Market symbol. */
  readonly symbol: string
  /** Which value failed: `price`, `quantity` or `notional`. */
  readonly field: 'price' | 'quantity' | 'notional'
  /** The value as given by the caller (a decimal string). */
  readonly value: string
  /** The rule that failed, e.g. `minQuantity`, `tickSize` (rounded to zero). */
  readonly rule: string

  /**
   * @param shortMessage - What failed and how to fix it.
   * @param options - The failing symbol, field, value and rule.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & {
      symbol: string
      field: 'price' | 'quantity' | 'notional'
      value: string
      rule: string
    },
  ) {
    super(shortMessage, options)
    this.symbol = options.symbol
    this.field = options.field
    this.value = options.value
    this.rule = options.rule
  }
}

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

/**
 * A WebSocket connection or subscription failed. Delivered through `onError`
 * callbacks or promise rejections, never as an EventEmitter `'error'` event.
 *
 * @example
 * ```ts
 * import { isWebSocketError } from '@rung/backpack-sdk'
 *
 * function onError(error: unknown) {
 *   if (isWebSocketError(error)) console.error(error.closeCode)
 * }
 * ```
 */
export class WebSocketError extends BackpackError {
  override name = 'WebSocketError' as const
  /** WebSocket close code, when the failure was a close. */
  readonly closeCode: number | undefined
  /** The stream the failure refers to, if any (e.g. `depth.SOL_USDC`). */
  readonly stream: string | undefined

  /**
   * @param shortMessage - What failed.
   * @param options - Optional close code and stream name.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & {
      closeCode?: number | undefined
      stream?: string | undefined
    } = {},
  ) {
    super(shortMessage, options)
    this.closeCode = options.closeCode
    this.stream = options.stream
  }
}

const ERROR_NAMES: ReadonlySet<string> = new Set<BackpackErrorName>([
  'BackpackError',
  'ValidationError',
  'SigningError',
  'PrecisionError',
  'HttpError',
  'ApiError',
  'TimeoutError',
  'NetworkError',
  'WebSocketError',
])

function hasName(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false
  const { name, shortMessage } = value as {
    name?: unknown
    shortMessage?: unknown
  }
  return (
    typeof name === 'string' &&
    typeof shortMessage === 'string' &&
    names.includes(name)
  )
}

/**
 * True for any SDK error, judged by `name` (works across realms and with a
 * duplicated copy of the SDK, where `instanceof` fails).
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link BackpackError}.
 * @example
 * ```ts
 * import { isBackpackError } from '@rung/backpack-sdk'
 *
 * try { await client.getStatus() } catch (e) { if (isBackpackError(e)) console.error(e.shortMessage) }
 * ```
 */
export function isBackpackError(value: unknown): value is BackpackError {
  return hasName(value, [...ERROR_NAMES])
}

/**
 * True for a {@link ValidationError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link ValidationError}.
 * @example
 * ```ts
 * import { isValidationError } from '@rung/backpack-sdk'
 *
 * try { await client.getTicker({ symbol: '' }) } catch (e) { if (isValidationError(e)) console.error(e.field) }
 * ```
 */
export function isValidationError(value: unknown): value is ValidationError {
  return hasName(value, ['ValidationError'])
}

/**
 * True for a {@link SigningError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link SigningError}.
 * @example
 * ```ts
 * import { isSigningError } from '@rung/backpack-sdk'
 * import { createSigner } from '@rung/backpack-sdk/signing'
 *
 * try { createSigner('') } catch (e) { if (isSigningError(e)) console.error(e.argument) }
 * ```
 */
export function isSigningError(value: unknown): value is SigningError {
  return hasName(value, ['SigningError'])
}

/**
 * True for a {@link PrecisionError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link PrecisionError}.
 * @example
 * ```ts
 * import { formatQuantity, isPrecisionError } from '@rung/backpack-sdk'
 *
 * try { formatQuantity(rules, 'SOL_USDC', '0', 'down') } catch (e) { if (isPrecisionError(e)) console.error(e.rule) }
 * ```
 */
export function isPrecisionError(value: unknown): value is PrecisionError {
  return hasName(value, ['PrecisionError'])
}

/**
 * True for an {@link HttpError} (including its subclass {@link ApiError}),
 * judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an {@link HttpError}.
 * @example
 * ```ts
 * import { isHttpError } from '@rung/backpack-sdk'
 *
 * try { await client.getStatus() } catch (e) { if (isHttpError(e)) console.error(e.status) }
 * ```
 */
export function isHttpError(value: unknown): value is HttpError {
  return hasName(value, ['HttpError', 'ApiError'])
}

/**
 * True for an {@link ApiError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an {@link ApiError}.
 * @example
 * ```ts
 * import { isApiError } from '@rung/backpack-sdk'
 *
 * try { await client.getBalances() } catch (e) { if (isApiError(e)) console.error(e.code) }
 * ```
 */
export function isApiError(value: unknown): value is ApiError {
  return hasName(value, ['ApiError'])
}

/**
 * True for a {@link TimeoutError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link TimeoutError}.
 * @example
 * ```ts
 * import { isTimeoutError } from '@rung/backpack-sdk'
 *
 * try { await client.getStatus() } catch (e) { if (isTimeoutError(e)) console.error(e.timeoutMs) }
 * ```
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasName(value, ['TimeoutError'])
}

/**
 * True for a {@link NetworkError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link NetworkError}.
 * @example
 * ```ts
 * import { isNetworkError } from '@rung/backpack-sdk'
 *
 * try { await client.getStatus() } catch (e) { if (isNetworkError(e)) console.error(e.aborted) }
 * ```
 */
export function isNetworkError(value: unknown): value is NetworkError {
  return hasName(value, ['NetworkError'])
}

/**
 * True for a {@link WebSocketError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is a {@link WebSocketError}.
 * @example
 * ```ts
 * import { isWebSocketError } from '@rung/backpack-sdk'
 *
 * const onError = (e: unknown) => { if (isWebSocketError(e)) console.error(e.closeCode) }
 * ```
 */
export function isWebSocketError(value: unknown): value is WebSocketError {
  return hasName(value, ['WebSocketError'])
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_BODY_LENGTH
    ? `${text.slice(0, MAX_ERROR_BODY_LENGTH)}… (${text.length - MAX_ERROR_BODY_LENGTH} more characters)`
    : text
}
