/**
 * A range index over a candle series, for a backtest that jumps from event
 * to event instead of walking every candle (issue: event-driven backtest).
 *
 * Between two events the machine's state is fixed, so the only candles that
 * matter are the first whose low reaches a price below, or whose high
 * reaches a price above ({@link CandleRangeIndex.firstOutside}), and the
 * equity figures between two events follow from the closes' minimum,
 * maximum and largest drop over the range ({@link CandleRangeIndex.closeSummary}),
 * because equity is linear in the close while the position is fixed.
 *
 * Layout: levels of blocks of {@link FANOUT} (16) entries each: level 1
 * summarises 16 candles, level 2 summarises 16 level-1 blocks (256 candles),
 * and so on up to one block. Each block keeps the max high, min low, and
 * the min, max and largest drop (max over i <= j of close[i] - close[j]) of
 * its closes. Every figure is an integer in the series' units, so each
 * comparison and difference is exact. All levels live in one buffer (a
 * SharedArrayBuffer when asked), so worker threads share the index as they
 * share the candles.
 */
import type { CandleSeries } from './series.js'

/** Entries per block at every level. @internal */
export const FANOUT = 16
const SHIFT = 4 // log2(FANOUT)

/** Fields stored per block, in this order. */
const HIGH = 0
const LOW = 1
const CMIN = 2
const CMAX = 3
const DROP = 4
const FIELDS = 5

/** The closes' summary over a range of candles. @internal */
export interface CloseSummary {
  /** Lowest close (series units). */
  min: number
  /** Highest close. */
  max: number
  /**
   * Largest drop inside the range in time order: max over i <= j of
   * close[i] - close[j] (0 when the closes never fall).
   */
  drop: number
}

/** @internal */
export interface CandleRangeIndex {
  /** Number of candles indexed. */
  readonly length: number
  /** Bytes held by the block levels (the candles themselves not counted). */
  readonly bytes: number
  /** The buffer holding the levels (share it with {@link rangeIndexFromBuffer}). */
  readonly buffer: ArrayBufferLike
  /**
   * The first candle c in [from, to) with low[c] <= lo or high[c] >= hi,
   * or `to` when every candle of the range stays strictly inside. Pass
   * -Infinity / +Infinity to ignore a side.
   */
  firstOutside(from: number, to: number, lo: number, hi: number): number
  /** The closes' min, max and largest drop over [from, to) (to > from). */
  closeSummary(from: number, to: number): CloseSummary
}

/** Level sizes: blocks at level 1, 2, ... until a level has one block. */
function levelSizes(n: number): number[] {
  const sizes: number[] = []
  let size = n
  do {
    size = Math.ceil(size / FANOUT)
    sizes.push(size)
  } while (size > 1)
  return sizes
}

/**
 * Builds the range index of a series (one pass per level, O(n) time, about
 * n / 15 blocks of 5 doubles: 2.7 bytes per candle).
 *
 * @param series - The candles.
 * @param shared - Put the levels in a SharedArrayBuffer (for worker threads).
 */
export function buildRangeIndex(
  series: CandleSeries,
  shared = false,
): CandleRangeIndex {
  const n = series.length
  const sizes = levelSizes(n)
  const total = sizes.reduce((a, b) => a + b, 0)
  const bytes = total * FIELDS * 8
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  const levels = viewLevels(buffer, sizes)
  const { high, low, close } = series
  // Level 1 from the candles.
  const first = levels[0] as Float64Array
  for (let b = 0; b < (sizes[0] as number); b++) {
    const start = b << SHIFT
    const end = Math.min(n, start + FANOUT)
    let h = Number.NEGATIVE_INFINITY
    let l = Number.POSITIVE_INFINITY
    let cmin = Number.POSITIVE_INFINITY
    let cmax = Number.NEGATIVE_INFINITY
    let drop = 0
    for (let c = start; c < end; c++) {
      const hc = high[c] as number
      const lc = low[c] as number
      const cc = close[c] as number
      if (hc > h) h = hc
      if (lc < l) l = lc
      if (cmax - cc > drop) drop = cmax - cc
      if (cc > cmax) cmax = cc
      if (cc < cmin) cmin = cc
    }
    const o = b * FIELDS
    first[o + HIGH] = h
    first[o + LOW] = l
    first[o + CMIN] = cmin
    first[o + CMAX] = cmax
    first[o + DROP] = drop
  }
  // Each higher level from the one below.
  for (let k = 1; k < sizes.length; k++) {
    const below = levels[k - 1] as Float64Array
    const belowSize = sizes[k - 1] as number
    const level = levels[k] as Float64Array
    for (let b = 0; b < (sizes[k] as number); b++) {
      const start = b << SHIFT
      const end = Math.min(belowSize, start + FANOUT)
      const o = b * FIELDS
      let s = start * FIELDS
      level[o + HIGH] = below[s + HIGH] as number
      level[o + LOW] = below[s + LOW] as number
      level[o + CMIN] = below[s + CMIN] as number
      level[o + CMAX] = below[s + CMAX] as number
      level[o + DROP] = below[s + DROP] as number
      for (let c = start + 1; c < end; c++) {
        s = c * FIELDS
        combineInto(level, o, below, s)
      }
    }
  }
  return makeIndex(series, buffer, sizes, levels, bytes)
}

