// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import { ValidationError } from '../../errors/inputErrors.js'
import {
  describeValue,
  rejectUnknownKeys,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  DepthLimit,
  GetDepthParameters,
  GetDepthReturnType,
} from '../../types/public.js'

const DEPTH_LIMITS: readonly DepthLimit[] = [5, 10, 20, 50, 100, 500, 1000]

/**
 * The errors {@link getDepth} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetDepthErrorType = RequestErrorType

/**
 * Gets an order book snapshot (`GET /api/v1/depth`).
 *
 * `timestamp` is in microseconds and `lastUpdateId` is a string; both line up with the WS depth stream for a local book.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The book snapshot (sort the levels yourself; order is UNCONFIRMED).
 * @throws {GetDepthErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_depth
 * @example
 * ```ts
 * import { createBackpackClient, getDepth } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const { bids, asks } = await getDepth(client, { symbol: 'SOL_USDC', limit: 20 })
 * ```
 */
export async function getDepth(
  client: BackpackRequester,
  params: GetDepthParameters,
  options?: RequestOptions,
): Promise<GetDepthReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, ['symbol', 'limit'])
  const symbol = requireSymbol(p.symbol)
  if (p.limit !== undefined && !DEPTH_LIMITS.includes(p.limit as DepthLimit)) {
    throw new ValidationError(
      `\`limit\` must be one of ${DEPTH_LIMITS.join(', ')}; got ${describeValue(p.limit)}.`,
      { field: 'limit' },
    )
  }
  const limit = p.limit as DepthLimit | undefined
  return client.request<GetDepthReturnType>(
    { method: 'GET', path: '/api/v1/depth', query: { symbol, limit } },
    options,
  )
}
