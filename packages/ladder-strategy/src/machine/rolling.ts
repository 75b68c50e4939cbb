/**
 * Rolling rungs (`activeOrderCount` K): the ladder is planned whole at the
 * cycle's start, but only its K highest unfilled rungs rest on the book; the
 * others wait in `queuedRungs` (highest first). Whenever fewer than K rungs
 * of the cycle are live (one filled completely, was rejected, or was
 * canceled by the exchange), the next queued ones are placed in one
 * `placeOrders` command, each with its own rung's client id (`cycle x 1024
 * + rung`, never used before in the cycle). The rule is a function of the
 * state alone (count the live rungs, place from the queue), so it also
 * re-derives what should rest after a `reconciled` event: no rung is placed
 * twice, and none is lost.
 */
import type { Derived } from '../plan.js'
import type { OrderRecord, QueuedRung } from '../types.js'
import type {
  LadderCommand,
  OrderToPlace,
  PlaceOrdersCommand,
} from './commands.js'
import { isLive, type Work } from './state.js'

/** How many rungs may rest at once: K, or every rung when the option is off. */
export function activeRungLimit(dv: Derived): number {
  const k = dv.config.activeOrderCount
  return typeof k === 'number' ? k : Number.POSITIVE_INFINITY
}

/** An order record for a rung about to be placed. */
export function rungRecord(cycle: number, q: QueuedRung): OrderRecord {
  return {
    clientId: q.clientId,
    cycle,
    side: 'buy',
    rung: q.rung,
    price: q.price,
    quantity: q.quantity,
    priceTicks: q.priceTicks,
    qtyLots: q.qtyLots,
    filledLots: 0,
    filledTickLots: 0,
    feeUnits: 0,
    baseFeeUnits: 0,
    status: 'pending',
    orderId: null,
  }
}

/** The command placing rungs: GTC buys, post-only when the config says so. */
export function placeRungs(
  w: Work,
  orders: OrderToPlace[],
): PlaceOrdersCommand {
  return {
    type: 'placeOrders',
    symbol: w.setup.market.symbol,
    side: 'buy',
    timeInForce: 'GTC',
    postOnly: w.setup.config.postOnly,
    orders,
  }
}

/**
 * Places queued rungs until K of the cycle's rungs are live (laddering and
 * in position only; in every other status the queue is empty).
 */
export function topUpRungs(dv: Derived, w: Work, cmds: LadderCommand[]): void {
  if (w.queued.length === 0) return
  if (w.status !== 'laddering' && w.status !== 'inPosition') return
  let live = 0
  for (const o of w.orders)
    if (o.side === 'buy' && o.cycle === w.cycle && isLive(o)) live++
  const room = activeRungLimit(dv) - live
  if (room <= 0) return
  const next = w.queued.slice(0, room)
  w.queued = w.queued.slice(next.length)
  const orders: OrderToPlace[] = []
  for (const q of next) {
    w.orders.push(rungRecord(w.cycle, q))
    orders.push({
      clientId: q.clientId,
      rung: q.rung,
      price: q.price,
      quantity: q.quantity,
    })
  }
  cmds.push(placeRungs(w, orders))
}

/**
 * Reconciliation: queued rungs the exchange already has (open, or with
 * fills: a state saved before their placement was recorded) become known
 * orders, so they are adopted instead of canceled as strays or placed twice.
 */
export function claimQueued(
  w: Work,
  onExchange: (clientId: number) => boolean,
): void {
  if (w.queued.length === 0) return
  const keep: QueuedRung[] = []
  for (const q of w.queued)
    if (onExchange(q.clientId)) w.orders.push(rungRecord(w.cycle, q))
    else keep.push(q)
  if (keep.length !== w.queued.length) w.queued = keep
}