/**
 * The index of {@link buildRangeIndex} over a buffer it made (for example in
 * a worker thread, with the series rebuilt by `seriesFromBuffer`).
 */
export function rangeIndexFromBuffer(
  series: CandleSeries,
  buffer: ArrayBufferLike,
): CandleRangeIndex {
  const sizes = levelSizes(series.length)
  const bytes = sizes.reduce((a, b) => a + b, 0) * FIELDS * 8
  if (buffer.byteLength !== bytes)
    throw new RangeError(
      `the range index buffer holds ${buffer.byteLength} bytes; a series of ${series.length} candles needs ${bytes}`,
    )
  return makeIndex(series, buffer, sizes, viewLevels(buffer, sizes), bytes)
}

function viewLevels(buffer: ArrayBufferLike, sizes: number[]): Float64Array[] {
  const levels: Float64Array[] = []
  let offset = 0
  for (const size of sizes) {
    levels.push(new Float64Array(buffer, offset * 8, size * FIELDS))
    offset += size * FIELDS
  }
  return levels
}

/** Appends the block at `src[s]` (later in time) to the summary at `dst[o]`. */
function combineInto(
  dst: Float64Array,
  o: number,
  src: Float64Array,
  s: number,
) {
  const h = src[s + HIGH] as number
  const l = src[s + LOW] as number
  const cmin = src[s + CMIN] as number
  const cmax = src[s + CMAX] as number
  const drop = src[s + DROP] as number
  if (h > (dst[o + HIGH] as number)) dst[o + HIGH] = h
  if (l < (dst[o + LOW] as number)) dst[o + LOW] = l
  const across = (dst[o + CMAX] as number) - cmin
  let d = dst[o + DROP] as number
  if (drop > d) d = drop
  if (across > d) d = across
  dst[o + DROP] = d
  if (cmax > (dst[o + CMAX] as number)) dst[o + CMAX] = cmax
  if (cmin < (dst[o + CMIN] as number)) dst[o + CMIN] = cmin
}

function makeIndex(
  series: CandleSeries,
  buffer: ArrayBufferLike,
  sizes: number[],
  levels: Float64Array[],
  bytes: number,
): CandleRangeIndex {
  const { high, low, close } = series
  const depth = sizes.length
  const acc = new Float64Array(FIELDS)
  // spans[k]: candles in a block of level k (16^k), as exact doubles.
  const spans = Array.from({ length: depth + 1 }, (_, k) => FANOUT ** k)
  // Up to 2^26 candles (128 years of minutes) every span and index is a
  // small integer: alignment and block numbers by bit operations (a double
  // % is a call into the C library, on every step of every jump).
  const small = series.length <= 2 ** 26

  /** Largest level k (0 = candles) whose aligned block at i fits in [i, to). */
  const widest = (i: number, to: number): number => {
    let k = 0
    if (small) {
      while (k < depth) {
        const bits = (k + 1) * SHIFT
        if ((i & ((1 << bits) - 1)) !== 0 || i + (1 << bits) > to) break
        k++
      }
      return k
    }
    while (k < depth) {
      const span = spans[k + 1] as number
      if (i % span !== 0 || i + span > to) break
      k++
    }
    return k
  }
  /** The block of level k >= 1 holding candle i, as an offset into its level. */
  const blockAt = (i: number, k: number): number =>
    small
      ? (i >> (k * SHIFT)) * FIELDS
      : Math.floor(i / (spans[k] as number)) * FIELDS

  const firstOutside = (
    from: number,
    to: number,
    lo: number,
    hi: number,
  ): number => {
    let i = from
    while (i < to) {
      let k = widest(i, to)
      // Skip the widest quiet block at i; otherwise descend into it (a
      // block that is not quiet holds a candle that is not).
      for (;;) {
        if (k === 0) {
          if ((low[i] as number) <= lo || (high[i] as number) >= hi) return i
          i++
          break
        }
        const level = levels[k - 1] as Float64Array
        const o = blockAt(i, k)
        if (
          (level[o + LOW] as number) > lo &&
          (level[o + HIGH] as number) < hi
        ) {
          i += spans[k] as number
          break
        }
        k--
      }
    }
    return to
  }

  const closeSummary = (from: number, to: number): CloseSummary => {
    if (!(to > from))
      throw new RangeError(`closeSummary needs to > from; got [${from}, ${to})`)
    acc[HIGH] = Number.NEGATIVE_INFINITY
    acc[LOW] = Number.POSITIVE_INFINITY
    acc[CMIN] = Number.POSITIVE_INFINITY
    acc[CMAX] = Number.NEGATIVE_INFINITY
    acc[DROP] = 0
    let i = from
    while (i < to) {
      const k = widest(i, to)
      if (k === 0) {
        const cc = close[i] as number
        const across = (acc[CMAX] as number) - cc
        if (across > (acc[DROP] as number)) acc[DROP] = across
        if (cc > (acc[CMAX] as number)) acc[CMAX] = cc
        if (cc < (acc[CMIN] as number)) acc[CMIN] = cc
        i++
      } else {
        combineInto(acc, 0, levels[k - 1] as Float64Array, blockAt(i, k))
        i += spans[k] as number
      }
    }
    return {
      min: acc[CMIN] as number,
      max: acc[CMAX] as number,
      drop: acc[DROP] as number,
    }
  }

  return { length: series.length, bytes, buffer, firstOutside, closeSummary }
}
