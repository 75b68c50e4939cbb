/**
 * The careful path of the candle CSV parser: every line the fast path
 * declines (header, blank, unusual or bad values) is read here, field by
 * field, and either accepted exactly as the fast path would or refused with
 * an error naming its line and column.
 */
import {
  compareDecimal,
  decimalPlaces,
  isDecimal,
  parseUnits,
} from '../decimal.js'
import { CandleDataError } from './errors.js'
import type { ParserState } from './state.js'
import { BINANCE_FIELDS, UNITS, type Unit, unitOf } from './units.js'

/** Reads one line (without its `\n`) into `st`, or throws. @internal */
export function carefulLine(st: ParserState, text: string): void {
  st.lineNo++
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text
  if (trimmed.trim() === '') return
  const fields = trimmed.split(',')
  if (st.lineNo === 1 && !/^\s*\d/.test(fields[0] ?? '')) return // header
  checkFieldCount(st, fields.length, trimmed)
  if (st.n === st.cap) st.grow()
  const time = readTime(st, fields[0] as string)
  st.lastTime = time
  ;(st.cols[0] as Float64Array)[st.n] = time
  for (let k = 1; k <= 5; k++) readValue(st, k, fields[k] as string)
  checkPrices(st.lineNo, fields)
  st.n++
}

/** The first candle line fixes the field count (6 or Binance's 12); later lines must match. */
function checkFieldCount(st: ParserState, count: number, line: string) {
  if (st.fieldCount === 0) {
    if (count !== 6 && count !== BINANCE_FIELDS)
      throw new CandleDataError(
        `expected 6 comma-separated fields (open_time,open,high,low,close,volume) or Binance's 12 (open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote,ignore), found ${count}`,
        st.lineNo,
        0,
        line,
      )
    st.fieldCount = count
    st.firstLine = st.lineNo
  } else if (count !== st.fieldCount)
    throw new CandleDataError(
      `expected ${st.fieldCount} comma-separated fields like line ${st.firstLine}, found ${count}`,
      st.lineNo,
      0,
      line,
    )
}

/** open_time in ms: a whole number in the file's one unit, later than the previous candle's. */
function readTime(st: ParserState, t: string): number {
  const { lineNo } = st
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)))
    throw new CandleDataError(
      'must be a whole number: a Unix time in seconds, milliseconds or microseconds',
      lineNo,
      1,
      t,
    )
  const raw = Number(t)
  if (st.unit === undefined) {
    const found = unitOf(raw)
    if (found === undefined)
      throw new CandleDataError(
        'cannot tell whether this time is in seconds, milliseconds or microseconds: write open_time as a Unix time from 2001-09-09 on, in seconds (10 digits), milliseconds (13) or microseconds (16)',
        lineNo,
        1,
        t,
      )
    st.setUnit(found, true)
  }
  const u = st.unit as Unit
  if (raw < st.tLo || raw >= st.tHi) {
    const other = st.timeUnit === 'auto' ? unitOf(raw) : undefined
    throw new CandleDataError(
      st.timeUnit !== 'auto'
        ? `is too large for a time in ${UNITS[u].name} (timeUnit '${u}')`
        : other === undefined
          ? `is not a time in ${UNITS[u].name} like line ${st.firstLine} (the first candle): write every open_time of the file in one unit`
          : `is in ${UNITS[other].name}, but line ${st.firstLine} (the first candle) is in ${UNITS[u].name}: write every open_time of the file in one unit`,
      lineNo,
      1,
      t,
    )
  }
  if (raw % st.tDiv !== 0)
    throw new CandleDataError(
      'is in microseconds but not a whole millisecond: candles open on whole milliseconds',
      lineNo,
      1,
      t,
    )
  const time = st.tDiv === 1 ? raw * st.tMul : raw / st.tDiv
  if (time <= st.lastTime)
    throw new CandleDataError(
      `must be later than the previous candle's open_time ${(st.lastTime / st.tMul) * st.tDiv} (candles must be in time order, without duplicates)`,
      lineNo,
      1,
      t,
    )
  return time
}

/** Column `k` (1 = open ... 5 = volume): an exact non-negative decimal. */
function readValue(st: ParserState, k: number, f: string) {
  if (!isDecimal(f))
    throw new CandleDataError(
      'must be a non-negative decimal number such as 42283.58 (no exponent)',
      st.lineNo,
      k + 1,
      f,
    )
  const places = decimalPlaces(f)
  const units = places > 20 ? null : parseUnits(f, places, 'exact')
  if (units === null)
    throw new CandleDataError(
      'has too many digits for exact arithmetic (at most 15 significant digits)',
      st.lineNo,
      k + 1,
      f,
    )
  ;(st.cols[k] as Float64Array)[st.n] = units
  ;(st.decs[k - 1] as Uint8Array)[st.n] = places
  if (k < 5) {
    if (places > st.maxPriceDec) st.maxPriceDec = places
  } else if (places > st.maxVolDec) st.maxVolDec = places
}

/** low <= open, close <= high (checked on the text: exact, any decimals). */
function checkPrices(lineNo: number, fields: string[]) {
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
}
