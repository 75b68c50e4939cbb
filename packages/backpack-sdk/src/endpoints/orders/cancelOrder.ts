// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  rejectUnknownKeys,
  requireObject,
  requireOrderIdentifier,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  CancelOrderParameters,
  CancelOrderReturnType,
} from '../../types/private.js'

/**
 * The errors {@link cancelOrder} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type CancelOrderErrorType = RequestErrorType

/**
 * Cancels one order (`DELETE /api/v1/order` with a JSON body, instruction `orderCancel`).
 *
 * Give `orderId` or `clientId`, not both. Not retried on timeouts (a second cancel of a gone order answers an error); 429/503 are retried.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The cancelled order.
 * @throws {CancelOrderErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Order/operation/cancel_order
 * @example
 * ```ts
 * import { createBackpackClient, cancelOrder } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * await cancelOrder(client, { symbol: 'SOL_USDC', orderId: '4227701917' })
 * ```
 */
export async function cancelOrder(
  client: BackpackRequester,
  params: CancelOrderParameters,
  options?: RequestOptions,
): Promise<CancelOrderReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'orderId', 'clientId'])
  const symbol = requireSymbol(p.symbol)
  const id = requireOrderIdentifier(p)
  return client.request<CancelOrderReturnType>(
    {
      method: 'DELETE',
      path: '/api/v1/order',
      body: { symbol, ...id },
      auth: true,
    },
    options,
  )
}
