/**
 * The simulator's one decimal module. Every price, quantity, balance and fee
 * is held as a `bigint` scaled by 10^18 ("units"); decimal strings are parsed
 * and printed here, and nothing else in the package does decimal arithmetic.
 * Every operation that can lose digits takes an explicit rounding direction.
 *
 * @internal
 */

/** Digits after the point carried by every amount. */
export const SCALE = 18
/** 10^SCALE: the unit value of 1. */
export const ONE = 10n ** BigInt(SCALE)

/** Rounding direction: toward negative infinity or toward positive infinity. */
export type Rounding = 'down' | 'up'

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d*))?$|^(-)?\.(\d+)$/

/** The result of parsing: the scaled value, or why the text was rejected. */
export type ParseResult =
  | { ok: true; value: bigint; decimals: number }
  | { ok: false; reason: string }

/**
 * Parses a plain decimal string ("141.50", "-0.5", "3") to units. Exponents,
 * blanks, `"."` and more than {@link SCALE} decimals are rejected.
 */
export function parseDecimal(text: string): ParseResult {
  const m = DECIMAL_RE.exec(text)
  if (!m) return { ok: false, reason: 'not a plain decimal string' }
  const negative = m[1] === '-' || m[4] === '-'
  const intPart = m[2] ?? '0'
  const frac = m[3] ?? m[5] ?? ''
  if (frac.length > SCALE) {
    return { ok: false, reason: `more than ${SCALE} decimals` }
  }
  const trimmed = frac.replace(/0+$/, '')
  const value =
    BigInt(intPart) * ONE + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE))
  return {
    ok: true,
    value: negative ? -value : value,
    decimals: trimmed.length,
  }
}

/** Parses a decimal string known to be valid (configuration constants). */
export function dec(text: string): bigint {
  const r = parseDecimal(text)
  if (!r.ok) throw new RangeError(`Invalid decimal "${text}": ${r.reason}`)
  return r.value
}

/** Number of significant decimals of a units value (0 for integers). */
export function decimalsOf(units: bigint): number {
  const abs = units < 0n ? -units : units
  const frac = (abs % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '')
  return frac.length
}

/**
 * Prints units as a decimal string. With `decimals`, exactly that many
 * places are printed (the value must already be representable); without it,
 * trailing zeros are trimmed.
 */
export function formatDecimal(units: bigint, decimals?: number): string {
  const negative = units < 0n
  const abs = negative ? -units : units
  const int = abs / ONE
  let frac = (abs % ONE).toString().padStart(SCALE, '0')
  if (decimals === undefined) frac = frac.replace(/0+$/, '')
  else frac = frac.slice(0, decimals)
  const body = frac.length > 0 ? `${int}.${frac}` : `${int}`
  return negative && abs !== 0n ? `-${body}` : body
}

function divRound(a: bigint, b: bigint, rounding: Rounding): bigint {
  const q = a / b
  const r = a % b
  if (r === 0n) return q
  const positive = a < 0n === b < 0n
  if (rounding === 'up') return positive ? q + 1n : q
  return positive ? q : q - 1n
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

/** The larger of two values. */
export function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}
