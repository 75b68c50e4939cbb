/**
 * The SDK's one decimal module. Every price, quantity and notional computation
 * in the SDK goes through here; nothing else does decimal math.
 *
 * Representation: decimal **strings** at every boundary (what Backpack sends
 * and signs); the arithmetic is Rung's private decimal core
 * (`@rung/decimal-core`, bundled into this package at build time): exact
 * scaled bigints, so sums, differences and products never round, and a
 * division or an increment rounds once, in the direction the caller names.
 * No float and no global setting is involved, so an application's own
 * decimal library cannot change our results.
 *
 * Parsing is strict on purpose (reference §7: decimals are signed exactly as
 * written): `-?digits(.digits)?` only. Exponents, `""`, `"."`, `"-."`,
 * `"+1"`, `".5"`, `"1."`, whitespace, `NaN`, `Infinity` and numbers are
 * rejected with a {@link ValidationError} naming the field.
 */
import {
  add,
  compare,
  type Decimal,
  divide,
  formatDecimal,
  isDecimalText,
  mul,
  parseDecimal,
  roundToIncrement as roundCore,
  sub,
} from '@rung/decimal-core'
import { ValidationError } from '../errors/inputErrors.js'

/**
 * A decimal number written as a string: `-?digits(.digits)?`, e.g.
 * `"141.50"`, `"0.001"`, `"-3"`. Backpack sends and signs prices, quantities,
 * balances and fees in this form; the SDK never turns them into JS numbers.
 *
 * This is a named alias, not a brand, so values read from API responses can
 * be passed straight back into requests.
 */
export type DecimalString = string

/**
 * A rounding direction. Always passed explicitly.
 *
 * - `'down'`: toward negative infinity (floor). Buy prices, quantities.
 * - `'up'`: toward positive infinity (ceiling). Take-profit sell prices.
 * - `'nearest'`: to the nearest multiple; exact halves round away from zero.
 */
export type Rounding = 'down' | 'up' | 'nearest'

/**
 * Whether `value` is a string in strict decimal form (`-?digits(.digits)?`).
 *
 * @param value - Anything.
 * @returns True for strings like `"1"`, `"-0.50"`, `"007.1"`; false for
 *   `"1e-7"`, `""`, `"."`, `" 1"`, numbers and everything else.
 * @example
 * ```ts
 * import { isDecimalString } from '@rung/backpack-sdk'
 *
 * isDecimalString('141.50') // true
 * isDecimalString('1e-7') // false
 * ```
 */
export function isDecimalString(value: unknown): value is DecimalString {
  return isDecimalText(value, 'strict')
}

/**
 * Parses strict decimal text into the core's exact value. @internal
 *
 * @throws {ValidationError} naming `field` when the value is not strict
 *   decimal text.
 */
export function toDecimal(value: unknown, field = 'value'): Decimal {
  const parsed = parseDecimal(value, 'strict')
  if (parsed === null) {
    throw new ValidationError(
      `\`${field}\` must be a decimal string like "141.50" (digits, optional "-" and ".", no exponent or spaces); got ${describe(value)}.`,
      { field },
    )
  }
  return parsed
}

/** The errors {@link normalizeDecimal} can throw (bad input). */
export type NormalizeDecimalErrorType = ValidationError

/**
 * Validates a decimal string and returns it in canonical form: no leading
 * zeros, no trailing fractional zeros, no `-0`.
 *
 * @param value - The text to check.
 * @param field - Field name used in the error message.
 * @returns The canonical string (`"007.50"` → `"7.5"`, `"-0.0"` → `"0"`).
 * @throws {NormalizeDecimalErrorType} one of the errors listed here.
 * @throws {ValidationError} when `value` is not strict decimal text.
 * @example
 * ```ts
 * import { normalizeDecimal } from '@rung/backpack-sdk'
 *
 * normalizeDecimal('141.500') // '141.5'
 * ```
 */
export function normalizeDecimal(
  value: DecimalString,
  field = 'value',
): DecimalString {
  return formatDecimal(toDecimal(value, field))
}

/** The errors {@link compareDecimals} can throw (bad input). */
export type CompareDecimalsErrorType = ValidationError

/**
 * Compares two decimal strings exactly.
 *
 * @param a - Left operand.
 * @param b - Right operand.
 * @returns `-1` if a < b, `0` if equal, `1` if a > b.
 * @throws {CompareDecimalsErrorType} one of the errors listed here.
 * @throws {ValidationError} when either operand is not decimal text.
 * @example
 * ```ts
 * import { compareDecimals } from '@rung/backpack-sdk'
 *
 * compareDecimals('0.1', '0.10') // 0
 * ```
 */
export function compareDecimals(
  a: DecimalString,
  b: DecimalString,
): -1 | 0 | 1 {
  return compare(toDecimal(a, 'a'), toDecimal(b, 'b'))
}

// addDecimals, subtractDecimals, multiplyDecimals look alike on purpose: each
// is its own documented export over the shared core (add, sub, mul).

/** The errors {@link addDecimals} can throw (bad input). */
export type AddDecimalsErrorType = ValidationError

/**
 * Adds two decimal strings exactly.
 *
 * @param a - Left operand.
 * @param b - Right operand.
 * @returns The exact sum, normalised.
 * @throws {AddDecimalsErrorType} one of the errors listed here.
 * @throws {ValidationError} when either operand is not decimal text.
 * @example
 * ```ts
 * import { addDecimals } from '@rung/backpack-sdk'
 *
 * addDecimals('0.1', '0.2') // '0.3'
 * ```
 */
