/**
 * The start and the end of a session: the feed subscribed, the session
 * noted, the journal's cycle resumed (or a fresh one started), the timers
 * set; at the end a graceful stop's cancels and the session's end recorded.
 */
import { compareDecimals } from '@rung/backpack-sdk'
import { EXIT, ExitError } from '../../errors.js'
import { errorFields } from '../../ui/logger.js'
import { formatMoney } from '../../ui/statusView.js'
import type { JournalNote } from './botTypes.js'
import {
  enqueue,
  held,
  isOpen,
  type Loop,
  note,
  publish,
  publishIfDue,
  requestReconcile,
  snapshot,
} from './loop.js'
import { processItem } from './reconcile.js'
import { apply } from './step.js'

/** A price from the stream or a poll: queued when it changed. */
function onPrice(loop: Loop, price: string, at: number) {
  if (price === loop.lastPrice) return
  loop.lastPrice = price
  enqueue(loop, { type: 'priceUpdated', at, price })
}

/** Subscribes the feed: prices and order events to the queue, connection changes to the status. */
export async function startFeed(loop: Loop): Promise<void> {
  const { feed, logger } = loop.options
  await feed.start({
    onPrice: (price, at) => onPrice(loop, price, at),
    onOrderEvent: (event) => enqueue(loop, event),
    onConnection: (next) => {
      if (next !== loop.connection) {
        logger.info('stream', { state: next })
        note(loop, `stream ${next}`)
      }
      const wasDown = loop.connection !== 'open'
      loop.connection = next
      if (next === 'open' && wasDown) requestReconcile(loop, 'stream open')
      publish(loop)
    },
    onGapEnd: () => requestReconcile(loop, 'stream gap'),
  })
}

/** Notes the session's start in the journal and the history. */
export function beginSession(loop: Loop): void {
  const { journal, history, now, mode } = loop.options
  const startedAt = now()
  journal.appendNote(
    {
      kind: 'sessionStarted',
      id: loop.sessionId,
      market: loop.symbol,
      mode,
      resumed: loop.resumed,
    } satisfies JournalNote,
    startedAt,
  )
  history?.beginSession({
    id: loop.sessionId,
    market: loop.symbol,
    mode,
    startedAt,
    resumed: loop.resumed,
  })
}

/** Resumes the journal's cycle: its timers, a fresh price, a recovering reconcile. */
export async function resume(loop: Loop): Promise<void> {
  const { executor, logger, now } = loop.options
  if (loop.heldStopped) await checkHoldings(loop)
  logger.info('resuming from the journal', {
    status: loop.state.status,
    cycle: loop.state.cycle,
    orders: loop.state.orders.filter(isOpen).length,
  })
  note(loop, `resumed cycle ${loop.state.cycle}`)
  for (const [name, at] of Object.entries(loop.state.timers)) {
    if (at !== false) loop.timers.set(name, at)
  }
  // A fresh price first: a cycle that completes during the recovery
  // builds its next ladder on it.
  const price = await executor.price()
  loop.lastPrice = price
  // A failure here is retried like any reconcile (the loop starts anyway).
  await processItem(loop, { kind: 'reconcile', why: 'resume' })
  // The strategy continues the stopped cycle's position (on the last price
  // seen: the stream may have brought a newer one meanwhile).
  if (loop.heldStopped)
    await apply(loop, {
      type: 'started',
      at: now(),
      price: loop.lastPrice ?? price,
    })
  enqueue(loop, {
    type: 'priceUpdated',
    at: now(),
    price: loop.lastPrice ?? price,
  })
}

/** Starts a fresh cycle (after selling the leftovers, if configured). */
export async function freshStart(loop: Loop): Promise<void> {
  const { executor, journal, now } = loop.options
  if (loop.options.sellNonUsdcAssets) await sellLeftovers(loop)
  journal.compact(snapshot(loop), now())
  const price = await executor.price()
  loop.lastPrice = price
  await apply(loop, { type: 'started', at: now(), price })
}

/** Refuses to resume a position the account no longer holds. */
async function checkHoldings(loop: Loop): Promise<void> {
  const { base } = loop
  const position = held(loop)
  const has = await loop.options.executor.holdings(base)
  if (compareDecimals(has, position) >= 0) return
  throw new ExitError(
    EXIT.usage,
    `The journal says this bot holds ${position} ${base} (cycle ${loop.state.cycle}, stopped with its position) but the account holds ${has} ${base}.\nFix: if you sold or moved it yourself, move ${loop.options.journal.path} away to start a fresh cycle (the trade history keeps its record); otherwise check the account before starting again.`,
  )
}

