/**
 * A cycle's start: the ladder of buy rungs placed at a reference price.
 */
import { compareDecimal, parseUnits } from '../decimal.js'
import {
  type Derived,
  lotsToQuantity,
  rungTicks,
  sizeRungs,
  ticksToPrice,
} from '../plan.js'
import type {
  DecimalString,
  LadderConfig,
  OrderRecord,
  QueuedRung,
} from '../types.js'
import { clientIdFor, MAX_CYCLE, SELL_SLOT0 } from './clientIds.js'
import type { LadderCommand } from './commands.js'
import { stopWork } from './exits.js'
import { activeRungLimit, placeRungs, rungRecord } from './rolling.js'
import { freshPosition, type Work } from './state.js'

/**
 * Which end of the price band (`minPrice` / `maxPrice`) a reference price
 * is outside of, or `null` inside the band (or without one).
 */
export function outsideBand(
  config: LadderConfig,
  price: DecimalString,
): 'below' | 'above' | null {
  if (
    typeof config.minPrice === 'string' &&
    compareDecimal(price, config.minPrice) < 0
  )
    return 'below'
  if (
    typeof config.maxPrice === 'string' &&
    compareDecimal(price, config.maxPrice) > 0
  )
    return 'above'
  return null
}

/**
 * A new cycle at this reference price: the ladder when the price is inside
 * the price band, else the machine keeps waiting (`starting`, with
 * `waitingOutsideBand`), logging it once.
 */
export function ladderOrWait(
  dv: Derived,
  w: Work,
  price: DecimalString,
  at: number,
  cmds: LadderCommand[],
): void {
  const config = w.setup.config
  const side = outsideBand(config, price)
  if (side !== null) {
    if (!w.waitingOutsideBand) {
      w.waitingOutsideBand = true
      cmds.push({
        type: 'log',
        message: `waiting: price ${price} is ${side === 'below' ? `below minPrice ${config.minPrice}` : `above maxPrice ${config.maxPrice}`}; no new cycle until the price is back inside the band`,
      })
    }
    return
  }
  if (w.waitingOutsideBand) {
    w.waitingOutsideBand = false
    cmds.push({
      type: 'log',
      message: `price ${price} is back inside the band: laddering`,
    })
  }
  placeLadder(dv, w, price, at, cmds)
}

/** Scratch buffer for rung prices (internal; never escapes a call). */
export const scratchTicks: number[] = []

// Same parameters as ladderOrWait on purpose: it places what that decides.
export function placeLadder(
  dv: Derived,
  w: Work,
  price: DecimalString,
  at: number,
  cmds: LadderCommand[],
): void {
  if (w.cycle + 1 > MAX_CYCLE) {
    stopWork(w, 'clientIdsExhausted', cmds)
    return
  }
  const dot = price.indexOf('.')
  const scale = dot < 0 ? 0 : price.length - dot - 1
  const units = parseUnits(price, scale, 'exact')
  if (units === null || units === 0) {
    cmds.push({
      type: 'warning',
      message: `cannot ladder at price ${price}: too many digits for exact arithmetic`,
      event: 'priceUpdated',
    })
    return
  }
  rungTicks(dv, units, scale, scratchTicks)
  const sized = sizeRungs(dv, scratchTicks)
  const cycle = w.cycle + 1
  const orders: OrderRecord[] = []
  const toPlace: {
    clientId: number
    rung: number
    price: string
    quantity: string
  }[] = []
  // Rolling rungs: the rungs past the K highest wait in the queue.
  const active = activeRungLimit(dv)
  const queued: QueuedRung[] = []
  let droppedText = ''
  for (const r of sized) {
    if (r.dropped !== null) {
      droppedText += `${droppedText ? ', ' : ''}rung ${r.index}: ${r.dropped}`
      continue
    }
    const clientId = clientIdFor(cycle, r.index)
    const p = ticksToPrice(dv, r.priceTicks)
    const q = lotsToQuantity(dv, r.lots)
    const rung: QueuedRung = {
      clientId,
      rung: r.index,
      price: p,
      quantity: q,
      priceTicks: r.priceTicks,
      qtyLots: r.lots,
    }
    if (orders.length >= active) {
      queued.push(rung)
      continue
    }
    orders.push(rungRecord(cycle, rung))
    toPlace.push({ clientId, rung: r.index, price: p, quantity: q })
  }
  if (orders.length === 0) {
    cmds.push({
      type: 'warning',
      message: `no rung can be placed at price ${price} (${droppedText}); stopping`,
      event: 'priceUpdated',
    })
    stopWork(w, 'noRungFits', cmds)
    return
  }
  // Orders of finished cycles are no longer needed (none is live here).
  w.orders = orders
  w.queued = queued
  w.cycle = cycle
  w.position = freshPosition(w.position)
  w.nextSellSlot = SELL_SLOT0
  w.tpStep = 0
  w.stepBase = 0
  w.placedAt = at
  w.status = 'laddering'
  cmds.push(placeRungs(w, toPlace))
  if (droppedText)
    cmds.push({
      type: 'log',
      message: `cycle ${cycle}: dropped ${droppedText}`,
    })
  if (queued.length > 0)
    cmds.push({
      type: 'log',
      message: `cycle ${cycle}: rolling rungs, ${orders.length} of ${orders.length + queued.length} resting; the next one is placed when one fills`,
    })
  if (w.setup.config.autoRestartNoFill) {
    const deadline = at + dv.noFillMs
    w.timers.noFill = deadline
    cmds.push({ type: 'scheduleTimer', timer: 'noFill', at: deadline })
  }
}