export function addDecimals(a: DecimalString, b: DecimalString): DecimalString {
  return formatDecimal(add(toDecimal(a, 'a'), toDecimal(b, 'b')))
}

/** The errors {@link subtractDecimals} can throw (bad input). */
export type SubtractDecimalsErrorType = ValidationError

/**
 * Subtracts `b` from `a` exactly.
 *
 * @param a - Minuend.
 * @param b - Subtrahend.
 * @returns The exact difference, normalised.
 * @throws {SubtractDecimalsErrorType} one of the errors listed here.
 * @throws {ValidationError} when either operand is not decimal text.
 * @example
 * ```ts
 * import { subtractDecimals } from '@rung/backpack-sdk'
 *
 * subtractDecimals('1', '0.9') // '0.1'
 * ```
 */
export function subtractDecimals(
  a: DecimalString,
  b: DecimalString,
): DecimalString {
  return formatDecimal(sub(toDecimal(a, 'a'), toDecimal(b, 'b')))
}

/** The errors {@link multiplyDecimals} can throw (bad input). */
export type MultiplyDecimalsErrorType = ValidationError

/**
 * Multiplies two decimal strings exactly (no rounding: the result has as many
 * fraction digits as both operands together).
 *
 * @param a - Left operand.
 * @param b - Right operand.
 * @returns The exact product, normalised.
 * @throws {MultiplyDecimalsErrorType} one of the errors listed here.
 * @throws {ValidationError} when either operand is not decimal text.
 * @example
 * ```ts
 * import { multiplyDecimals } from '@rung/backpack-sdk'
 *
 * multiplyDecimals('141.5', '0.3') // '42.45'
 * ```
 */
export function multiplyDecimals(
  a: DecimalString,
  b: DecimalString,
): DecimalString {
  return formatDecimal(mul(toDecimal(a, 'a'), toDecimal(b, 'b')))
}

/** Options of {@link divideDecimals}. */
export interface DivideOptions {
  /** Number of fraction digits to keep (0 to 40). */
  decimals: number
  /** Direction of the final rounding. */
  rounding: Rounding
}

/** The errors {@link divideDecimals} can throw (bad input). */
export type DivideDecimalsErrorType = ValidationError

/**
 * Divides `a` by `b`, rounded to `decimals` fraction digits in an explicit
 * direction (division is the one operation that cannot always be exact).
 *
 * @param a - Dividend.
 * @param b - Divisor (not zero).
 * @param options - `decimals` and `rounding`, both required.
 * @returns The rounded quotient, normalised.
 * @throws {DivideDecimalsErrorType} one of the errors listed here.
 * @throws {ValidationError} when an operand is not decimal text, `b` is zero,
 *   or the options are invalid.
 * @example
 * ```ts
 * import { divideDecimals } from '@rung/backpack-sdk'
 *
 * divideDecimals('100', '3', { decimals: 2, rounding: 'down' }) // '33.33'
 * ```
 */
export function divideDecimals(
  a: DecimalString,
  b: DecimalString,
  options: DivideOptions,
): DecimalString {
  const x = toDecimal(a, 'a')
  const y = toDecimal(b, 'b')
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'divideDecimals needs { decimals, rounding } as its third argument.',
      { field: 'options' },
    )
  }
  const { decimals, rounding } = options
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 40) {
    throw new ValidationError('`decimals` must be an integer from 0 to 40.', {
      field: 'decimals',
    })
  }
  checkRounding(rounding)
  if (y.coef === 0n) {
    throw new ValidationError('`b` must not be zero (division by zero).', {
      field: 'b',
    })
  }
  return formatDecimal(divide(x, y, decimals, rounding))
}

/** The errors {@link roundToIncrement} can throw (bad input). */
export type RoundToIncrementErrorType = ValidationError

/**
 * Rounds `value` to a multiple of `increment` in an explicit direction.
 *
 * @param value - The decimal to round.
 * @param increment - A positive step such as a tick size (`"0.01"`).
 * @param rounding - `'down'` (toward −∞), `'up'` (toward +∞) or
 *   `'nearest'` (halves away from zero).
 * @returns The multiple of `increment`, normalised.
 * @throws {RoundToIncrementErrorType} one of the errors listed here.
 * @throws {ValidationError} when an input is not decimal text, the increment
 *   is not positive, or the rounding direction is missing.
 * @example
 * ```ts
 * import { roundToIncrement } from '@rung/backpack-sdk'
 *
 * roundToIncrement('141.537', '0.01', 'down') // '141.53'
 * roundToIncrement('0.3', '0.25', 'nearest') // '0.25'
 * ```
 */
export function roundToIncrement(
  value: DecimalString,
  increment: DecimalString,
  rounding: Rounding,
): DecimalString {
  const x = toDecimal(value, 'value')
  const step = toDecimal(increment, 'increment')
  checkRounding(rounding)
  if (step.coef <= 0n) {
    throw new ValidationError('`increment` must be greater than zero.', {
      field: 'increment',
    })
  }
  return formatDecimal(roundCore(x, step, rounding))
}

/** @internal */
export function checkRounding(rounding: unknown): asserts rounding is Rounding {
  if (rounding !== 'down' && rounding !== 'up' && rounding !== 'nearest') {
    throw new ValidationError(
      `\`rounding\` must be 'down', 'up' or 'nearest' (always explicit); got ${describe(rounding)}.`,
      { field: 'rounding' },
    )
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40
      ? `a ${value.length}-character string`
      : `"${value}"`
  }
  if (value === null) return 'null'
  if (typeof value === 'number') return `the number ${value} (use a string)`
  return typeof value
}
