/**
 * Candles for the backtester: parsed once into integer units held in
 * Float64Arrays (exact below 2^53), so a backtest never parses text again
 * and a sweep can share them between threads without copying.
 *
 * CSV format (LADDER-SPEC.md "Backtest"): `open_time,open,high,low,close,volume`,
 * the header line optional, one candle per line, in time order. Binance's
 * 12-column kline files are read as they are published (the six columns
 * after `volume` are ignored). open_time is in seconds, milliseconds or
 * microseconds, told apart once per file from the first candle's magnitude,
 * and stored in ms.
 */
import {
  compareDecimal,
  decimalPlaces,
  isDecimal,
  parseUnits,
} from './decimal.js'
import { LadderConfigError } from './errors.js'
import type { DecimalString } from './types.js'

/**
 * Candles as columns of integers: prices in units of 10^-priceScale,
 * volumes in units of 10^-volumeScale, times in ms. Build one with
 * {@link parseCandlesCsv}, {@link candlesFromRows} or `readCandlesCsv` (`@rung/ladder-strategy/node`).
 */
export interface CandleSeries {
  /** Number of candles. */
  length: number
  /** Open time of each candle (ms since the epoch), strictly increasing. */
  openTime: Float64Array
  /** Open prices, in units of 10^-priceScale. */
  open: Float64Array
  /** High prices, in units of 10^-priceScale. */
  high: Float64Array
  /** Low prices, in units of 10^-priceScale. */
  low: Float64Array
  /** Close prices, in units of 10^-priceScale. */
  close: Float64Array
  /** Volumes, in units of 10^-volumeScale. */
  volume: Float64Array
  /** Decimal places of the price columns. */
  priceScale: number
  /** Decimal places of the volume column. */
  volumeScale: number
}

/**
 * Unit of the open times in a candle file: `'auto'` tells seconds,
 * milliseconds and microseconds apart (see {@link CandleCsvOptions}).
 */
export type CandleTimeUnit = 'auto' | 's' | 'ms' | 'us'

/** Options of {@link createCandleCsvParser}, {@link parseCandlesCsv} and `readCandlesCsv` (`@rung/ladder-strategy/node`). */
export interface CandleCsvOptions {
  /**
   * Unit of `open_time` in the text; the series always holds ms.
   *
   * `'auto'` decides once per file, from the first candle: 10 digits are
   * seconds, 13 milliseconds, 16 microseconds (Unix times from 2001-09-09
   * on), and every later candle must be in the same unit. A time of any
   * other length (such as synthetic data starting at 0) is refused: pass
   * its unit. `'s'`, `'ms'` and `'us'` take every time in that unit, of
   * any size. Microsecond times must be whole milliseconds.
   * @default 'auto'
   */
  timeUnit?: CandleTimeUnit | undefined
}

/** One candle as plain data (decimal strings, or JSON numbers converted by their shortest text). */
export interface CandleRow {
  /** Open time (ms since the epoch). */
  openTime: number
  /** Open price. */
  open: DecimalString | number
  /** High price. */
  high: DecimalString | number
  /** Low price. */
  low: DecimalString | number
  /** Close price. */
  close: DecimalString | number
  /** Volume. */
  volume: DecimalString | number
}

/**
 * A candle file or row that cannot be read; `line` and `column` (1-based)
 * point at the bad value.
 */
export class CandleDataError extends LadderConfigError {
  /** Always `'CandleDataError'`. */
  override name = 'CandleDataError' as const
  /** 1-based line (or row) number, 0 when the problem is not on one line. */
  readonly line: number
  /** 1-based column number (1 = open_time), 0 when not on one column. */
  readonly column: number

  /**
   * @param message - What is wrong and how to fix it.
   * @param line - 1-based line or row number.
   * @param column - 1-based column number.
   * @param value - The offending text.
   * @param options - `cause`.
   */
  constructor(
    message: string,
    line: number,
    column: number,
    value: unknown,
    options?: ErrorOptions,
  ) {
    const where =
      line > 0
        ? `line ${line}${column > 0 ? `, column ${column} (${COLUMNS[column - 1] ?? '?'})` : ''}`
        : 'candles'
    super(
      'The candle data is not valid.',
      [{ path: where, value, message }],
      options,
    )
    this.line = line
    this.column = column
  }
}

const COLUMNS = ['open_time', 'open', 'high', 'low', 'close', 'volume']

