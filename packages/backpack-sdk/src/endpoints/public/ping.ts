// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { PingReturnType } from '../../types/public.js'

/**
 * The errors {@link ping} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type PingErrorType = RequestErrorType

/**
 * Pings the REST API (`GET /api/v1/ping`).
 *
 * The answer is `text/plain` `pong`.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param options - Abort signal and per-call timeout.
 * @returns The text `pong`.
 * @throws {PingErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/System/operation/ping
 * @example
 * ```ts
 * import { createBackpackClient, ping } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * await ping(client) // 'pong'
 * ```
 */
export async function ping(
  client: BackpackRequester,
  options?: RequestOptions,
): Promise<PingReturnType> {
  return client.request<PingReturnType>(
    { method: 'GET', path: '/api/v1/ping', responseType: 'text' },
    options,
  )
}
