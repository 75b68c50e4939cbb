/**
 * The backtest's equity figures: equity (realised + unrealised profit) is
 * marked at every candle close, for the drawdown, its peak, the peak
 * capital and the downsampled curve.
 *
 * {@link EquityTracker.mark} marks one close, as the walking backtest does
 * at every candle; `markRange` (./equityRange.ts) marks a run of candles
 * over which the state stays fixed, from the range index's summary of
 * their closes. Every figure is an integer in the scale Q (below 2^53, so
 * exact).
 */
import type { CandleSeries } from '../candles/series.js'
import type { Derived } from '../plan.js'
import type { PositionRecord, RunTotals } from '../types.js'

/**
 * What the equity is marked from: the run's position and totals (`state`,
 * read again whenever it is another object) and the resting bids'
 * notional. The simulator (./simulator.ts) is one, with its machine state;
 * the kernel (./kernel/) another. @internal
 */
export interface EquitySource {
  readonly state: {
    readonly position: PositionRecord
    readonly totals: Pick<RunTotals, 'realisedUnits'>
  }
  readonly buyNotionalTL: number
}

/** A curve point in Q units (formatted by the report). @internal */
export interface CurvePoint {
  time: number
  equity: number
  low: number
}

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

  /** The lowest equity of the current curve bucket. @internal */
  bucketLow = Number.POSITIVE_INFINITY
  /** Equity scale Q: money units and position value (lots x close) both exact. */
  readonly Q: number
  private readonly moneyToQ: number
  readonly lotCloseToQ: number
  // What the equity at a close needs from the state, read once per state
  // object (most candles leave the state as it was).
  private marked: EquitySource['state'] | null = null
  private open = false
  private realisedQ = 0
  private openQ = 0
  /** Lots held (while open). @internal */
  held = 0
  private cost = 0
  /** Whether `a + b x close` is exact for every close of the series. @internal */
  exact = false

  constructor(
    /** @internal */
    readonly sim: EquitySource,
    /** @internal */
    readonly candles: CandleSeries,
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

  /** Reads the state's position, once per state object. @internal */
  refresh(): void {
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

  /** Equity at a close of `close` (series units), for the current state. @internal */
  equityAt(close: number): number {
    // Same expressions, in the same order, as marking every field afresh.
    let e = this.realisedQ
    if (this.open) e += this.openQ + this.held * close * this.lotCloseToQ
    return e
  }

  /** Capital at work: the bids' notional, and the position's cost. @internal */
  capital(bidsTL: number): number {
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

  /** The curve point of candle c, of equity e, closing its bucket. @internal */
  point(c: number, e: number): void {
    this.curve.push({
      time: (this.candles.openTime[c] as number) + 60_000,
      equity: e,
      low: this.bucketLow,
    })
    this.bucketLow = Number.POSITIVE_INFINITY
  }

  /** Whether equity moves with the close (lots are held). @internal */
  moves(): boolean {
    return this.open && this.held !== 0
  }
}