/** Fields of a line of Binance's kline files (ours have 6). */
const BINANCE_FIELDS = 12

/**
 * Time units and the raw times `auto` recognises as each, [lo, hi): 10, 13
 * and 16 digits from 2001-09-09 on (µs up to 2^53, the year 2255).
 */
const UNITS = {
  s: { name: 'seconds', lo: 1e9, hi: 1e10 },
  ms: { name: 'milliseconds', lo: 1e12, hi: 1e13 },
  us: { name: 'microseconds', lo: 1e15, hi: 2 ** 53 },
} as const

type Unit = keyof typeof UNITS

/** The unit `auto` recognises a raw time in, if any. */
const unitOf = (raw: number): Unit | undefined =>
  (Object.keys(UNITS) as Unit[]).find(
    (u) => raw >= UNITS[u].lo && raw < UNITS[u].hi,
  )

/** Byte layout shared by every series: six Float64 columns in one buffer. @internal */
export function allocateSeries(
  length: number,
  shared: boolean,
): Omit<CandleSeries, 'priceScale' | 'volumeScale'> & {
  buffer: ArrayBufferLike
} {
  const bytes = length * 8 * 6
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  const col = (k: number) => new Float64Array(buffer, k * length * 8, length)
  return {
    buffer,
    length,
    openTime: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
  }
}

/**
 * Rebuilds a series over a buffer made by {@link copyToSharedBuffer} (for
 * example in a worker thread). @internal
 */
export function seriesFromBuffer(
  buffer: ArrayBufferLike,
  length: number,
  priceScale: number,
  volumeScale: number,
): CandleSeries {
  const col = (k: number) => new Float64Array(buffer, k * length * 8, length)
  return {
    length,
    openTime: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
    priceScale,
    volumeScale,
  }
}

/** Copies a series into one SharedArrayBuffer (for worker threads). @internal */
export function copyToSharedBuffer(series: CandleSeries): SharedArrayBuffer {
  const out = allocateSeries(series.length, true)
  out.openTime.set(series.openTime)
  out.open.set(series.open)
  out.high.set(series.high)
  out.low.set(series.low)
  out.close.set(series.close)
  out.volume.set(series.volume)
  return out.buffer as SharedArrayBuffer
}

/**
 * An incremental CSV parser: feed text chunks with `write`, get the series
 * from `end`. Used by `readCandlesCsv` (`@rung/ladder-strategy/node`) to stream a (gzipped) file and
 * by {@link parseCandlesCsv} for text in memory.
 */
export interface CandleCsvParser {
  /** Feeds the next chunk of text (lines may span chunks). */
  write(chunk: string): void
  /**
   * Finishes and returns the series.
   * @throws {CandleDataError} when a row is invalid (also thrown by `write`).
   */
  end(): CandleSeries
}

/**
 * Creates an incremental candle CSV parser: 6 columns
 * (`open_time,open,high,low,close,volume`, header optional) or Binance's
 * 12-column klines, open times in s, ms or µs (see
 * {@link CandleCsvOptions.timeUnit}).
 *
 * @param options - `timeUnit` (default `'auto'`).
 * @returns A parser; call `write(chunk)` for each chunk, then `end()`.
 * @throws {CandleDataError} from `write`/`end` on the first bad row, naming
 *   its line and column (also for a time whose unit cannot be told, or a
 *   file mixing units or field counts).
 * @example
 * ```ts
 * import { createCandleCsvParser } from '@rung/ladder-strategy'
 * const parser = createCandleCsvParser()
 * parser.write('open_time,open,high,low,close,volume\n1704067200000,42283.58,')
 * parser.write('42298.62,42261.02,42298.61,35.92724\n')
 * const candles = parser.end() // candles.length === 1
 * ```
 */
