// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import { ValidationError } from '../../errors/inputErrors.js'
import {
  optionalEnum,
  rejectUnknownKeys,
  requireEnum,
  requireInteger,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import { KLINE_INTERVAL_SECONDS } from '../../markets/klineIntervals.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  GetKlinesParameters,
  GetKlinesReturnType,
} from '../../types/public.js'
import type { KlineInterval } from '../../types/ws.js'

const KLINE_INTERVALS = Object.keys(
  KLINE_INTERVAL_SECONDS,
) as readonly KlineInterval[]

/** Seconds since the epoch; anything past year 5000 in seconds is surely ms. */
function requireSeconds(value: unknown, field: string): number {
  const seconds = requireInteger(value, field, 0)
  if (seconds > 95_617_584_000) {
    throw new ValidationError(
      `\`${field}\` is ${seconds}, which looks like milliseconds; Backpack wants seconds (divide by 1000).`,
      { field },
    )
  }
  return seconds
}

/**
 * The errors {@link getKlines} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetKlinesErrorType = RequestErrorType

/**
 * Gets candles (`GET /api/v1/klines`).
 *
 * `startTime` and `endTime` are in **seconds** (not ms); a value that looks like ms is rejected.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Request parameters.
 * @param options - Abort signal and per-call timeout.
 * @returns The candles.
 * @throws {GetKlinesErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/Markets/operation/get_klines
 * @example
 * ```ts
 * import { createBackpackClient, getKlines } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const candles = await getKlines(client, {
 *   symbol: 'SOL_USDC',
 *   interval: '1m',
 *   startTime: Math.floor(Date.now() / 1000) - 3600,
 * })
 * ```
 */
export async function getKlines(
  client: BackpackRequester,
  params: GetKlinesParameters,
  options?: RequestOptions,
): Promise<GetKlinesReturnType> {
  const p = requireObject(params)
  rejectUnknownKeys(p, [
    'symbol',
    'interval',
    'startTime',
    'endTime',
    'priceType',
  ])
  const symbol = requireSymbol(p.symbol)
  const interval = requireEnum(p.interval, KLINE_INTERVALS, 'interval')
  const startTime = requireSeconds(p.startTime, 'startTime')
  const endTime =
    p.endTime === undefined ? undefined : requireSeconds(p.endTime, 'endTime')
  const priceType = optionalEnum(
    p.priceType,
    ['Last', 'Index', 'Mark'],
    'priceType',
  )
  return client.request<GetKlinesReturnType>(
    {
      method: 'GET',
      path: '/api/v1/klines',
      query: { symbol, interval, startTime, endTime, priceType },
    },
    options,
  )
}
