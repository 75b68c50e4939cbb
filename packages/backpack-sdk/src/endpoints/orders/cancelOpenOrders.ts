// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalEnum,
  rejectUnknownKeys,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  CancelOpenOrdersParameters,
  CancelOpenOrdersReturnType,
} from '../../types/private.js'

/**
 * The errors {@link cancelOpenOrders} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type CancelOpenOrdersErrorType = RequestErrorType

/**
 * Cancels every open order of a market (`DELETE /api/v1/orders`, instruction `orderCancelAll`).
 *
 * `orderType` narrows it to resting limit orders or to conditional (trigger) orders.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The cancelled orders.
 * @throws {CancelOpenOrdersErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Order/operation/cancel_open_orders
 * @example
 * ```ts
 * import { createBackpackClient, cancelOpenOrders } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const cancelled = await cancelOpenOrders(client, { symbol: 'SOL_USDC' })
 * ```
 */
export async function cancelOpenOrders(
  client: BackpackRequester,
  params: CancelOpenOrdersParameters,
  options?: RequestOptions,
): Promise<CancelOpenOrdersReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'orderType'])
  const symbol = requireSymbol(p.symbol)
  const orderType = optionalEnum(
    p.orderType,
    ['RestingLimitOrder', 'ConditionalOrder'],
    'orderType',
  )
  return client.request<CancelOpenOrdersReturnType>(
    {
      method: 'DELETE',
      path: '/api/v1/orders',
      body: { symbol, orderType },
      auth: true,
    },
    options,
  )
}
