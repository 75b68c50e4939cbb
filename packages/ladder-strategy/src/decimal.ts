/**
 * The package's one decimal module. Nothing outside this file does decimal
 * arithmetic; everything else calls these functions.
 *
 * Three representations, each where it fits:
 *
 * - **Decimal strings** at every boundary (config, commands, reports).
 * - **Exact rationals of bigints** (`Ratio`) for the ladder's derivation
 *   (amounts `a x r^i x scale` and price factors are rationals, so they are
 *   computed exactly, then rounded once, in a named direction).
 * - **Integer units in float64 numbers** (ticks, lots, tick-lots, money
 *   units) for the state and the hot paths (the machine, the backtester).
 *   Integers below 2^53 are exact in a float64, and every function here that
 *   produces one checks `Number.isSafeInteger`; state stays JSON-serializable
 *   (a bigint is not).
 *
 * big.js (an isolated clone, see `Dec`) validates and normalizes the config's
 * decimal strings and does report-level divisions, with its rounding mode
 * named at each call.
 */
import BigJs from 'big.js'

/**
 * Isolated big.js constructor: strict mode (no JS numbers accepted, so no
 * binary-float value can sneak in), 40 decimal places for divisions, and the
 * default rounding mode set to ROUND_DOWN so a forgotten argument truncates
 * rather than rounding half-up; every call below still names its mode.
 */
const Dec = BigJs()
Dec.strict = true
Dec.DP = 40
Dec.RM = Dec.roundDown

/** Rounding direction; every rounding call names one. */
export type Rounding = 'down' | 'up'

const DECIMAL_RE = /^\d+(\.\d+)?$/

/** Whether `text` is a non-negative plain decimal (`"0"`, `"12.50"`; not `"1e-7"`, `"."`, `"-1"`, `""`). */
export function isDecimal(text: unknown): text is string {
  if (typeof text !== 'string') return false
  // Same as /^\d+(\.\d+)?$/, without the regex engine (hot path).
  const len = text.length
  let i = 0
  while (i < len) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) break
    i++
  }
  if (i === 0) return false
  if (i === len) return true
  if (text.charCodeAt(i) !== 46 || i === len - 1) return false
  for (i++; i < len; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** Canonical form of a valid decimal string: no leading zeros, no trailing fractional zeros. */
export function normalizeDecimal(text: string): string {
  return new Dec(text).toFixed()
}

/**
 * Converts a JSON number to the decimal string of its shortest round-trip
 * text (what `JSON.stringify` writes), or `null` when that text would need
 * an exponent (`1e21`, `1e-7`), or the number is negative or not finite.
 */
export function numberToDecimal(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null
  const text = String(value)
  if (!DECIMAL_RE.test(text)) return null
  return normalizeDecimal(text)
}

/** Compares two valid decimal strings exactly; allocation-free for the hot path. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  let ia = 0
  let ib = 0
  // Skip leading zeros of the integer parts.
  while (ia < a.length - 1 && a.charCodeAt(ia) === 48 && a[ia + 1] !== '.') ia++
  while (ib < b.length - 1 && b.charCodeAt(ib) === 48 && b[ib + 1] !== '.') ib++
  let da = a.indexOf('.', ia)
  let db = b.indexOf('.', ib)
  if (da < 0) da = a.length
  if (db < 0) db = b.length
  const la = da - ia
  const lb = db - ib
  if (la !== lb) return la < lb ? -1 : 1
  for (let k = 0; k < la; k++) {
    const ca = a.charCodeAt(ia + k)
    const cb = b.charCodeAt(ib + k)
    if (ca !== cb) return ca < cb ? -1 : 1
  }
  // Fractions: a missing digit counts as 0.
  const fa = a.length - da - 1
  const fb = b.length - db - 1
  const fl = Math.max(fa, fb)
  for (let k = 1; k <= fl; k++) {
    const ca = k <= fa ? a.charCodeAt(da + k) : 48
    const cb = k <= fb ? b.charCodeAt(db + k) : 48
    if (ca !== cb) return ca < cb ? -1 : 1
  }
  return 0
}

/** Number of decimal places written in a valid decimal string. */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
}

/**
 * Parses a decimal string into an integer count of 10^-scale units, rounding
 * extra digits in the named direction (`'exact'`: extra non-zero digits give
 * `null`). Returns `null` for malformed text or a result above 2^53.
 * Allocation-free: this runs on every fill and price of the backtest.
 */
export function parseUnits(
  text: string,
  scale: number,
  rounding: Rounding | 'exact',
): number | null {
  const len = text.length
  if (len === 0) return null
  let value = 0
  let i = 0
  let digits = 0
  for (; i < len; i++) {
    const c = text.charCodeAt(i)
    if (c === 46) break
    if (c < 48 || c > 57) return null
    value = value * 10 + (c - 48)
    digits++
  }
  if (digits === 0) return null
  let frac = 0
  let inexact = false
  if (i < len) {
    i++ // the dot
    if (i === len) return null
    for (; i < len; i++) {
      const c = text.charCodeAt(i)
      if (c < 48 || c > 57) return null
      if (frac < scale) {
        value = value * 10 + (c - 48)
        frac++
      } else if (c !== 48) inexact = true
    }
  }
  for (; frac < scale; frac++) value *= 10
  if (inexact) {
    if (rounding === 'exact') return null
    if (rounding === 'up') value += 1
  }
  return Number.isSafeInteger(value) ? value : null
}

