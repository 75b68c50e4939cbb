/**
 * The trading loop (STYLE 2.9). One worker drains one queue, so exactly one
 * step (and the I/O it causes) is in flight at a time:
 *
 *   stream / timers / polling ──► queue ──► step(state, event)
 *        ▲                                    │
 *        │                 journal the event (fsync) BEFORE acting on it
 *        │                                    │
 *        └──── result events ◄── executor.run(commands)   (all I/O)
 *
 * Reconciliations are queue items too, so they never race an order that is
 * being placed. Start: a fresh journal runs a `started` event (the strategy
 * then cancels the market's open orders and places the ladder); a journal
 * with history is replayed (the commands it produced are remembered by client
 * id, not re-sent blindly) and recovered: orders the journal intended but the
 * exchange never saw are sent now with the same client id, cancels that were
 * in flight are sent again, then a `reconciled` event adopts every fill. The
 * same cycle continues with no duplicate client id and no lost fill.
 */
import { randomUUID } from 'node:crypto'
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import {
  initialState,
  type LadderCommand,
  type LadderEvent,
  type LadderSetup,
  type LadderState,
  type OrderRecord,
  parseClientId,
  type ReconciledEvent,
  step,
} from '@rung/ladder-strategy'
import { decimalsOf, toFixedDecimals } from '../decimal.js'
import { EXIT, ExitError } from '../errors.js'
import { errorFields, type Logger } from '../ui/logger.js'
import { formatMoney, type StatusSnapshot } from '../ui/statusView.js'
import type { HistoryStore, LeftoverSale } from './historyStore.js'
import type { Journal } from './journal.js'
import type { ConnectionState, Executor, MarketFeed } from './ports.js'
import { summarizeState } from './summary.js'
import {
  describeRecord,
  EXIT_WORDS,
  type TradeRecord,
  tradeRecords,
} from './tradeRecord.js'

/** What the loop needs. */
export interface BotOptions {
  /** Strategy config and market rules. */
  setup: LadderSetup
  /** Performs commands (live, paper or dry-run). */
  executor: Executor
  /** Prices and order updates. */
  feed: MarketFeed
  /** The write-ahead journal (already opened: its replay is used). */
  journal: Journal
  /** Logger. */
  logger: Logger
  /** Clock in ms. */
  now: () => number
  /** `paper`, `live` or `dry-run`, for the status view. */
  mode: string
  /** Sell leftover balances before a fresh start. */
  sellNonUsdcAssets: boolean
  /** Minimum value of a leftover worth selling (decimal string). */
  sellNonUsdcMinValue: string
  /** What to do with open orders on a graceful stop. */
  onStop: 'cancel' | 'leave'
  /** REST polling period while the stream is down (ms). */
  monitorIntervalMs: number
  /** Periodic reconciliation period (ms). */
  checkOrdersIntervalMs: number
  /** Receives a status snapshot after every step. */
  onStatus?: ((snapshot: StatusSnapshot) => void) | undefined
  /** Real-time period of the timer check (ms). @default 100 */
  tickMs?: number | undefined
  /** Longest wait for the cancels of a graceful stop (ms). @default 15000 */
  stopTimeoutMs?: number | undefined
  /**
   * The trade history the records of every step are written to (and the
   * all-time realised profit read from); none when absent.
   */
  history?: HistoryStore | undefined
  /** This session's id (journal notes, history rows). @default a random UUID */
  sessionId?: string | undefined
}

/** How the loop ended. */
export interface BotOutcome {
  /** `stopped` (the strategy stopped itself) or `signal` (stop requested). */
  reason: 'stopped' | 'signal'
  /** The final strategy state. */
  state: LadderState
  /** Realised profit of this session (decimal string). */
  realisedProfit: string
}

/** What the bot notes in its journal besides strategy events. */
export type JournalNote =
  | {
      /** A session began. */
      kind: 'sessionStarted'
      /** Session id. */
      id: string
      /** Market. */
      market: string
      /** `live`, `paper`, `dry-run`. */
      mode: string
      /** Whether it resumed a cycle. */
      resumed: boolean
    }
  | {
      /** A session ended. */
      kind: 'sessionEnded'
      /** Session id. */
      id: string
      /** `signal`, `stopped` or `failed`. */
      reason: string
    }
  | {
      /** A leftover balance was sold at the start. */
      kind: 'leftoverSold'
      /** Session id. */
      session: string
      /** The sale. */
      sale: LeftoverSale
    }

