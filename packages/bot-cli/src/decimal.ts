/**
 * Display helpers on top of the SDK's decimal module. All arithmetic on
 * prices, quantities and money goes through `@rung/backpack-sdk`'s helpers
 * (`addDecimals`, `multiplyDecimals`, `divideDecimals`, `compareDecimals`,
 * `roundToIncrement`...); this file only adds what the SDK does not have:
 * fixed-decimals formatting for people to read, a percent change, and the
 * float conversion the chart needs for pixel coordinates. Every rounding
 * names its direction.
 */
import {
  compareDecimals,
  type DecimalString,
  divideDecimals,
  multiplyDecimals,
  normalizeDecimal,
  type Rounding,
  roundToIncrement,
  subtractDecimals,
} from '@rung/backpack-sdk'

/** True when `value` is zero. */
export const isZero = (value: DecimalString): boolean =>
  compareDecimals(value, '0') === 0

/**
 * The number of fraction digits of an increment such as a tick or step size
 * (`"0.01"` → 2, `"0.00001"` → 5, `"1"` → 0, `"0.5"` → 1).
 */
export function decimalsOf(increment: DecimalString): number {
  const canonical = normalizeDecimal(increment, 'increment')
  const dot = canonical.indexOf('.')
  return dot === -1 ? 0 : canonical.length - dot - 1
}

/**
 * Rounds `value` to `decimals` fraction digits in the named direction and
 * writes exactly that many digits, for display (`"1.5"`, 2 → `"1.50"`).
 * `'nearest'` rounds exact halves away from zero (half up in magnitude).
 */
export function toFixedDecimals(
  value: DecimalString,
  decimals: number,
  rounding: Rounding,
): DecimalString {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 40)
    throw new RangeError(
      `decimals must be an integer from 0 to 40; got ${decimals}.`,
    )
  const increment = decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`
  return padDecimals(roundToIncrement(value, increment, rounding), decimals)
}

/**
 * Writes `value` with at least `decimals` fraction digits by appending zeros;
 * it never rounds, so a value with more digits is returned as it is.
 */
export function padDecimals(
  value: DecimalString,
  decimals: number,
): DecimalString {
  const canonical = normalizeDecimal(value)
  if (decimals <= 0) return canonical
  const dot = canonical.indexOf('.')
  const have = dot === -1 ? 0 : canonical.length - dot - 1
  if (have >= decimals) return canonical
  return `${canonical}${dot === -1 ? '.' : ''}${'0'.repeat(decimals - have)}`
}

/** (a / b - 1) × 100, in percent with 2 decimals rounded to nearest; b must not be zero. */
export const percentChange = (
  a: DecimalString,
  b: DecimalString,
): DecimalString =>
  padDecimals(
    divideDecimals(multiplyDecimals(subtractDecimals(a, b), '100'), b, {
      decimals: 2,
      rounding: 'nearest',
    }),
    2,
  )

/**
 * Converts a decimal to a float for drawing only (pixel coordinates of the
 * equity chart). Never use the result for money.
 */
export const toPlotNumber = (a: DecimalString): number => Number(a)
