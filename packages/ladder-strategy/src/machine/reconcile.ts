/**
 * `reconciled`: the exchange's open orders and fills, adopted into the
 * state (the exchange's truth wins).
 */
import { parseUnits } from '../decimal.js'
import {
  type Derived,
  derive,
  lotsToQuantity,
  priceToTicks,
  quantityToLots,
} from '../plan.js'
import type { LadderState, OrderRecord } from '../types.js'
import { parseClientId } from './clientIds.js'
import type { LadderCommand, StepResult } from './commands.js'
import type { ReconciledEvent } from './events.js'
import { beginExitWork, settleExit } from './exits.js'
import { applyFill, bookFill } from './fills.js'
import { cycleLots } from './position.js'
import { claimQueued, topUpRungs } from './rolling.js'
import { finish, heldLots, isLive, type Work, warning, work } from './state.js'
import { noteStepSells } from './steps.js'
import { enterPosition, syncTakeProfitOrder } from './takeProfit.js'
import { refreshTargets } from './targets.js'

export interface ExchangeSum {
  side: 'buy' | 'sell'
  lots: number
  tickLots: number
  fee: number
  baseFee: number
  lastTicks: number
}

/**
 * The exchange's truth wins: adopt fills the machine did not know about,
 * forget live orders the exchange does not have (never re-place them), and
 * cancel open orders of the machine's id space it does not know.
 */
export function onReconciled(
  state: LadderState,
  event: ReconciledEvent,
): StepResult {
  if (state.status === 'idle')
    return warning(
      state,
      event,
      'ignored reconciled: the strategy has not been started',
    )
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const cmds: LadderCommand[] = []
  const warn = (message: string) =>
    cmds.push({ type: 'warning', message, event: 'reconciled' })
  const open = exchangeOpenOrders(dv, event, warn)
  const sums = exchangeFills(dv, event, warn)
  const before = heldLots(dv, w.position)
  // Rolling rungs the exchange already has are known orders, not strays.
  claimQueued(w, (id) => open.has(id) || sums.has(id))
  adoptKnownOrders(dv, w, open, sums, cmds, warn)
  cancelStrayOrders(w, open, cmds, warn)
  adoptStrayFills(dv, w, sums, cmds, warn)
  afterReconcile(dv, w, before, event.at, cmds)
  // Then the rungs that should rest and do not (K live at most).
  topUpRungs(dv, w, cmds)
  return [finish(w), cmds]
}

/** What an exchange's open order says: its id and how much of it filled. */
export interface ExchangeOpen {
  orderId: string
  filledLots: number
}

/** The event's open orders by client id (malformed ones skipped, with a warning). */
function exchangeOpenOrders(
  dv: Derived,
  event: ReconciledEvent,
  warn: (message: string) => void,
): Map<number, ExchangeOpen> {
  const open = new Map<number, ExchangeOpen>()
  for (const o of Array.isArray(event.openOrders) ? event.openOrders : []) {
    const filled = quantityToLots(dv, String(o?.filledQuantity ?? '0'), 'down')
    if (typeof o?.clientId !== 'number' || filled === null) {
      warn(`skipped a malformed open order ${JSON.stringify(o)}`)
      continue
    }
    open.set(o.clientId, { orderId: String(o.orderId), filledLots: filled })
  }
  return open
}

// Same signature as exchangeOpenOrders on purpose: one reader per part of
// the reconciled event.
/** The event's fills summed per client id (malformed ones skipped, with a warning). */
function exchangeFills(
  dv: Derived,
  event: ReconciledEvent,
  warn: (message: string) => void,
): Map<number, ExchangeSum> {
  const sums = new Map<number, ExchangeSum>()
  for (const f of Array.isArray(event.fills) ? event.fills : []) {
    const lots = quantityToLots(dv, String(f?.quantity), 'down')
    const side = f?.side === 'sell' ? 'sell' : 'buy'
    const ticks = priceToTicks(
      dv,
      String(f?.price),
      side === 'buy' ? 'up' : 'down',
    )
    const base = f?.feeAsset === 'base'
    const fee = parseUnits(
      String(f?.fee ?? '0'),
      base ? dv.stepDec + 8 : dv.moneyScale,
      'up',
    )
    if (
      typeof f?.clientId !== 'number' ||
      lots === null ||
      ticks === null ||
      fee === null
    ) {
      warn(`skipped a malformed fill ${JSON.stringify(f)}`)
      continue
    }
    const s = sums.get(f.clientId) ?? {
      side,
      lots: 0,
      tickLots: 0,
      fee: 0,
      baseFee: 0,
      lastTicks: ticks,
    }
    s.lots += lots
    s.tickLots += lots * ticks
    if (base) s.baseFee += fee
    else s.fee += fee
    s.lastTicks = ticks
    sums.set(f.clientId, s)
  }
  return sums
}

/**
 * The orders the state knows: adopts the fills the exchange has beyond the
 * state's, takes the exchange's order id, and forgets a live order the
 * exchange does not have open. Deletes each known order from `open` and
 * `sums`, leaving only what the state does not know.
 */