/** A running bot. */
export interface Bot {
  /** Resolves when the loop has ended (after the stop cleanup). */
  readonly done: Promise<BotOutcome>
  /** Requests a graceful stop: finish the step in flight, then cancel or leave orders. */
  stop(): void
  /** The current strategy state. */
  state(): LadderState
}

/** The persisted snapshot: the strategy state plus the bot's own figures. */
export interface JournalSnapshot {
  ladder: LadderState
  cycleStartAt: number
  realisedProfit: string
}

/** Clock-skew margin when reading the fills of the current cycle (ms). */
const FILL_HISTORY_MARGIN_MS = 5_000

type Item =
  | { kind: 'event'; event: LadderEvent }
  | { kind: 'reconcile'; why: string }

/** The order a command placed, by client id: what to send again on recovery. */
type Intent = Extract<LadderCommand, { type: 'placeOrders' | 'sellPosition' }>

const isOpen = (o: OrderRecord) =>
  o.status === 'pending' || o.status === 'open' || o.status === 'canceling'

/**
 * Starts the trading loop: replays the journal (or starts fresh), then
 * feeds stream, timer and polling events through the strategy one at a time,
 * journalling each event before its commands run.
 *
 * @param options - Strategy setup, executor, feed, journal, logger, clock and policies.
 * @returns The running bot: `done` resolves when it ends, `stop()` ends it gracefully.
 * @throws {LadderConfigError} (from the strategy) when the market rules do not fit the config.
 * @example
 * ```ts
 * import { startBot } from '@rung/bot-cli'
 *
 * const bot = startBot({ setup, executor, feed, journal, logger, now: Date.now, mode: 'live',
 *   sellNonUsdcAssets: false, sellNonUsdcMinValue: '10', onStop: 'cancel',
 *   monitorIntervalMs: 15_000, checkOrdersIntervalMs: 600_000 })
 * process.once('SIGINT', () => bot.stop())
 * const outcome = await bot.done
 * ```
 */
