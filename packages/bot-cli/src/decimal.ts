/**
 * The CLI's one decimal module. Everything the bot computes about money
 * (position, average entry, P&L, take-profit distance, leftover values) goes
 * through here; nothing else in the package does arithmetic on prices or
 * quantities. An isolated Big constructor is used so no other package's
 * settings leak in; rounding modes are explicit at each call.
 */
import BigImport from 'big.js'

// Isolated instance: DP 18 covers any exchange precision; RM 0 (round down)
// is only the default for division and is overridden wherever it matters.
const Big = BigImport()
Big.DP = 18
Big.RM = Big.roundDown
Big.NE = -30
Big.PE = 40

/** A decimal number written as a plain string (no exponent). */
export type DecimalString = string

const big = (value: DecimalString) => new Big(value)

/** a + b. */
export const add = (a: DecimalString, b: DecimalString): DecimalString =>
  big(a).plus(b).toString()
/** a - b. */
export const sub = (a: DecimalString, b: DecimalString): DecimalString =>
  big(a).minus(b).toString()
/** a × b. */
export const mul = (a: DecimalString, b: DecimalString): DecimalString =>
  big(a).times(b).toString()
/** a ÷ b (18 decimals, rounded toward zero); b must not be zero. */
export const div = (a: DecimalString, b: DecimalString): DecimalString =>
  big(a).div(b).toString()
/** -1, 0 or 1. */
export const cmp = (a: DecimalString, b: DecimalString): number => big(a).cmp(b)
/** True when a is zero. */
export const isZero = (a: DecimalString): boolean => big(a).eq(0)

/**
 * Rounds to `dp` decimals in the named direction, for display or for a
 * quantity to send (`'down'` never sells more than is held).
 */
export const round = (
  a: DecimalString,
  dp: number,
  direction: 'down' | 'up' | 'halfUp',
): DecimalString =>
  big(a)
    .round(
      dp,
      direction === 'down'
        ? Big.roundDown
        : direction === 'up'
          ? Big.roundUp
          : Big.roundHalfUp,
    )
    .toFixed(dp)

/** Rounds down to a multiple of `step` (a quantity step size). */
export const floorToStep = (
  a: DecimalString,
  step: DecimalString,
): DecimalString => {
  const steps = big(a).div(step).round(0, Big.roundDown)
  return steps.times(step).toString()
}

/** (a / b - 1) × 100, in percent with 2 decimals rounded half up; b must not be zero. */
export const percentChange = (
  a: DecimalString,
  b: DecimalString,
): DecimalString =>
  big(a).div(b).minus(1).times(100).round(2, Big.roundHalfUp).toFixed(2)

/**
 * Converts a decimal to a float for drawing only (pixel coordinates of the
 * equity chart). Never use the result for money.
 */
export const toPlotNumber = (a: DecimalString): number => Number(a)
