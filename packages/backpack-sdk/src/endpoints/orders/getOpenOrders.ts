// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalObject,
  optionalString,
  optionalSymbol,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetOpenOrdersParameters,
  GetOpenOrdersReturnType,
} from '../../types/private.js'

/**
 * The errors {@link getOpenOrders} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetOpenOrdersErrorType = RequestErrorType

/**
 * Lists open orders (`GET /api/v1/orders`, instruction `orderQueryAll`).
 *
 * All markets, or one `symbol`. Pending trigger orders appear with status `TriggerPending` (UNCONFIRMED).
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns The open orders.
 * @throws {GetOpenOrdersErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Order/operation/get_open_orders
 * @example
 * ```ts
 * import { createBackpackClient, getOpenOrders } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const open = await getOpenOrders(client, { symbol: 'SOL_USDC' })
 * ```
 */
export async function getOpenOrders(
  client: BackpackRequester,
  params?: GetOpenOrdersParameters | undefined,
  options?: RequestOptions,
): Promise<GetOpenOrdersReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, ['symbol', 'marketType'])
  const symbol = optionalSymbol(p.symbol)
  const marketType = optionalString(p.marketType, 'marketType')
  return client.request<GetOpenOrdersReturnType>(
    {
      method: 'GET',
      path: '/api/v1/orders',
      query: { symbol, marketType },
      auth: true,
    },
    options,
  )
}
