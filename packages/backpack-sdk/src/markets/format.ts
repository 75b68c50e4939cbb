/**
 * Rounding prices and quantities to a market's increments.
 *
 * The direction is always the caller's explicit choice, because the right one
 * depends on intent (STYLE 2.5):
 * - a **buy** limit price rounds **down** (never pay more than planned);
 * - a **take-profit sell** price rounds **up** (never sell below target);
 * - a **quantity** rounds **down** (never spend more than the budget).
 *
 * The result is a multiple of `tickSize` / `stepSize`, written with no more
 * decimals than the increment, normalised (`"141.5"`, not `"141.50"`), ready
 * to put in an order. When rounding reaches zero, or the result breaks a
 * market minimum/maximum, a {@link PrecisionError} is thrown instead of
 * returning a value the exchange would reject.
 */
import {
  checkRounding,
  compareDecimals,
  type DecimalString,
  isDecimalString,
  multiplyDecimals,
  normalizeDecimal,
  type Rounding,
  roundToIncrement,
} from '../decimal/decimal.js'
import { PrecisionError, ValidationError } from '../errors/inputErrors.js'
import { type MarketRules, ruleFor } from './marketRules.js'

/** The errors {@link formatPrice} can throw (bad input). */
export type FormatPriceErrorType = ValidationError | PrecisionError

/**
 * Rounds a price to the market's tick size in an explicit direction.
 *
 * @param rules - The precision table.
 * @param symbol - Market symbol.
 * @param price - Positive decimal string.
 * @param rounding - `'down'`, `'up'` or `'nearest'` (required).
 * @returns The rounded price, normalised, with no more decimals than the tick.
 * @throws {FormatPriceErrorType} one of the errors listed here.
 * @throws {ValidationError} when the symbol is unknown, the price is not a
 *   positive decimal string, or `rounding` is missing.
 * @throws {PrecisionError} when the rounded price is zero (`rule:
 *   'tickSize'`), below `minPrice` or above `maxPrice`.
 * @example
 * ```ts
 * import { formatPrice } from '@rung/backpack-sdk'
 *
 * // tickSize '0.01'
 * formatPrice(rules, 'SOL_USDC', '141.537', 'down') // '141.53'
 * formatPrice(rules, 'SOL_USDC', '141.531', 'up') // '141.54'
 * ```
 */
export function formatPrice(
  rules: MarketRules,
  symbol: string,
  price: DecimalString,
  rounding: Rounding,
): DecimalString {
  const rule = ruleFor(rules, symbol)
  const value = positive(price, 'price')
  checkRounding(rounding)
  const rounded = roundToIncrement(value, rule.tickSize, rounding)
  const fail = (rule: string, message: string): never => {
    throw new PrecisionError(message, {
      symbol,
      field: 'price',
      value: price,
      rule,
    })
  }
  if (compareDecimals(rounded, '0') <= 0) {
    fail(
      'tickSize',
      `Price ${price} rounds ${rounding} to 0 at tick size ${rule.tickSize} for ${symbol}; use a larger price or round 'up'.`,
    )
  }
  if (compareDecimals(rounded, rule.minPrice) < 0) {
    fail(
      'minPrice',
      `Price ${rounded} is below ${symbol}'s minimum price ${rule.minPrice}.`,
    )
  }
  if (
    rule.maxPrice !== undefined &&
    compareDecimals(rounded, rule.maxPrice) > 0
  ) {
    fail(
      'maxPrice',
      `Price ${rounded} is above ${symbol}'s maximum price ${rule.maxPrice}.`,
    )
  }
  return rounded
}

/** Options of {@link formatQuantity}. */
export interface FormatQuantityOptions {
  /**
   * The order's price. When given (and the market has `minNotional`), the
   * notional price × quantity is checked too.
   */
  price?: DecimalString | undefined
}

/** The errors {@link formatQuantity} can throw (bad input). */
export type FormatQuantityErrorType = ValidationError | PrecisionError

/**
 * Rounds a quantity to the market's step size in an explicit direction.
 *
 * @param rules - The precision table.
 * @param symbol - Market symbol.
 * @param quantity - Positive decimal string (base units).
 * @param rounding - `'down'`, `'up'` or `'nearest'` (required).
 * @param options - Optional `price` for the minimum-notional check.
 * @returns The rounded quantity, normalised, with no more decimals than the
 *   step.
 * @throws {FormatQuantityErrorType} one of the errors listed here.
 * @throws {ValidationError} when the symbol is unknown, an input is not a
 *   positive decimal string, or `rounding` is missing.
 * @throws {PrecisionError} when the result is zero (`rule: 'stepSize'`),
 *   below `minQuantity`, above `maxQuantity`, or (with `price`) below
 *   `minNotional`.
 * @example
 * ```ts
 * import { formatQuantity } from '@rung/backpack-sdk'
 *
 * // stepSize '0.01', minQuantity '0.01'
 * formatQuantity(rules, 'SOL_USDC', '1.239', 'down') // '1.23'
 * ```
 */
export function formatQuantity(
  rules: MarketRules,
  symbol: string,
  quantity: DecimalString,
  rounding: Rounding,
  options: FormatQuantityOptions = {},
): DecimalString {
  const rule = ruleFor(rules, symbol)
  const value = positive(quantity, 'quantity')
  checkRounding(rounding)
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('`options` must be an object like { price }.', {
      field: 'options',
    })
  }
  const rounded = roundToIncrement(value, rule.stepSize, rounding)
  const fail = (
    rule: string,
    message: string,
    field: 'quantity' | 'notional' = 'quantity',
  ): never => {
    throw new PrecisionError(message, { symbol, field, value: quantity, rule })
  }
  if (compareDecimals(rounded, '0') <= 0) {
    fail(
      'stepSize',
      `Quantity ${quantity} rounds ${rounding} to 0 at step size ${rule.stepSize} for ${symbol}; use a larger quantity.`,
    )
  }
  if (compareDecimals(rounded, rule.minQuantity) < 0) {
    fail(
      'minQuantity',
      `Quantity ${rounded} is below ${symbol}'s minimum quantity ${rule.minQuantity}; raise the size.`,
    )
  }
  if (
    rule.maxQuantity !== undefined &&
    compareDecimals(rounded, rule.maxQuantity) > 0
  ) {
    fail(
      'maxQuantity',
      `Quantity ${rounded} is above ${symbol}'s maximum quantity ${rule.maxQuantity}; split the order.`,
    )
  }
  if (options.price !== undefined) {
    const notional = multiplyDecimals(rounded, positive(options.price, 'price'))
    if (
      rule.minNotional !== undefined &&
      compareDecimals(notional, rule.minNotional) < 0
    ) {
      fail(
        'minNotional',
        `Notional ${notional} (price × quantity) is below ${symbol}'s minimum ${rule.minNotional}.`,
        'notional',
      )
    }
  }
  return rounded
}

function positive(value: unknown, field: string): DecimalString {
  const normal = normalizeDecimal(value as DecimalString, field)
  if (!isDecimalString(value) || compareDecimals(normal, '0') <= 0) {
    throw new ValidationError(
      `\`${field}\` must be greater than zero; got "${String(value)}".`,
      { field },
    )
  }
  return normal
}