export function createCandleCsvParser(
  options: CandleCsvOptions = {},
): CandleCsvParser {
  const timeUnit = options.timeUnit ?? 'auto'
  if (!['auto', 's', 'ms', 'us'].includes(timeUnit))
    throw new LadderConfigError('The candle options are not valid.', [
      {
        path: 'timeUnit',
        value: timeUnit,
        message: "must be 'auto', 's', 'ms' or 'us'",
      },
    ])
  // Values are first kept as mantissas with their own decimal places, then
  // rescaled to the widest scale seen (exact integer multiplications).
  let cap = 1024
  let n = 0
  let cols = [0, 1, 2, 3, 4, 5].map(() => new Float64Array(cap))
  let decs = [1, 2, 3, 4, 5].map(() => new Uint8Array(cap))
  let maxPriceDec = 0
  let maxVolDec = 0
  let lineNo = 0
  let rest = ''
  let lastTime = Number.NEGATIVE_INFINITY
  // Fixed by the first candle line: its field count (6 or 12) and line, and
  // the time unit as the range [tLo, tHi) of raw times the fast path takes
  // plus the factor to ms (tMul, or a divisor tDiv for µs). Before that,
  // the empty range sends every line to the careful path.
  let fieldCount = 0
  let firstLine = 0
  let unit: Unit | undefined
  let tLo = 0
  let tHi = 0
  let tMul = 1
  let tDiv = 1
  const setUnit = (u: Unit, detected: boolean) => {
    unit = u
    tLo = detected ? UNITS[u].lo : 0
    tHi = detected ? UNITS[u].hi : u === 's' ? 2 ** 53 / 1000 : 2 ** 53
    tMul = u === 's' ? 1000 : 1
    tDiv = u === 'us' ? 1000 : 1
  }
  if (timeUnit !== 'auto') setUnit(timeUnit, false)

  const grow = () => {
    cap *= 2
    cols = cols.map((c) => {
      const next = new Float64Array(cap)
      next.set(c)
      return next
    })
    decs = decs.map((d) => {
      const next = new Uint8Array(cap)
      next.set(d)
      return next
    })
  }

  const line = (text: string) => {
    lineNo++
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text
    if (trimmed.trim() === '') return
    const fields = trimmed.split(',')
    if (lineNo === 1 && !/^\s*\d/.test(fields[0] ?? '')) return // header
    if (fieldCount === 0) {
      if (fields.length !== 6 && fields.length !== BINANCE_FIELDS)
        throw new CandleDataError(
          `expected 6 comma-separated fields (open_time,open,high,low,close,volume) or Binance's 12 (open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote,ignore), found ${fields.length}`,
          lineNo,
          0,
          trimmed,
        )
      fieldCount = fields.length
      firstLine = lineNo
    } else if (fields.length !== fieldCount)
      throw new CandleDataError(
        `expected ${fieldCount} comma-separated fields like line ${firstLine}, found ${fields.length}`,
        lineNo,
        0,
        trimmed,
      )
    if (n === cap) grow()
    const t = fields[0] as string
    if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)))
      throw new CandleDataError(
        'must be a whole number: a Unix time in seconds, milliseconds or microseconds',
        lineNo,
        1,
        t,
      )
    const raw = Number(t)
    if (unit === undefined) {
      const found = unitOf(raw)
      if (found === undefined)
        throw new CandleDataError(
          'cannot tell whether this time is in seconds, milliseconds or microseconds: write open_time as a Unix time from 2001-09-09 on, in seconds (10 digits), milliseconds (13) or microseconds (16)',
          lineNo,
          1,
          t,
        )
      setUnit(found, true)
    }
    const u = unit as Unit
    if (raw < tLo || raw >= tHi) {
      const other = timeUnit === 'auto' ? unitOf(raw) : undefined
      throw new CandleDataError(
        timeUnit !== 'auto'
          ? `is too large for a time in ${UNITS[u].name} (timeUnit '${u}')`
          : other === undefined
            ? `is not a time in ${UNITS[u].name} like line ${firstLine} (the first candle): write every open_time of the file in one unit`
            : `is in ${UNITS[other].name}, but line ${firstLine} (the first candle) is in ${UNITS[u].name}: write every open_time of the file in one unit`,
        lineNo,
        1,
        t,
      )
    }
    if (raw % tDiv !== 0)
      throw new CandleDataError(
        'is in microseconds but not a whole millisecond: candles open on whole milliseconds',
        lineNo,
        1,
        t,
      )
    const time = tDiv === 1 ? raw * tMul : raw / tDiv
    if (time <= lastTime)
      throw new CandleDataError(
        `must be later than the previous candle's open_time ${(lastTime / tMul) * tDiv} (candles must be in time order, without duplicates)`,
        lineNo,
        1,
        t,
      )
    lastTime = time
    ;(cols[0] as Float64Array)[n] = time
    for (let k = 1; k <= 5; k++) {
      const f = fields[k] as string
      if (!isDecimal(f))
        throw new CandleDataError(
          'must be a non-negative decimal number such as 42283.58 (no exponent)',
          lineNo,
          k + 1,
          f,
        )
      const places = decimalPlaces(f)
      const units = places > 20 ? null : parseUnits(f, places, 'exact')
      if (units === null)
        throw new CandleDataError(
          'has too many digits for exact arithmetic (at most 15 significant digits)',
          lineNo,
          k + 1,
          f,
        )
      ;(cols[k] as Float64Array)[n] = units
      ;(decs[k - 1] as Uint8Array)[n] = places
      if (k < 5) {
        if (places > maxPriceDec) maxPriceDec = places
      } else if (places > maxVolDec) maxVolDec = places
    }
    // low <= open, close <= high (checked on the text: exact, any decimals)
    const [, o, h, l, c] = fields as [string, string, string, string, string]
    if (compareDecimal(l, h) > 0)
      throw new CandleDataError(`low must be <= high ${h}`, lineNo, 4, l)
    if (compareDecimal(o, l) < 0 || compareDecimal(o, h) > 0)
      throw new CandleDataError(
        `open must be between low ${l} and high ${h}`,
        lineNo,
        2,
        o,
      )
    if (compareDecimal(c, l) < 0 || compareDecimal(c, h) > 0)
      throw new CandleDataError(
        `close must be between low ${l} and high ${h}`,
        lineNo,
        5,
        c,
      )
    n++
  }

  // Fast path for well-formed rows: one scan, no substrings, no regex.
  // Anything unusual (header, blank line, bad or long value, wrong field
  // count, out-of-order time, inconsistent prices) returns false and goes
  // through `line` above, which accepts it the same way or throws the
  // precise error.
  const m = new Float64Array(5)
  const d = new Int32Array(5)
  const fast = (text: string, start: number, stop: number): boolean => {
    let end = stop
    if (end > start && text.charCodeAt(end - 1) === 13) end--
    let i = start
    let time = 0
    let digits = 0
    for (; i < end; i++) {
      const c = text.charCodeAt(i)
      if (c === 44) break
      if (c < 48 || c > 57) return false
      time = time * 10 + (c - 48)
      digits++
    }
    // One unit per file: a time outside the first candle's range, or a µs
    // time that is not a whole ms, goes to the careful path (which throws).
    if (digits === 0 || digits > 16 || i === end || time < tLo || time >= tHi)
      return false
    if (tDiv === 1) time *= tMul
    else if (time % tDiv === 0) time /= tDiv
    else return false
    if (time <= lastTime) return false
    for (let k = 0; k < 5; k++) {
      i++ // the comma
      let v = 0
      let nd = 0
      let intDigits = 0
      let dec = -1
      for (; i < end; i++) {
        const c = text.charCodeAt(i)
        if (c === 44) break
        if (c === 46) {
          if (dec >= 0) return false
          dec = 0
          continue
        }
        if (c < 48 || c > 57) return false
        v = v * 10 + (c - 48)
        nd++
        if (dec >= 0) dec++
        else intDigits++
      }
      if (intDigits === 0 || nd > 15 || dec === 0) return false
      if (k < 4 && i === end) return false
      m[k] = v
      d[k] = Math.max(dec, 0)
    }
    if (fieldCount === 6) {
      if (i !== end) return false
    } else {
      // Binance's six trailing columns: count their commas, do not read them.
      // (No candle line seen yet: the careful path fixes the field count.)
      if (fieldCount === 0 || i === end) return false
      let j = i
      for (let f = 0; f < BINANCE_FIELDS - 7; f++) {
        j = text.indexOf(',', j + 1)
        if (j < 0 || j >= end) return false
      }
      const extra = text.indexOf(',', j + 1)
      if (extra >= 0 && extra < end) return false
    }
    // low <= open, close <= high, compared at a common scale
    const sc = Math.max(
      d[0] as number,
      d[1] as number,
      d[2] as number,
      d[3] as number,
    )
    const o = (m[0] as number) * 10 ** (sc - (d[0] as number))
    const h = (m[1] as number) * 10 ** (sc - (d[1] as number))
    const l = (m[2] as number) * 10 ** (sc - (d[2] as number))
    const c = (m[3] as number) * 10 ** (sc - (d[3] as number))
    if (!Number.isSafeInteger(h) || l > h || o < l || o > h || c < l || c > h)
      return false
    if (n === cap) grow()
    ;(cols[0] as Float64Array)[n] = time
    for (let k = 0; k < 5; k++) {
      ;(cols[k + 1] as Float64Array)[n] = m[k] as number
      ;(decs[k] as Uint8Array)[n] = d[k] as number
    }
    if (sc > maxPriceDec) maxPriceDec = sc
    if ((d[4] as number) > maxVolDec) maxVolDec = d[4] as number
    lastTime = time
    lineNo++
    n++
    return true
  }

  return {
    write(chunk: string) {
      const text = rest + chunk
      let start = 0
      for (;;) {
        const nl = text.indexOf('\n', start)
        if (nl < 0) break
        if (lineNo === 0 || !fast(text, start, nl)) line(text.slice(start, nl))
        start = nl + 1
      }
      rest = text.slice(start)
    },
    end() {
      if (rest !== '') {
        line(rest)
        rest = ''
      }
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
      const series: CandleSeries = {
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
      return series
    },
  }
}

