/**
 * What an incremental candle CSV parser knows between lines: the columns
 * read so far (mantissas with their own decimal places, rescaled to one
 * scale per column at the end), the line count, the last open time, and what
 * the first candle line fixed (field count, time unit).
 */
import { CandleDataError } from './errors.js'
import { allocateSeries, type CandleSeries } from './series.js'
import { type CandleTimeUnit, UNITS, type Unit } from './units.js'

/** @internal */
export class ParserState {
  /** The unit asked for (`'auto'`: told from the first candle). */
  readonly timeUnit: CandleTimeUnit
  cap = 1024
  /** Candles read. */
  n = 0
  /** open_time, open, high, low, close, volume. */
  cols = [0, 1, 2, 3, 4, 5].map(() => new Float64Array(this.cap))
  /** Decimal places of each value of the five decimal columns. */
  decs = [1, 2, 3, 4, 5].map(() => new Uint8Array(this.cap))
  maxPriceDec = 0
  maxVolDec = 0
  lineNo = 0
  lastTime = Number.NEGATIVE_INFINITY
  /** Field count (6 or 12) and line of the first candle line; 0 before it. */
  fieldCount = 0
  firstLine = 0
  unit: Unit | undefined
  // The time unit as the range [tLo, tHi) of raw times the fast path takes,
  // plus the factor to ms (tMul, or a divisor tDiv for µs). Before the first
  // candle, the empty range sends every line to the careful path.
  tLo = 0
  tHi = 0
  tMul = 1
  tDiv = 1

  constructor(timeUnit: CandleTimeUnit) {
    this.timeUnit = timeUnit
    if (timeUnit !== 'auto') this.setUnit(timeUnit, false)
  }

  /** Fixes the time unit (`detected`: by `'auto'`, which also bounds the range). */
  setUnit(u: Unit, detected: boolean): void {
    this.unit = u
    this.tLo = detected ? UNITS[u].lo : 0
    this.tHi = detected ? UNITS[u].hi : u === 's' ? 2 ** 53 / 1000 : 2 ** 53
    this.tMul = u === 's' ? 1000 : 1
    this.tDiv = u === 'us' ? 1000 : 1
  }

  /** Doubles the column capacity. */
  grow(): void {
    this.cap *= 2
    const cap = this.cap
    this.cols = this.cols.map((c) => {
      const next = new Float64Array(cap)
      next.set(c)
      return next
    })
    this.decs = this.decs.map((d) => {
      const next = new Uint8Array(cap)
      next.set(d)
      return next
    })
  }

  /**
   * The series: each column rescaled to the widest scale seen in it (exact
   * integer multiplications).
   * @throws {CandleDataError} when there is no candle, or a value no longer
   *   fits 2^53 at its column's scale.
   */
  toSeries(): CandleSeries {
    const { n, cols, decs, maxPriceDec, maxVolDec } = this
    if (n === 0) throw new CandleDataError('no candles found', 0, 0, '')
    const out = allocateSeries(n, false)
    out.openTime.set((cols[0] as Float64Array).subarray(0, n))
    const targets = [out.open, out.high, out.low, out.close, out.volume]
    for (let k = 0; k < 5; k++) {
      const src = cols[k + 1] as Float64Array
      const dec = decs[k] as Uint8Array
      const dst = targets[k] as Float64Array
      const scale = k < 4 ? maxPriceDec : maxVolDec
      for (let i = 0; i < n; i++) {
        const v = (src[i] as number) * 10 ** (scale - (dec[i] as number))
        if (!Number.isSafeInteger(v))
          throw new CandleDataError(
            `has too many digits once written with ${scale} decimals like the rest of its column`,
            0,
            k + 2,
            src[i],
          )
        dst[i] = v
      }
    }
    return {
      length: n,
      openTime: out.openTime,
      open: out.open,
      high: out.high,
      low: out.low,
      close: out.close,
      volume: out.volume,
      priceScale: maxPriceDec,
      volumeScale: maxVolDec,
    }
  }
}
