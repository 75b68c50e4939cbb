/**
 * Quiet prices and quiet candles of ./simulator.ts: which prices leave the
 * machine's state alone (strictly inside its `triggerBand`, the machine's
 * own statement of the prices it reacts to), and from that and the book
 * and the timers, which candles do nothing ({@link quietRange}, what the
 * event-driven path of ./paths.ts jumps over).
 */
import { parseUnits } from '../decimal.js'
import { triggerBand } from '../machine/triggers.js'
import { TIMER_ORDER } from './timers.js'
import type { Resting, SimState } from './types.js'

/**
 * Which candles leave a state alone: a candle c does nothing (beyond the
 * equity mark at its close) when `low[c] > lo`, `high[c] < hi` and its close
 * time is before `until`, in the series' integer units. @internal
 */
export interface QuietRange {
  lo: number
  hi: number
  /** The earliest timer (ms), +Infinity when none is set. */
  until: number
}

/**
 * Quiet prices: a price strictly inside the state's trigger band
 * (`triggerBand`, the machine's own statement of the prices it reacts to)
 * is a no-op (`advance` returns null: same state, no command), so it is
 * not fed. Takes the column and index, not the price: a double argument
 * to a call that is not inlined is boxed, one allocation per candle.
 * @internal
 */
export function quiet(sim: SimState, col: Float64Array, c: number): boolean {
  if (!sim.setup.skipQuietPrices) return false
  setBand(sim)
  const priceS = (col[c] as number) * sim.candleToS
  return priceS > sim.bandLo && priceS < sim.bandHi
}

/**
 * The state's trigger band in S, read once per state object, exactly
 * (`parseUnits(..., 'exact')`; a price that does not parse makes the band
 * empty and every price is fed).
 */
function setBand(sim: SimState): void {
  const s = sim.state
  if (s === sim.banded) return
  sim.banded = s
  const b = triggerBand(s)
  sim.bandLo = Number.POSITIVE_INFINITY
  sim.bandHi = Number.NEGATIVE_INFINITY
  if (b.reacts === 'all') return
  const lo =
    b.low === null
      ? Number.NEGATIVE_INFINITY
      : parseUnits(b.low, sim.S, 'exact')
  let hi: number | null = Number.POSITIVE_INFINITY
  if (b.high !== null) {
    hi = parseUnits(b.high, sim.S, 'exact')
    // Prices are integers in S: p <= high is p < high + 1.
    if (hi !== null && !b.highInclusive) hi += 1
  }
  if (lo !== null && hi !== null) {
    sim.bandLo = lo
    sim.bandHi = hi
  }
}

/**
 * The candles the current state ignores (see {@link QuietRange}), in the
 * series' units, or null when every candle matters (the machine waits
 * for a reference price: each close is fed). A candle is quiet when no
 * resting order fills (a bid at or above its low, a limit sell at or
 * below its high), no timer is due at its close and, in position, its
 * high and low are strictly inside `triggerBand`. That needs low <= high
 * (checked once per series by the caller): then a high at or below the
 * band's low means a low there too. @internal
 */
export function quietRange(sim: SimState, out: QuietRange): QuietRange | null {
  const status = sim.state.status
  if (status === 'starting') return null
  let lo = Number.NEGATIVE_INFINITY
  let hi = Number.POSITIVE_INFINITY
  if (sim.buys.length > 0) lo = (sim.buys[0] as Resting).priceS
  if (sim.sells.length > 0) hi = (sim.sells[0] as Resting).priceS
  if (status === 'inPosition') {
    setBand(sim)
    if (sim.bandLo > lo) lo = sim.bandLo
    if (sim.bandHi < hi) hi = sim.bandHi
  }
  // low[c] * candleToS <= lo  <=>  low[c] <= floor(lo / candleToS), and
  // high[c] * candleToS >= hi  <=>  high[c] >= ceil(hi / candleToS).
  const k = sim.candleToS
  out.lo = k === 1 || !Number.isFinite(lo) ? lo : floorDivExact(lo, k)
  out.hi = k === 1 || !Number.isFinite(hi) ? hi : -floorDivExact(-hi, k)
  let until = Number.POSITIVE_INFINITY
  for (const name of TIMER_ORDER)
    if (sim.timers[name] < until) until = sim.timers[name]
  out.until = until
  return out
}

/**
 * A bid's fill bound in the series' units: a candle fills a bid of price
 * `priceS` (in S) exactly when its low is at or below it
 * (`low x candleToS <= priceS`). @internal
 */
export function boundOf(sim: SimState, priceS: number): number {
  const k = sim.candleToS
  return k === 1 ? priceS : floorDivExact(priceS, k)
}

/**
 * floor(a / k) for integers a and k > 0, exact (no rounding of a / k).
 * @internal
 */
export function floorDivExact(a: number, k: number): number {
  let q = Math.floor(a / k)
  while (q * k > a) q--
  while ((q + 1) * k <= a) q++
  return q
}
