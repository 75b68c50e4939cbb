/** Time units of candle files, and how `'auto'` tells them apart. */

/**
 * Unit of the open times in a candle file: `'auto'` tells seconds,
 * milliseconds and microseconds apart (see {@link CandleCsvOptions}).
 */
export type CandleTimeUnit = 'auto' | 's' | 'ms' | 'us'

/** Fields of a line of Binance's kline files (ours have 6). */
export const BINANCE_FIELDS = 12

/**
 * Time units and the raw times `auto` recognises as each, [lo, hi): 10, 13
 * and 16 digits from 2001-09-09 on (µs up to 2^53, the year 2255).
 */
export const UNITS = {
  s: { name: 'seconds', lo: 1e9, hi: 1e10 },
  ms: { name: 'milliseconds', lo: 1e12, hi: 1e13 },
  us: { name: 'microseconds', lo: 1e15, hi: 2 ** 53 },
} as const

export type Unit = keyof typeof UNITS

/** The unit `auto` recognises a raw time in, if any. */
export const unitOf = (raw: number): Unit | undefined =>
  (Object.keys(UNITS) as Unit[]).find(
    (u) => raw >= UNITS[u].lo && raw < UNITS[u].hi,
  )
