/**
 * One step of the loop: the event journalled (write-ahead) and stepped
 * through the strategy, its trade records logged and stored, its bookkeeping
 * commands handled here and its I/O commands handed to the executor, whose
 * answers go to the front of the queue.
 */
import { addDecimals } from '@rung/backpack-sdk'
import {
  type LadderCommand,
  type LadderEvent,
  type LadderState,
  parseClientId,
  step,
} from '@rung/ladder-strategy'
import { decimalsOf, toFixedDecimals } from '../../decimal.js'
import { formatMoney } from '../../ui/statusView.js'
import type { RunResult } from '../ports.js'
import {
  describeRecord,
  EXIT_WORDS,
  type TradeRecord,
  tradeRecords,
} from '../tradeRecord.js'
import {
  enqueue,
  isOpen,
  type Loop,
  note,
  realisedAllTime,
  remember,
  requestReconcile,
  snapshot,
  writeHistory,
} from './loop.js'

/**
 * Applies one event: journals it (unless it is an echo or a price tick that
 * changes nothing), steps the strategy, sends its I/O commands, then records
 * what it did (log, event panel, history) once their answers are in, and
 * finally takes the answers. The status is marked due, and the worker
 * publishes it once idle (see `publishIfDue`).
 *
 * The hot path (issue 17) is step → journal (write-ahead; the requests are
 * built while it is fsynced, and leave once it is) → send:
 * the bookkeeping that no order depends on waits until the answers arrive
 * (on the one thread, work done while the requests are in flight delays
 * reading their answers: about 0.7 ms of a 4.7 ms tick-to-order on
 * loopback), and always runs before the answers are taken, so the journal,
 * the log and the status see the same order of facts as before. A crash
 * in between loses no record: the journal has the event, and the replay
 * writes the step's records again.
 *
 * @param loop - The loop.
 * @param received - The event (a batch acknowledgement loses its echoes first).
 */
export async function apply(loop: Loop, received: LadderEvent): Promise<void> {
  const { journal, now } = loop.options
  const event = withoutEchoes(loop, received)
  if (event === null || isEcho(loop, event)) return
  const prev = loop.state
  const [next, commands] = step(loop.state, event)
  const io = commands.filter(isIo)
  // Write-ahead: the event that produces commands is on disk before any of
  // them is performed. Price ticks that change nothing (step returns the
  // same state object and no command) are not journalled. With requests to
  // send, the fsync runs while they are built and signed: the transport
  // (`afterWriteAhead`) holds them until it has ended.
  let durable: Promise<void> | undefined
  if (
    event.type !== 'priceUpdated' ||
    commands.length > 0 ||
    next !== loop.state
  ) {
    if (io.length > 0) durable = journal.appendEventAhead(event, now())
    else journal.appendEvent(event, now())
  }
  if (next.cycle !== loop.state.cycle) loop.cycleStartAt = event.at
  loop.state = next
  // What recovery sends again, known before anything is sent.
  remember(loop.intents, commands)
  if (io.length === 0) {
    bookkeep(loop, prev, event, commands)
    return
  }
  // The log says what is sent before it is sent (a kill right after still
  // leaves the line); the rest waits until the requests are out.
  for (const command of io) describe(loop, command, next)
  // The bookkeeping waits for the answers (see above), then they are taken.
  const sent = await send(loop, io)
  // Nothing is recorded of an event that is not on disk (and a failed
  // fsync stops the bot, as a failed synchronous append does).
  await durable
  bookkeep(loop, prev, event, commands)
  taken(loop, sent)
}

/** Whether a command is I/O for the executor (the others are handled here). */
const isIo = (command: LadderCommand) =>
  command.type === 'placeOrders' ||
  command.type === 'cancelOrders' ||
  command.type === 'sellPosition'

/**
 * Everything a step does besides its I/O: its trade records logged, shown
 * and stored, its bookkeeping commands handled (timers, logs, compaction),
 * the status marked due.
 */
function bookkeep(
  loop: Loop,
  prev: LadderState,
  event: LadderEvent,
  commands: readonly LadderCommand[],
): void {
  const { journal, logger, now } = loop.options
  const next = loop.state
  record(loop, tradeRecords(prev, event, next, commands))
  let compact = false
  for (const command of commands) {
    switch (command.type) {
      case 'scheduleTimer':
        loop.timers.set(command.timer, command.at)
        break
      case 'cancelTimer':
        loop.timers.delete(command.timer)
        break
      case 'log':
        logger.info(command.message)
        note(loop, command.message)
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
        loop.stoppedByStrategy = true
        compact = true
        break
      default:
        break
    }
  }
  // The snapshot of the state after this event (already journalled): the
  // same state whether written before or after the sends.
  if (compact) journal.compact(snapshot(loop), now())
  // A new cycle waits for a price to build its ladder on; in a quiet market
  // the next tick may be long in coming, so hand it the last one seen.
  if (
    loop.state.status === 'starting' &&
    event.type !== 'priceUpdated' &&
    loop.lastPrice !== undefined
  ) {
    enqueue(loop, { type: 'priceUpdated', at: now(), price: loop.lastPrice })
  }
  // Published by the worker once it is idle (publishIfDue).
  loop.statusDue = true
}

