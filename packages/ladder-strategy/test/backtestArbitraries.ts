/**
 * What the backtest property tests share (backtest.events.fuzz.test.ts,
 * backtest.kernel.test.ts): the market and fee options they draw, the
 * backtest options built from them, and a path's outcome.
 */
import { fc } from '@fast-check/vitest'
import { type BacktestPath, backtest } from '../src/backtest.js'
import type { BacktestOptions } from '../src/backtestOptions.js'
import type { CandleSeries } from '../src/candles/series.js'
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
