/**
 * The backtest's equity figures: equity (realised + unrealised profit) is
 * marked at every candle close, for the drawdown, its peak, the peak
 * capital and the downsampled curve.
 *
 * {@link EquityTracker.mark} marks one close, as the walking backtest does
 * at every candle. {@link EquityTracker.markRange} marks a run of candles
 * over which the state (and so the position) stays fixed, from the range
 * index's summary of their closes: equity there is `a + b x close` with a
 * fixed `b >= 0` (the lots held), so its lowest and highest values are at the
 * lowest and highest closes and its largest fall is `b` x the closes'
 * largest fall. Every figure is an integer in the scale Q (below 2^53, so
 * exact), hence the figures equal those of marking each close in turn, to
 * the unit; a range where that bound does not hold is marked candle by
 * candle.
 */
import type { CandleRangeIndex } from '../candles/rangeIndex.js'
import type { CandleSeries } from '../candles/series.js'
import type { Derived } from '../plan.js'
import type { LadderState } from '../types.js'
import type { Simulator } from './simulator.js'

/** A curve point in Q units (formatted by the report). @internal */
export interface CurvePoint {
  time: number
  equity: number
  low: number
}

/**
 * Ranges shorter than this are marked close by close: the index answers
 * them from the candles anyway (its blocks are 16 wide).
 */
const SHORT_RANGE = 16

/** Half of 2^53: sums and differences of two such integers stay exact. */
const EXACT_BOUND = 2 ** 52

/** The equity figures of one backtest. @internal */
export class EquityTracker {
  peakEquity = 0
  maxDrawdown = 0
  peakCapital = 0
  readonly curve: CurvePoint[] = []
  /** Candles per curve point. */
  readonly bucket: number

  private bucketLow = Number.POSITIVE_INFINITY
  /** Equity scale Q: money units and position value (lots x close) both exact. */
  readonly Q: number
  private readonly moneyToQ: number
  readonly lotCloseToQ: number
  // What the equity at a close needs from the state, read once per state
  // object (most candles leave the state as it was).
  private marked: LadderState | null = null
  private open = false
  private realisedQ = 0
  private openQ = 0
  private held = 0
  private cost = 0
  /** Whether `a + b x close` is exact for every close of the series. */
  private exact = false

  constructor(
    private readonly sim: Simulator,
    private readonly candles: CandleSeries,
    private readonly dv: Derived,
    maxPoints: number,
    /** The series' highest close (bounds the position's value). */
    private readonly maxClose: number,
  ) {
    const M = dv.moneyScale
    this.Q = Math.max(M, dv.stepDec + candles.priceScale)
    this.moneyToQ = 10 ** (this.Q - M)
    this.lotCloseToQ =
      dv.stepMant * 10 ** (this.Q - dv.stepDec - candles.priceScale)
    this.bucket = Math.ceil(candles.length / maxPoints)
  }

  private refresh(): void {
    const state = this.sim.state
    if (state === this.marked) return
    this.marked = state
    const p = state.position
    const dv = this.dv
    this.realisedQ = state.totals.realisedUnits * this.moneyToQ
    const carriedLots = p.carriedLots ?? 0
    this.open = p.boughtLots > 0 || carriedLots > 0
    if (this.open) {
      // The backtest charges fees in quote only, so nothing below a lot is
      // ever carried (carriedFineUnits stays 0).
      this.held = p.boughtLots - p.soldLots + carriedLots
      this.cost = p.costTickLots * dv.tlMoney + (p.carriedCostUnits ?? 0)
      this.openQ =
        (p.proceedsTickLots * dv.tlMoney -
          this.cost -
          p.buyFeeUnits -
          p.sellFeeUnits) *
        this.moneyToQ
    }
    const value = this.open ? this.held * this.maxClose * this.lotCloseToQ : 0
    this.exact =
      this.held >= 0 &&
      Math.abs(this.realisedQ) + Math.abs(this.openQ) + value <= EXACT_BOUND
  }

