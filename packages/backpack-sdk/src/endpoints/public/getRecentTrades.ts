// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalInteger,
  rejectUnknownKeys,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetRecentTradesParameters,
  GetRecentTradesReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getRecentTrades} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetRecentTradesErrorType = RequestErrorType

/**
 * Gets a market's most recent trades (`GET /api/v1/trades`).
 *
 * At most 1000; use `getHistoricalTrades` to page further back.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The most recent trades.
 * @throws {GetRecentTradesErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Trades/operation/get_recent_trades
 * @example
 * ```ts
 * import { createBackpackClient, getRecentTrades } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const trades = await getRecentTrades(client, { symbol: 'SOL_USDC', limit: 50 })
 * ```
 */
export async function getRecentTrades(
  client: BackpackRequester,
  params: GetRecentTradesParameters,
  options?: RequestOptions,
): Promise<GetRecentTradesReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'limit'])
  const symbol = requireSymbol(p.symbol)
  const limit = optionalInteger(p.limit, 'limit', 1, 1000)
  return client.request<GetRecentTradesReturnType>(
    { method: 'GET', path: '/api/v1/trades', query: { symbol, limit } },
    options,
  )
}
