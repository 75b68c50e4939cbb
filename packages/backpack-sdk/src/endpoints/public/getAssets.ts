// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  optionalObject,
  optionalString,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetAssetsParameters,
  GetAssetsReturnType,
} from '../../types/public.js'

/**
 * The errors {@link getAssets} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetAssetsErrorType = RequestErrorType

/**
 * Lists assets and the chains they move on (`GET /api/v1/assets`).
 *
 * Pass `country` (ISO-3166 alpha-2) to list only what that jurisdiction may use.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns The assets and their chains.
 * @throws {GetAssetsErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Assets
 * @example
 * ```ts
 * import { createBackpackClient, getAssets } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const assets = await getAssets(client)
 * ```
 */
export async function getAssets(
  client: BackpackRequester,
  params?: GetAssetsParameters | undefined,
  options?: RequestOptions,
): Promise<GetAssetsReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, ['country'])
  const country = optionalString(p.country, 'country')
  return client.request<GetAssetsReturnType>(
    { method: 'GET', path: '/api/v1/assets', query: { country } },
    options,
  )
}
