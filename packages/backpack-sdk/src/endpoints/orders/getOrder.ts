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
  GetOrderParameters,
  GetOrderReturnType,
} from '../../types/private.js'

/**
 * The errors {@link getOrder} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetOrderErrorType = RequestErrorType

/**
 * Gets one resting order (`GET /api/v1/order`, instruction `orderQuery`).
 *
 * Give `orderId` or `clientId`, not both. Only orders still on the book are found: anything else answers 404 (an `ApiError`/`HttpError` with status 404). Use `findOrderByClientId` to search open orders and history too.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The resting order.
 * @throws {GetOrderErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Order/operation/get_order
 * @example
 * ```ts
 * import { createBackpackClient, getOrder } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const order = await getOrder(client, { symbol: 'SOL_USDC', clientId: 42 })
 * ```
 */
export async function getOrder(
  client: BackpackRequester,
  params: GetOrderParameters,
  options?: RequestOptions,
): Promise<GetOrderReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'orderId', 'clientId'])
  const symbol = requireSymbol(p.symbol)
  const id = requireOrderIdentifier(p)
  return client.request<GetOrderReturnType>(
    {
      method: 'GET',
      path: '/api/v1/order',
      query: { symbol, ...id },
      auth: true,
    },
    options,
  )
}