/**
 * Parses candle CSV text held in memory: 6 columns (header optional) or
 * Binance's 12-column klines, open times in s, ms or µs (see
 * {@link CandleCsvOptions.timeUnit}).
 *
 * @param text - The CSV text.
 * @param options - `timeUnit` (default `'auto'`).
 * @returns The candles as integer columns, open times in ms.
 * @throws {CandleDataError} naming the line and column of the first bad value.
 * @example
 * ```ts
 * import { parseCandlesCsv } from '@rung/ladder-strategy'
 * const candles = parseCandlesCsv('1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724\n')
 * const same = parseCandlesCsv('1704067200,42283.58,42298.62,42261.02,42298.61,35.92724\n') // seconds
 * const synthetic = parseCandlesCsv('0,100,101,99,100.5,3\n', { timeUnit: 'ms' })
 * ```
 */
export function parseCandlesCsv(
  text: string,
  options: CandleCsvOptions = {},
): CandleSeries {
  const parser = createCandleCsvParser(options)
  parser.write(text)
  return parser.end()
}

/**
 * Builds a series from candle objects (for in-memory data, e.g. from an API).
 *
 * @param rows - Candles in time order.
 * @returns The candles as integer columns.
 * @throws {CandleDataError} naming the row (as `line`, 1-based) and column of the first bad value.
 * @example
 * ```ts
 * import { candlesFromRows } from '@rung/ladder-strategy'
 * const candles = candlesFromRows([
 *   { openTime: 0, open: '100', high: '101', low: '99', close: '100.5', volume: '3' },
 * ])
 * ```
 */
