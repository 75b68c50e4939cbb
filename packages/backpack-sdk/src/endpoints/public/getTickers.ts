// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalEnum,
  optionalObject,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetTickersParameters,
  GetTickersReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getTickers} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetTickersErrorType = RequestErrorType

/**
 * Gets every market's ticker (`GET /api/v1/tickers`).
 *
 * 24h statistics by default, `interval: '1w'` for a week.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns One ticker per market.
 * @throws {GetTickersErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_tickers
 * @example
 * ```ts
 * import { createBackpackClient, getTickers } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const tickers = await getTickers(client)
 * ```
 */
export async function getTickers(
  client: BackpackRequester,
  params?: GetTickersParameters | undefined,
  options?: RequestOptions,
): Promise<GetTickersReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, ['interval'])
  const interval = optionalEnum(p.interval, ['1d', '1w'], 'interval')
  return client.request<GetTickersReturnType>(
    { method: 'GET', path: '/api/v1/tickers', query: { interval } },
    options,
  )
}
