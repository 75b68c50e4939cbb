// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import { ValidationError } from '../../errors/inputErrors.js'
import { optionalObject, rejectUnknownKeys } from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetMarketsParameters,
  GetMarketsReturnType,
} from '../../types/public.js'

/** A list of market types, each an upper-case word such as `SPOT`. */
function optionalMarketTypes(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((v) => typeof v === 'string' && /^[A-Z]+$/.test(v))
  ) {
    throw new ValidationError(
      "`marketType` must be a non-empty array of market types such as ['SPOT', 'PERP'].",
      { field: 'marketType' },
    )
  }
  return value
}

/**
 * The errors {@link getMarkets} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetMarketsErrorType = RequestErrorType

/**
 * Lists markets with their trading filters (`GET /api/v1/markets`).
 *
 * Spot and perp markets by default; `marketType` selects others. Feed the result to `marketRulesFromMarkets` for price/quantity formatting.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns The markets with their price and quantity filters.
 * @throws {GetMarketsErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_markets
 * @example
 * ```ts
 * import { createBackpackClient, getMarkets } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const markets = await getMarkets(client)
 * ```
 */
export async function getMarkets(
  client: BackpackRequester,
  params?: GetMarketsParameters | undefined,
  options?: RequestOptions,
): Promise<GetMarketsReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, ['marketType'])
  const marketType = optionalMarketTypes(p.marketType)
  return client.request<GetMarketsReturnType>(
    { method: 'GET', path: '/api/v1/markets', query: { marketType } },
    options,
  )
}
