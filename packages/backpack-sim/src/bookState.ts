/**
 * What a market's order book state lets through. Backpack reports the state
 * (`orderBookState` in `GET /api/v1/markets`) but documents neither the
 * refusal's code nor its text; the simulator answers HTTP 400
 * `TRADING_PAUSED` (a code of Backpack's ApiErrorCode list, which ccxt maps
 * to ExchangeNotAvailable) with a message that names the market and the
 * state. UNCONFIRMED: see docs/simulator.md.
 */
import { ApiFailure } from './errors.js'
import type { Market } from './markets.js'

/**
 * Refuses an order the market's book state does not accept.
 *
 * @param market - The order's market.
 * @param order - The order's type and post-only flag.
 * @param internal - An order of the simulator's own feed (exempt from
 *   `LimitOnly` and `PostOnly`, as a venue's designated market makers are).
 * @throws {ApiFailure} 400 `TRADING_PAUSED` when the book takes no such order.
 */
export function checkBookState(
  market: Market,
  order: { orderType?: unknown; postOnly?: unknown },
  internal: boolean,
): void {
  const state = market.bookState ?? 'Open'
  if (state === 'Open') return
  const refuse = (what: string) => {
    throw new ApiFailure(
      400,
      'TRADING_PAUSED',
      `The ${market.symbol} order book is ${state}: ${what}`,
    )
  }
  if (state === 'Closed' || state === 'CancelOnly')
    refuse('it accepts no new orders until it reopens (cancels still work)')
  if (internal) return
  if (state === 'LimitOnly' && order.orderType === 'Market')
    refuse('it accepts limit orders only')
  if (state === 'PostOnly' && order.postOnly !== true)
    refuse('it accepts post-only limit orders only')
}