/** `sellNonUsdcAssets`: sells the leftovers, never the strategy's own base asset, and records each sale. */
async function sellLeftovers(loop: Loop): Promise<void> {
  const { executor, journal, history, logger, now } = loop.options
  const own = held(loop)
  const keep = compareDecimals(own, '0') > 0 ? { [loop.base]: own } : {}
  const sales = await executor.sellLeftovers(
    loop.options.sellNonUsdcMinValue,
    keep,
  )
  for (const sale of sales) {
    journal.appendNote(
      {
        kind: 'leftoverSold',
        session: loop.sessionId,
        sale,
      } satisfies JournalNote,
      now(),
    )
    try {
      history?.writeLeftover(sale, loop.sessionId)
    } catch (error) {
      logger.error('could not write the trade history', errorFields(error))
    }
    note(
      loop,
      `leftover sold: ${sale.quantity} ${sale.asset} for ${formatMoney(sale.proceeds)}`,
    )
  }
}

/** Polls the price over REST (while the stream is down). */
async function pollPrice(loop: Loop): Promise<void> {
  try {
    onPrice(loop, await loop.options.executor.price(), loop.options.now())
  } catch (error) {
    loop.options.logger.warn('price poll failed', errorFields(error))
  }
}

/** Sets the run's timers: the strategy's timers, REST polling while the stream is down, the periodic reconcile. */
export function startTimers(loop: Loop): void {
  const { now, monitorIntervalMs, checkOrdersIntervalMs } = loop.options
  loop.intervals.push(
    setInterval(() => {
      const t = now()
      for (const [name, at] of loop.timers) {
        if (t >= at) {
          loop.timers.delete(name)
          enqueue(loop, {
            type: 'timerFired',
            at: t,
            timer: name as 'noFill' | 'coolDown',
          })
        }
      }
    }, loop.options.tickMs ?? 100),
    setInterval(() => {
      if (loop.connection !== 'open') {
        void pollPrice(loop)
        requestReconcile(loop, 'stream down')
      }
    }, monitorIntervalMs),
    setInterval(
      () => requestReconcile(loop, 'periodic'),
      checkOrdersIntervalMs,
    ),
  )
}

/** A graceful stop: cancel the orders (waiting for the answers) or leave them, as `onStop` says. */
export async function stopGracefully(loop: Loop): Promise<void> {
  const { logger, now } = loop.options
  if (loop.options.onStop === 'leave' || loop.leaveOnStop) {
    logger.info(
      `stopped; open orders left on the book (${loop.leaveOnStop ? 'the market is paused' : 'onStop: leave'}); the next start resumes this cycle`,
      {
        open: loop.state.orders.filter(isOpen).length,
      },
    )
    return
  }
  // The strategy cancels its orders (and keeps the position).
  await apply(loop, { type: 'stopRequested', at: now() })
  const deadline = Date.now() + (loop.options.stopTimeoutMs ?? 15_000)
  while (loop.state.orders.some(isOpen) && Date.now() < deadline) {
    const item = loop.queue.shift()
    if (item) {
      await processItem(loop, item)
      publishIfDue(loop)
    } else {
      await new Promise((r) => setTimeout(r, 100))
      if (loop.queue.length === 0)
        await processItem(loop, { kind: 'reconcile', why: 'stop' })
    }
  }
  const left = loop.state.orders.filter(isOpen).length
  if (left > 0)
    logger.warn('some orders may still be open after the stop', { left })
  else logger.info('stopped; open orders canceled')
}

/** The end of the session however it ended: timers cleared, feed closed, the end recorded. */
export async function endSession(loop: Loop, reason: string): Promise<void> {
  const { feed, journal, history, logger, now } = loop.options
  for (const id of loop.intervals) clearInterval(id)
  await feed.stop().catch(() => {})
  try {
    const endedAt = now()
    journal.appendNote(
      {
        kind: 'sessionEnded',
        id: loop.sessionId,
        reason,
      } satisfies JournalNote,
      endedAt,
    )
    history?.endSession(loop.sessionId, endedAt, reason)
  } catch (error) {
    logger.warn('could not record the end of the session', errorFields(error))
  }
  publish(loop)
}
