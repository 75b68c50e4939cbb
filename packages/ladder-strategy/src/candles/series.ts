/**
 * The in-memory form of candles: six Float64Array columns of integer units
 * in one buffer (exact below 2^53), so a backtest never parses text again
 * and a sweep can share them between threads without copying.
 */
import type { DecimalString } from '../types.js'

/**
 * Candles as columns of integers: prices in units of 10^-priceScale,
 * volumes in units of 10^-volumeScale, times in ms. Build one with
 * {@link parseCandlesCsv}, {@link candlesFromRows} or `readCandlesCsv` (`@rung/ladder-strategy/node`).
 */
export interface CandleSeries {
  /** Number of candles. */
  length: number
  /** Open time of each candle (ms since the epoch), strictly increasing. */
  openTime: Float64Array
  /** Open prices, in units of 10^-priceScale. */
  open: Float64Array
  /** High prices, in units of 10^-priceScale. */
  high: Float64Array
  /** Low prices, in units of 10^-priceScale. */
  low: Float64Array
  /** Close prices, in units of 10^-priceScale. */
  close: Float64Array
  /** Volumes, in units of 10^-volumeScale. */
  volume: Float64Array
  /** Decimal places of the price columns. */
  priceScale: number
  /** Decimal places of the volume column. */
  volumeScale: number
}

/** One candle as plain data (decimal strings, or JSON numbers converted by their shortest text). */
export interface CandleRow {
  /** Open time (ms since the epoch). */
  openTime: number
  /** Open price. */
  open: DecimalString | number
  /** High price. */
  high: DecimalString | number
  /** Low price. */
  low: DecimalString | number
  /** Close price. */
  close: DecimalString | number
  /** Volume. */
  volume: DecimalString | number
}

/** Byte layout shared by every series: six Float64 columns in one buffer. @internal */
export function allocateSeries(
  length: number,
  shared: boolean,
): Omit<CandleSeries, 'priceScale' | 'volumeScale'> & {
  buffer: ArrayBufferLike
} {
  const bytes = length * 8 * 6
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  const {
    priceScale: _p,
    volumeScale: _v,
    ...columns
  } = seriesFromBuffer(buffer, length, 0, 0)
  return { buffer, ...columns }
}

/**
 * Rebuilds a series over a buffer made by {@link copyToSharedBuffer} (for
 * example in a worker thread). @internal
 */
export function seriesFromBuffer(
  buffer: ArrayBufferLike,
  length: number,
  priceScale: number,
  volumeScale: number,
): CandleSeries {
  const col = (k: number) => new Float64Array(buffer, k * length * 8, length)
  return {
    length,
    openTime: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
    priceScale,
    volumeScale,
  }
}

/** Copies a series into one SharedArrayBuffer (for worker threads). @internal */
export function copyToSharedBuffer(series: CandleSeries): SharedArrayBuffer {
  const out = allocateSeries(series.length, true)
  out.openTime.set(series.openTime)
  out.open.set(series.open)
  out.high.set(series.high)
  out.low.set(series.low)
  out.close.set(series.close)
  out.volume.set(series.volume)
  return out.buffer as SharedArrayBuffer
}

/**
 * A view of candles `start` (inclusive) to `end` (exclusive), sharing the
 * memory of the original series (no copy).
 *
 * @param series - The candles.
 * @param start - First index.
 * @param end - One past the last index.
 * @returns The slice.
 * @example
 * ```ts
 * import { sliceCandles } from '@rung/ladder-strategy'
 * import { readCandlesCsv } from '@rung/ladder-strategy/node'
 * const january = sliceCandles(await readCandlesCsv('btc.csv.gz'), 0, 31 * 1440)
 * ```
 */
export function sliceCandles(
  series: CandleSeries,
  start: number,
  end: number = series.length,
): CandleSeries {
  const from = Math.max(0, Math.min(series.length, Math.floor(start)))
  const to = Math.max(from, Math.min(series.length, Math.floor(end)))
  return {
    length: to - from,
    openTime: series.openTime.subarray(from, to),
    open: series.open.subarray(from, to),
    high: series.high.subarray(from, to),
    low: series.low.subarray(from, to),
    close: series.close.subarray(from, to),
    volume: series.volume.subarray(from, to),
    priceScale: series.priceScale,
    volumeScale: series.volumeScale,
  }
}
