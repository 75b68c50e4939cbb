// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import { HttpError } from '../../errors/httpErrors.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { GetServerTimeReturnType } from '../../types/public.js'

/**
 * The errors {@link getServerTime} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetServerTimeErrorType = RequestErrorType

/**
 * Gets the exchange's clock (`GET /api/v1/time`, a `text/plain` body in ms).
 *
 * The client calls this itself to correct `X-Timestamp` for a skewed local
 * clock; call it directly to measure skew.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param options - Abort signal and per-call timeout.
 * @returns Server time in ms since the epoch.
 * @throws {GetServerTimeErrorType} one of the errors listed here.
 * @throws {HttpError} on a non-2xx answer, or a body that is not an integer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives.
 * @see https://docs.backpack.exchange/#tag/System/operation/get_time
 * @example
 * ```ts
 * import { createBackpackClient, getServerTime } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const skewMs = (await getServerTime(client)) - Date.now()
 * ```
 */
export async function getServerTime(
  client: BackpackRequester,
  options?: RequestOptions,
): Promise<GetServerTimeReturnType> {
  const text = await client.request<string>(
    {
      method: 'GET',
      path: '/api/v1/time',
      responseType: 'text',
    },
    options,
  )
  const trimmed = typeof text === 'string' ? text.trim() : ''
  if (!/^\d{1,16}$/.test(trimmed)) {
    throw new HttpError(
      { method: 'GET', path: '/api/v1/time', status: 200, body: String(text) },
      'GET /api/v1/time did not answer an integer number of milliseconds.',
    )
  }
  return Number(trimmed)
}
