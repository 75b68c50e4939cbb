/**
 * Which backtests the kernel (./run.ts) runs: {@link kernelIneligibility}
 * names the first reason it does not, and the event-driven backtest then
 * drives the machine (`backtest(options, 'machine')`), unchanged.
 */
import type { IndexedSeries } from '../../candles/rangeIndexCache.js'
import type { BacktestRun } from '../types.js'

/**
 * Why the kernel does not run this backtest, or null when it does. The
 * kernel runs model v1 as the machine does for the classic options and
 * those around them (orderCount, totalAmount, incrementPercentage,
 * minOrderAmount, stepScale, firstRungOffsetPercentage, maxDropPercentage,
 * takeProfitPercentage, feeAwareTakeProfit, stopLossPercentage,
 * coolDownMinutes, noFillRestartMinutes, autoRestartNoFill,
 * restartAfterTakeProfit, maxCycles, postOnly, any fees, trades on or
 * off). Everything else is left to the machine:
 *
 * - a limit take profit (`takeProfitOrder: 'limit'`: resting sells, their
 *   cancels and re-syncs),
 * - a trailing take profit, a multi-step take profit (`takeProfitSteps`),
 * - rolling rungs (`activeOrderCount`), a price band (`minPrice`,
 *   `maxPrice`),
 * - a series the range index cannot serve (a low above its high, open
 *   times not strictly increasing), a close of 0 or less (the machine
 *   warns about such a price), and prices whose integer in the common
 *   scale would pass 2^53 - 1 (the kernel compares them as numbers).
 *
 * @internal
 */
export function kernelIneligibility(
  run: BacktestRun,
  indexed: IndexedSeries,
): string | null {
  const { config, dv, candles } = run
  if (config.takeProfitOrder !== 'market') return 'takeProfitOrder'
  if (config.trailingTakeProfitPercentage !== false || dv.trailMul !== null)
    return 'trailingTakeProfitPercentage'
  if (dv.steps !== null || Array.isArray(config.takeProfitSteps))
    return 'takeProfitSteps'
  if (typeof config.activeOrderCount === 'number') return 'activeOrderCount'
  if (typeof config.minPrice === 'string' || dv.minPriceTicks !== 0)
    return 'minPrice'
  if (typeof config.maxPrice === 'string') return 'maxPrice'
  if (!indexed.ordered) return 'candles: not ordered'
  const n = candles.length
  const { index } = indexed
  const closes = index.closeSummary(0, n)
  if (!(closes.min > 0)) return 'candles: a close <= 0'
  // Every high, in the common scale S, a safe integer (so is every close
  // and every rung price under it); the scale as the simulator sets it.
  const S = Math.max(candles.priceScale, dv.tickDec)
  const candleToS = 10 ** (S - candles.priceScale)
  const tickToS = 10 ** (S - dv.tickDec)
  if (!Number.isSafeInteger(candleToS) || !Number.isSafeInteger(tickToS))
    return 'scale'
  const highest = Math.floor(Number.MAX_SAFE_INTEGER / candleToS)
  if (
    index.firstOutside(0, n, Number.NEGATIVE_INFINITY, highest + 1) < n ||
    !Number.isSafeInteger(closes.max)
  )
    return 'candles: a price above 2^53 - 1 in the common scale'
  return null
}
