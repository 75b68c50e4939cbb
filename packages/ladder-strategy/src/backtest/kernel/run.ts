/**
 * The backtest kernel: the event-driven backtest of model v1 on the
 * kernel's mutable integer state (./state.ts), for the configs
 * {@link kernelIneligibility} accepts (./eligible.ts); its report is the
 * one of walking every candle through the machine, to the unit. The candle
 * order is the simulator's (../simulator.ts, drawn in ../../backtest.ts);
 * the jumps are those of ../paths.ts, with the quiet range of ../quiet.ts
 * read off the kernel's integers:
 *
 * ```
 * from = 1
 * loop: (lo, hi, until) = the quiet range of the state
 *         laddering:   lo = the top bid's bound,        until = no-fill
 *         inPosition:  lo = max(top bid, stop loss),    hi = take profit
 *         coolingDown: until = the end of the cool-down
 *         stopped:     nothing happens any more
 *       to   = first candle whose close time reaches `until`
 *       next = index.firstOutside(from, to, lo, hi)
 *       markRange(from, next); candle(next); mark(next); from = next + 1
 * ```
 */
import type { BacktestReport } from '../../backtestOptions.js'
import { rangeIndexOf } from '../../candles/rangeIndexCache.js'
import { EquityTracker } from '../equity.js'
import { markRange } from '../equityRange.js'
import { firstDue } from '../paths.js'
import { floorDivExact } from '../quiet.js'
import { writeReport } from '../report.js'
import type { BacktestRun } from '../types.js'
import { exit, fillBids } from './cycle.js'
import { kernelIneligibility } from './eligible.js'
import { noFillRestart, placeLadder } from './ladder.js'
import { KernelState } from './state.js'

/**
 * The backtest on the kernel, or null when the kernel does not run it
 * (see {@link kernelIneligibility}; also when no rung fits at the first
 * candle, whose error the machine's path throws, or when a figure left the
 * safe integers): the caller then drives the machine. @internal
 */
export function runKernel(run: BacktestRun): BacktestReport | null {
  const { candles, dv } = run
  const indexed = rangeIndexOf(candles)
  if (kernelIneligibility(run, indexed) !== null) return null
  const n = candles.length
  const { openTime, high, low } = candles
  const { index } = indexed
  const k = new KernelState(run)
  const equity = new EquityTracker(
    k,
    candles,
    dv,
    run.maxPoints,
    indexed.maxClose,
  )
  // 1. The first cycle starts at the close of the first candle.
  const at0 = (openTime[0] as number) + 60_000
  if (!placeLadder(k, 0, at0) || k.stopReason !== null) return null
  equity.mark(0)
  // 2. Every later candle, from event to event.
  const candleToS = k.candleToS
  let from = 1
  while (from < n) {
    let lo = Number.NEGATIVE_INFINITY
    let hi = Number.POSITIVE_INFINITY
    let until = Number.POSITIVE_INFINITY
    const status = k.status
    // A bid fills when low x candleToS <= its price in S: low <= bound.
    const topS =
      k.count > k.top
        ? (k.bidTicks[k.top] as number) * k.tickS
        : Number.NEGATIVE_INFINITY
    if (topS !== Number.NEGATIVE_INFINITY)
      lo = candleToS === 1 ? topS : floorDivExact(topS, candleToS)
    if (status === 'inPosition') {
      if (k.slBound > lo) lo = k.slBound
      hi = k.tpBound
    }
    if (k.noFillAt < until) until = k.noFillAt
    if (k.coolDownAt < until) until = k.coolDownAt
    let next = from
    if (status !== 'starting') {
      const to =
        until === Number.POSITIVE_INFINITY
          ? n
          : firstDue(openTime, from, n, until)
      // A timer due at `from` (a no-fill wait of one minute): no jump.
      if (to > from) {
        next =
          lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY
            ? to
            : index.firstOutside(from, to, lo, hi)
        markRange(equity, from, next, index)
      }
    }
    if (next >= n) break
    // One candle of model v1 (Simulator.candle).
    const at = (openTime[next] as number) + 60_000
    const lowS = (low[next] as number) * candleToS
    let exited = false
    // a. Take profit (and stop loss): the high first, then the low.
    if (status === 'inPosition') {
      const highS = (high[next] as number) * candleToS
      if (highS <= k.slS) exit(k, true, at)
      else if (highS >= k.tpS) exit(k, false, at)
      else if (lowS <= k.slS) exit(k, true, at)
      exited = k.status !== 'inPosition'
    }
    if (!exited) {
      // b. Buys, then c. the timers due at the close.
      if (topS >= lowS) fillBids(k, lowS, at)
      if (k.noFillAt <= at && k.status === 'laddering') noFillRestart(k)
      if (k.coolDownAt <= at && k.status === 'coolingDown') {
        k.coolDownAt = Number.POSITIVE_INFINITY
        k.status = 'starting'
      }
    }
    if (k.status === 'starting') placeLadder(k, next, at)
    equity.mark(next)
    from = next + 1
  }
  if (!k.exact) return null
  // 3. The report, with the open position marked at the last close.
  return writeReport(
    {
      status: k.status,
      stopReason: k.stopReason,
      position: k.position,
      totals: k.totals,
      trades: k.trades,
      warnings: k.warnings,
      steps: null,
    },
    equity,
    candles,
    dv,
  )
}
