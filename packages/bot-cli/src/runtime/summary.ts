/**
 * What the status view and `rung status` show, derived from the strategy
 * state. The state keeps integers in ticks and lots; they are turned back
 * into decimal strings here through the SDK's decimal helpers (normalised:
 * no trailing zeros).
 */

import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import type { LadderState } from '@rung/ladder-strategy'
import { decimalsOf } from '../decimal.js'
import { type StatusSnapshot, statusWords } from '../ui/statusView.js'

/** The part of a status snapshot that comes from the state. */
export type StateSummary = Omit<
  StatusSnapshot,
  'mode' | 'connection' | 'events' | 'realisedAllTime'
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
  // The strategy counts the base asset in lots and, below one lot, in
  // base-fee units of 10^-(step decimals + 8) (the remainder carried from
  // earlier cycles, and base-asset fees).
  const fineUnit = `0.${'0'.repeat(decimalsOf(market.stepSize) + 7)}1`
  const quantity = (lots: number, fineUnits: number) =>
    addDecimals(
      multiplyDecimals(String(lots), market.stepSize),
      multiplyDecimals(String(fineUnits), fineUnit),
    )
  const carriedLots = p.carriedLots ?? 0
  const carriedFineUnits = p.carriedFineUnits ?? 0
  // What is held, exactly: carried in + bought - sold - base-asset fees.
  const held = quantity(
    carriedLots + p.boughtLots - p.soldLots,
    carriedFineUnits - p.baseFeeUnits,
  )
  const position = compareDecimals(held, '0') > 0 ? held : '0'
  const carried = quantity(carriedLots, carriedFineUnits)
  const averageEntry =
    p.boughtLots > 0
      ? // Full precision (18 decimals, toward zero) for status.json; the
        // view rounds it to the tick for display.
        divideDecimals(
          multiplyDecimals(String(p.costTickLots), market.tickSize),
          String(p.boughtLots),
          { decimals: 18, rounding: 'down' },
        )
      : undefined
  const rungs = state.orders.filter(
    (o) => o.side === 'buy' && o.cycle === state.cycle,
  )
  return {
    symbol: market.symbol,
    status: state.status,
    statusText:
      state.status === 'starting' && state.waitingOutsideBand === true
        ? 'waiting: price outside the band'
        : statusWords(
            state.status,
            state.status === 'exiting' ? state.reason : undefined,
          ),
    price,
    averageEntry,
    takeProfitPrice:
      state.status === 'inPosition' ? state.takeProfitPrice : undefined,
    rungsFilled: rungs.filter((o) => o.filledLots > 0).length,
    // Rolling rungs not placed yet are part of the ladder too.
    rungsTotal: rungs.length + queuedRungs(state),
    ...rollingRungs(state, rungs),
    ...takeProfitSteps(state),
    position,
    carried,
    realisedProfit,
    cycles: state.totals.cycles,
    ...priceBand(state),
    tickSize: market.tickSize,
    stepSize: market.stepSize,
    orders: state.orders
      .filter((o) => o.status === 'pending' || o.status === 'open')
      .map((o) => ({
        side: o.side,
        rung: o.rung,
        price: o.price,
        quantity: o.quantity,
      })),
  }
}

/** The ladder's rungs not placed yet (rolling rungs). */
function queuedRungs(state: LadderState): number {
  return state.status === 'laddering' || state.status === 'inPosition'
    ? (state.queuedRungs?.length ?? 0)
    : 0
}

/** Rolling rungs: `K of n resting` while a ladder runs. */
function rollingRungs(
  state: LadderState,
  rungs: readonly LadderState['orders'][number][],
): { rollingRungs?: string } {
  if (typeof state.setup.config.activeOrderCount !== 'number') return {}
  if (state.status !== 'laddering' && state.status !== 'inPosition') return {}
  const resting = rungs.filter(
    (o) => o.status === 'pending' || o.status === 'open',
  ).length
  return {
    rollingRungs: `${resting} of ${rungs.length + queuedRungs(state)} resting`,
  }
}

/** Multi-step take profit: each step, sold or next, while in position. */
function takeProfitSteps(state: LadderState): { takeProfitSteps?: string } {
  const steps = state.setup.config.takeProfitSteps
  if (!Array.isArray(steps) || state.status !== 'inPosition') return {}
  const done = state.takeProfitStep ?? 0
  return {
    takeProfitSteps: steps
      .map(
        (st, i) =>
          `+${st.profitPercent}% x${st.share}${i < done ? ' sold' : i === done ? ` next at ${state.takeProfitPrice}` : ''}`,
      )
      .join(', '),
  }
}

/** The strategy's price band for the view, when it has one. */
function priceBand(state: LadderState): { priceBand?: string } {
  const { minPrice, maxPrice } = state.setup.config
  const min = typeof minPrice === 'string' ? minPrice : undefined
  const max = typeof maxPrice === 'string' ? maxPrice : undefined
  if (min === undefined && max === undefined) return {}
  return { priceBand: `${min ?? '-'} .. ${max ?? '-'}` }
}
