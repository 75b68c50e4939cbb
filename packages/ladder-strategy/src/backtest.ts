/**
 * The backtester: LADDER-SPEC.md model v1, driving the SAME `step` machine
 * the bot runs, with a tiny exchange simulator in between.
 *
 * ```
 * candle 0: started(price = close, at = close time) -> ladder placed
 * candle c (at = open_time + 60000, its close):
 *   a. take profit: resting limit sells with price <= high fill (maker);
 *      if inPosition: priceUpdated(high) -> market sell fills at the target
 *      (maker, spec) -> the cycle ends; skip b and c.
 *      (extensions: if a stop loss or an armed trailing stop exists,
 *      priceUpdated(low) next: high first, then low, the pessimistic path)
 *   b. buys: every resting bid with price >= low fills completely at its
 *      own price, highest first (maker).
 *   c. timers due at `at` fire (no-fill restart, cool-down).
 *   then, if the machine waits for a price (status 'starting'):
 *      priceUpdated(close) -> the next ladder, placed at the candle's close.
 * ```
 *
 * Fills in c change the average only from the next candle on, because the
 * take-profit check of a candle happens before its buys. Commands are
 * performed at once: cancels are acknowledged immediately (one
 * ordersCanceled for a list, orderCanceled for a single order),
 * market sells fill immediately; orderAccepted is not sent (the machine
 * treats pending orders like open ones).
 *
 * Layout: ./backtest/simulator.ts (the simulator's state, the feed, one
 * candle) with its rooms ./backtest/book.ts (the commands, the resting
 * orders, fills and fees), ./backtest/quiet.ts (quiet prices and candles),
 * ./backtest/restarts.ts (the no-fill restart fast path) and
 * ./backtest/timers.ts; ./backtest/equity.ts (the equity figures) with
 * ./backtest/equityRange.ts (a run of candles marked at once),
 * ./backtest/paths.ts (walking every candle, or jumping from event to event
 * with the candles' range index; both give the same report).
 */

import { EquityTracker } from './backtest/equity.js'
import { runKernel } from './backtest/kernel/run.js'
import { jumpEvents, walkCandles } from './backtest/paths.js'
import { writeReport } from './backtest/report.js'
import { Simulator } from './backtest/simulator.js'
import type { BacktestRun } from './backtest/types.js'
import {
  type BacktestOptions,
  type BacktestReport,
  equityPointsOf,
  feeRate,
} from './backtestOptions.js'
import { candlesFromRows } from './candles/csv.js'
import { rangeIndexOf } from './candles/rangeIndexCache.js'
import type { CandleRow, CandleSeries } from './candles/series.js'
import { LadderConfigError } from './errors.js'
import { initialState } from './machine/state.js'
import { derive } from './plan.js'

/**
 * Runs a backtest of the strategy over 1-minute candles with model v1 of
 * LADDER-SPEC.md, driving the same {@link step} machine the bot runs.
 * Deterministic: the same inputs give the same report, to the last digit.
 * It jumps from event to event over an index of the candles (built once per
 * series and kept with it, so every later backtest over the same series,
 * such as each set of a sweep, reuses it); the report is the one of walking
 * every candle, to the unit. A series is taken as immutable: to change
 * candles, make a new series (or new columns) rather than writing into the
 * arrays of one already backtested.
 *
 * @param options - Candles, config, market rules, fees.
 * @returns The report: cycles, fills, profit, fees, drawdown, equity curve, trades.
 * @throws {LadderConfigError} when the config, market rules or fees are
 *   invalid, or no rung fits at the first candle's close.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, runBacktest } from '@rung/ladder-strategy'
 * import { readCandlesCsv } from '@rung/ladder-strategy/node'
 * const report = runBacktest({
 *   candles: await readCandlesCsv('btcusdt-1m-2024H1.csv.gz'),
 *   config: DEFAULT_LADDER_CONFIG,
 *   market: { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' },
 *   fees: { makerPercentage: '0.08', takerPercentage: '0.1' },
 * })
 * console.log(report.cycles, report.realisedProfit, report.maxDrawdown)
 * ```
 */
