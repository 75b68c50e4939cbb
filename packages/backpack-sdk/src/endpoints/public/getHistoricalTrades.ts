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
  GetHistoricalTradesParameters,
  GetHistoricalTradesReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getHistoricalTrades} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetHistoricalTradesErrorType = RequestErrorType

/**
 * Pages through a market's older trades (`GET /api/v1/trades/history`).
 *
 * `offset` counts back from the most recent trade.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns A page of older trades.
 * @throws {GetHistoricalTradesErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Trades/operation/get_historical_trades
 * @example
 * ```ts
 * import { createBackpackClient, getHistoricalTrades } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const page = await getHistoricalTrades(client, { symbol: 'SOL_USDC', limit: 1000, offset: 1000 })
 * ```
 */
export async function getHistoricalTrades(
  client: BackpackRequester,
  params: GetHistoricalTradesParameters,
  options?: RequestOptions,
): Promise<GetHistoricalTradesReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'limit', 'offset'])
  const symbol = requireSymbol(p.symbol)
  const limit = optionalInteger(p.limit, 'limit', 1, 1000)
  const offset = optionalInteger(p.offset, 'offset', 0)
  return client.request<GetHistoricalTradesReturnType>(
    {
      method: 'GET',
      path: '/api/v1/trades/history',
      query: { symbol, limit, offset },
    },
    options,
  )
}
