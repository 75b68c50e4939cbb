/**
 * The ladder machine: `initialState` and `step(state, event) -> [state, commands]`.
 *
 * ```
 *  idle --started--> starting --priceUpdated--> laddering --orderFilled--> inPosition
 *                       ^  ^                        |                          |
 *                       |  +---timerFired(noFill)---+        price >= take profit (or stop loss)
 *                       |                                                      v
 *    coolingDown <------+------------------ exit complete <---------------- exiting
 *         (cool-down)       (restart)       (sold, cancels acknowledged)
 *  any running state --stopRequested--> stopped (or exiting, then stopped)
 * ```
 *
 * Dispatch is on the state's `status` first, then on the event (STYLE 2.8).
 * The step function is pure: it reads nothing but its arguments, mutates
 * nothing it was given (each change is made on a fresh copy, the "work"
 * object below), and never throws on a runtime event: an event that makes no
 * sense leaves the state as it was and returns a `warning` command.
 *
 * Hot path: an event that changes nothing (most `priceUpdated`s) returns the
 * identical state object (allowed: states are immutable, so a no-op may hand
 * back the same reference) and a shared frozen empty command list; `step`
 * allocates only the result pair, and the internal `advance` (used by the
 * backtest) returns `null` instead and allocates nothing.
 */
import {
  compareDecimal,
  divideToString,
  formatUnits,
  isDecimal,
} from '../decimal.js'
import { derive } from '../plan.js'
import type { LadderState, OrderRecord } from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import type {
  LadderEvent,
  OrdersCanceledEvent,
  StartedEvent,
} from './events.js'
import { beginExit, onStop, settleExit } from './exits.js'
import { onFill } from './fills.js'
import { ladderOrWait, outsideBand } from './ladder.js'
import { cycleLots, holding, holdingToQuantity } from './position.js'
import { onReconciled } from './reconcile.js'
import { topUpRungs } from './rolling.js'
import {
  baseAsset,
  findLiveOrder,
  findOrder,
  finish,
  isLive,
  NONE,
  type Outcome,
  otherLiveOrder,
  UNCHANGED,
  type Work,
  warning,
  withStatus,
  work,
} from './state.js'
import { triggerSteps } from './steps.js'
import {
  armTrailing,
  enterPosition,
  syncTakeProfitOrder,
} from './takeProfit.js'
import { coolDownOver, noFillRestart } from './timers.js'

/**
 * Applies one state transition.
 *
 * @param state - The current state (not modified).
 * @param event - What happened, with its time `at` (ms).
 * @returns The next state and the commands to perform, in order. An event
 *   that makes no sense in the current state returns the same state and a
 *   `warning` command.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, initialState, step } from '@rung/ladder-strategy'
 * let state = initialState(DEFAULT_LADDER_CONFIG, {
 *   symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001',
 * })
 * let commands
 * ;[state, commands] = step(state, { type: 'started', at: 0, price: '60000' })
 * // commands: cancelOrders (all), placeOrders (8 rungs), scheduleTimer (noFill)
 * ```
 */
export function step(state: LadderState, event: LadderEvent): StepResult {
  // A no-op returns the identical state object (allowed: states are
  // immutable) with the shared frozen empty command list.
  return advance(state, event) ?? [state, NONE]
}

/**
 * {@link step} without the result pair for a no-op: `null` when the event
 * leaves the state as it is and commands nothing, otherwise exactly what
 * `step` returns. Internal (not exported from the package): the backtest's
 * hot path feeds a `priceUpdated` per candle, and most change nothing.
 * Like `step`, it never keeps a reference to `event` (nor to any object in
 * it) in the state or the commands, so the caller may reuse the event object.
 */
export function advance(state: LadderState, event: LadderEvent): Outcome {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.at !== 'number' ||
    !Number.isFinite(event.at)
  )
    return [
      state,
      [
        {
          type: 'warning',
          message: 'ignored an event without a numeric `at` time',
          event:
            (event as { type?: LadderEvent['type'] } | null)?.type ?? 'started',
        },
      ],
    ]
  switch (state.status) {
    case 'idle':
      return onIdle(state, event)
    case 'starting':
      return onStarting(state, event)
    case 'laddering':
      return onLaddering(state, event)
    case 'inPosition':
      return onInPosition(state, event)
    case 'exiting':
      return onExiting(state, event)
    case 'coolingDown':
      return onCoolingDown(state, event)
    case 'stopped':
      return onStopped(state, event)
  }
}

