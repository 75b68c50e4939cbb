/**
 * Backpack's kline intervals and their lengths, shared by the SDK's
 * `getKlines` check, the simulator's klines, and tools that page candles.
 */
import type { KlineInterval } from '../types/ws.js'

/**
 * Length of each kline interval in seconds. `1month` is counted as 30 days
 * (a calendar month varies; use it for rough paging only).
 *
 * @example
 * ```ts
 * import { KLINE_INTERVAL_SECONDS } from '@rung/backpack-sdk'
 *
 * KLINE_INTERVAL_SECONDS['15m'] // 900
 * Object.keys(KLINE_INTERVAL_SECONDS) // every interval getKlines accepts
 * ```
 */
export const KLINE_INTERVAL_SECONDS: Readonly<Record<KlineInterval, number>> =
  Object.freeze({
    '1s': 1,
    '1m': 60,
    '3m': 180,
    '5m': 300,
    '15m': 900,
    '30m': 1800,
    '1h': 3600,
    '2h': 7200,
    '4h': 14400,
    '6h': 21600,
    '8h': 28800,
    '12h': 43200,
    '1d': 86400,
    '3d': 259200,
    '1w': 604800,
    '1month': 2592000,
  })

/**
 * Whether `value` names a kline interval (`'1m'`, `'1h'`, `'1month'`...).
 *
 * @example
 * ```ts
 * import { isKlineInterval } from '@rung/backpack-sdk'
 *
 * isKlineInterval('1m') // true
 * isKlineInterval('2m') // false
 * ```
 */
export function isKlineInterval(value: unknown): value is KlineInterval {
  return (
    typeof value === 'string' && Object.hasOwn(KLINE_INTERVAL_SECONDS, value)
  )
}
