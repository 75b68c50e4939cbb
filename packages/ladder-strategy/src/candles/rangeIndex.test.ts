import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { buildRangeIndex, rangeIndexFromBuffer } from './rangeIndex.js'
import { allocateSeries, type CandleSeries } from './series.js'

/** A series of integer prices from a random walk (low <= open, close <= high). */
function series(
  steps: readonly number[],
  spread: readonly number[],
): CandleSeries {
  const out = allocateSeries(steps.length, false)
  let price = 10_000
  for (let c = 0; c < steps.length; c++) {
    const open = price
    price = Math.max(1, price + (steps[c] as number))
    const s = spread[c % spread.length] as number
    out.openTime[c] = c * 60_000
    out.open[c] = open
    out.close[c] = price
    out.high[c] = Math.max(open, price) + s
    out.low[c] = Math.max(0, Math.min(open, price) - s)
    out.volume[c] = 1
  }
  return { ...out, priceScale: 0, volumeScale: 0 }
}

const bruteFirstOutside = (
  s: CandleSeries,
  from: number,
  to: number,
  lo: number,
  hi: number,
) => {
  for (let c = from; c < to; c++)
    if ((s.low[c] as number) <= lo || (s.high[c] as number) >= hi) return c
  return to
}

const bruteSummary = (s: CandleSeries, from: number, to: number) => {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let drop = 0
  for (let c = from; c < to; c++) {
    const x = s.close[c] as number
    if (max - x > drop) drop = max - x
    if (x > max) max = x
    if (x < min) min = x
  }
  return { min, max, drop }
}

const seriesArb = fc
  .record({
    // size 'max': lengths spread over the whole range, so ranges cross
    // blocks of 16, 256 and 4096 candles (the default size stays near 10).
    steps: fc.array(fc.integer({ min: -40, max: 40 }), {
      minLength: 1,
      maxLength: 5000,
      size: 'max',
    }),
    spread: fc.array(fc.integer({ min: 0, max: 30 }), {
      minLength: 1,
      maxLength: 7,
    }),
  })
  .map(({ steps, spread }) => series(steps, spread))

const queryArb = fc.record({
  // Integers, not doubles in [0, 1] (fast-check biases those to the ends,
  // which would keep every range aligned on a block).
  a: fc.nat({ max: 1_000_000 }),
  b: fc.nat({ max: 1_000_000 }),
  loOffset: fc.integer({ min: -300, max: 50 }),
  hiOffset: fc.integer({ min: -50, max: 300 }),
  ignore: fc.constantFrom('none' as const, 'lo' as const, 'hi' as const),
})

describe('buildRangeIndex', () => {
  propTest.prop([
    seriesArb,
    fc.array(queryArb, { minLength: 1, maxLength: 20 }),
  ])(
    'behavior: firstOutside and closeSummary agree with a walk over every candle',
    (s, queries) => {
      const index = buildRangeIndex(s)
      for (const q of queries) {
        const x = q.a % s.length
        const y = q.b % (s.length + 1)
        const from = Math.min(x, y)
        const to = Math.max(x, y)
        const ref = s.close[from] ?? 10_000
        const lo =
          q.ignore === 'lo' ? Number.NEGATIVE_INFINITY : ref + q.loOffset
        const hi =
          q.ignore === 'hi' ? Number.POSITIVE_INFINITY : ref + q.hiOffset
        expect(index.firstOutside(from, to, lo, hi)).toBe(
          bruteFirstOutside(s, from, to, lo, hi),
        )
        if (to > from)
          expect(index.closeSummary(from, to)).toEqual(
            bruteSummary(s, from, to),
          )
      }
    },
  )

  test('behavior: block edges (16, 256, 4096 candles) and a single candle', () => {
    for (const n of [1, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097]) {
      // A walk that drifts (so ranges differ) with a wiggle.
      const steps = Array.from({ length: n }, (_, i) => ((i * 7919) % 61) - 29)
      const s = series(steps, [3, 0, 9])
      const index = buildRangeIndex(s)
      for (const [from, to] of [
        [0, n],
        [0, 1],
        [n - 1, n],
        [Math.floor(n / 3), n],
        [5, Math.min(n, 300)],
        [17, n - 3],
      ] as const) {
        if (to <= from) continue
        expect([n, from, to, index.closeSummary(from, to)]).toEqual([
          n,
          from,
          to,
          bruteSummary(s, from, to),
        ])
        const mid = s.close[from] as number
        expect(index.firstOutside(from, to, mid - 20, mid + 20)).toBe(
          bruteFirstOutside(s, from, to, mid - 20, mid + 20),
        )
      }
    }
  })

  test('behavior: a range that never leaves the band returns its end', () => {
    const s = series([1, -1, 1, -1, 1, -1], [0])
    const index = buildRangeIndex(s)
    expect(index.firstOutside(0, 6, 0, 1_000_000)).toBe(6)
    expect(index.firstOutside(3, 3, 0, 1)).toBe(3)
  })

  test('args: shared builds the levels in a SharedArrayBuffer another thread can view', () => {
    const s = series(
      Array.from({ length: 1000 }, (_, i) => (i % 9) - 4),
      [2],
    )
    const index = buildRangeIndex(s, true)
    expect(index.buffer).toBeInstanceOf(SharedArrayBuffer)
    const view = rangeIndexFromBuffer(s, index.buffer)
    expect(view.closeSummary(10, 990)).toEqual(index.closeSummary(10, 990))
    expect(view.firstOutside(0, 1000, 9990, 10_010)).toBe(
      index.firstOutside(0, 1000, 9990, 10_010),
    )
    expect(index.bytes).toBe(index.buffer.byteLength)
  })

  test('error: a buffer of the wrong size, an empty summary range', () => {
    const s = series([1, 2, 3], [1])
    expect(() => rangeIndexFromBuffer(s, new ArrayBuffer(8))).toThrow(
      /holds 8 bytes; a series of 3 candles needs 40/,
    )
    expect(() => buildRangeIndex(s).closeSummary(2, 2)).toThrow(/to > from/)
  })
})