/**
 * {@link advance} without the `fillBooked` report of a fill: the same
 * state and the same other commands. Internal: the backtest reads no
 * report, and building one (prices, held quantity, average entry) was a
 * fifth of its time. Every running status hands `orderFilled` to `common`
 * and so to `onFill` (tests check the two agree); `idle` warns.
 */
export function advanceUnreported(
  state: LadderState,
  event: LadderEvent,
): Outcome {
  if (
    event.type === 'orderFilled' &&
    state.status !== 'idle' &&
    typeof event.at === 'number' &&
    Number.isFinite(event.at)
  )
    return onFill(state, event, false)
  return advance(state, event)
}

// ---------------------------------------------------------------------------
// Per-status handlers
// ---------------------------------------------------------------------------

export function onIdle(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'priceUpdated':
      return UNCHANGED
    case 'started': {
      const w = work(state)
      const cmds: LadderCommand[] = [
        // Classic start: clear the bot's own open orders on the symbol.
        {
          type: 'cancelOrders',
          symbol: state.setup.market.symbol,
          clientIds: 'all',
        },
      ]
      w.status = 'starting'
      if (event.price !== undefined) {
        if (!isDecimal(event.price) || !/[1-9]/.test(event.price))
          cmds.push({
            type: 'warning',
            message: `ignored the start price ${JSON.stringify(event.price)}: not a decimal string > 0; waiting for a priceUpdated`,
            event: 'started',
          })
        else
          ladderOrWait(
            derive(w.setup.config, w.setup.market),
            w,
            event.price,
            event.at,
            cmds,
          )
      }
      return [finish(w), cmds]
    }
    case 'stopRequested': {
      const w = work(state)
      w.status = 'stopped'
      w.stopReason = 'stopRequested'
      return [
        finish(w),
        [
          {
            type: 'stopped',
            reason: 'stopRequested',
            heldQuantity: '0',
            heldCost: '0',
          },
        ],
      ]
    }
    default:
      return warning(
        state,
        event,
        `ignored ${event.type}: the strategy has not been started`,
      )
  }
}

export function onStarting(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') {
    if (!isDecimal(event.price) || !/[1-9]/.test(event.price))
      return warning(
        state,
        event,
        `ignored price ${JSON.stringify(event.price)}: not a decimal string > 0`,
      )
    // Wait until every older order's cancel is acknowledged, so the new
    // ladder never stacks on top of the old one (budget).
    for (const o of state.orders) if (isLive(o)) return UNCHANGED
    // Still outside the price band: said so already, nothing to do.
    if (
      state.status === 'starting' &&
      state.waitingOutsideBand === true &&
      outsideBand(state.setup.config, event.price) !== null
    )
      return UNCHANGED
    const w = work(state)
    const cmds: LadderCommand[] = []
    ladderOrWait(
      derive(w.setup.config, w.setup.market),
      w,
      event.price,
      event.at,
      cmds,
    )
    return [finish(w), cmds]
  }
  return common(state, event)
}

export function onLaddering(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  if (event.type === 'timerFired' && event.timer === 'noFill')
    return noFillRestart(state, event)
  return common(state, event)
}

export function onInPosition(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated' && state.status === 'inPosition') {
    const price = event.price
    if (!isDecimal(price))
      return warning(
        state,
        event,
        `ignored price ${JSON.stringify(price)}: not a decimal string`,
      )
    const config = state.setup.config
    // Stop loss first: it protects capital whatever else happens.
    if (
      state.stopLossPrice !== null &&
      compareDecimal(price, state.stopLossPrice) <= 0
    )
      return beginExit(state, event.at, 'stopLoss', state.stopLossPrice, false)
    if (state.trailingPeak !== null) {
      if (compareDecimal(price, state.trailingPeak) > 0)
        return armTrailing(state, price)
      const stop = state.trailingStopPrice ?? state.takeProfitPrice
      if (compareDecimal(price, stop) <= 0)
        return beginExit(state, event.at, 'trailingTakeProfit', stop, false)
      return UNCHANGED
    }
    if (
      config.takeProfitOrder === 'market' &&
      compareDecimal(price, state.takeProfitPrice) >= 0
    ) {
      // Multi-step: a step before the last one sells its share.
      if (
        state.takeProfitStep !== undefined &&
        Array.isArray(config.takeProfitSteps) &&
        state.takeProfitStep < config.takeProfitSteps.length - 1
      )
        return triggerSteps(state, price, event.at)
      if (config.trailingTakeProfitPercentage !== false)
        return armTrailing(state, price)
      return beginExit(
        state,
        event.at,
        'takeProfit',
        state.takeProfitPrice,
        false,
      )
    }
    return UNCHANGED
  }
  if (event.type === 'timerFired' && event.timer === 'noFill')
    return warning(state, event, 'ignored the noFill timer: a rung has filled')
  return common(state, event)
}

