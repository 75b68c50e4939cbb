/**
 * The no-fill restart fast path of ./simulator.ts, which the event-driven
 * path (./paths.ts, `runRestarts`) runs: whether the machine is in a run
 * of no-fill restarts ({@link restartsSkippable}), the ladder each restart
 * would place as the candles and the equity see it ({@link ladderAt}), and
 * the one machine step for the last restart of a run ({@link skipRestarts}).
 */
import { activeRungLimit } from '../machine/rolling.js'
import { skipNoFillRestarts } from '../machine/timers.js'
import { rungDrop, rungLots, rungTicks } from '../plan.js'
import { boundOf } from './quiet.js'
import { fireTimers } from './timers.js'
import type { Resting, SimState } from './types.js'

/**
 * A ladder a no-fill restart would place, as the candles and the equity
 * see it (see {@link ladderAt}). @internal
 */
export interface VirtualLadder {
  /** A candle fills a bid when its low is at or below this (series units). */
  bound: number
  /** Notional of the resting bids, in tick-lots. */
  notionalTL: number
}

/**
 * Whether the machine is in a no-fill restart loop the backtest may run
 * ahead of ({@link ladderAt}, {@link skipRestarts}): laddering with bids
 * only, the no-fill timer set and no other, nothing queued, and no price
 * band (a band can make a restart wait instead). @internal
 */
export function restartsSkippable(sim: SimState): boolean {
  const state = sim.state
  const config = state.setup.config
  return (
    state.status === 'laddering' &&
    sim.sells.length === 0 &&
    sim.buys.length > 0 &&
    sim.queue.length === 0 &&
    sim.timers.noFill !== Number.POSITIVE_INFINITY &&
    sim.timers.coolDown === Number.POSITIVE_INFINITY &&
    config.autoRestartNoFill === true &&
    typeof config.minPrice !== 'string' &&
    typeof config.maxPrice !== 'string'
  )
}

/**
 * The current book's fill bound in the series' units: a candle fills a bid
 * exactly when its low is at or below it (`low x candleToS <= top bid`).
 * @internal
 */
export function bidBound(sim: SimState): number {
  return boundOf(sim, (sim.buys[0] as Resting).priceS)
}

/**
 * The ladder a restart at candle c's close would place, as far as the
 * candles and the equity see it: the bound of its highest bid (as
 * {@link bidBound}) and the notional of its resting bids, from the same
 * planning functions `placeLadder` runs (the close as integer units: the
 * same rational as its text). False when that restart would do anything
 * else (a close of 0, no rung that fits). @internal
 */
export function ladderAt(
  sim: SimState,
  c: number,
  out: VirtualLadder,
): boolean {
  const { candles, dv } = sim.setup
  const close = candles.close[c] as number
  if (!(close > 0)) return false
  const ticks = sim.scratch
  const active = activeRungLimit(dv)
  const count = dv.budgetK.length
  // Only the rungs that can be placed are priced (rolling rungs place a few
  // of many), the rest only if dropped rungs leave fewer than `active`.
  let priced = Math.min(active, count)
  rungTicks(dv, close, candles.priceScale, ticks, priced)
  // sizeRungs without its objects: the same per-rung size and drop test.
  let placed = 0
  let notional = 0
  let top = 0
  let lastPlaced = Number.POSITIVE_INFINITY
  for (let i = 0; i < count && placed < active; i++) {
    if (i === priced) {
      rungTicks(dv, close, candles.priceScale, ticks)
      priced = count
    }
    const p = ticks[i] as number
    const lots = rungLots(dv, i, p)
    if (rungDrop(dv, p, lots, lastPlaced) !== null) continue
    lastPlaced = p
    if (placed === 0) top = p
    notional += p * lots
    placed++
  }
  if (placed === 0) return false
  out.bound = boundOf(sim, top * dv.tickMant * sim.tickToS)
  out.notionalTL = notional
  return true
}

/**
 * Steps the last of a run of no-fill restarts, at candle c's close: the
 * state takes the counters of the `skipped` restarts before it
 * ({@link skipNoFillRestarts}), then the due timer fires and the close is
 * fed, as in step c of `Simulator.candle` (the caller has checked
 * that no bid fills at candle c and that each restart places a ladder).
 * Then the book must be the one {@link ladderAt} planned. @internal
 */
export function skipRestarts(
  sim: SimState,
  c: number,
  skipped: number,
  planned: VirtualLadder,
): void {
  sim.state = skipNoFillRestarts(sim.state, skipped)
  sim.at = (sim.setup.candles.openTime[c] as number) + 60_000
  fireTimers(sim)
  if (sim.state.status === 'starting') sim.feedPrice(sim.closePrice(c))
  if (
    sim.state.status !== 'laddering' ||
    sim.buys.length === 0 ||
    bidBound(sim) !== planned.bound ||
    sim.buyNotionalTL !== planned.notionalTL
  )
    throw new Error(
      `internal: the restart at candle ${c} placed another ladder than planned`,
    )
}
