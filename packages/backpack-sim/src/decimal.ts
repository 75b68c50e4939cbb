/**
 * The simulator's one decimal module. Every price, quantity, balance and fee
 * is held as a `bigint` scaled by 10^18 ("units"); decimal strings are parsed
 * and printed here, and nothing else in the package does decimal arithmetic.
 * Every operation that can lose digits takes an explicit rounding direction.
 *
 * Parsing, printing and rounding are Rung's private decimal core
 * (`@rung/decimal-core`, shared with the SDK and the strategy). What differs
 * on purpose: the simulator keeps every amount at one fixed scale (10^18, so
 * the matching engine compares and adds plain bigints), and it reads the
 * core's `'lenient'` grammar (`"1."`, `".5"` are accepted, as a lenient
 * server would, rather than rejecting a client's trailing dot).
 *
 * @internal
 */
import { divRound, formatUnits, isDecimalText } from '@rung/decimal-core'

/** Digits after the point carried by every amount. */
export const SCALE = 18
/** 10^SCALE: the unit value of 1. */
export const ONE = 10n ** BigInt(SCALE)

/** Rounding direction: toward negative infinity or toward positive infinity. */
export type Rounding = 'down' | 'up'

/** The result of parsing: the scaled value, or why the text was rejected. */
export type ParseResult =
  | { ok: true; value: bigint; decimals: number }
  | { ok: false; reason: string }

/**
 * Parses a plain decimal string ("141.50", "-0.5", "3") to units. Exponents,
 * blanks, `"."` and more than {@link SCALE} decimals are rejected.
 */
export function parseDecimal(text: string): ParseResult {
  if (!isDecimalText(text, 'lenient')) {
    return { ok: false, reason: 'not a plain decimal string' }
  }
  const negative = text.charCodeAt(0) === MINUS
  const start = negative ? 1 : 0
  const dot = text.indexOf('.')
  const scale = dot < 0 ? 0 : text.length - dot - 1
  if (scale > SCALE) return { ok: false, reason: `more than ${SCALE} decimals` }
  // One BigInt of the digits written out to SCALE places: the same value as
  // the core's coefficient × 10^(SCALE − scale), without the multiplication.
  const digits =
    dot < 0 ? text.slice(start) : text.slice(start, dot) + text.slice(dot + 1)
  const written = digits + ZEROS.slice(0, SCALE - scale)
  const abs = written.length === 0 ? 0n : BigInt(written)
  const value = negative ? -abs : abs
  // Significant decimals: the fraction's digits less its trailing zeros.
  let decimals = scale
  while (decimals > 0 && text.charCodeAt(dot + decimals) === ZERO) decimals--
  return { ok: true, value, decimals }
}

/** Char codes of `'0'` and `'-'`. */
const ZERO = 48
const MINUS = 45
/** SCALE zeros, to pad a fraction with. */
const ZEROS = '0'.repeat(SCALE)

/** Parses a decimal string known to be valid (configuration constants). */
export function dec(text: string): bigint {
  const r = parseDecimal(text)
  if (!r.ok) throw new RangeError(`Invalid decimal "${text}": ${r.reason}`)
  return r.value
}

/**
 * Prints units as a decimal string. With `decimals`, exactly that many
 * places are printed (the value must already be representable); without it,
 * trailing zeros are trimmed.
 */
export function formatDecimal(units: bigint, decimals?: number): string {
  return formatUnits(units, SCALE, decimals)
}

/** a × b in units, rounded in the given direction. */
export function mul(a: bigint, b: bigint, rounding: Rounding): bigint {
  // The engine's hot path: one product and one division by the constant
  // ONE (no sign test of the divisor, no remainder).
  const n = a * b
  if (n >= 0n) return rounding === 'down' ? n / ONE : (n + ONE_LESS_1) / ONE
  return divRound(n, ONE, rounding)
}

/** ONE − 1: added before a division by ONE to round up. */
const ONE_LESS_1 = ONE - 1n

/** a ÷ b in units, rounded in the given direction. */
export function div(a: bigint, b: bigint, rounding: Rounding): bigint {
  return divBy(a * ONE, b, rounding)
}