export function candlesFromRows(rows: Iterable<CandleRow>): CandleSeries {
  // Rows carry ms by contract: no unit to detect.
  const parser = createCandleCsvParser({ timeUnit: 'ms' })
  // JSON numbers are written by their shortest text, which the parser
  // rejects when it needs an exponent.
  const text = (v: unknown) => String(v)
  for (const r of rows)
    parser.write(
      `${text(r.openTime)},${text(r.open)},${text(r.high)},${text(r.low)},${text(r.close)},${text(r.volume)}\n`,
    )
  return parser.end()
}

/**
 * A view of candles `start` (inclusive) to `end` (exclusive), sharing the
 * memory of the original series (no copy).
 *
 * @param series - The candles.
 * @param start - First index.
 * @param end - One past the last index.
 * @returns The slice.
 * @example
 * ```ts
 * import { sliceCandles } from '@rung/ladder-strategy'
 * import { readCandlesCsv } from '@rung/ladder-strategy/node'
 * const january = sliceCandles(await readCandlesCsv('btc.csv.gz'), 0, 31 * 1440)
 * ```
 */
export function sliceCandles(
  series: CandleSeries,
  start: number,
  end: number = series.length,
): CandleSeries {
  const from = Math.max(0, Math.min(series.length, Math.floor(start)))
  const to = Math.max(from, Math.min(series.length, Math.floor(end)))
  return {
    length: to - from,
    openTime: series.openTime.subarray(from, to),
    open: series.open.subarray(from, to),
    high: series.high.subarray(from, to),
    low: series.low.subarray(from, to),
    close: series.close.subarray(from, to),
    volume: series.volume.subarray(from, to),
    priceScale: series.priceScale,
    volumeScale: series.volumeScale,
  }
}