export function onExiting(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  return common(state, event)
}

// Same shape as onLaddering on purpose: one small handler per status (STYLE 2.8).
export function onCoolingDown(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  if (event.type === 'timerFired' && event.timer === 'coolDown')
    return coolDownOver(state, event)
  return common(state, event)
}

export function onStopped(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'priceUpdated':
      return UNCHANGED
    case 'orderAccepted':
    case 'orderCanceled':
    case 'ordersCanceled':
    case 'orderRejected':
    case 'orderFilled':
    case 'reconciled':
      // Late acknowledgements of orders canceled on the way out are normal;
      // keep the books right.
      return common(state, event)
    case 'started':
      return resume(state, event)
    default:
      return warning(
        state,
        event,
        `ignored ${event.type}: the strategy has stopped`,
      )
  }
}

/**
 * `started` on a machine stopped by request while it held a position of its
 * cycle (spec: the position is the bot's, with its cost): the cycle goes on
 * to its take profit (or stop loss) with the same average entry. The rungs
 * canceled at the stop are not placed again (their client ids were used);
 * the next cycle places a new ladder as usual.
 */
export function resume(state: LadderState, event: StartedEvent): Outcome {
  const dv = derive(state.setup.config, state.setup.market)
  if (
    state.status !== 'stopped' ||
    state.reason !== 'stopRequested' ||
    cycleLots(dv, state.position) === 0
  )
    return warning(
      state,
      event,
      'ignored started: the strategy has stopped with no position of its cycle to resume (start from initialState for a new run)',
    )
  const w = work(state)
  const cmds: LadderCommand[] = []
  w.placedAt = event.at
  enterPosition(dv, w, cmds)
  const avg = divideToString(
    formatUnits(
      BigInt(w.position.costTickLots) * BigInt(dv.tickMant),
      dv.tickDec,
    ),
    String(w.position.boughtLots),
    dv.tickDec,
    'up',
  )
  cmds.unshift({
    type: 'log',
    message: `cycle ${w.cycle} resumed: ${holdingToQuantity(dv, holding(dv, w.position))} ${baseAsset(w)} held at average ${avg}, take profit at ${w.takeProfitPrice}`,
  })
  return [finish(w), cmds]
}

// ---------------------------------------------------------------------------
// Events handled the same way in every running state
// ---------------------------------------------------------------------------

