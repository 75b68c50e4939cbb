// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { GetBalancesReturnType } from '../../types/private.js'

/**
 * The errors {@link getBalances} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetBalancesErrorType = RequestErrorType

/**
 * Gets the account balances (`GET /api/v1/capital`, instruction `balanceQuery`).
 *
 * Keyed by asset; `locked` is held by open orders. Total = available + locked + staked.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param options - Abort signal and per-call timeout.
 * @returns Balances keyed by asset symbol.
 * @throws {GetBalancesErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Capital/operation/get_balances
 * @example
 * ```ts
 * import { createBackpackClient, getBalances } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const balances = await getBalances(client)
 * console.log(balances.USDC?.available)
 * ```
 */
export async function getBalances(
  client: BackpackRequester,
  options?: RequestOptions,
): Promise<GetBalancesReturnType> {
  return client.request<GetBalancesReturnType>(
    { method: 'GET', path: '/api/v1/capital', auth: true },
    options,
  )
}