/** Writes an integer count of 10^-scale units as a canonical decimal string. */
export function formatUnits(units: number | bigint, scale: number): string {
  const negative = units < 0
  let digits = (negative ? -units : units).toString()
  if (scale > 0) {
    if (digits.length <= scale)
      digits = '0'.repeat(scale + 1 - digits.length) + digits
    let end = digits.length
    const dot = end - scale
    while (end > dot && digits.charCodeAt(end - 1) === 48) end--
    digits =
      end === dot
        ? digits.slice(0, dot)
        : `${digits.slice(0, dot)}.${digits.slice(dot, end)}`
  }
  return negative && digits !== '0' ? `-${digits}` : digits
}

/** floor(a / b) for safe integers a >= 0, b > 0, exact (float division corrected). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b)
  // a / b is rounded to the nearest double, which can land on the next
  // integer when a is near 2^53; one correction step either way fixes it.
  if (q * b > a) q--
  else if ((q + 1) * b <= a) q++
  return q
}

/** ceil(a / b) for safe integers a >= 0, b > 0, exact. */
export function ceilDiv(a: number, b: number): number {
  const q = floorDiv(a, b)
  return q * b === a ? q : q + 1
}

/** Whether a product of safe integers is still exact. */
export function safeProduct(a: number, b: number): boolean {
  return Number.isSafeInteger(a * b)
}

// ---------------------------------------------------------------------------
// Exact rationals (bigint), for the ladder derivation
// ---------------------------------------------------------------------------

/** An exact non-negative rational n/d (d > 0). */
export interface Ratio {
  /** Numerator. */
  n: bigint
  /** Denominator (> 0). */
  d: bigint
}

/** 10^k as a bigint. */
export function pow10(k: number): bigint {
  return 10n ** BigInt(k)
}

/** The exact rational value of a valid decimal string. */
export function ratio(text: string): Ratio {
  const dot = text.indexOf('.')
  if (dot < 0) return { n: BigInt(text), d: 1n }
  const frac = text.length - dot - 1
  return reduce({
    n: BigInt(text.slice(0, dot) + text.slice(dot + 1)),
    d: pow10(frac),
  })
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b
  while (y !== 0n) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

/** Reduces a rational to lowest terms. */
export function reduce(r: Ratio): Ratio {
  const g = gcd(r.n, r.d)
  return g > 1n ? { n: r.n / g, d: r.d / g } : r
}

/** a + b. */
export function add(a: Ratio, b: Ratio): Ratio {
  return reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d })
}

/** a - b (may be negative). */
export function sub(a: Ratio, b: Ratio): Ratio {
  return reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d })
}

/** a x b. */
export function mul(a: Ratio, b: Ratio): Ratio {
  return reduce({ n: a.n * b.n, d: a.d * b.d })
}

/** a / b (b non-zero). */
export function div(a: Ratio, b: Ratio): Ratio {
  const sign = b.n < 0n ? -1n : 1n
  return reduce({ n: a.n * b.d * sign, d: a.d * b.n * sign })
}

/** a^k for an integer k >= 0. */
export function powInt(a: Ratio, k: number): Ratio {
  return { n: a.n ** BigInt(k), d: a.d ** BigInt(k) }
}

/** Compares two rationals. */
export function cmp(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.n * b.d
  const r = b.n * a.d
  return l < r ? -1 : l > r ? 1 : 0
}

/** A rational from an integer. */
export function int(value: number | bigint): Ratio {
  return { n: BigInt(value), d: 1n }
}

/** floor or ceil of a non-negative rational, as a bigint. */
export function roundRatio(r: Ratio, rounding: Rounding): bigint {
  const q = r.n / r.d
  if (rounding === 'down' || q * r.d === r.n) return q
  return q + 1n
}

/** floor(n / d) or ceil(n / d) for bigints n >= 0, d > 0. */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  const q = n / d
  if (rounding === 'down' || q * d === n) return q
  return q + 1n
}

/** A bigint as a number, or `null` when not a safe integer. */
export function toSafe(value: bigint): number | null {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : null
}

// ---------------------------------------------------------------------------
// big.js helpers (config validation and reports)
// ---------------------------------------------------------------------------

/** Compares a valid decimal string with a bound given as a decimal string. */
export function compareTo(text: string, bound: string): -1 | 0 | 1 {
  return new Dec(text).cmp(new Dec(bound)) as -1 | 0 | 1
}

/**
 * a / b as a decimal string with at most `places` decimals, rounded in the
 * named direction (used for averages in reports).
 */
export function divideToString(
  a: string,
  b: string,
  places: number,
  rounding: Rounding,
): string {
  const mode = rounding === 'down' ? Dec.roundDown : Dec.roundUp
  return new Dec(a).div(new Dec(b)).round(places, mode).toFixed()
}

/** a x b, exact, as a decimal string (signed operands allowed). */
export function multiplyToString(a: string, b: string): string {
  return new Dec(a).times(new Dec(b)).toFixed()
}

/** a + b, exact, as a decimal string (signed operands allowed). */
export function addToString(a: string, b: string): string {
  return new Dec(a).plus(new Dec(b)).toFixed()
}

/** a - b, exact, as a decimal string (signed result allowed). */
export function subtractToString(a: string, b: string): string {
  return new Dec(a).minus(new Dec(b)).toFixed()
}

/** Compares two signed decimal strings exactly. */
export function compareSigned(a: string, b: string): -1 | 0 | 1 {
  return new Dec(a).cmp(new Dec(b)) as -1 | 0 | 1
}
