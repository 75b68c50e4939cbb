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
 */

import {
  type BacktestOptions,
  type BacktestReport,
  equityPointsOf,
  feeRate,
  type Trade,
} from './backtestOptions.js'
import { createStepTally, stepReport, tallyStepSell } from './backtestSteps.js'
import { candlesFromRows } from './candles/csv.js'
import type { CandleRow, CandleSeries } from './candles/series.js'
import { ceilDiv, divRound, formatUnits, parseUnits } from './decimal.js'
import { LadderConfigError } from './errors.js'
import type { LadderCommand } from './machine/commands.js'
import type { LadderEvent } from './machine/events.js'
import { initialState } from './machine/state.js'
import { advance } from './machine/step.js'
import { triggerBand } from './machine/triggers.js'
import { derive, priceToTicks, quantityToLots } from './plan.js'
import type { LadderState } from './types.js'

interface Resting {
  clientId: number
  /** Price in the simulator's common scale S. */
  priceS: number
  ticks: number
  lots: number
  price: string
  quantity: string
  /** Multi-step take profit: the sell's step, else -1. */
  step: number
}

/** Formatted prices per column (filled lazily, kept with the column). */
const textCache = new WeakMap<Float64Array, (string | undefined)[]>()

function textColumn(col: Float64Array): (string | undefined)[] {
  let cache = textCache.get(col)
  if (!cache) {
    cache = new Array(col.length)
    textCache.set(col, cache)
  }
  return cache
}

function priceText(
  cache: (string | undefined)[],
  col: Float64Array,
  i: number,
  scale: number,
): string {
  let text = cache[i]
  if (text === undefined) {
    text = formatUnits(col[i] as number, scale)
    cache[i] = text
  }
  return text
}

/**
 * Runs a backtest of the strategy over 1-minute candles with model v1 of
 * LADDER-SPEC.md, driving the same {@link step} machine the bot runs.
 * Deterministic: the same inputs give the same report, to the last digit.
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
  return backtest(options, true)
}

/**
 * {@link runBacktest}, with the quiet-price shortcut on or off. Internal (not
 * exported from the package): tests check that both give the same report.
 *
 * One long function on purpose (over the 150-line guideline): the simulator
 * (`perform`, `fill`), the feed (`feed`, `drain`, `quiet`) and the equity
 * tracking (`track`) are closures over the same locals (the resting books,
 * the state, the clock and band fields), which V8 keeps in one context and
 * inlines into the candle loop. Split into module functions, they would
 * take a context object through every call of the hot loop: the
 * indirection the benchmark (`npm run bench strategy`) guards against.
 * @internal
 */
