/**
 * One range index per candle series, built on first use and shared by
 * every backtest over that series (every set of a sweep), and, in worker
 * threads, mapped from the buffer the pool built it in (no rebuild).
 */
import {
  buildRangeIndex,
  type CandleRangeIndex,
  rangeIndexFromBuffer,
} from './rangeIndex.js'
import type { CandleSeries } from './series.js'

/** A series' range index and what the event-driven backtest checks once. @internal */
export interface IndexedSeries {
  index: CandleRangeIndex
  /**
   * Whether every candle has low <= high and the open times strictly
   * increase (true of every parsed series; a hand-made one may break it):
   * the event-driven backtest relies on both, and walks the candles when
   * either fails.
   */
  ordered: boolean
  /** The highest close (series units; 0 for no candle). */
  maxClose: number
  /** The columns indexed (a series object given other columns is indexed anew). */
  columns: readonly Float64Array[]
}

const cache = new WeakMap<CandleSeries, IndexedSeries>()

const columnsOf = (s: CandleSeries) => [s.openTime, s.high, s.low, s.close]

/** The cached entry, if it was built over the columns the series holds now. */
function cached(series: CandleSeries): IndexedSeries | undefined {
  const known = cache.get(series)
  if (!known || known.index.length !== series.length) return undefined
  const now = columnsOf(series)
  return known.columns.every((col, k) => col === now[k]) ? known : undefined
}

function describe(
  series: CandleSeries,
  index: CandleRangeIndex,
): IndexedSeries {
  const { length, low, high, close, openTime } = series
  let ordered = true
  let maxClose = 0
  for (let c = 0; c < length; c++) {
    if (!((low[c] as number) <= (high[c] as number))) ordered = false
    if (c > 0 && !((openTime[c] as number) > (openTime[c - 1] as number)))
      ordered = false
    if ((close[c] as number) > maxClose) maxClose = close[c] as number
  }
  const indexed = { index, ordered, maxClose, columns: columnsOf(series) }
  cache.set(series, indexed)
  return indexed
}

/**
 * The series' index, built once per series object (kept as long as the
 * series is; built anew when the object holds other columns). Candles
 * changed in place inside the same arrays are not seen: series are treated
 * as immutable once made (the parsers and `sliceCandles` make new ones).
 * @internal
 */
export function rangeIndexOf(series: CandleSeries): IndexedSeries {
  return cached(series) ?? describe(series, buildRangeIndex(series))
}

/**
 * Builds the series' index in a SharedArrayBuffer (for worker threads that
 * share the candles) and keeps it for this thread too. @internal
 */
export function sharedRangeIndex(series: CandleSeries): ArrayBufferLike {
  const known = cached(series)
  if (known && known.index.buffer instanceof SharedArrayBuffer)
    return known.index.buffer
  return describe(series, buildRangeIndex(series, true)).index.buffer
}

/**
 * Adopts an index built by {@link sharedRangeIndex} in another thread for
 * the same candles (rebuilt there over the shared buffer). @internal
 * @throws {RangeError} when the buffer does not fit the series.
 */
export function adoptRangeIndex(
  series: CandleSeries,
  buffer: ArrayBufferLike,
): void {
  describe(series, rangeIndexFromBuffer(series, buffer))
}
