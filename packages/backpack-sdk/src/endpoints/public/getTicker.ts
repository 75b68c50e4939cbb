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
  GetTickerParameters,
  GetTickerReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getTicker} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetTickerErrorType = RequestErrorType

/**
 * Gets one market's ticker (`GET /api/v1/ticker`).
 *
 * 24h statistics by default, `interval: '1w'` for a week. Every number is a decimal string.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The ticker, or `null` when the exchange answers 204 (no data).
 * @throws {GetTickerErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_ticker
 * @example
 * ```ts
 * import { createBackpackClient, getTicker } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const ticker = await getTicker(client, { symbol: 'SOL_USDC' })
 * console.log(ticker?.lastPrice)
 * ```
 */
export async function getTicker(
  client: BackpackRequester,
  params: GetTickerParameters,
  options?: RequestOptions,
): Promise<GetTickerReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'interval'])
  const symbol = requireSymbol(p.symbol)
  const interval = optionalEnum(p.interval, ['1d', '1w'], 'interval')
  return client.request<GetTickerReturnType>(
    { method: 'GET', path: '/api/v1/ticker', query: { symbol, interval } },
    options,
  )
}