/**
 * The same fact often arrives twice: a cancel is answered over REST and
 * announced on the stream. The second copy changes nothing; it is dropped
 * here (not journalled, no warning).
 */
function isEcho(loop: Loop, event: LadderEvent): boolean {
  if (event.type !== 'orderCanceled' && event.type !== 'orderAccepted')
    return false
  const { state } = loop
  const order = state.orders.find((o) => o.clientId === event.clientId)
  if (order === undefined) {
    // The acknowledgement of a cancel of an earlier cycle's order (the
    // start's cancel-all, or an order the state has let go since): the
    // bot's own, nothing to do and nothing to warn about.
    if (event.type !== 'orderCanceled') return false
    const { cycle } = parseClientId(event.clientId)
    const own = cycle >= 1 && cycle <= state.cycle
    if (own)
      loop.options.logger.debug(
        "cancel acknowledged for an earlier cycle's order",
        { clientId: event.clientId },
      )
    return own
  }
  if (event.type === 'orderCanceled') return !isOpen(order)
  return order.orderId === event.orderId && order.status !== 'pending'
}

/**
 * A batch acknowledgement (`ordersCanceled`) without the client ids that are
 * echoes (already closed, or an earlier cycle's order); `null` when nothing
 * is left. Other events pass as they are.
 */
function withoutEchoes(loop: Loop, event: LadderEvent): LadderEvent | null {
  if (event.type !== 'ordersCanceled') return event
  const clientIds = event.clientIds.filter(
    (clientId) =>
      !isEcho(loop, { type: 'orderCanceled', at: event.at, clientId }),
  )
  if (clientIds.length === 0) return null
  return clientIds.length === event.clientIds.length
    ? event
    : { ...event, clientIds }
}

/** An executor run started: its result, or what it threw (kept until it is taken). */
type Sent = { ok: true; result: RunResult } | { ok: false; error: unknown }

/** Starts the executor on `io` (a rejection is held, never left unhandled). */
function send(loop: Loop, io: readonly LadderCommand[]): Promise<Sent> {
  return loop.options.executor.run(io, loop.state).then(
    (result): Sent => ({ ok: true, result }),
    (error: unknown): Sent => ({ ok: false, error }),
  )
}

/** Takes an executor run's answers: to the front of the queue; no answer asks for a reconcile. */
function taken(loop: Loop, sent: Sent): void {
  if (!sent.ok) throw sent.error
  const { result } = sent
  // Results go first: they answer this step's commands.
  for (const event of [...result.events].reverse()) enqueue(loop, event, true)
  // No answer (network, 5xx after the SDK's retries), or an order already
  // gone: read the exchange's truth back by client id instead of guessing.
  if (result.reconcile) requestReconcile(loop, 'after commands')
}

/**
 * Hands I/O commands to the executor; its answers go to the front of the
 * queue, and no answer asks for a reconcile.
 *
 * @param loop - The loop.
 * @param io - The commands to perform.
 */
export async function perform(
  loop: Loop,
  io: readonly LadderCommand[],
): Promise<void> {
  taken(loop, await send(loop, io))
}

/** Logs (and notes) an I/O command being performed, with the state it came with. */
function describe(loop: Loop, command: LadderCommand, state: LadderState) {
  const { logger } = loop.options
  if (command.type === 'placeOrders') {
    logger.info('placing ladder', {
      cycle: state.cycle,
      rungs: command.orders.length,
      top: command.orders[0]?.price,
      bottom: command.orders.at(-1)?.price,
    })
    note(loop, `cycle ${state.cycle}: ${command.orders.length} rungs placed`)
  } else if (command.type === 'sellPosition') {
    logger.info('selling position', {
      reason: command.reason,
      quantity: command.quantity,
      price: command.price,
      orderType: command.orderType,
    })
    note(
      loop,
      `${EXIT_WORDS[command.reason]}: selling ${command.quantity}${command.orderType === 'market' ? ' at market' : ` @ ${command.price}`}`,
    )
  } else if (command.type === 'cancelOrders') {
    logger.info('canceling orders', {
      clientIds:
        command.clientIds === 'all' ? 'all' : command.clientIds.join(','),
    })
  }
}

/** Logs, shows and stores what a step did with money. */
function record(loop: Loop, records: readonly TradeRecord[]) {
  const { logger, setup } = loop.options
  for (const r of records) {
    const { message, fields } = describeRecord(r)
    if (r.kind === 'cycleCompleted') {
      loop.realisedProfit = addDecimals(loop.realisedProfit, r.profit)
      logger.info(message, {
        ...fields,
        realisedProfit: loop.realisedProfit,
        realisedAllTime: realisedAllTime(loop),
      })
    } else logger.info(message, fields)
    const text = shortText(r, setup.market.tickSize)
    if (text !== undefined) note(loop, text)
  }
  writeHistory(loop.options, records, loop.sessionId)
  if (records.length > 0) loop.options.onRecords?.(records)
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
