/**
 * What the status view and `rung status` show, derived from the strategy
 * state. The state keeps integers in ticks and lots; they are turned back
 * into decimal strings here through the CLI's decimal module (big.js
 * `toString` drops trailing zeros).
 */
import type { LadderState } from '@rung/ladder-strategy'
import { div, mul } from './decimal.js'
import type { StatusSnapshot } from './statusView.js'

/** The part of a status snapshot that comes from the state. */
export type StateSummary = Omit<
  StatusSnapshot,
  'mode' | 'connection' | 'events'
>

/**
 * Summarises a state.
 * @param realisedProfit - Sum of the completed cycles' profits (decimal
 *   string); the bot adds up the `cycleCompleted` commands' `profit`.
 * @param price - The last price the bot saw.
 */
export function summarizeState(
  state: LadderState,
  realisedProfit: string,
  price: string | undefined,
): StateSummary {
  const { market } = state.setup
  const p = state.position
  const heldLots = p.boughtLots - p.soldLots
  const position = heldLots > 0 ? mul(String(heldLots), market.stepSize) : '0'
  const averageEntry =
    p.boughtLots > 0
      ? div(mul(String(p.costTickLots), market.tickSize), String(p.boughtLots))
      : undefined
  const rungs = state.orders.filter(
    (o) => o.side === 'buy' && o.cycle === state.cycle,
  )
  return {
    symbol: market.symbol,
    status: state.status,
    price,
    averageEntry,
    takeProfitPrice:
      state.status === 'inPosition' ? state.takeProfitPrice : undefined,
    rungsFilled: rungs.filter((o) => o.filledLots > 0).length,
    rungsTotal: rungs.length,
    position,
    realisedProfit,
    cycles: state.totals.cycles,
  }
}
