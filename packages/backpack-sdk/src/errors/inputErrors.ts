/**
 * Errors about what the caller passed: malformed parameters, keys, and
 * prices or quantities that do not fit a market's rules. All are thrown
 * before anything is sent.
 */
import { BackpackError, type BackpackErrorOptions } from './backpackError.js'

/**
 * A parameter or option is malformed. Thrown before anything is signed or
 * sent, so nothing reached the exchange.
 *
 * @example
 * ```ts
 * import { ValidationError, executeOrder } from '@rung/backpack-sdk'
 *
 * try {
 *   await executeOrder(client, { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '1e2', quantity: '1' })
 * } catch (error) {
 *   if (error instanceof ValidationError) console.error(error.field) // 'price'
 * }
 * ```
 */
export class ValidationError extends BackpackError {
  override name = 'ValidationError' as const
  /** Dotted path of the offending field (e.g. `orders[2].price`), if known. */
  readonly field: string | undefined

  /**
   * @param shortMessage - What is wrong and what is expected.
   * @param options - `field` plus the common options.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & { field?: string | undefined } = {},
  ) {
    super(shortMessage, options)
    this.field = options.field
  }
}

/**
 * A key is malformed: wrong encoding or length, or a 64-byte secret whose
 * public half does not match its seed. The message names the argument and
 * the expected form but never contains the key.
 *
 * @example
 * ```ts
 * import { SigningError } from '@rung/backpack-sdk'
 * import { createSigner } from '@rung/backpack-sdk/signing'
 *
 * try {
 *   createSigner('not-a-key')
 * } catch (error) {
 *   if (error instanceof SigningError) console.error(error.argument) // 'secretKey'
 * }
 * ```
 */
export class SigningError extends BackpackError {
  override name = 'SigningError' as const
  /** Name of the offending argument, e.g. `secretKey`. */
  readonly argument: string

  /**
   * @param shortMessage - What is wrong, naming the argument and the expected
   *   length/encoding (never the value).
   * @param options - `argument` plus the common options.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & { argument: string },
  ) {
    super(shortMessage, options)
    this.argument = options.argument
  }
}

/**
 * Rounding a price or quantity to the market's tick/step reached zero, or the
 * result falls below the market's minimum quantity, price or notional (or
 * above its maximum). Thrown instead of sending an order the exchange would
 * reject.
 *
 * @example
 * ```ts
 * import { PrecisionError, formatQuantity } from '@rung/backpack-sdk'
 *
 * try {
 *   formatQuantity(rules, 'SOL_USDC', '0.001', 'down')
 * } catch (error) {
 *   if (error instanceof PrecisionError) console.error(error.rule) // 'minQuantity'
 * }
 * ```
 */
export class PrecisionError extends BackpackError {
  override name = 'PrecisionError' as const
  /** Market symbol. */
  readonly symbol: string
  /** Which value failed: `price`, `quantity` or `notional`. */
  readonly field: 'price' | 'quantity' | 'notional'
  /** The value as given by the caller (a decimal string). */
  readonly value: string
  /** The rule that failed, e.g. `minQuantity`, `tickSize` (rounded to zero). */
  readonly rule: string

  /**
   * @param shortMessage - What failed and how to fix it.
   * @param options - The failing symbol, field, value and rule.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & {
      symbol: string
      field: 'price' | 'quantity' | 'notional'
      value: string
      rule: string
    },
  ) {
    super(shortMessage, options)
    this.symbol = options.symbol
    this.field = options.field
    this.value = options.value
    this.rule = options.rule
  }
}