export function common(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'orderAccepted': {
      const i = findOrder(state.orders, event.clientId)
      if (i < 0)
        return warning(
          state,
          event,
          `ignored orderAccepted for unknown client id ${event.clientId}`,
        )
      const o = state.orders[i] as OrderRecord
      if (o.orderId === event.orderId && o.status !== 'pending')
        return UNCHANGED
      const orders = state.orders.slice()
      orders[i] = {
        ...o,
        orderId: String(event.orderId),
        status: o.status === 'pending' ? 'open' : o.status,
      }
      return [{ ...state, orders }, NONE]
    }
    case 'orderRejected': {
      const i = findLiveOrder(state, event)
      if (typeof i !== 'number') return i
      const o = state.orders[i] as OrderRecord
      const w = work(state)
      const cmds: LadderCommand[] = [
        {
          type: 'warning',
          message: `order ${o.clientId} (${o.side} ${o.quantity} @ ${o.price}) was rejected: ${String(event.reason)}`,
          event: 'orderRejected',
        },
      ]
      w.orders[i] = withStatus(o, o.filledLots > 0 ? 'canceled' : 'rejected')
      afterOrderClosed(w, o, event.at, cmds)
      return [finish(w), cmds]
    }
    case 'orderCanceled': {
      const i = findLiveOrder(state, event)
      if (typeof i !== 'number') return i
      const o = state.orders[i] as OrderRecord
      if (
        o.status === 'canceling' &&
        (state.status === 'exiting'
          ? // settleExit waits while another order is live.
            otherLiveOrder(state.orders, i)
          : !(state.status === 'inPosition' && o.side === 'sell'))
      ) {
        // The expected acknowledgement with nothing to follow up (the hot
        // path of a no-fill restart, and of every cancel but the last one
        // while exiting): replace one order, keep the rest.
        const orders = state.orders.slice()
        orders[i] = withStatus(o, 'canceled')
        return [{ ...state, orders }, NONE]
      }
      const w = work(state)
      const cmds: LadderCommand[] = []
      if (o.status !== 'canceling')
        cmds.push({
          type: 'warning',
          message: `order ${o.clientId} was canceled by the exchange (not asked for)`,
          event: 'orderCanceled',
        })
      w.orders[i] = withStatus(o, 'canceled')
      afterOrderClosed(w, o, event.at, cmds)
      return [finish(w), cmds.length === 0 ? NONE : cmds]
    }
    case 'ordersCanceled':
      return onOrdersCanceled(state, event)
    case 'orderFilled':
      return onFill(state, event)
    case 'reconciled':
      return onReconciled(state, event)
    case 'stopRequested':
      return onStop(state, event.at, event.sellPosition === true)
    case 'started':
      return warning(
        state,
        event,
        'ignored started: the strategy is already running',
      )
    case 'timerFired':
      return warning(
        state,
        event,
        `ignored the ${event.timer} timer: not expected in status ${state.status}`,
      )
    case 'priceUpdated':
      return UNCHANGED
    default:
      // Not a known event (e.g. from a newer or buggy caller).
      return warning(
        state,
        event,
        `ignored an event of unknown type ${JSON.stringify((event as { type?: unknown }).type)}`,
      )
  }
}

/**
 * `ordersCanceled`: each client id handled exactly as its own
 * `orderCanceled` would be, in order (warnings for unknown or closed ones,
 * the follow-ups of the order that closes the exit), on one work copy: the
 * order list is copied once for the whole batch, not once per order.
 */
export function onOrdersCanceled(
  state: LadderState,
  event: OrdersCanceledEvent,
): Outcome {
  if (!Array.isArray(event.clientIds))
    return warning(
      state,
      event,
      'ignored ordersCanceled without a clientIds list',
    )
  let w: Work | null = null
  const cmds: LadderCommand[] = []
  for (const clientId of event.clientIds) {
    const orders = w === null ? state.orders : w.orders
    const i = findOrder(orders, clientId)
    if (i < 0) {
      cmds.push({
        type: 'warning',
        message: `ignored ordersCanceled for unknown client id ${clientId}`,
        event: 'ordersCanceled',
      })
      continue
    }
    const o = orders[i] as OrderRecord
    if (!isLive(o)) {
      cmds.push({
        type: 'warning',
        message: `ignored ordersCanceled for client id ${clientId}: it is already ${o.status}`,
        event: 'ordersCanceled',
      })
      continue
    }
    if (w === null) w = work(state)
    // The same test as orderCanceled's: an expected acknowledgement with
    // nothing to follow up only marks the order.
    const quiet =
      o.status === 'canceling' &&
      (w.status === 'exiting'
        ? otherLiveOrder(w.orders, i)
        : !(w.status === 'inPosition' && o.side === 'sell'))
    w.orders[i] = withStatus(o, 'canceled')
    if (quiet) continue
    if (o.status !== 'canceling')
      cmds.push({
        type: 'warning',
        message: `order ${o.clientId} was canceled by the exchange (not asked for)`,
        event: 'ordersCanceled',
      })
    afterOrderClosed(w, o, event.at, cmds)
  }
  if (w === null) return cmds.length === 0 ? UNCHANGED : [state, cmds]
  return [finish(w), cmds.length === 0 ? NONE : cmds]
}

/** After an order reached a final status: continue what the state waits for. */
export function afterOrderClosed(
  w: Work,
  order: OrderRecord,
  at: number,
  cmds: LadderCommand[],
): void {
  const dv = derive(w.setup.config, w.setup.market)
  if (w.status === 'exiting') settleExit(dv, w, at, cmds)
  else if (
    w.status === 'inPosition' &&
    order.side === 'sell' &&
    w.setup.config.takeProfitOrder === 'limit'
  )
    syncTakeProfitOrder(dv, w, cmds)
  // Rolling rungs: a rung the exchange rejected or canceled makes room for
  // the next one.
  else if (order.side === 'buy') topUpRungs(dv, w, cmds)
}