export function backtest(
  options: BacktestOptions,
  skipQuietPrices: boolean,
): BacktestReport {
  const candles: CandleSeries =
    'openTime' in options.candles && !Array.isArray(options.candles)
      ? (options.candles as CandleSeries)
      : candlesFromRows(options.candles as readonly CandleRow[])
  const { config, market } = options
  const dv = derive(config, market)
  const maker = feeRate(options.fees?.makerPercentage, 'fees.makerPercentage')
  const taker = feeRate(options.fees?.takerPercentage, 'fees.takerPercentage')
  const withTrades = options.trades !== false
  const maxPoints = equityPointsOf(options.equityPoints, 500)
  const N = candles.length
  if (N === 0)
    throw new LadderConfigError('The backtest has no candles.', [
      { path: 'candles', value: 0, message: 'must hold at least one candle' },
    ])
  const { openTime, high, low, close, priceScale } = candles
  const highText = textColumn(high)
  const lowText = textColumn(low)
  const closeText = textColumn(close)

  // Common price scale S: candle units and tick prices both as integers.
  const S = Math.max(priceScale, dv.tickDec)
  const candleToS = 10 ** (S - priceScale)
  // Equity scale Q: money units and position value (lots x close) both exact.
  const M = dv.moneyScale
  const Q = Math.max(M, dv.stepDec + priceScale)
  const moneyToQ = 10 ** (Q - M)
  const lotCloseToQ = dv.stepMant * 10 ** (Q - dv.stepDec - priceScale)

  const buys: Resting[] = [] // highest price first
  const sells: Resting[] = [] // lowest price first
  let buyNotionalTL = 0
  const timers = {
    noFill: Number.POSITIVE_INFINITY,
    coolDown: Number.POSITIVE_INFINITY,
  }
  const queue: LadderEvent[] = []
  const trades: Trade[] = []
  const warnings: string[] = []
  // Multi-step take profit: what each step sold (model v2).
  const steps = dv.steps === null ? null : createStepTally(dv.steps.length)
  let state = initialState(config, market)

  const fee = (
    ticks: number,
    lots: number,
    rate: { n: bigint; d: bigint },
  ): string => {
    if (rate.n === 0n) return '0'
    const notional = ticks * lots * dv.tlMoney
    const num = notional * Number(rate.n)
    // Rounded UP to the money unit (a fee is never under-counted).
    const units =
      Number.isSafeInteger(num) && Number.isSafeInteger(Number(rate.d))
        ? ceilDiv(num, Number(rate.d))
        : Number(divRound(BigInt(notional) * rate.n, rate.d, 'up'))
    return formatUnits(units, M)
  }

  const removeFrom = (list: Resting[], clientId: number): Resting | null => {
    for (let i = 0; i < list.length; i++)
      if ((list[i] as Resting).clientId === clientId) {
        const [r] = list.splice(i, 1)
        return r as Resting
      }
    return null
  }

  const toResting = (
    clientId: number,
    price: string,
    quantity: string,
  ): Resting => {
    const ticks = priceToTicks(dv, price, 'down') ?? 0
    const lots = quantityToLots(dv, quantity, 'down') ?? 0
    return {
      clientId,
      priceS: parseUnits(price, S, 'down') ?? 0,
      ticks,
      lots,
      price,
      quantity,
      step: -1,
    }
  }

  // The current candle's close time. A field, not a captured `let`: V8 boxes
  // a captured double afresh at each assignment, a double field is written
  // in place.
  const clock = { at: Number.NaN }
  const fill = (
    r: Resting,
    side: 'buy' | 'sell',
    rate: { n: bigint; d: bigint },
  ) => {
    const feeText = fee(r.ticks, r.lots, rate)
    queue.push({
      type: 'orderFilled',
      at: clock.at,
      clientId: r.clientId,
      price: r.price,
      quantity: r.quantity,
      fee: feeText,
    })
    if (r.step >= 0 && steps !== null)
      tallyStepSell(steps, r.step, r.ticks, r.lots)
    if (withTrades) {
      // The classic literal as is (pushed directly: the trade list's hot
      // allocation); a step sell gets its step afterwards.
      trades.push({
        time: clock.at,
        cycle: Math.floor(r.clientId / 1024),
        side,
        price: r.price,
        quantity: r.quantity,
        fee: feeText,
        clientId: r.clientId,
      })
      if (r.step >= 0) (trades[trades.length - 1] as Trade).step = r.step
    }
  }

  const perform = (commands: readonly LadderCommand[]) => {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[k] as LadderCommand
      switch (c.type) {
        case 'placeOrders':
          for (const o of c.orders) {
            const r = toResting(o.clientId, o.price, o.quantity)
            buyNotionalTL += r.ticks * r.lots
            let i = buys.length
            while (i > 0 && (buys[i - 1] as Resting).priceS < r.priceS) i--
            buys.splice(i, 0, r)
          }
          break
        case 'cancelOrders': {
          // One acknowledgement for the whole list (`ordersCanceled`): the
          // machine copies its order list once, not once per order.
          const ids: number[] = []
          if (c.clientIds === 'all') {
            for (const r of buys) ids.push(r.clientId)
            for (const r of sells) ids.push(r.clientId)
            buys.length = 0
            sells.length = 0
            buyNotionalTL = 0
          } else
            for (const id of c.clientIds) {
              const b = removeFrom(buys, id)
              if (b) buyNotionalTL -= b.ticks * b.lots
              if (b || removeFrom(sells, id)) ids.push(id)
            }
          if (ids.length === 1)
            queue.push({
              type: 'orderCanceled',
              at: clock.at,
              clientId: ids[0] as number,
            })
          else if (ids.length > 1)
            queue.push({ type: 'ordersCanceled', at: clock.at, clientIds: ids })
          break
        }
        case 'sellPosition': {
          const r = toResting(c.clientId, c.price, c.quantity)
          if (c.step !== undefined) r.step = c.step
          if (c.orderType === 'limit') {
            let i = 0
            while (i < sells.length && (sells[i] as Resting).priceS <= r.priceS)
              i++
            sells.splice(i, 0, r)
          } else {
            // Spec: the take profit fills at its target as a maker fill;
            // other market exits pay the taker fee at their trigger price.
            fill(r, 'sell', c.reason === 'takeProfit' ? maker : taker)
          }
          break
        }
        case 'scheduleTimer':
          timers[c.timer] = c.at
          break
        case 'cancelTimer':
          timers[c.timer] = Number.POSITIVE_INFINITY
          break
        case 'warning':
          if (warnings.length < 100) warnings.push(c.message)
          break
        default:
          break
      }
    }
  }

  const feed = (event: LadderEvent) => {
    // Most candles: one event that changes nothing (`advance` returns null,
    // allocating nothing), no commands, nothing queued.
    const result = advance(state, event)
    if (result === null) return
    state = result[0]
    const commands = result[1]
    if (commands.length > 0) {
      perform(commands)
      if (queue.length > 0) drain()
    }
  }
  const drain = () => {
    // Events produced by commands go through the machine in order.
    for (let q = 0; q < queue.length; q++) {
      const result = advance(state, queue[q] as LadderEvent)
      if (result === null) continue
      state = result[0]
      const commands = result[1]
      if (commands.length > 0) perform(commands)
    }
    queue.length = 0
  }
  // The per-candle events, reused: the machine never keeps an event object
  // (it copies the strings it needs), so one mutable object per kind is
  // enough and the loop allocates no event. `at` lives in `clock.at` (a
  // double field, written in place) rather than in a captured `let`, which
  // V8 would box afresh at each assignment.
  const priceUpdated = { type: 'priceUpdated' as const, at: 0, price: '' }
  const noFillFired = {
    type: 'timerFired' as const,
    at: 0,
    timer: 'noFill' as const,
  }
  const coolDownFired = {
    type: 'timerFired' as const,
    at: 0,
    timer: 'coolDown' as const,
  }
  // Quiet prices: a price strictly inside the state's trigger band
  // (`triggerBand`, the machine's own statement of the prices it reacts to:
  // while in position, above the stop loss and the trailing stop, at or below
  // the trailing peak, below a market take-profit target) is a no-op
  // (`advance` returns null: same state, no command). The band is read once
  // per state object, in the common scale S, exactly (`parseUnits(...,
  // 'exact')`; a price that does not parse makes the band empty and every
  // price is fed). Skipping a quiet price skips only a step that would
  // change nothing; it saves formatting and comparing price strings on most
  // candles.
  let banded: LadderState | null = null
  const band = { lo: 0, hi: 0 }
  const setBand = (s: LadderState) => {
    const b = triggerBand(s)
    if (b.reacts === 'all') {
      band.lo = Number.POSITIVE_INFINITY
      band.hi = Number.NEGATIVE_INFINITY
      return
    }
    const lo =
      b.low === null ? Number.NEGATIVE_INFINITY : parseUnits(b.low, S, 'exact')
    let hi: number | null = Number.POSITIVE_INFINITY
    if (b.high !== null) {
      hi = parseUnits(b.high, S, 'exact')
      // Prices are integers in S: p <= high is p < high + 1.
      if (hi !== null && !b.highInclusive) hi += 1
    }
    if (lo === null || hi === null) {
      band.lo = Number.POSITIVE_INFINITY
      band.hi = Number.NEGATIVE_INFINITY
    } else {
      band.lo = lo
      band.hi = hi
    }
  }
  /**
   * Whether candle c's price in `col` is a no-op for the current state.
   * Takes the column and index, not the price: a double argument to a call
   * that is not inlined is boxed, one allocation per candle.
   */
  const quiet = (col: Float64Array, c: number): boolean => {
    if (!skipQuietPrices) return false
    if (state !== banded) {
      banded = state
      setBand(state)
    }
    const priceS = (col[c] as number) * candleToS
    return priceS > band.lo && priceS < band.hi
  }
  const feedPrice = (price: string) => {
    priceUpdated.at = clock.at
    priceUpdated.price = price
    feed(priceUpdated)
  }

  // 1. The first cycle starts at the close of the first candle.
  clock.at = (openTime[0] as number) + 60_000
  feed({
    type: 'started',
    at: clock.at,
    price: priceText(closeText, close, 0, priceScale),
  })
  if (state.status === 'stopped' && state.reason === 'noRungFits')
    throw new LadderConfigError('No rung fits at the first candle.', [
      {
        path: 'candles[0].close',
        value: priceText(closeText, close, 0, priceScale),
        message:
          'no rung of the ladder can be placed at this price; see planLadder for the reasons',
      },
    ])

  // Running figures of the equity tracking, as double fields (written in
  // place) rather than captured `let`s (boxed afresh at each assignment).
  const run = {
    peakEquity: 0,
    maxDrawdown: 0,
    peakCapital: 0,
    bucketLow: Number.POSITIVE_INFINITY,
  }
  const bucket = Math.ceil(N / maxPoints)
  const curve: { time: number; equity: number; low: number }[] = []

  // What the equity at a close needs from the state, read once per state
  // object (most candles leave the state as it was): reading the position's
  // fields at every candle costs a boxed number per field, as positions come
  // in several shapes (with or without the carried remainder).
  let marked: LadderState | null = null
  const mark = { open: false, realisedQ: 0, openQ: 0, held: 0, cost: 0 }
  const track = (c: number) => {
    if (state !== marked) {
      marked = state
      const p = state.position
      mark.realisedQ = state.totals.realisedUnits * moneyToQ
      const carriedLots = p.carriedLots ?? 0
      mark.open = p.boughtLots > 0 || carriedLots > 0
      if (mark.open) {
        // The backtest charges fees in quote only, so nothing below a lot is
        // ever carried (carriedFineUnits stays 0).
        mark.held = p.boughtLots - p.soldLots + carriedLots
        mark.cost = p.costTickLots * dv.tlMoney + (p.carriedCostUnits ?? 0)
        mark.openQ =
          (p.proceedsTickLots * dv.tlMoney -
            mark.cost -
            p.buyFeeUnits -
            p.sellFeeUnits) *
          moneyToQ
      }
    }
    // Same expressions, in the same order, as marking every field afresh.
    let e = mark.realisedQ
    let capital = buyNotionalTL * dv.tlMoney
    if (mark.open) {
      e += mark.openQ + mark.held * (close[c] as number) * lotCloseToQ
      capital += mark.cost
    }
    if (e > run.peakEquity) run.peakEquity = e
    else if (run.peakEquity - e > run.maxDrawdown)
      run.maxDrawdown = run.peakEquity - e
    if (capital > run.peakCapital) run.peakCapital = capital
    if (e < run.bucketLow) run.bucketLow = e
    if ((c + 1) % bucket === 0 || c === N - 1) {
      curve.push({
        time: (openTime[c] as number) + 60_000,
        equity: e,
        low: run.bucketLow,
      })
      run.bucketLow = Number.POSITIVE_INFINITY
    }
  }
  track(0)

  for (let c = 1; c < N; c++) {
    clock.at = (openTime[c] as number) + 60_000
    const highS = (high[c] as number) * candleToS
    const lowS = (low[c] as number) * candleToS
    let exited = false
    // a. Take profit.
    if (sells.length > 0 && (sells[0] as Resting).priceS <= highS) {
      while (sells.length > 0 && (sells[0] as Resting).priceS <= highS)
        fill(sells.shift() as Resting, 'sell', maker)
      drain()
      exited = state.status !== 'inPosition'
    }
    if (!exited && state.status === 'inPosition') {
      if (!quiet(high, c)) {
        feedPrice(priceText(highText, high, c, priceScale))
        exited = state.status !== 'inPosition'
      }
      // Then the low, the pessimistic path, when the state can react to it
      // (a stop loss, an armed trailing stop): the band says so.
      if (!exited && !quiet(low, c)) {
        feedPrice(priceText(lowText, low, c, priceScale))
        exited = state.status !== 'inPosition'
      }
    }
    if (!exited) {
      // b. Buys: highest price first, at their own price. Rolling rungs
      // (`activeOrderCount`): a fill places the next rung, which fills in
      // the same candle when the low reaches it (model v2), hence the
      // repeat: the full ladder's fills, in the same order.
      while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
        while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
          const r = buys.shift() as Resting
          buyNotionalTL -= r.ticks * r.lots
          fill(r, 'buy', maker)
        }
        drain()
      }
      // c. Timers due at the candle's close.
      if (timers.noFill <= clock.at) {
        timers.noFill = Number.POSITIVE_INFINITY
        noFillFired.at = clock.at
        feed(noFillFired)
      }
      if (timers.coolDown <= clock.at) {
        timers.coolDown = Number.POSITIVE_INFINITY
        coolDownFired.at = clock.at
        feed(coolDownFired)
      }
    }
    if (state.status === 'starting')
      feedPrice(priceText(closeText, close, c, priceScale))
    track(c)
  }

  // Open position at the last close.
  const last = N - 1
  const p = state.position
  // Includes what earlier cycles carried (held, at its cost basis).
  const carriedLots = p.carriedLots ?? 0
  const held = p.boughtLots - p.soldLots + carriedLots
  const valueQ = held * (close[last] as number) * lotCloseToQ
  const unrealisedQ =
    p.boughtLots > 0 || carriedLots > 0
      ? (p.proceedsTickLots * dv.tlMoney -
          p.costTickLots * dv.tlMoney -
          (p.carriedCostUnits ?? 0) -
          p.buyFeeUnits -
          p.sellFeeUnits) *
          moneyToQ +
        valueQ
      : 0
  return {
    candles: N,
    cycles: state.totals.cycles,
    stopLosses: state.totals.stopLosses,
    fills: state.totals.fills,
    noFillRestarts: state.totals.noFillRestarts,
    realisedProfit: formatUnits(state.totals.realisedUnits, M),
    fees: formatUnits(state.totals.feeUnits, M),
    openPositionQty: formatUnits(held * dv.stepMant, dv.stepDec),
    openPositionValue: formatUnits(valueQ, Q),
    unrealisedProfit: formatUnits(unrealisedQ, Q),
    maxDrawdown: formatUnits(run.maxDrawdown, Q),
    peakCapital: formatUnits(run.peakCapital, M),
    finalStatus: state.status,
    stopReason: state.status === 'stopped' ? state.reason : null,
    equity: curve.map((pt) => ({
      time: pt.time,
      equity: formatUnits(pt.equity, Q),
      low: formatUnits(pt.low, Q),
    })),
    trades,
    warnings,
    ...(steps === null ? {} : { takeProfitSteps: stepReport(dv, steps) }),
  }
}
