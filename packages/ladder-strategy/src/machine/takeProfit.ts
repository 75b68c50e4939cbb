/**
 * The position's targets: entering a position, the take-profit and
 * stop-loss prices, the trailing take profit, and the resting take-profit
 * sell (limit mode) or the market sell that exits.
 */

import {
  type Derived,
  derive,
  lotsToQuantity,
  priceToTicks,
  ticksToPrice,
} from '../plan.js'
import type {
  DecimalString,
  ExitReason,
  LadderState,
  OrderRecord,
} from '../types.js'
import { clientIdFor, SELL_SLOT0, SLOTS } from './clientIds.js'
import type { LadderCommand, StepResult } from './commands.js'
import {
  cycleLots,
  stopLossTicks,
  takeProfitTicks,
  trailingStopTicks,
} from './position.js'
import { finish, heldLots, isLive, NONE, type Work, work } from './state.js'
import { stepTargetTicks, syncStepOrders } from './steps.js'

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

/** Recomputes the take-profit and stop-loss prices from the position. */
export function refreshTargets(dv: Derived, w: Work): void {
  // The take-profit average is over this cycle's fills (spec); the carried
  // remainder is sold with them but does not move the target. Multi-step:
  // the target of the next step.
  const tp =
    dv.steps !== null
      ? stepTargetTicks(dv, w, w.tpStep)
      : takeProfitTicks(dv, w.position, cycleLots(dv, w.position))
  w.takeProfitTicks = tp
  w.takeProfitPrice = ticksToPrice(dv, tp)
  const sl = stopLossTicks(dv, w.position)
  w.stopLossPrice = sl === null ? null : ticksToPrice(dv, sl)
  if (w.trailingPeak !== null) {
    const peak = priceToTicks(dv, w.trailingPeak, 'down') ?? tp
    w.trailingStopPrice = ticksToPrice(
      dv,
      Math.max(tp, trailingStopTicks(dv, peak)),
    )
  }
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
      w.orders[i] = { ...o, status: 'canceling' }
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

export function placeSell(
  dv: Derived,
  w: Work,
  orderType: 'market' | 'limit',
  lots: number,
  ticks: number,
  reason: ExitReason,
  cmds: LadderCommand[],
  step?: number,
): void {
  if (w.nextSellSlot >= SLOTS) {
    cmds.push({
      type: 'warning',
      message: `cycle ${w.cycle} used all ${SLOTS - SELL_SLOT0} sell client ids; not placing another sell`,
      event: 'orderFilled',
    })
    return
  }
  const clientId = clientIdFor(w.cycle, w.nextSellSlot++)
  const price = ticksToPrice(dv, ticks)
  const quantity = lotsToQuantity(dv, lots)
  w.orders.push({
    clientId,
    cycle: w.cycle,
    side: 'sell',
    rung: -1,
    price,
    quantity,
    priceTicks: ticks,
    qtyLots: lots,
    filledLots: 0,
    filledTickLots: 0,
    feeUnits: 0,
    baseFeeUnits: 0,
    status: 'pending',
    orderId: null,
    ...(step === undefined ? {} : { takeProfitStep: step }),
  })
  cmds.push({
    type: 'sellPosition',
    symbol: w.setup.market.symbol,
    clientId,
    orderType,
    quantity,
    price,
    reason,
    ...(step === undefined ? {} : { step }),
  })
}