function adoptKnownOrders(
  dv: Derived,
  w: Work,
  open: Map<number, ExchangeOpen>,
  sums: Map<number, ExchangeSum>,
  cmds: LadderCommand[],
  warn: (message: string) => void,
): void {
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    const ex = open.get(o.clientId)
    const sum = sums.get(o.clientId)
    const exLots = Math.max(sum?.lots ?? 0, ex?.filledLots ?? 0)
    if (exLots > o.filledLots) {
      const delta = exLots - o.filledLots
      const tickLots =
        sum && sum.lots === exLots
          ? sum.tickLots - o.filledTickLots
          : delta * o.priceTicks
      applyFill(
        dv,
        w,
        i,
        delta,
        tickLots,
        Math.max(0, (sum?.fee ?? 0) - o.feeUnits),
        Math.max(0, (sum?.baseFee ?? 0) - o.baseFeeUnits),
        sum?.lastTicks ?? o.priceTicks,
      )
      const booked = w.orders[i] as OrderRecord
      bookFill(
        dv,
        w,
        booked,
        delta,
        tickLots,
        booked.feeUnits - o.feeUnits,
        booked.baseFeeUnits - o.baseFeeUnits,
        booked.baseFeeUnits > o.baseFeeUnits,
        true,
        cmds,
      )
      warn(
        `adopted ${lotsToQuantity(dv, delta)} filled on order ${o.clientId} that the state did not know`,
      )
    }
    const now = w.orders[i] as OrderRecord
    if (isLive(now)) {
      if (ex) {
        if (now.status === 'pending' || now.orderId !== ex.orderId)
          w.orders[i] = {
            ...now,
            status: now.status === 'pending' ? 'open' : now.status,
            orderId: ex.orderId,
          }
      } else {
        const filled = now.filledLots >= now.qtyLots
        w.orders[i] = { ...now, status: filled ? 'filled' : 'canceled' }
        if (!filled && now.status !== 'canceling')
          warn(
            `forgot order ${now.clientId}: the exchange does not have it open (not placed again)`,
          )
      }
    }
    open.delete(o.clientId)
    sums.delete(o.clientId)
  }
}

/** Open orders of the machine's id space the state does not know: canceled. */
function cancelStrayOrders(
  w: Work,
  open: Map<number, ExchangeOpen>,
  cmds: LadderCommand[],
  warn: (message: string) => void,
): void {
  // Orders and fills of the machine's id space that the state does not know
  // (a state saved before it placed them): cancel the orders, adopt the fills.
  const stray: number[] = []
  for (const [clientId] of open) {
    const { cycle } = parseClientId(clientId)
    if (cycle >= 1 && cycle <= w.cycle + 1) stray.push(clientId)
    else
      warn(
        `left open order ${clientId} alone: not one of this strategy's client ids`,
      )
  }
  if (stray.length > 0) {
    warn(`canceling open orders the state does not know: ${stray.join(', ')}`)
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: stray,
    })
  }
}

/** Fills of this cycle (or a newer one) on orders the state does not know: adopted. */
function adoptStrayFills(
  dv: Derived,
  w: Work,
  sums: Map<number, ExchangeSum>,
  cmds: LadderCommand[],
  warn: (message: string) => void,
): void {
  for (const [clientId, s] of sums) {
    if (parseClientId(clientId).cycle <= w.cycle) continue // history of finished cycles
    const p = w.position
    if (s.side === 'buy') {
      p.boughtLots += s.lots
      p.costTickLots += s.tickLots
      p.buyFeeUnits += s.fee
      p.baseFeeUnits += s.baseFee
      p.fills++
      w.totals.fills++
    } else {
      p.soldLots += s.lots
      p.proceedsTickLots += s.tickLots
      p.sellFeeUnits += s.fee
    }
    w.totals.feeUnits += s.fee
    const { cycle, slot, kind } = parseClientId(clientId)
    if (s.lots > 0)
      bookFill(
        dv,
        w,
        {
          cycle,
          clientId,
          side: s.side,
          rung: kind === 'rung' ? slot : -1,
          filledLots: 0,
          qtyLots: 1,
        },
        s.lots,
        s.tickLots,
        s.fee,
        s.baseFee,
        s.baseFee > 0,
        true,
        cmds,
      )
    warn(
      `adopted ${lotsToQuantity(dv, s.lots)} ${s.side === 'buy' ? 'bought' : 'sold'} on unknown order ${clientId}`,
    )
  }
}

/** The status change after adopting: enter, exit or re-target the position. */
function afterReconcile(
  dv: Derived,
  w: Work,
  before: number,
  at: number,
  cmds: LadderCommand[],
): void {
  const held = heldLots(dv, w.position)
  switch (w.status) {
    case 'laddering':
    case 'starting':
    case 'coolingDown':
      // A position of this cycle's (or a newer) buys; the carried remainder
      // alone is no position (it has no take-profit average of its own).
      if (cycleLots(dv, w.position) > 0) {
        if (w.status === 'coolingDown') {
          w.timers.coolDown = false
          cmds.push({ type: 'cancelTimer', timer: 'coolDown' })
        }
        enterPosition(dv, w, cmds)
      }
      break
    case 'inPosition':
      // Multi-step, limit mode: adopted step sells count as sold steps.
      if (dv.steps !== null && w.setup.config.takeProfitOrder === 'limit')
        noteStepSells(dv, w, cmds)
      if (held !== before || held === 0) {
        if (held < dv.minLots && w.position.soldLots > 0)
          beginExitWork(dv, w, at, 'takeProfit', w.takeProfitPrice, false, cmds)
        else {
          refreshTargets(dv, w)
          if (w.setup.config.takeProfitOrder === 'limit')
            syncTakeProfitOrder(dv, w, cmds)
        }
      } else if (w.setup.config.takeProfitOrder === 'limit')
        syncTakeProfitOrder(dv, w, cmds)
      break
    case 'exiting':
      settleExit(dv, w, at, cmds)
      break
    default:
      break
  }
}