/**
 * n ÷ d rounded in the given direction: the core's `divRound`, with a short
 * way for the common case in the engine (n ≥ 0, d > 0: prices, quantities,
 * amounts), where truncation is the floor and the ceiling is one more
 * division of n + d − 1 — no remainder to take.
 */
function divBy(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (n >= 0n && d > 0n) return rounding === 'down' ? n / d : (n + d - 1n) / d
  return divRound(n, d, rounding)
}

/** How many whole `step`s fit in `a`, rounded in the given direction. */
export function countSteps(
  a: bigint,
  step: bigint,
  rounding: Rounding,
): bigint {
  return divBy(a, step, rounding)
}

/** True when `a` is an exact multiple of `step`. */
export function isMultiple(a: bigint, step: bigint): boolean {
  return a % step === 0n
}

/** Rounds `a` to a multiple of `step` in the given direction. */
export function roundToStep(
  a: bigint,
  step: bigint,
  rounding: Rounding,
): bigint {
  return divBy(a, step, rounding) * step
}

/** Fee on `amount` at `bps` basis points (units), rounded in the given direction to `decimals` places. */
export function feeOf(
  amount: bigint,
  bps: bigint,
  decimals: number,
  rounding: Rounding,
): bigint {
  return feeAt(amount, feeRate(bps), decimals, rounding)
}

/**
 * A fee rate in the form the engine's fills use: the basis points (units)
 * as a small integer, `bps` = `numerator` × 10^(SCALE − places), with the
 * fee's divisor for each asset precision worked out once. A rate of 8 bps
 * is the numerator 8, not 8 × 10^18: the product with an amount and the
 * division stay one or two words long, which BigInt divides much faster.
 */
export interface FeeRate {
  /** The rate as an integer: bps × 10^places. */
  readonly numerator: bigint
  /** Decimals of the rate in bps (0 for whole basis points). */
  readonly places: number
  /** For an asset of d decimals (0…SCALE): 10^4 · 10^places · 10^(SCALE − d). */
  readonly divisors: readonly bigint[]
}

/** The {@link FeeRate} of `bps` basis points (units). */
export function feeRate(bps: bigint): FeeRate {
  let places = 0
  let unit = ONE
  while (places < SCALE && bps % unit !== 0n) {
    places += 1
    unit /= 10n
  }
  const scale = 10_000n * 10n ** BigInt(places)
  return {
    numerator: bps / unit,
    places,
    divisors: QUANTUM.map((q) => scale * q),
  }
}

/** Fee on `amount` at `rate`, rounded in the given direction to `decimals` places. */
export function feeAt(
  amount: bigint,
  rate: FeeRate,
  decimals: number,
  rounding: Rounding,
): bigint {
  // Rounding amount × bps / (10^4 · ONE) to units and then to the quantum
  // 10^(SCALE − decimals) is one rounding of amount × bps by their product:
  // floor(floor(x / a) / b) = floor(x / (a·b)) for integers x and a, b > 0,
  // and likewise for ceil. One bigint division instead of two; with bps as
  // numerator × 10^(SCALE − places), the factor 10^(SCALE − places) cancels.
  const quantum = QUANTUM[decimals] ?? 10n ** BigInt(SCALE - decimals)
  const divisor =
    rate.divisors[decimals] ?? 10_000n * 10n ** BigInt(rate.places) * quantum
  const n = amount * rate.numerator
  if (n < 0n) return divRound(n, divisor, rounding) * quantum
  if (rounding === 'down') return (n / divisor) * quantum
  return ((n + divisor - 1n) / divisor) * quantum
}

/** 10^(SCALE − d) for d = 0…SCALE: the unit of an asset with d decimals. */
const QUANTUM: readonly bigint[] = Array.from(
  { length: SCALE + 1 },
  (_, d) => 10n ** BigInt(SCALE - d),
)

/** Converts units to a JS number for random-walk maths on the feed only (never for balances). */
export function toFloat(units: bigint): number {
  return Number(formatDecimal(units))
}

/** Converts a float (feed prices only) to units, rounded to `step` in the given direction. */
export function fromFloat(x: number, step: bigint, rounding: Rounding): bigint {
  const text = x.toFixed(12)
  return roundToStep(dec(text), step, rounding)
}

/** The smaller of two values. */
export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
