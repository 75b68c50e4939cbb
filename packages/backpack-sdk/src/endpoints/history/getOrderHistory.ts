// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  HISTORY_KEYS,
  historyHead,
  historyPaging,
  optionalObject,
  optionalSymbol,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetOrderHistoryParameters,
  GetOrderHistoryReturnType,
} from '../../types/private.js'

/**
 * The errors {@link getOrderHistory} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetOrderHistoryErrorType = RequestErrorType

/**
 * Pages through order history (`GET /wapi/v1/history/orders`, instruction `orderHistoryQueryAll`).
 *
 * Rows carry `createdAt` as a naive UTC datetime string. May include orders still on the book; `getOpenOrders` is fresher for those.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns A page of order history.
 * @throws {GetOrderHistoryErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/History/operation/get_order_history
 * @example
 * ```ts
 * import { createBackpackClient, getOrderHistory } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const rows = await getOrderHistory(client, { symbol: 'SOL_USDC', limit: 100 })
 * ```
 */
export async function getOrderHistory(
  client: BackpackRequester,
  params?: GetOrderHistoryParameters | undefined,
  options?: RequestOptions,
): Promise<GetOrderHistoryReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, [...HISTORY_KEYS.head, 'symbol', ...HISTORY_KEYS.paging])
  const query = {
    ...historyHead(p),
    symbol: optionalSymbol(p.symbol),
    ...historyPaging(p),
  }
  return client.request<GetOrderHistoryReturnType>(
    {
      method: 'GET',
      path: '/wapi/v1/history/orders',
      query: query,
      auth: true,
    },
    options,
  )
}
