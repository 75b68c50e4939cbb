/**
 * Name-based type guards: they work across realms and with a duplicated
 * copy of the SDK, where `instanceof` fails. The guard of
 * `OrderStateUnknownError` sits with its class.
 *
 * The guards repeat one shape on purpose (a `duplicates` run lists them):
 * each is its own export with its own TSDoc and example, which is what an
 * editor shows on hover; a generated guard table would lose that.
 */
import type { BackpackError, BackpackErrorName } from './backpackError.js'
import type {
  ApiError,
  HttpError,
  NetworkError,
  TimeoutError,
} from './httpErrors.js'
import type {
  PrecisionError,
  SigningError,
  ValidationError,
} from './inputErrors.js'
import type { WebSocketError } from './webSocketError.js'

const ERROR_NAMES: ReadonlySet<string> = new Set<BackpackErrorName>([
  'BackpackError',
  'ValidationError',
  'SigningError',
  'PrecisionError',
  'HttpError',
  'ApiError',
  'TimeoutError',
  'NetworkError',
  'OrderStateUnknownError',
  'WebSocketError',
])

/** Whether `value` looks like an SDK error with one of `names`. @internal */
export function hasName(value: unknown, names: readonly string[]): boolean {
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

// The guards below look alike on purpose: each is its own documented,
// narrowing export; what they share is hasName.

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
