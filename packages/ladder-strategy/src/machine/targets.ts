/**
 * The position's targets and its sells, shared by the take profit, the
 * multi-step take profit and the exits (so that their imports go one way:
 * takeProfit -> steps -> exits -> here): the take-profit and stop-loss
 * prices from the position, a step's target, placing a sell, and the
 * sells in flight.
 */
import {
  type Derived,
  lotsToQuantity,
  priceToTicks,
  ticksToPrice,
} from '../plan.js'
import type { ExitReason, OrderRecord } from '../types.js'
import { clientIdFor, SELL_SLOT0, SLOTS } from './clientIds.js'
import type { LadderCommand, SellPositionCommand } from './commands.js'
import {
  cycleLots,
  entryLots,
  stopLossTicks,
  takeProfitTicks,
  trailingStopTicks,
} from './position.js'
import type { Work } from './state.js'

type Steps = NonNullable<Derived['steps']>

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

/** Target of step k in ticks (rounded UP), from the cycle's average entry. @internal */
export function stepTargetTicks(
  dv: Derived,
  w: Pick<Work, 'position'>,
  k: number,
): number {
  const steps = dv.steps as Steps
  const step = steps[Math.min(k, steps.length - 1)] as Steps[number]
  return takeProfitTicks(dv, w.position, entryLots(dv, w.position), step.mul)
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
  // Written out like rolling.ts's rungRecord on purpose: a sell is no queued
  // rung (rung -1, optional takeProfitStep), and this literal is on the fill path.
  const order: OrderRecord = {
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
  }
  const command: SellPositionCommand = {
    type: 'sellPosition',
    symbol: w.setup.market.symbol,
    clientId,
    orderType,
    quantity,
    price,
    reason,
  }
  // A step's index is added last (as a conditional spread would place it;
  // adding a field beats spreading an empty object on the classic path).
  if (step !== undefined) {
    order.takeProfitStep = step
    command.step = step
  }
  w.orders.push(order)
  cmds.push(command)
}

/** Unfilled lots of the live sells not being canceled (market sells in flight). */
export function inFlightSellLots(w: Work): number {
  let lots = 0
  for (const o of w.orders)
    if (o.side === 'sell' && (o.status === 'pending' || o.status === 'open'))
      lots += o.qtyLots - o.filledLots
  return lots
}
