// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  rejectUnknownKeys,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetMarketParameters,
  GetMarketReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getMarket} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetMarketErrorType = RequestErrorType

/**
 * Gets one market (`GET /api/v1/market`).
 *
 * Same shape as an element of `getMarkets`.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The market.
 * @throws {GetMarketErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_market
 * @example
 * ```ts
 * import { createBackpackClient, getMarket } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const market = await getMarket(client, { symbol: 'SOL_USDC' })
 * ```
 */
export async function getMarket(
  client: BackpackRequester,
  params: GetMarketParameters,
  options?: RequestOptions,
): Promise<GetMarketReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol'])
  const symbol = requireSymbol(p.symbol)
  return client.request<GetMarketReturnType>(
    { method: 'GET', path: '/api/v1/market', query: { symbol } },
    options,
  )
}
