/**
 * The two ways through the candles, which give the same report:
 *
 * ```
 * walking (the reference):  for every candle c >= 1: candle(c), mark(c)
 * event-driven (the default):
 *   from = 1
 *   loop: quiet = quietRange(sim)           (null while waiting for a price)
 *         to    = first candle whose close time reaches the earliest timer
 *         next  = index.firstOutside(from, to, quiet.lo, quiet.hi)
 *         markRange(from, next)             (state fixed: equity from the closes' summary)
 *         candle(next), mark(next); from = next + 1
 * ```
 *
 * A candle the event-driven path skips is one where the walking path would
 * feed nothing: no resting order fills, no timer is due, and in position
 * the high and the low are strictly inside the machine's `triggerBand`.
 * Which prices and timers matter comes only from the machine
 * (`triggerBand`, the timers it schedules), so a new trigger or timer in
 * the machine needs nothing here.
 */
import type { CandleRangeIndex } from '../candles/rangeIndex.js'
import type { IndexedSeries } from '../candles/rangeIndexCache.js'
import { MAX_CYCLE } from '../machine/clientIds.js'
import type { EquityTracker } from './equity.js'
import { markRange } from './equityRange.js'
import { type QuietRange, quietRange } from './quiet.js'
import {
  bidBound,
  ladderAt,
  restartsSkippable,
  skipRestarts,
  type VirtualLadder,
} from './restarts.js'
import type { Simulator } from './simulator.js'

/** Candles 1 to n - 1, each in turn (the reference path). @internal */
export function walkCandles(
  sim: Simulator,
  equity: EquityTracker,
  n: number,
): void {
  for (let c = 1; c < n; c++) {
    sim.candle(c)
    equity.mark(c)
  }
}

/** Candles 1 to n - 1, from event to event. @internal */
export function jumpEvents(
  sim: Simulator,
  equity: EquityTracker,
  n: number,
  openTime: Float64Array,
  { index }: IndexedSeries,
): void {
  const range: QuietRange = { lo: 0, hi: 0, until: 0 }
  let from = 1
  while (from < n) {
    let next = from
    if (restartsSkippable(sim)) {
      next = runRestarts(sim, equity, from, n, openTime, index)
      if (next >= n) return
      sim.candle(next)
      equity.mark(next)
      from = next + 1
      continue
    }
    const quiet = quietRange(sim, range)
    if (quiet !== null) {
      const to =
        quiet.until === Number.POSITIVE_INFINITY
          ? n
          : firstDue(openTime, from, n, quiet.until)
      next =
        quiet.lo === Number.NEGATIVE_INFINITY &&
        quiet.hi === Number.POSITIVE_INFINITY
          ? to
          : index.firstOutside(from, to, quiet.lo, quiet.hi)
      markRange(equity, from, next, index)
    }
    if (next >= n) return
    sim.candle(next)
    equity.mark(next)
    from = next + 1
  }
}

/**
 * A run of no-fill restarts (`restartsSkippable(sim)`): each ladder rests
 * until its no-fill timer is due, no bid fills, and the restart at that
 * candle's close places the next ladder. Only the ladder each restart would
 * place matters to the candles and the equity (its highest bid and its
 * notional, `ladderAt`), so the run goes from ladder to ladder on those
 * alone and steps the machine once, for the last restart
 * (`skipRestarts`, which adds the counters of the ones before).
 *
 * ```
 * ladder = the book's;  loop:
 *   due  = first candle whose close reaches the ladder's timer
 *   fill = index.firstOutside(from, due, ladder.bound, +inf)
 *   markRange(from, fill, ladder.notional)
 *   stop at fill (< due), at the end, or when candle `due` fills a bid
 *        or its restart would do anything but place a ladder
 *   ladder = ladderAt(due); mark(due, ladder.notional); from = due + 1
 * ```
 *
 * @returns The candle to run next with `sim.candle` (or n): every candle
 *   before it is run and marked.
 */
function runRestarts(
  sim: Simulator,
  equity: EquityTracker,
  from: number,
  n: number,
  openTime: Float64Array,
  index: CandleRangeIndex,
): number {
  const low = sim.setup.candles.low
  const noFillMs = sim.setup.dv.noFillMs
  const room = MAX_CYCLE - sim.state.cycle
  let bound = bidBound(sim)
  let bidsTL = sim.buyNotionalTL
  let deadline = sim.timers.noFill
  // The last skipped ladder (placed at candle `at` of the run).
  const planned: VirtualLadder = { bound: 0, notionalTL: 0 }
  const next: VirtualLadder = { bound: 0, notionalTL: 0 }
  let count = 0
  let placedAt = -1
  let c = from
  for (;;) {
    const due = firstDue(openTime, c, n, deadline)
    const fill =
      due > c ? index.firstOutside(c, due, bound, Number.POSITIVE_INFINITY) : c
    markRange(equity, c, fill, index, bidsTL)
    c = fill
    if (fill < due || due >= n) break
    // Candle `due`: its bids first (a fill there is the candle's own), then
    // the restart at its close.
    if ((low[due] as number) <= bound || count >= room) break
    if (!ladderAt(sim, due, next)) break
    count++
    placedAt = due
    planned.bound = next.bound
    planned.notionalTL = next.notionalTL
    bound = next.bound
    bidsTL = next.notionalTL
    deadline = (openTime[due] as number) + 60_000 + noFillMs
    equity.mark(due, bidsTL)
    c = due + 1
  }
  if (count > 0) skipRestarts(sim, placedAt, count - 1, planned)
  return c
}

/**
 * The first candle c in [from, to) whose close time (open + 1 minute, as
 * the candle sets it) is at or after `at`, else `to`: a binary search over
 * the strictly increasing open times. @internal
 */
export function firstDue(
  openTime: Float64Array,
  from: number,
  to: number,
  at: number,
): number {
  // Galloping first: the due candle is most often the first or a near one
  // (a one-minute no-fill wait is due at the next candle).
  let lo = from
  let step = 1
  while (lo + step < to && (openTime[lo + step - 1] as number) + 60_000 < at) {
    lo += step
    step *= 2
  }
  let hi = Math.min(to, lo + step)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((openTime[mid] as number) + 60_000 >= at) hi = mid
    else lo = mid + 1
  }
  return lo
}
