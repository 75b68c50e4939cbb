// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { GetStatusReturnType } from '../../types/public.js'

/**
 * The errors {@link getStatus} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetStatusErrorType = RequestErrorType

/**
 * Gets the exchange status (`GET /api/v1/status`).
 *
 * `Maintenance` means orders will be refused; check it before starting a bot.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param options - Abort signal and per-call timeout.
 * @returns `{ status, message }`.
 * @throws {GetStatusErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/System/operation/get_status
 * @example
 * ```ts
 * import { createBackpackClient, getStatus } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const { status } = await getStatus(client)
 * ```
 */
export async function getStatus(
  client: BackpackRequester,
  options?: RequestOptions,
): Promise<GetStatusReturnType> {
  return client.request<GetStatusReturnType>(
    { method: 'GET', path: '/api/v1/status' },
    options,
  )
}
