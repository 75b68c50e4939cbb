/**
 * The package's one decimal module. Nothing outside this file does decimal
 * arithmetic; everything else calls these functions, which sit on Rung's
 * private decimal core (`@rung/decimal-core`, bundled at build time, shared
 * with the SDK and the simulator).
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
 * What differs from the SDK on purpose: the strategy reads unsigned decimal
 * text only (config values, candle prices are never negative), and rounds in
 * two directions (`'down'` = floor, `'up'` = ceiling; no `'nearest'`: every
 * ladder and report figure rounds against the trader, never to the nearest).
 */
import {
  add as addDec,
  compare,
  compareUnsignedText,
  type Decimal,
  divide,
  divRound,
  formatDecimal,
  formatUnits,
  gcd,
  isDecimalText,
  parseDecimal,
  parseUnits,
  pow10,
  pow10Number,
} from '@rung/decimal-core'

export { divRound, formatUnits, gcd, parseUnits, pow10, pow10Number }

/** Rounding direction; every rounding call names one. */
export type Rounding = 'down' | 'up'

/** Whether `text` is a non-negative plain decimal (`"0"`, `"12.50"`; not `"1e-7"`, `"."`, `"-1"`, `""`). */
export function isDecimal(text: unknown): text is string {
  return isDecimalText(text, 'unsigned')
}

/** Canonical form of a valid decimal string: no leading zeros, no trailing fractional zeros. */
export function normalizeDecimal(text: string): string {
  return formatDecimal(signed(text))
}

/** Parses signed decimal text known to be valid (report figures may be negative). */
function signed(text: string): Decimal {
  const value = parseDecimal(text, 'strict')
  if (value === null) throw new RangeError(`not a decimal string: "${text}"`)
  return value
}

/**
 * Converts a JSON number to the decimal string of its shortest round-trip
 * text (what `JSON.stringify` writes), or `null` when that text would need
 * an exponent (`1e21`, `1e-7`), or the number is negative or not finite.
 */
export function numberToDecimal(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null
  const text = String(value)
  if (!isDecimal(text)) return null
  return normalizeDecimal(text)
}

/** Compares two valid decimal strings exactly; allocation-free for the hot path. */
export const compareDecimal: (a: string, b: string) => -1 | 0 | 1 =
  compareUnsignedText

/** Number of decimal places written in a valid decimal string. */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
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
  return divRound(r.n, r.d, rounding)
}

/** A bigint as a number, or `null` when not a safe integer. */
export function toSafe(value: bigint): number | null {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : null
}

// ---------------------------------------------------------------------------
// Decimal-string helpers (config validation and reports)
// ---------------------------------------------------------------------------

/** Compares a valid decimal string with a bound given as a decimal string. */
export function compareTo(text: string, bound: string): -1 | 0 | 1 {
  return compare(signed(text), signed(bound))
}

/**
 * a / b as a decimal string with at most `places` decimals, rounded in the
 * named direction (`'down'` = floor, `'up'` = ceiling; used for averages in
 * reports and the sweep's profit / drawdown metric).
 */
export function divideToString(
  a: string,
  b: string,
  places: number,
  rounding: Rounding,
): string {
  return formatDecimal(divide(signed(a), signed(b), places, rounding))
}

/** a + b, exact, as a decimal string (signed operands allowed). */
export function addToString(a: string, b: string): string {
  return formatDecimal(addDec(signed(a), signed(b)))
}

/** Compares two signed decimal strings exactly. */
export function compareSigned(a: string, b: string): -1 | 0 | 1 {
  return compare(signed(a), signed(b))
}
