/**
 * The two ways through the candles, which give the same report:
 *
 * ```
 * walking (the reference):  for every candle c >= 1: candle(c), mark(c)
 * event-driven (the default):
 *   from = 1
 *   loop: quiet = sim.quietRange()          (null while waiting for a price)
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
import type { IndexedSeries } from '../candles/rangeIndexCache.js'
import type { EquityTracker } from './equity.js'
import type { QuietRange, Simulator } from './simulator.js'

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
    const quiet = sim.quietRange(range)
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
      equity.markRange(from, next, index)
    }
    if (next >= n) return
    sim.candle(next)
    equity.mark(next)
    from = next + 1
  }
}

/**
 * The first candle c in [from, to) whose close time (open + 1 minute, as
 * the candle sets it) is at or after `at`, else `to`: a binary search over
 * the strictly increasing open times.
 */
function firstDue(
  openTime: Float64Array,
  from: number,
  to: number,
  at: number,
): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((openTime[mid] as number) + 60_000 >= at) hi = mid
    else lo = mid + 1
  }
  return lo
}
