/**
 * Equity over a run of candles (./equity.ts): {@link markRange} marks a run
 * over which the state (and so the position) stays fixed, from the range
 * index's summary of their closes: equity there is `a + b x close` with a
 * fixed `b >= 0` (the lots held), so its lowest and highest values are at
 * the lowest and highest closes and its largest fall is `b` x the closes'
 * largest fall. Every figure is an integer in the scale Q (below 2^53, so
 * exact), hence the figures equal those of marking each close in turn, to
 * the unit; a range where that bound does not hold is marked candle by
 * candle.
 */
import type { CandleRangeIndex } from '../candles/rangeIndex.js'
import type { EquityTracker } from './equity.js'

/**
 * Ranges shorter than this are marked close by close: the index answers
 * them from the candles anyway (its blocks are 16 wide).
 */
const SHORT_RANGE = 16

/**
 * Marks the closes of candles [from, to), over which the state does not
 * change: the figures of {@link EquityTracker.mark} at each, from the
 * index's summary of each stretch between two curve points. `bidsTL` as in
 * {@link EquityTracker.mark}. @internal
 */
export function markRange(
  eq: EquityTracker,
  from: number,
  to: number,
  index: CandleRangeIndex,
  bidsTL: number = eq.sim.buyNotionalTL,
): void {
  if (to <= from) return
  eq.refresh()
  if (!eq.exact || to - from < SHORT_RANGE) {
    for (let c = from; c < to; c++) eq.mark(c, bidsTL)
    return
  }
  const capital = eq.capital(bidsTL)
  if (capital > eq.peakCapital) eq.peakCapital = capital
  const last = eq.candles.length - 1
  const bucket = eq.bucket
  let a = from
  while (a < to) {
    // The stretch up to the next curve point (or the range's end).
    const end = Math.min(to, Math.ceil((a + 1) / bucket) * bucket, last + 1)
    if (eq.moves() && end - a < SHORT_RANGE)
      for (let c = a; c < end; c++) eq.mark(c, bidsTL)
    else {
      stretch(eq, a, end, index)
      const c = end - 1
      if ((c + 1) % bucket === 0 || c === last)
        eq.point(c, eq.equityAt(eq.candles.close[c] as number))
    }
    a = end
  }
}

/** The running figures over [a, b), without the curve point. */
function stretch(
  eq: EquityTracker,
  a: number,
  b: number,
  index: CandleRangeIndex,
): void {
  let low: number
  let high: number
  let drop: number
  if (!eq.moves()) {
    // Equity does not move with the close.
    low = eq.equityAt(0)
    high = low
    drop = 0
  } else {
    const s = index.closeSummary(a, b)
    low = eq.equityAt(s.min)
    high = eq.equityAt(s.max)
    drop = eq.held * s.drop * eq.lotCloseToQ
  }
  // Marking each close in turn: the peak ends at the highest equity; the
  // deepest fall is from the peak before the range to the lowest equity,
  // or inside the range (a later close below an earlier one).
  const before = eq.peakEquity
  if (high > before) eq.peakEquity = high
  const fall = Math.max(before - low, drop)
  if (fall > eq.maxDrawdown) eq.maxDrawdown = fall
  if (low < eq.bucketLow) eq.bucketLow = low
}
