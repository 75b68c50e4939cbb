/**
 * The loop's shared state and its plumbing: the queue one worker drains,
 * the status it publishes, the notes of the event panel. Every phase of the
 * loop (replay, start, step, reconcile, stop) is a function over a {@link Loop}.
 */
import { addDecimals } from '@rung/backpack-sdk'
import type {
  LadderCommand,
  LadderEvent,
  LadderState,
  OrderRecord,
} from '@rung/ladder-strategy'
import { errorFields } from '../../ui/logger.js'
import type { ConnectionState } from '../ports.js'
import { summarizeState } from '../summary.js'
import type { TradeRecord } from '../tradeRecord.js'
import type { BotOptions, JournalSnapshot } from './botTypes.js'

/** What the queue holds: a strategy event, or a request to read the exchange's truth. */
export type Item =
  | { kind: 'event'; event: LadderEvent }
  | { kind: 'reconcile'; why: string }

/** The order a command placed, by client id: what to send again on recovery. */
export type Intent = Extract<
  LadderCommand,
  { type: 'placeOrders' | 'sellPosition' }
>

/** Whether an order is (or may still be) on the book. */
export const isOpen = (o: OrderRecord) =>
  o.status === 'pending' || o.status === 'open' || o.status === 'canceling'

/** The state one bot's loop shares between its phases. */
export interface Loop {
  /** What the bot was started with. */
  readonly options: BotOptions
  /** This session's id (journal notes, history rows). */
  readonly sessionId: string
  /** The market, e.g. `BTC_USDC`. */
  readonly symbol: string
  /** Its base asset, e.g. `BTC`. */
  readonly base: string
  /** Orders placed by client id (what recovery sends again). */
  readonly intents: Map<number, Intent>
  /** Whether the journal's cycle goes on (rather than a fresh start). */
  readonly resumed: boolean
  /** Stopped by request while holding this cycle's position: the cycle goes on. */
  readonly heldStopped: boolean
  /** All-time realised profit before this session (from the history), if kept. */
  readonly realisedBefore: string | undefined
  /** The strategy state. */
  state: LadderState
  /** When the current cycle started (ms; 0 before the first). */
  cycleStartAt: number
  /** Realised profit of this session (decimal string). */
  realisedProfit: string
  /** The work waiting for the one worker. */
  readonly queue: Item[]
  /** Wakes the worker waiting on an empty queue. */
  wake: (() => void) | undefined
  /** A reconcile is already queued (one is enough). */
  reconcileQueued: boolean
  /** The strategy's timers: name → due time (ms). */
  readonly timers: Map<string, number>
  /** The stream's connection state. */
  connection: ConnectionState
  /** `stop()` was called. */
  stopRequested: boolean
  /** `stop({ leaveOrders: true })` was called: leave the orders whatever `onStop` says. */
  leaveOnStop?: boolean
  /** The strategy stopped itself. */
  stoppedByStrategy: boolean
  /** The last price seen. */
  lastPrice: string | undefined
  /** The event panel's last lines. */
  readonly recent: string[]
  /** A step changed the status since it was last published (see {@link publishIfDue}). */
  statusDue: boolean
  /** When the status was last published (ms, `Date.now`). */
  publishedAt: number
  /** The timers of the run, cleared at the end. */
  readonly intervals: NodeJS.Timeout[]
}

/** Remembers the orders the commands place, by client id. */
export function remember(
  intents: Map<number, Intent>,
  commands: readonly LadderCommand[],
) {
  for (const c of commands) {
    if (c.type === 'placeOrders') {
      for (const o of c.orders) intents.set(o.clientId, { ...c, orders: [o] })
    } else if (c.type === 'sellPosition') intents.set(c.clientId, c)
  }
}

/** Queues an item (first: ahead of everything else) and wakes the worker. */
export function push(loop: Loop, item: Item, first = false) {
  if (first) loop.queue.unshift(item)
  else loop.queue.push(item)
  loop.wake?.()
}

/** Queues a strategy event. */
export const enqueue = (loop: Loop, event: LadderEvent, first = false) =>
  push(loop, { kind: 'event', event }, first)

/** Queues a reconcile, unless one is queued already. */
export function requestReconcile(loop: Loop, why: string) {
  if (loop.reconcileQueued) return
  loop.reconcileQueued = true
  push(loop, { kind: 'reconcile', why })
}

/** Realised profit over every session of the history, when there is one. */
export const realisedAllTime = (loop: Loop) =>
  loop.realisedBefore === undefined
    ? undefined
    : addDecimals(loop.realisedBefore, loop.realisedProfit)

/** Hands the status view a snapshot. */
export function publish(loop: Loop) {
  loop.statusDue = false
  loop.publishedAt = Date.now()
  loop.options.onStatus?.({
    ...summarizeState(loop.state, loop.realisedProfit, loop.lastPrice),
    realisedAllTime: realisedAllTime(loop),
    mode: loop.options.mode,
    connection: loop.connection,
    events: [...loop.recent],
  })
}

/** Longest a due status waits while the queue stays busy (ms). */
const PUBLISH_BUSY_MS = 100

/**
 * Publishes the status the steps changed once the worker is idle (its
 * queue empty), or every {@link PUBLISH_BUSY_MS} while it stays busy: a burst
 * of events (an exit's answers, its fills) is one snapshot, and none is
 * built while a step's orders are on the way.
 *
 * @param loop - The loop.
 */
export function publishIfDue(loop: Loop) {
  if (!loop.statusDue) return
  if (
    loop.queue.length === 0 ||
    Date.now() - loop.publishedAt >= PUBLISH_BUSY_MS
  )
    publish(loop)
}

/** Adds a line (with its UTC time) to the event panel. */
export function note(loop: Loop, text: string) {
  loop.recent.push(
    `${new Date(loop.options.now()).toISOString().slice(11, 19)} ${text}`,
  )
  if (loop.recent.length > 6) loop.recent.shift()
}

/** The journal snapshot of the loop now. */
export const snapshot = (loop: Loop): JournalSnapshot => ({
  ladder: loop.state,
  cycleStartAt: loop.cycleStartAt,
  realisedProfit: loop.realisedProfit,
})

/** Writes records to the history; a failed write never stops trading (the journal keeps them). */
export function writeHistory(
  options: BotOptions,
  records: readonly TradeRecord[],
  id: string | null,
) {
  const { history, logger } = options
  if (history === undefined || records.length === 0) return
  try {
    history.write(records, id)
  } catch (error) {
    logger.error(
      'could not write the trade history (the journal keeps everything: `rung history --rebuild` restores it)',
      errorFields(error),
    )
  }
}

/** The base asset the strategy holds (its position or carried remainder), exact. */
export const held = (loop: Loop) =>
  summarizeState(loop.state, '0', undefined).position
