/**
 * Reading the exchange's truth back: a reconcile adopts every open order and
 * fill of the bot's own client ids, sends again the orders the journal
 * intended but the exchange never received, and the cancels that were in
 * flight. Reconciles are queue items, so they never race an order being placed.
 */
import type { ReconciledEvent } from '@rung/ladder-strategy'
import { ExitError } from '../../errors.js'
import { errorFields } from '../../ui/logger.js'
import { type Intent, type Item, type Loop, requestReconcile } from './loop.js'
import { apply, perform } from './step.js'

/** Clock-skew margin when reading the fills of the current cycle (ms). */
const FILL_HISTORY_MARGIN_MS = 5_000

/**
 * Reads the exchange's truth and applies it. With `recover`, orders the
 * state still has as `pending` that the exchange has never seen (not open,
 * no fill) are sent now, with the same client id and parameters.
 */
async function reconcile(loop: Loop, why: string, recover: boolean) {
  const { executor, logger, setup } = loop.options
  // Fill history from the cycle's start, with a margin for clock skew
  // between this host and the exchange.
  const since = loop.cycleStartAt - FILL_HISTORY_MARGIN_MS
  let truth: ReconciledEvent = await executor.reconcile(loop.state, since)
  if (recover && (await resendUnseen(loop, truth)))
    truth = await executor.reconcile(loop.state, since)
  logger.debug('reconciled', {
    why,
    open: truth.openOrders.length,
    fills: truth.fills.length,
  })
  await apply(loop, truth)
  // Cancels the journal asked for whose orders are still open: send them again.
  const open = new Set(truth.openOrders.map((o) => o.clientId))
  const again = loop.state.orders
    .filter((o) => o.status === 'canceling' && open.has(o.clientId))
    .map((o) => o.clientId)
  if (again.length > 0) {
    logger.info('sending cancels that were in flight', {
      clientIds: again.join(','),
    })
    await perform(loop, [
      { type: 'cancelOrders', symbol: setup.market.symbol, clientIds: again },
    ])
  }
}

/**
 * Sends the pending orders the exchange has never seen (not open, no fill),
 * with the same client id and parameters.
 * @returns Whether any was sent (the truth must then be read again).
 * @throws {Error} when the re-sending got no answer (the reconcile is retried later).
 */
async function resendUnseen(
  loop: Loop,
  truth: ReconciledEvent,
): Promise<boolean> {
  const { executor, logger } = loop.options
  const seen = new Set<number>([
    ...truth.openOrders.map((o) => o.clientId),
    ...truth.fills.map((f) => f.clientId),
  ])
  const resend: Intent[] = []
  for (const o of loop.state.orders) {
    const intent = loop.intents.get(o.clientId)
    if (o.status === 'pending' && !seen.has(o.clientId) && intent)
      resend.push(intent)
  }
  if (resend.length === 0) return false
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
  const sent = await executor.run(resend, loop.state)
  for (const event of sent.events) await apply(loop, event)
  // Still no answer: keep those orders pending (a reconcile now would
  // forget them for the rest of the cycle) and try again later.
  if (sent.reconcile) throw new Error('re-sending got no answer')
  return true
}

/**
 * Processes one queue item: applies an event, or reconciles (a failed
 * reconcile is retried later; a rejected key is not).
 *
 * @param loop - The loop.
 * @param item - The item.
 * @throws {ExitError} when the exchange rejects the key.
 */
export async function processItem(loop: Loop, item: Item): Promise<void> {
  if (item.kind === 'event') return apply(loop, item.event)
  loop.reconcileQueued = false
  try {
    await reconcile(loop, item.why, true)
  } catch (error) {
    // An ExitError (the exchange rejects the key) cannot be retried away.
    if (error instanceof ExitError) throw error
    loop.options.logger.warn('reconcile failed; will retry', {
      why: item.why,
      ...errorFields(error),
    })
    setTimeout(
      () => requestReconcile(loop, item.why),
      Math.min(loop.options.monitorIntervalMs, 5000),
    ).unref?.()
  }
}
