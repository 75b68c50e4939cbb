// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { BackpackError } from '../../errors/backpackError.js'
import {
  type ApiError,
  HttpError,
  NetworkError,
  TimeoutError,
} from '../../errors/httpErrors.js'
import type { SigningError, ValidationError } from '../../errors/inputErrors.js'
import {
  type OrderLookup,
  OrderStateUnknownError,
} from '../../errors/orderStateUnknownError.js'
import type { BackpackRequester } from '../../rest/request.js'
import { sleep } from '../../rest/transport.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  ExecuteOrderParameters,
  ExecuteOrderReturnType,
  Order,
} from '../../types/private.js'
import { lookupOrders } from './findOrderByClientId.js'
import { orderBody } from './orderBody.js'

/**
 * The errors {@link executeOrder} can throw. A timeout, a network error or a
 * 5xx never escapes as such: the order is looked up, and what cannot be
 * settled becomes an {@link OrderStateUnknownError}.
 */
export type ExecuteOrderErrorType =
  | ValidationError
  | SigningError
  | HttpError
  | ApiError
  | OrderStateUnknownError

/** Extra margin past the signing window before an ambiguous lookup (in ms). */
export const AMBIGUOUS_ORDER_MARGIN_MS = 1000

/**
 * Places one order (`POST /api/v1/order`, instruction `orderExecute`).
 *
 * Every order carries a uint32 `clientId`: yours, or a random one generated
 * here; the returned order always has it.
 *
 * **Ambiguous failures.** When the request times out, fails on the network,
 * or gets a 5xx, the order may or may not exist. The SDK never re-sends it.
 * Instead:
 * 1. it waits `windowMs + 1000` ms: after that the exchange rejects the
 *    original request even if it is still in flight (its `X-Timestamp` is
 *    outside the window), so the lookup's answer cannot go stale;
 * 2. it looks the order up by `clientId` ({@link findOrderByClientId}: the
 *    resting order, then open orders, then order history);
 * 3. found → returns that order as if the call had succeeded; not found or
 *    lookup failed → throws an {@link OrderStateUnknownError} whose `cause`
 *    is the original error and whose `orderLookups` says what is known
 *    (`notFound`: safe to place again, ideally with the same clientId;
 *    `failed`: state unknown, check before re-placing).
 *
 * A 429 or 503 is retried (the exchange refused the request), and an
 * "expired" 401 is resent once after a clock resync; nothing else is.
 *
 * @param client - A client created with a `secretKey`.
 * @param params - The order: a union discriminated by `orderType`.
 * @param options - Abort signal and timeout. An abort skips the lookup
 *   (`outcome: 'skipped'`).
 * @returns The placed (or found) order, with `clientId`.
 * @throws {ExecuteOrderErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed
 *   (unknown key, non-decimal price, clientId out of uint32 range, Limit
 *   without price, Market with both quantity and quoteQuantity…).
 * @throws {ApiError} when Backpack rejects the order (e.g.
 *   `INSUFFICIENT_FUNDS`, `INVALID_PRICE`); {@link HttpError} for a 4xx
 *   without Backpack's JSON body.
 * @throws {SigningError} when a custom signer fails.
 * @throws {OrderStateUnknownError} on an ambiguous failure (timeout, network
 *   error, 5xx) the lookup could not resolve: see its `orderLookups`.
 * @see https://docs.backpack.exchange/#tag/Order/operation/execute_order
 * @example
 * ```ts
 * import { createBackpackClient, executeOrder } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const order = await executeOrder(client, {
 *   symbol: 'SOL_USDC',
 *   side: 'Bid',
 *   orderType: 'Limit',
 *   price: '141.50',
 *   quantity: '0.5',
 *   postOnly: true,
 * })
 * console.log(order.id, order.clientId)
 * ```
 */
export async function executeOrder(
  client: BackpackRequester,
  params: ExecuteOrderParameters,
  options?: RequestOptions,
): Promise<ExecuteOrderReturnType> {
  const body = orderBody(params, 'params')
  try {
    const order = await client.request<Order>(
      { method: 'POST', path: '/api/v1/order', body, auth: true },
      options,
    )
    return { ...order, clientId: order.clientId ?? body.clientId }
  } catch (error) {
    if (!isAmbiguous(error)) throw error
    const [lookup] = await resolveAmbiguous(
      client,
      error,
      body.symbol,
      [body.clientId],
      options,
    )
    if (lookup?.outcome === 'found' && lookup.order) {
      return { ...lookup.order, clientId: body.clientId }
    }
    throw new OrderStateUnknownError({
      cause: error,
      orderLookups: lookup ? [lookup] : [],
    })
  }
}

/** Timeout, network failure or 5xx: the request may have executed. @internal */
export function isAmbiguous(
  error: unknown,
): error is TimeoutError | NetworkError | HttpError {
  return (
    error instanceof TimeoutError ||
    error instanceof NetworkError ||
    (error instanceof HttpError && error.status >= 500)
  )
}

/**
 * Waits out the signing window and looks the orders up by clientId.
 * @internal
 */
export async function resolveAmbiguous(
  client: BackpackRequester,
  error: BackpackError,
  symbol: string,
  clientIds: readonly number[],
  options: RequestOptions | undefined,
  wait = true,
): Promise<OrderLookup[]> {
  const skipped = (): OrderLookup[] =>
    clientIds.map((clientId) => ({ clientId, outcome: 'skipped' }))
  const signal = options?.signal
  if (signal?.aborted) {
    return skipped()
  }
  const waitMs = wait
    ? (client.windowMs ?? 5000) + AMBIGUOUS_ORDER_MARGIN_MS
    : 0
  client.logger?.warn?.(
    'backpack: order outcome unknown; waiting out the signing window, then looking it up',
    { symbol, clientIds, waitMs, error: error.shortMessage },
  )
  try {
    await sleep(waitMs, { method: 'POST', path: '/api/v1/order' }, signal)
  } catch {
    return skipped()
  }
  const lookups = await lookupOrders(client, symbol, clientIds, {
    signal,
    timeoutMs: options?.timeoutMs,
  })
  client.logger?.warn?.('backpack: ambiguous order lookup finished', {
    symbol,
    outcomes: lookups.map((l) => `${l.clientId}:${l.outcome}`),
  })
  return lookups
}
