/**
 * What the backtest property tests share (backtest.events.fuzz.test.ts,
 * backtest.kernel.test.ts): synthetic series, the market and fee options
 * they draw, the backtest options built from them, and a path's outcome.
 */
import { fc } from '@fast-check/vitest'
import { type BacktestPath, backtest } from '../src/backtest.js'
import type { BacktestOptions } from '../src/backtestOptions.js'
import { allocateSeries, type CandleSeries } from '../src/candles/series.js'
import type { LadderConfig } from '../src/types.js'

/** Tick and step sizes, fees, equity points and the trade list. */
export const optionsArb = fc.record({
  tickSize: fc.constantFrom('0.1', '0.01', '0.001'),
  stepSize: fc.constantFrom('0.001', '0.01'),
  maker: fc.constantFrom(undefined, '0', '0.08'),
  taker: fc.constantFrom(undefined, '0.1'),
  equityPoints: fc.constantFrom(undefined, 1, 3, 7, 50),
  trades: fc.boolean(),
})

/** One draw of {@link optionsArb}. */
export type DrawnOptions =
  typeof optionsArb extends fc.Arbitrary<infer T> ? T : never

/** The backtest options of a draw, on these candles with this config. */
export function build(
  o: DrawnOptions,
  candles: CandleSeries,
  config: LadderConfig,
): BacktestOptions {
  return {
    candles,
    config,
    market: {
      symbol: 'BTC_USDC',
      tickSize: o.tickSize,
      stepSize: o.stepSize,
      minQuantity: o.stepSize,
    },
    fees: { makerPercentage: o.maker, takerPercentage: o.taker },
    equityPoints: o.equityPoints,
    trades: o.trades,
  }
}

/** The outcome of a path: its report, or the message it threw. */
export function outcome(options: BacktestOptions, path: BacktestPath) {
  try {
    return backtest(options, path)
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** A stretch of a synthetic series. */
export interface Stretch {
  length: number
  /** Largest move of a close, in cents. */
  step: number
  /** Largest wick beyond open and close, in cents. */
  wick: number
  /** Every `spike`-th candle's low falls by a tenth (0 or absent: none). */
  spike?: number
  /** Minutes missing before the stretch (a gap in the open times). */
  gap?: number
}

/** Series in cents (priceScale 2) around 100.00 from calm, wild and spiky stretches. */
export function series(
  stretches: readonly Stretch[],
  seed: number,
): CandleSeries {
  const n = stretches.reduce((a, s) => a + s.length, 0)
  const out = allocateSeries(n, false)
  let cents = 10_000
  let time = 1_700_000_000_000
  let c = 0
  // A small deterministic generator inside a stretch (fast-check picks the
  // stretches and the seed): long series without a huge arbitrary.
  let x = seed >>> 0 || 1
  const next = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
  for (const s of stretches) {
    time += (s.gap ?? 0) * 60_000
    for (let k = 0; k < s.length; k++, c++) {
      const open = cents
      cents = Math.max(1_000, cents + Math.round((next() * 2 - 1) * s.step))
      out.openTime[c] = time
      time += 60_000
      out.open[c] = open
      out.close[c] = cents
      out.high[c] = Math.max(open, cents) + Math.round(next() * s.wick)
      let lo = Math.min(open, cents) - Math.round(next() * s.wick)
      const spike = s.spike ?? 0
      if (spike > 0 && k % spike === spike - 1) lo = Math.round(lo * 0.9)
      out.low[c] = Math.max(1, lo)
      out.volume[c] = 1
    }
  }
  return { ...out, priceScale: 2, volumeScale: 0 }
}
