import { describe, expect, test } from 'vitest'
import { buildRangeIndex } from './rangeIndex.js'
import {
  adoptRangeIndex,
  rangeIndexOf,
  sharedRangeIndex,
} from './rangeIndexCache.js'
import {
  allocateSeries,
  type CandleSeries,
  copyToSharedBuffer,
  seriesFromBuffer,
} from './series.js'

function series(closes: readonly number[]): CandleSeries {
  const out = allocateSeries(closes.length, false)
  closes.forEach((close, c) => {
    out.openTime[c] = c * 60_000
    out.open[c] = close
    out.close[c] = close
    out.high[c] = close + 2
    out.low[c] = close - 3
    out.volume[c] = 1
  })
  return { ...out, priceScale: 0, volumeScale: 0 }
}

const closes = Array.from({ length: 700 }, (_, c) => 1000 + ((c * 37) % 101))

describe('rangeIndexOf', () => {
  test('default: built once per series, with the checks the event path needs', () => {
    const s = series(closes)
    const first = rangeIndexOf(s)
    expect(rangeIndexOf(s)).toBe(first)
    expect(first.ordered).toBe(true)
    expect(first.maxClose).toBe(Math.max(...closes))
    expect(first.index.firstOutside(0, s.length, 0, 1103)).toBe(
      buildRangeIndex(s).firstOutside(0, s.length, 0, 1103),
    )
  })

  test('behavior: a series object given other columns is indexed anew', () => {
    const s = series(closes)
    const first = rangeIndexOf(s)
    s.close = s.close.map((c) => c + 500)
    const again = rangeIndexOf(s)
    expect(again).not.toBe(first)
    expect(again.maxClose).toBe(Math.max(...closes) + 500)
    expect(rangeIndexOf(s)).toBe(again)
  })

  test('behavior: a low above its high, or an open time not after the one before, is not ordered', () => {
    const lowAbove = series(closes)
    lowAbove.low[5] = (lowAbove.high[5] as number) + 1
    expect(rangeIndexOf(lowAbove).ordered).toBe(false)
    const sameTime = series(closes)
    sameTime.openTime[9] = sameTime.openTime[8] as number
    expect(rangeIndexOf(sameTime).ordered).toBe(false)
  })
})

describe('sharedRangeIndex', () => {
  test('behavior: another thread adopts the shared buffer without a rebuild, same answers', () => {
    const s = series(closes)
    const buffer = sharedRangeIndex(s)
    expect(buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(sharedRangeIndex(s)).toBe(buffer)
    // What a worker does: the series over the candles' shared buffer.
    const there = seriesFromBuffer(copyToSharedBuffer(s), s.length, 0, 0)
    adoptRangeIndex(there, buffer)
    const adopted = rangeIndexOf(there)
    expect(adopted.index.buffer).toBe(buffer)
    const fresh = buildRangeIndex(s)
    for (const [from, to] of [
      [0, 700],
      [13, 500],
      [256, 257],
    ] as const) {
      expect(adopted.index.closeSummary(from, to)).toEqual(
        fresh.closeSummary(from, to),
      )
      expect(adopted.index.firstOutside(from, to, 1000, 1100)).toBe(
        fresh.firstOutside(from, to, 1000, 1100),
      )
    }
  })

  test('error: a buffer for another length', () => {
    const buffer = sharedRangeIndex(series(closes))
    expect(() =>
      adoptRangeIndex(series(closes.slice(0, 100)), buffer),
    ).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: the range index buffer holds 1920 bytes; a series of 100 candles needs 320]`,
    )
  })
})
