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
import type { Bot, BotOptions, BotOutcome } from './botTypes.js'
import { type Loop, publishIfDue } from './loop.js'
import { processItem } from './reconcile.js'
import { replayJournal } from './replay.js'
import {
  beginSession,
  endSession,
  freshStart,
  resume,
  startFeed,
  startTimers,
  stopGracefully,
} from './session.js'

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
  const loop = replayJournal(options)
  let endReason = 'failed'
  const done = run(loop)
    .then((outcome) => {
      endReason = outcome.reason
      return outcome
    })
    .finally(() => endSession(loop, endReason))
  return {
    done,
    stop(how) {
      if (how?.leaveOrders) loop.leaveOnStop = true
      if (loop.stopRequested) return
      loop.stopRequested = true
      options.logger.info('stop requested; finishing the step in flight')
      loop.wake?.()
    },
    state: () => loop.state,
  }
}

/** The run: start (resume or fresh), then one item at a time until a stop; a requested stop ends gracefully. */
async function run(loop: Loop): Promise<BotOutcome> {
  await startFeed(loop)
  beginSession(loop)
  if (loop.resumed) await resume(loop)
  else await freshStart(loop)
  startTimers(loop)
  await drain(loop)
  const bySignal = loop.stopRequested && !loop.stoppedByStrategy
  if (bySignal) await stopGracefully(loop)
  return {
    reason: bySignal ? 'signal' : 'stopped',
    state: loop.state,
    realisedProfit: loop.realisedProfit,
  }
}

/** The one worker: processes the queue's items in order, waiting when it is empty, until a stop. */
async function drain(loop: Loop): Promise<void> {
  while (!loop.stoppedByStrategy && !loop.stopRequested) {
    const item = loop.queue.shift()
    if (item === undefined) {
      publishIfDue(loop)
      await new Promise<void>((resolve) => {
        loop.wake = resolve
      })
      loop.wake = undefined
      continue
    }
    await processItem(loop, item)
    publishIfDue(loop)
  }
}
