// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalInteger,
  optionalObject,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetCollateralParameters,
  GetCollateralReturnType,
} from '../../types/private.js'

/**
 * The errors {@link getCollateral} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetCollateralErrorType = RequestErrorType

/**
 * Gets the collateral summary (`GET /api/v1/capital/collateral`, instruction `collateralQuery`).
 *
 * Net equity, margin fractions and per-asset collateral values.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns The collateral summary.
 * @throws {GetCollateralErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Capital/operation/get_collateral
 * @example
 * ```ts
 * import { createBackpackClient, getCollateral } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const { netEquity } = await getCollateral(client)
 * ```
 */
export async function getCollateral(
  client: BackpackRequester,
  params?: GetCollateralParameters | undefined,
  options?: RequestOptions,
): Promise<GetCollateralReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, ['subaccountId'])
  const subaccountId = optionalInteger(p.subaccountId, 'subaccountId', 0)
  return client.request<GetCollateralReturnType>(
    {
      method: 'GET',
      path: '/api/v1/capital/collateral',
      query: { subaccountId },
      auth: true,
    },
    options,
  )
}
