/**
 * The fast path of the candle CSV parser, for well-formed rows: one scan,
 * no substrings, no regex. Anything unusual (header, blank line, bad or long
 * value, wrong field count, out-of-order time, inconsistent prices) returns
 * false and goes through `carefulLine`, which accepts it the same way or
 * throws the precise error.
 */
import type { ParserState } from './state.js'
import { BINANCE_FIELDS } from './units.js'

// Scratch space for one row's mantissas and decimal places (the parser is
// synchronous, so one pair serves every parser).
const m = new Float64Array(5)
const d = new Int32Array(5)

/** Reads `text[start, stop)` into `st` if it is a plain row; false otherwise (nothing changed). @internal */
export function fastLine(
  st: ParserState,
  text: string,
  start: number,
  stop: number,
): boolean {
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
  if (
    digits === 0 ||
    digits > 16 ||
    i === end ||
    time < st.tLo ||
    time >= st.tHi
  )
    return false
  if (st.tDiv === 1) time *= st.tMul
  else if (time % st.tDiv === 0) time /= st.tDiv
  else return false
  if (time <= st.lastTime) return false
  i = readValues(text, i, end)
  if (i < 0 || !trailingFields(st.fieldCount, text, i, end)) return false
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
  if (st.n === st.cap) st.grow()
  const n = st.n
  ;(st.cols[0] as Float64Array)[n] = time
  for (let k = 0; k < 5; k++) {
    ;(st.cols[k + 1] as Float64Array)[n] = m[k] as number
    ;(st.decs[k] as Uint8Array)[n] = d[k] as number
  }
  if (sc > st.maxPriceDec) st.maxPriceDec = sc
  if ((d[4] as number) > st.maxVolDec) st.maxVolDec = d[4] as number
  st.lastTime = time
  st.lineNo++
  st.n++
  return true
}

/**
 * Reads the five decimal fields after open_time (the comma at `i` first)
 * into `m` / `d`; returns the index after the last one, or -1 for anything
 * unusual.
 */
function readValues(text: string, i: number, end: number): number {
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
        if (dec >= 0) return -1
        dec = 0
        continue
      }
      if (c < 48 || c > 57) return -1
      v = v * 10 + (c - 48)
      nd++
      if (dec >= 0) dec++
      else intDigits++
    }
    if (intDigits === 0 || nd > 15 || dec === 0) return -1
    if (k < 4 && i === end) return -1
    m[k] = v
    d[k] = Math.max(dec, 0)
  }
  return i
}

/**
 * Whether the rest of the line (from `i`) fits the file's field count:
 * nothing for 6 fields; for Binance's 12, exactly six more fields, counted
 * by their commas and not read. (No candle line seen yet: the careful path
 * fixes the field count.)
 */
function trailingFields(
  fieldCount: number,
  text: string,
  i: number,
  end: number,
): boolean {
  if (fieldCount === 6) return i === end
  if (fieldCount === 0 || i === end) return false
  let j = i
  for (let f = 0; f < BINANCE_FIELDS - 7; f++) {
    j = text.indexOf(',', j + 1)
    if (j < 0 || j >= end) return false
  }
  const extra = text.indexOf(',', j + 1)
  return extra < 0 || extra >= end
}