export function runBacktest(options: BacktestOptions): BacktestReport {
  return backtest(options, 'events')
}

/**
 * How {@link backtest} goes through the candles: `'events'` jumps from
 * event to event (what {@link runBacktest} does), on the backtest kernel
 * (./backtest/kernel/) when the config is one it runs
 * (`kernelIneligibility`), else as `'machine'`; `'machine'` jumps from
 * event to event driving the {@link step} machine; `'candles'` walks every
 * candle through the machine, skipping the in-position prices inside
 * `triggerBand` (the reference of both event-driven paths); `'everyPrice'`
 * walks every candle and feeds every in-position price (the reference of
 * that shortcut).
 * @internal
 */
export type BacktestPath = 'events' | 'machine' | 'candles' | 'everyPrice'

/**
 * {@link runBacktest} along the given path. Internal (not exported from the
 * package): tests check that every path gives the same report, and the
 * bench times them side by side.
 * @internal
 */
export function backtest(
  options: BacktestOptions,
  path: BacktestPath,
): BacktestReport {
  const run = backtestRun(options)
  if (path === 'events') {
    const report = runKernel(run)
    if (report !== null) return report
  }
  return runMachine(run, path === 'events' ? 'machine' : path)
}

/**
 * The inputs of a backtest, checked (what every path runs on).
 * @throws {LadderConfigError} as {@link runBacktest}.
 * @internal
 */
export function backtestRun(options: BacktestOptions): BacktestRun {
  const candles: CandleSeries =
    'openTime' in options.candles && !Array.isArray(options.candles)
      ? (options.candles as CandleSeries)
      : candlesFromRows(options.candles as readonly CandleRow[])
  const { config, market } = options
  const dv = derive(config, market)
  const maker = feeRate(options.fees?.makerPercentage, 'fees.makerPercentage')
  const taker = feeRate(options.fees?.takerPercentage, 'fees.takerPercentage')
  const maxPoints = equityPointsOf(options.equityPoints, 500)
  if (candles.length === 0)
    throw new LadderConfigError('The backtest has no candles.', [
      { path: 'candles', value: 0, message: 'must hold at least one candle' },
    ])
  return {
    candles,
    config,
    market,
    dv,
    maker,
    taker,
    maxPoints,
    withTrades: options.trades !== false,
  }
}

/** The backtest driving the {@link step} machine, along a machine path. */
function runMachine(
  run: BacktestRun,
  path: Exclude<BacktestPath, 'events'>,
): BacktestReport {
  const { candles, dv } = run
  const N = candles.length
  const sim = new Simulator(
    {
      candles,
      dv,
      maker: run.maker,
      taker: run.taker,
      withTrades: run.withTrades,
      skipQuietPrices: path !== 'everyPrice',
    },
    initialState(run.config, run.market),
  )
  const indexed = path === 'machine' ? rangeIndexOf(candles) : null
  const equity = new EquityTracker(
    sim,
    candles,
    dv,
    run.maxPoints,
    indexed?.maxClose ?? 0,
  )

  // 1. The first cycle starts at the close of the first candle.
  sim.at = (candles.openTime[0] as number) + 60_000
  sim.feed({ type: 'started', at: sim.at, price: sim.closePrice(0) })
  const state = sim.state
  if (state.status === 'stopped' && state.reason === 'noRungFits')
    throw new LadderConfigError('No rung fits at the first candle.', [
      {
        path: 'candles[0].close',
        value: sim.closePrice(0),
        message:
          'no rung of the ladder can be placed at this price; see planLadder for the reasons',
      },
    ])
  equity.mark(0)
  // 2. Every later candle.
  if (indexed?.ordered) jumpEvents(sim, equity, N, candles.openTime, indexed)
  else walkCandles(sim, equity, N)
  // 3. The report, with the open position marked at the last close.
  const end = sim.state
  return writeReport(
    {
      status: end.status,
      stopReason: end.status === 'stopped' ? end.reason : null,
      position: end.position,
      totals: end.totals,
      trades: sim.trades,
      warnings: sim.warnings,
      steps: sim.steps,
    },
    equity,
    candles,
    dv,
  )
}