  /** Equity at a close of `close` (series units), for the current state. */
  private equityAt(close: number): number {
    // Same expressions, in the same order, as marking every field afresh.
    let e = this.realisedQ
    if (this.open) e += this.openQ + this.held * close * this.lotCloseToQ
    return e
  }

  private capital(bidsTL: number): number {
    const capital = bidsTL * this.dv.tlMoney
    return this.open ? capital + this.cost : capital
  }

  /**
   * Marks candle c's close (the walking backtest calls it at every candle).
   * `bidsTL` is the notional of the resting bids (by default the book's; a
   * run of skipped no-fill restarts passes each skipped ladder's).
   */
  mark(c: number, bidsTL: number = this.sim.buyNotionalTL): void {
    this.refresh()
    const e = this.equityAt(this.candles.close[c] as number)
    const capital = this.capital(bidsTL)
    if (e > this.peakEquity) this.peakEquity = e
    else if (this.peakEquity - e > this.maxDrawdown)
      this.maxDrawdown = this.peakEquity - e
    if (capital > this.peakCapital) this.peakCapital = capital
    if (e < this.bucketLow) this.bucketLow = e
    if ((c + 1) % this.bucket === 0 || c === this.candles.length - 1)
      this.point(c, e)
  }

  private point(c: number, e: number): void {
    this.curve.push({
      time: (this.candles.openTime[c] as number) + 60_000,
      equity: e,
      low: this.bucketLow,
    })
    this.bucketLow = Number.POSITIVE_INFINITY
  }

  /**
   * Marks the closes of candles [from, to), over which the state does not
   * change: the figures of {@link mark} at each, from the index's summary
   * of each stretch between two curve points. `bidsTL` as in
   * {@link EquityTracker.mark}.
   */
  markRange(
    from: number,
    to: number,
    index: CandleRangeIndex,
    bidsTL: number = this.sim.buyNotionalTL,
  ): void {
    if (to <= from) return
    this.refresh()
    if (!this.exact || to - from < SHORT_RANGE) {
      for (let c = from; c < to; c++) this.mark(c, bidsTL)
      return
    }
    const capital = this.capital(bidsTL)
    if (capital > this.peakCapital) this.peakCapital = capital
    const last = this.candles.length - 1
    const bucket = this.bucket
    let a = from
    while (a < to) {
      // The stretch up to the next curve point (or the range's end).
      const end = Math.min(to, Math.ceil((a + 1) / bucket) * bucket, last + 1)
      if (this.moves() && end - a < SHORT_RANGE)
        for (let c = a; c < end; c++) this.mark(c, bidsTL)
      else {
        this.stretch(a, end, index)
        const c = end - 1
        if ((c + 1) % bucket === 0 || c === last)
          this.point(c, this.equityAt(this.candles.close[c] as number))
      }
      a = end
    }
  }

  /** Whether equity moves with the close (lots are held). */
  private moves(): boolean {
    return this.open && this.held !== 0
  }

  /** The running figures over [a, b), without the curve point. */
  private stretch(a: number, b: number, index: CandleRangeIndex): void {
    let low: number
    let high: number
    let drop: number
    if (!this.moves()) {
      // Equity does not move with the close.
      low = this.equityAt(0)
      high = low
      drop = 0
    } else {
      const s = index.closeSummary(a, b)
      low = this.equityAt(s.min)
      high = this.equityAt(s.max)
      drop = this.held * s.drop * this.lotCloseToQ
    }
    // Marking each close in turn: the peak ends at the highest equity; the
    // deepest fall is from the peak before the range to the lowest equity,
    // or inside the range (a later close below an earlier one).
    const before = this.peakEquity
    if (high > before) this.peakEquity = high
    const fall = Math.max(before - low, drop)
    if (fall > this.maxDrawdown) this.maxDrawdown = fall
    if (low < this.bucketLow) this.bucketLow = low
  }
}
