/**
 * What a market order of a given size would get from one side of the local
 * book: pure arithmetic over the levels, best first.
 */
import {
  addDecimals,
  compareDecimals,
  type DecimalString,
  divideDecimals,
  multiplyDecimals,
  subtractDecimals,
} from '../decimal/decimal.js'
import { ValidationError } from '../errors/inputErrors.js'
import type { Level } from './bookSide.js'
import type { FillEstimate } from './types.js'

/**
 * Walks `levels` (the asks for a buy, the bids for a sell) until `quantity`
 * is filled or the side runs out. The average price is rounded against the
 * taker (up for a buy, down for a sell), so the estimate never flatters.
 *
 * @throws {ValidationError} naming `side` or `quantity` on bad input.
 */
export function estimateFill(
  levels: readonly Level[],
  side: 'buy' | 'sell',
  quantity: DecimalString,
): FillEstimate {
  if (side !== 'buy' && side !== 'sell') {
    throw new ValidationError(
      `side must be 'buy' or 'sell', got ${String(side)}.`,
      { field: 'side' },
    )
  }
  if (compareDecimals(quantity, '0') <= 0) {
    throw new ValidationError(
      `quantity must be a positive decimal string, got "${quantity}".`,
      { field: 'quantity' },
    )
  }
  let remaining = quantity
  let filled = '0'
  let cost = '0'
  let worst: string | undefined
  let used = 0
  for (const l of levels) {
    if (compareDecimals(remaining, '0') <= 0) break
    const take =
      compareDecimals(l.quantity, remaining) < 0 ? l.quantity : remaining
    filled = addDecimals(filled, take)
    cost = addDecimals(cost, multiplyDecimals(l.key, take))
    remaining = subtractDecimals(remaining, take)
    worst = l.price
    used++
  }
  return {
    requestedQuantity: quantity,
    filledQuantity: filled,
    cost,
    averagePrice:
      used === 0
        ? undefined
        : divideDecimals(cost, filled, {
            decimals: 12,
            rounding: side === 'buy' ? 'up' : 'down',
          }),
    worstPrice: worst,
    levels: used,
    complete: compareDecimals(remaining, '0') <= 0,
  }
}
