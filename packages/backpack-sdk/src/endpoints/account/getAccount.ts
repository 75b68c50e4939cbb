// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { GetAccountReturnType } from '../../types/private.js'

/**
 * The errors {@link getAccount} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetAccountErrorType = RequestErrorType

/**
 * Gets account settings and fee tiers (`GET /api/v1/account`, instruction `accountQuery`).
 *
 * Fees are decimal strings in basis points; negative means a rebate.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param options - Abort signal and per-call timeout.
 * @returns The account settings and fees.
 * @throws {GetAccountErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Account/operation/get_account
 * @example
 * ```ts
 * import { createBackpackClient, getAccount } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const { spotMakerFee } = await getAccount(client)
 * ```
 */
export async function getAccount(
  client: BackpackRequester,
  options?: RequestOptions,
): Promise<GetAccountReturnType> {
  return client.request<GetAccountReturnType>(
    { method: 'GET', path: '/api/v1/account', auth: true },
    options,
  )
}