export function startBot(options: BotOptions): Bot {
  const { setup, executor, feed, journal, logger, now } = options
  const tickMs = options.tickMs ?? 100
  const intents = new Map<number, Intent>()

  const remember = (commands: readonly LadderCommand[]) => {
    for (const c of commands) {
      if (c.type === 'placeOrders') {
        for (const o of c.orders) intents.set(o.clientId, { ...c, orders: [o] })
      } else if (c.type === 'sellPosition') intents.set(c.clientId, c)
    }
  }

  // ── replay ────────────────────────────────────────────────────────────────
  const { history } = options
  const sessionId = options.sessionId ?? randomUUID()
  const symbol = setup.market.symbol
  const replay = journal.replay
  const snap = replay.snapshot as JournalSnapshot | undefined
  let state: LadderState =
    snap?.ladder ?? initialState(setup.config, setup.market)
  let cycleStartAt = snap?.cycleStartAt ?? 0
  // The records of the replayed steps: a crash between the journal's fsync
  // and the history's write leaves rows out; writing them again is a no-op
  // for the rows already there.
  const catchUp: TradeRecord[] = []
  for (const event of replay.events as LadderEvent[]) {
    const [next, commands] = step(state, event)
    if (next.cycle !== state.cycle) cycleStartAt = event.at
    catchUp.push(...tradeRecords(state, event, next, commands))
    remember(commands)
    state = next
  }
  let crashedSession: string | null = null
  for (const n of replay.notes as JournalNote[])
    if (n.kind === 'sessionStarted') crashedSession = n.id
  writeHistory(catchUp, crashedSession)
  const running = state.status !== 'idle' && state.status !== 'stopped'
  // Stopped by request while holding this cycle's position: the position is
  // this bot's, with its cost in the journal, and the cycle goes on to its
  // take profit (the strategy resumes it on `started`) instead of being sold
  // as a leftover.
  const heldStopped =
    state.status === 'stopped' &&
    step(state, { type: 'started', at: 0 })[0].status === 'inPosition'
  const resumed = running || heldStopped
  if (!resumed) {
    // A journal that ended stopped (graceful stop, strategy done) starts a
    // fresh run; the start cancels whatever is open on the market. Cycle
    // numbers carry on from the previous run (and from the trade history,
    // should the journal have been moved away), so client ids (cycle x 1024
    // + slot) are never reused on this data directory and an old run's
    // fills can never be mistaken for this one's.
    const previous = state
    state = {
      ...initialState(setup.config, setup.market),
      cycle: Math.max(previous.cycle, history?.maxCycle(symbol) ?? 0),
    }
    // The remainder carried out of the last cycle stays the strategy's when
    // its units mean the same (same config and market).
    if (JSON.stringify(previous.setup) === JSON.stringify(setup))
      state = {
        ...state,
        position: {
          ...state.position,
          carriedLots: previous.position.carriedLots ?? 0,
          carriedFineUnits: previous.position.carriedFineUnits ?? 0,
          carriedCostUnits: previous.position.carriedCostUnits ?? 0,
        },
      }
    cycleStartAt = 0
  } else if (JSON.stringify(state.setup) !== JSON.stringify(setup)) {
    logger.warn(
      "the config or market rules changed since the journal was written; the resumed run keeps the journal's settings (stop with onStop: cancel, then start again, to apply the new ones)",
    )
  } // Realised profit of this session, and over every session of the history.
  let realisedProfit = '0'
  const realisedBefore = history?.realisedTotal(symbol)
  const realisedAllTime = () =>
    realisedBefore === undefined
      ? undefined
      : addDecimals(realisedBefore, realisedProfit)

  // ── loop plumbing ─────────────────────────────────────────────────────────
  const queue: Item[] = []
  let wake: (() => void) | undefined
  const push = (item: Item, first = false) => {
    if (first) queue.unshift(item)
    else queue.push(item)
    wake?.()
  }
  const enqueue = (event: LadderEvent, first = false) =>
    push({ kind: 'event', event }, first)
  let reconcileQueued = false
  const requestReconcile = (why: string) => {
    if (reconcileQueued) return
    reconcileQueued = true
    push({ kind: 'reconcile', why })
  }

  const timers = new Map<string, number>()
  let connection: ConnectionState = 'connecting'
  let stopRequested = false
  let stoppedByStrategy = false
  let lastPrice: string | undefined
  const recent: string[] = []
  const intervals: NodeJS.Timeout[] = []

  const publish = () => {
    options.onStatus?.({
      ...summarizeState(state, realisedProfit, lastPrice),
      realisedAllTime: realisedAllTime(),
      mode: options.mode,
      connection,
      events: [...recent],
    })
  }
  const note = (text: string) => {
    recent.push(`${new Date(now()).toISOString().slice(11, 19)} ${text}`)
    if (recent.length > 6) recent.shift()
  }
  const snapshot = (): JournalSnapshot => ({
    ladder: state,
    cycleStartAt,
    realisedProfit,
  })

  /** Writes records to the history; a failed write never stops trading (the journal keeps them). */
  function writeHistory(records: readonly TradeRecord[], id: string | null) {
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

  /** Logs, shows and stores what a step did with money. */
  const record = (records: readonly TradeRecord[]) => {
    for (const r of records) {
      const { message, fields } = describeRecord(r)
      if (r.kind === 'cycleCompleted') {
        realisedProfit = addDecimals(realisedProfit, r.profit)
        logger.info(message, {
          ...fields,
          realisedProfit,
          realisedAllTime: realisedAllTime(),
        })
      } else logger.info(message, fields)
      const text = shortText(r, setup.market.tickSize)
      if (text !== undefined) note(text)
    }
    writeHistory(records, sessionId)
  }

  const apply = async (event: LadderEvent) => {
    if (isEcho(event)) return
    const prev = state
    const [next, commands] = step(state, event)
    // Write-ahead: the event that produces commands is on disk before any of
    // them is performed. Price ticks that change nothing (step returns the
    // same state object and no command) are not journalled.
    if (
      event.type !== 'priceUpdated' ||
      commands.length > 0 ||
      next !== state
    ) {
      journal.appendEvent(event, now())
    }
    if (next.cycle !== state.cycle) cycleStartAt = event.at
    state = next
    remember(commands)
    record(tradeRecords(prev, event, next, commands))
    const io: LadderCommand[] = []
    let compact = false
    for (const command of commands) {
      switch (command.type) {
        case 'scheduleTimer':
          timers.set(command.timer, command.at)
          break
        case 'cancelTimer':
          timers.delete(command.timer)
          break
        case 'log':
          logger.info(command.message)
          note(command.message)
          break
        case 'warning':
          logger.warn(command.message, { event: command.event })
          break
        case 'cycleCompleted':
          // Logged, shown and stored with the step's trade records.
          compact = true
          break
        case 'fillBooked':
          break
        case 'stopped':
          logger.info('strategy stopped', {
            reason: command.reason,
            heldQuantity: command.heldQuantity,
            heldCost: command.heldCost,
          })
          stoppedByStrategy = true
          compact = true
          break
        default:
          io.push(command)
          describe(command)
      }
    }
    if (compact) journal.compact(snapshot(), now())
    // A new cycle waits for a price to build its ladder on; in a quiet market
    // the next tick may be long in coming, so hand it the last one seen.
    if (
      state.status === 'starting' &&
      event.type !== 'priceUpdated' &&
      lastPrice !== undefined
    ) {
      enqueue({ type: 'priceUpdated', at: now(), price: lastPrice })
    }
    publish()
    if (io.length > 0) await perform(io)
  }

  /**
   * The same fact often arrives twice: a cancel is answered over REST and
   * announced on the stream. The second copy changes nothing; it is dropped
   * here (not journalled, no warning).
   */
  const isEcho = (event: LadderEvent) => {
    if (event.type !== 'orderCanceled' && event.type !== 'orderAccepted')
      return false
    const order = state.orders.find((o) => o.clientId === event.clientId)
    if (order === undefined) {
      // The acknowledgement of a cancel of an earlier cycle's order (the
      // start's cancel-all, or an order the state has let go since): the
      // bot's own, nothing to do and nothing to warn about.
      if (event.type !== 'orderCanceled') return false
      const { cycle } = parseClientId(event.clientId)
      const own = cycle >= 1 && cycle <= state.cycle
      if (own)
        logger.debug("cancel acknowledged for an earlier cycle's order", {
          clientId: event.clientId,
        })
      return own
    }
    if (event.type === 'orderCanceled') return !isOpen(order)
    return order.orderId === event.orderId && order.status !== 'pending'
  }

  const perform = async (io: readonly LadderCommand[]) => {
    const result = await executor.run(io, state)
    // Results go first: they answer this step's commands.
    for (const event of [...result.events].reverse()) enqueue(event, true)
    // No answer (network, 5xx after the SDK's retries), or an order already
    // gone: read the exchange's truth back by client id instead of guessing.
    if (result.reconcile) requestReconcile('after commands')
  }

  const describe = (command: LadderCommand) => {
    if (command.type === 'placeOrders') {
      logger.info('placing ladder', {
        cycle: state.cycle,
        rungs: command.orders.length,
        top: command.orders[0]?.price,
        bottom: command.orders.at(-1)?.price,
      })
      note(`cycle ${state.cycle}: ${command.orders.length} rungs placed`)
    } else if (command.type === 'sellPosition') {
      logger.info('selling position', {
        reason: command.reason,
        quantity: command.quantity,
        price: command.price,
        orderType: command.orderType,
      })
      note(
        `${EXIT_WORDS[command.reason]}: selling ${command.quantity}${command.orderType === 'market' ? ' at market' : ` @ ${command.price}`}`,
      )
    } else if (command.type === 'cancelOrders') {
      logger.info('canceling orders', {
        clientIds:
          command.clientIds === 'all' ? 'all' : command.clientIds.join(','),
      })
    }
  }

  /**
   * Reads the exchange's truth and applies it. With `recover`, orders the
   * state still has as `pending` that the exchange has never seen (not open,
   * no fill) are sent now, with the same client id and parameters.
   */
  const reconcile = async (why: string, recover: boolean) => {
    // Fill history from the cycle's start, with a margin for clock skew
    // between this host and the exchange.
    const since = cycleStartAt - FILL_HISTORY_MARGIN_MS
    let truth: ReconciledEvent = await executor.reconcile(state, since)
    if (recover) {
      const seen = new Set<number>([
        ...truth.openOrders.map((o) => o.clientId),
        ...truth.fills.map((f) => f.clientId),
      ])
      const resend: Intent[] = []
      for (const o of state.orders) {
        const intent = intents.get(o.clientId)
        if (o.status === 'pending' && !seen.has(o.clientId) && intent)
          resend.push(intent)
      }
      if (resend.length > 0) {
        logger.info(
          'sending orders the journal intended but the exchange never received',
          {
            clientIds: resend
              .map((c) =>
                c.type === 'placeOrders' ? c.orders[0]?.clientId : c.clientId,
              )
              .join(','),
          },
        )
        const sent = await executor.run(resend, state)
        for (const event of sent.events) await apply(event)
        // Still no answer: keep those orders pending (a reconcile now would
        // forget them for the rest of the cycle) and try again later.
        if (sent.reconcile) throw new Error('re-sending got no answer')
        truth = await executor.reconcile(state, since)
      }
    }
    logger.debug('reconciled', {
      why,
      open: truth.openOrders.length,
      fills: truth.fills.length,
    })
    await apply(truth)
    // Cancels the journal asked for whose orders are still open: send them again.
    const open = new Set(truth.openOrders.map((o) => o.clientId))
    const again = state.orders
      .filter((o) => o.status === 'canceling' && open.has(o.clientId))
      .map((o) => o.clientId)
    if (again.length > 0) {
      logger.info('sending cancels that were in flight', {
        clientIds: again.join(','),
      })
      await perform([
        { type: 'cancelOrders', symbol: setup.market.symbol, clientIds: again },
      ])
    }
  }

  const processItem = async (item: Item) => {
    if (item.kind === 'event') return apply(item.event)
    reconcileQueued = false
    try {
      await reconcile(item.why, true)
    } catch (error) {
      // An ExitError (the exchange rejects the key) cannot be retried away.
      if (error instanceof ExitError) throw error
      logger.warn('reconcile failed; will retry', {
        why: item.why,
        ...errorFields(error),
      })
      setTimeout(
        () => requestReconcile(item.why),
        Math.min(options.monitorIntervalMs, 5000),
      ).unref?.()
    }
  }

  const pollPrice = async () => {
    try {
      onPrice(await executor.price(), now())
    } catch (error) {
      logger.warn('price poll failed', errorFields(error))
    }
  }
  const onPrice = (price: string, at: number) => {
    if (price === lastPrice) return
    lastPrice = price
    enqueue({ type: 'priceUpdated', at, price })
  }

  // ── the run ───────────────────────────────────────────────────────────────
  const run = async (): Promise<BotOutcome> => {
    await feed.start({
      onPrice,
      onOrderEvent: (event) => enqueue(event),
      onConnection: (next) => {
        if (next !== connection) {
          logger.info('stream', { state: next })
          note(`stream ${next}`)
        }
        const wasDown = connection !== 'open'
        connection = next
        if (next === 'open' && wasDown) requestReconcile('stream open')
        publish()
      },
      onGapEnd: () => requestReconcile('stream gap'),
    })

    const startedAt = now()
    journal.appendNote(
      {
        kind: 'sessionStarted',
        id: sessionId,
        market: symbol,
        mode: options.mode,
        resumed,
      } satisfies JournalNote,
      startedAt,
    )
    history?.beginSession({
      id: sessionId,
      market: symbol,
      mode: options.mode,
      startedAt,
      resumed,
    })
    if (resumed) {
      if (heldStopped) await checkHoldings()
      logger.info('resuming from the journal', {
        status: state.status,
        cycle: state.cycle,
        orders: state.orders.filter(isOpen).length,
      })
      note(`resumed cycle ${state.cycle}`)
      for (const [name, at] of Object.entries(state.timers)) {
        if (at !== false) timers.set(name, at)
      }
      // A fresh price first: a cycle that completes during the recovery
      // builds its next ladder on it.
      lastPrice = await executor.price()
      // A failure here is retried like any reconcile (the loop starts anyway).
      await processItem({ kind: 'reconcile', why: 'resume' })
      // The strategy continues the stopped cycle's position.
      if (heldStopped)
        await apply({ type: 'started', at: now(), price: lastPrice })
      enqueue({ type: 'priceUpdated', at: now(), price: lastPrice })
    } else {
      if (options.sellNonUsdcAssets) await sellLeftovers()
      journal.compact(snapshot(), now())
      const price = await executor.price()
      lastPrice = price
      await apply({ type: 'started', at: now(), price })
    }

    intervals.push(
      setInterval(() => {
        const t = now()
        for (const [name, at] of timers) {
          if (t >= at) {
            timers.delete(name)
            enqueue({
              type: 'timerFired',
              at: t,
              timer: name as 'noFill' | 'coolDown',
            })
          }
        }
      }, tickMs),
      setInterval(() => {
        if (connection !== 'open') {
          void pollPrice()
          requestReconcile('stream down')
        }
      }, options.monitorIntervalMs),
      setInterval(
        () => requestReconcile('periodic'),
        options.checkOrdersIntervalMs,
      ),
    )

    while (!stoppedByStrategy && !stopRequested) {
      const item = queue.shift()
      if (item === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = undefined
        continue
      }
      await processItem(item)
    }
    const bySignal = stopRequested && !stoppedByStrategy
    if (bySignal) await cleanup()
    return { reason: bySignal ? 'signal' : 'stopped', state, realisedProfit }
  }

  /** The base asset the strategy holds (its position or carried remainder), exact. */
  const held = () => summarizeState(state, '0', undefined).position
  const base = symbol.split('_')[0] ?? symbol

  /** Refuses to resume a position the account no longer holds. */
  const checkHoldings = async () => {
    const position = held()
    const has = await executor.holdings(base)
    if (compareDecimals(has, position) >= 0) return
    throw new ExitError(
      EXIT.usage,
      `The journal says this bot holds ${position} ${base} (cycle ${state.cycle}, stopped with its position) but the account holds ${has} ${base}.\nFix: if you sold or moved it yourself, move ${journal.path} away to start a fresh cycle (the trade history keeps its record); otherwise check the account before starting again.`,
    )
  }

  /** `sellNonUsdcAssets`: sells the leftovers, never the strategy's own base asset, and records each sale. */
  const sellLeftovers = async () => {
    const own = held()
    const keep = compareDecimals(own, '0') > 0 ? { [base]: own } : {}
    const sales = await executor.sellLeftovers(
      options.sellNonUsdcMinValue,
      keep,
    )
    for (const sale of sales) {
      journal.appendNote(
        {
          kind: 'leftoverSold',
          session: sessionId,
          sale,
        } satisfies JournalNote,
        now(),
      )
      try {
        history?.writeLeftover(sale, sessionId)
      } catch (error) {
        logger.error('could not write the trade history', errorFields(error))
      }
      note(
        `leftover sold: ${sale.quantity} ${sale.asset} for ${formatMoney(sale.proceeds)}`,
      )
    }
  }

  const cleanup = async () => {
    if (options.onStop === 'leave') {
      logger.info(
        'stopped; open orders left on the book (onStop: leave); the next start resumes this cycle',
        {
          open: state.orders.filter(isOpen).length,
        },
      )
      return
    }
    // The strategy cancels its orders (and keeps the position).
    await apply({ type: 'stopRequested', at: now() })
    const deadline = Date.now() + (options.stopTimeoutMs ?? 15_000)
    while (state.orders.some(isOpen) && Date.now() < deadline) {
      const item = queue.shift()
      if (item) await processItem(item)
      else {
        await new Promise((r) => setTimeout(r, 100))
        if (queue.length === 0)
          await processItem({ kind: 'reconcile', why: 'stop' })
      }
    }
    const left = state.orders.filter(isOpen).length
    if (left > 0)
      logger.warn('some orders may still be open after the stop', { left })
    else logger.info('stopped; open orders canceled')
  }

  let endReason = 'failed'
  const done = run()
    .then((outcome) => {
      endReason = outcome.reason
      return outcome
    })
    .finally(async () => {
      for (const id of intervals) clearInterval(id)
      await feed.stop().catch(() => {})
      try {
        const endedAt = now()
        journal.appendNote(
          {
            kind: 'sessionEnded',
            id: sessionId,
            reason: endReason,
          } satisfies JournalNote,
          endedAt,
        )
        history?.endSession(sessionId, endedAt, endReason)
      } catch (error) {
        logger.warn(
          'could not record the end of the session',
          errorFields(error),
        )
      }
      publish()
    })

  return {
    done,
    stop() {
      if (stopRequested) return
      stopRequested = true
      logger.info('stop requested; finishing the step in flight')
      wake?.()
    },
    state: () => state,
  }
}

/** A record as a line of the status view's event panel, or undefined for the quiet ones. */
function shortText(r: TradeRecord, tickSize: string): string | undefined {
  switch (r.kind) {
    case 'fill': {
      if (r.side === 'sell')
        return `${EXIT_WORDS[r.reason ?? 'takeProfit']}: sold ${r.quantity} @ ${r.price}`
      const avg =
        r.averageEntry === null
          ? '-'
          : toFixedDecimals(r.averageEntry, decimalsOf(tickSize), 'nearest')
      return `filled rung ${r.rung + 1}: ${r.quantity} @ ${r.price}, avg ${avg}, target ${r.takeProfitPrice ?? '-'}`
    }
    case 'cycleCompleted':
      return `cycle ${r.cycle} ${EXIT_WORDS[r.reason]}: profit ${formatMoney(r.profit)} fees ${formatMoney(r.fees)}`
    case 'orderRejected':
      return `order ${r.clientId} rejected${r.reason === undefined ? '' : `: ${r.reason}`}`
    default:
      return undefined
  }
}
