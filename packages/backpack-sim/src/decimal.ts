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
import {
  divRound,
  formatUnits,
  parseDecimal as parseCore,
  quantize,
} from '@rung/decimal-core'

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
  const parsed = parseCore(text, 'lenient')
  if (parsed === null)
    return { ok: false, reason: 'not a plain decimal string' }
  if (parsed.scale > SCALE) {
    return { ok: false, reason: `more than ${SCALE} decimals` }
  }
  const value = quantize(parsed, SCALE, 'down') // exact: scale <= SCALE
  let decimals = parsed.scale
  let coef = parsed.coef
  while (decimals > 0 && coef % 10n === 0n) {
    coef /= 10n
    decimals--
  }
  return { ok: true, value, decimals }
}

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
  return divRound(a * b, ONE, rounding)
}

/** a ÷ b in units, rounded in the given direction. */
export function div(a: bigint, b: bigint, rounding: Rounding): bigint {
  return divRound(a * ONE, b, rounding)
}

/** How many whole `step`s fit in `a`, rounded in the given direction. */
export function countSteps(
  a: bigint,
  step: bigint,
  rounding: Rounding,
): bigint {
  return divRound(a, step, rounding)
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
  return divRound(a, step, rounding) * step
}

/** Fee on `amount` at `bps` basis points (units), rounded in the given direction to `decimals` places. */
export function feeOf(
  amount: bigint,
  bps: bigint,
  decimals: number,
  rounding: Rounding,
): bigint {
  const raw = divRound(amount * bps, 10_000n * ONE, rounding)
  const quantum = 10n ** BigInt(SCALE - decimals)
  return divRound(raw, quantum, rounding) * quantum
}

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
