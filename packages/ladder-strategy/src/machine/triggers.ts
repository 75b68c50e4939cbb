/**
 * `triggerBand(state)`: which prices the machine can react to. The one
 * place that knows the price triggers of every state, next to the reducer
 * that acts on them (`onInPosition` in step.ts); the backtest skips the
 * prices inside the band instead of keeping its own copy of the exit rules,
 * and a property test (backtest.fuzz.test.ts) checks, for every option
 * combination, that skipping by the band gives the report of feeding every
 * price. A new price trigger in the reducer must widen the band here.
 */
import { compareDecimal } from '../decimal.js'
import type { DecimalString, LadderState } from '../types.js'

/**
 * The prices a state can react to (see {@link triggerBand}).
 *
 * With `reacts: 'outside'`, a `priceUpdated` whose price is strictly above
 * `low` and below `high` (at or below `high` when `highInclusive` is false)
 * changes nothing: `step` returns the same state and no command.
 */
export interface TriggerBand {
  /**
   * `'all'`: any price may change the state (the machine waits for a
   * reference price to place a ladder); `'outside'`: only a price outside the
   * quiet band between `low` and `high` may.
   */
  reacts: 'all' | 'outside'
  /**
   * A price at or below this one may trigger (stop loss, trailing stop);
   * `null`: no price triggers from below.
   */
  low: DecimalString | null
  /**
   * A price above this one (or at it, when `highInclusive`) may trigger
   * (market take-profit target, a new trailing peak); `null`: no price
   * triggers from above.
   */
  high: DecimalString | null
  /** Whether a price equal to `high` triggers (the take-profit target does; a trailing peak does not). */
  highInclusive: boolean
}

const EVERY_PRICE: TriggerBand = Object.freeze({
  reacts: 'all',
  low: null,
  high: null,
  highInclusive: false,
})
const NO_PRICE: TriggerBand = Object.freeze({
  reacts: 'outside',
  low: null,
  high: null,
  highInclusive: false,
})

/**
 * Which prices the state can react to: a `priceUpdated` with a decimal
 * price inside the returned band is a no-op (the same state, no command).
 * Callers that see many prices (the backtest, a bot journalling price
 * ticks) may skip those without calling `step`. A malformed price is not
 * covered (it returns a warning); the band may be wider than needed (a
 * starting machine still waiting for cancel acknowledgements ignores prices
 * too), never narrower.
 *
 * @param state - Any machine state.
 * @returns The band: `reacts: 'all'` while waiting for a reference price
 *   (`starting`); while `inPosition`, the stop loss and the trailing stop
 *   below (`low`, inclusive), and the market take-profit target (inclusive)
 *   or the trailing peak (exclusive) above; no price at all in the other
 *   states.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, initialState, step, triggerBand } from '@rung/ladder-strategy'
 * let state = initialState(DEFAULT_LADDER_CONFIG, {
 *   symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001',
 * })
 * ;[state] = step(state, { type: 'started', at: 0, price: '60000' })
 * triggerBand(state) // { reacts: 'outside', low: null, high: null, ... }: laddering ignores prices
 * ```
 */
export function triggerBand(state: LadderState): TriggerBand {
  switch (state.status) {
    case 'starting':
      return EVERY_PRICE
    case 'inPosition': {
      // Mirrors onInPosition: stop loss first (price <= stopLossPrice), then
      // an armed trailing take profit (price > peak raises it, price <=
      // stop sells), else the market take profit (price >= target).
      let low = state.stopLossPrice
      let high: DecimalString | null = null
      let highInclusive = false
      if (state.trailingPeak !== null) {
        const stop = state.trailingStopPrice ?? state.takeProfitPrice
        if (low === null || compareDecimal(stop, low) > 0) low = stop
        high = state.trailingPeak
      } else if (state.setup.config.takeProfitOrder === 'market') {
        high = state.takeProfitPrice
        highInclusive = true
      }
      return { reacts: 'outside', low, high, highInclusive }
    }
    default:
      return NO_PRICE
  }
}
