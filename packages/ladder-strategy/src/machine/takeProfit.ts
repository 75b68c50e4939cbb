/**
 * The take profit: entering a position, the trailing take profit, and the
 * resting take-profit sell (limit mode). The targets themselves and placing
 * a sell are in ./targets.ts.
 */

import { type Derived, derive, priceToTicks, ticksToPrice } from '../plan.js'
import type { DecimalString, LadderState, OrderRecord } from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import { trailingStopTicks } from './position.js'
import {
  finish,
  heldLots,
  isLive,
  NONE,
  type Work,
  withStatus,
  work,
} from './state.js'
import { syncStepOrders } from './steps.js'
import { placeSell, refreshTargets } from './targets.js'

export function enterPosition(
  dv: Derived,
  w: Work,
  cmds: LadderCommand[],
): void {
  w.status = 'inPosition'
  w.trailingPeak = null
  w.trailingStopPrice = null
  if (w.timers.noFill !== false) {
    w.timers.noFill = false
    cmds.push({ type: 'cancelTimer', timer: 'noFill' })
  }
  refreshTargets(dv, w)
  if (w.setup.config.takeProfitOrder === 'limit')
    syncTakeProfitOrder(dv, w, cmds)
}

export function armTrailing(
  state: LadderState,
  price: DecimalString,
): StepResult {
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const peak = priceToTicks(dv, price, 'down') ?? w.takeProfitTicks
  const first = w.trailingPeak === null
  w.trailingPeak = price
  w.trailingStopPrice = ticksToPrice(
    dv,
    Math.max(w.takeProfitTicks, trailingStopTicks(dv, peak)),
  )
  return [
    finish(w),
    first
      ? [
          {
            type: 'log',
            message: `take-profit ${w.takeProfitPrice} reached at ${price}; trailing, stop at ${w.trailingStopPrice}`,
          },
        ]
      : NONE,
  ]
}

/**
 * Limit take-profit mode: keeps resting sells at the target price covering
 * the whole held position (cancel the ones at an old price, place the rest).
 */
export function syncTakeProfitOrder(
  dv: Derived,
  w: Work,
  cmds: LadderCommand[],
): void {
  if (dv.steps !== null) {
    syncStepOrders(dv, w, cmds)
    return
  }
  let covered = 0
  const cancel: number[] = []
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    if (o.side !== 'sell' || !isLive(o)) continue
    if (o.status !== 'canceling' && o.priceTicks !== w.takeProfitTicks) {
      w.orders[i] = withStatus(o, 'canceling')
      cancel.push(o.clientId)
    }
    // A sell being canceled may still fill: count it until acknowledged.
    covered += o.qtyLots - o.filledLots
  }
  if (cancel.length > 0)
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: cancel,
    })
  const uncovered = heldLots(dv, w.position) - covered
  if (uncovered >= dv.minLots)
    placeSell(dv, w, 'limit', uncovered, w.takeProfitTicks, 'takeProfit', cmds)
}
