/**
 * Pausing one market of a multi-market run. A market whose order book
 * stops taking orders (Backpack's `orderBookState` other than `Open`; the
 * exchange refuses orders with `TRADING_PAUSED`) cannot trade, but the
 * others can: its ladder stops with its orders left as they are (its
 * journal keeps the cycle), the bot polls the market's state, and when the
 * book is `Open` again the ladder resumes from its journal, reconciling
 * what happened meanwhile, exactly as after a restart.
 */
import type { BackpackClient } from '@rung/backpack-sdk'
import type { Logger } from '../../ui/logger.js'
import { errorFields } from '../../ui/logger.js'
import type { Executor } from '../ports.js'

/** The refusal code of a market that takes no orders now. */
export const PAUSED_CODE = 'TRADING_PAUSED'

/**
 * Wraps a ladder's executor: the first refusal with {@link PAUSED_CODE}
 * calls `onPause` with the exchange's reason (the refused orders still come
 * back as `orderRejected`, so the strategy's state stays exact).
 *
 * @param executor - The ladder's executor.
 * @param onPause - Pauses the ladder (called once).
 * @returns An executor with the same behaviour.
 */
export function pauseOnClosedBook(
  executor: Executor,
  onPause: (reason: string) => void,
): Executor {
  let paused = false
  return {
    ...executor,
    async run(commands, state) {
      const result = await executor.run(commands, state)
      if (!paused)
        for (const e of result.events)
          if (
            e.type === 'orderRejected' &&
            e.reason.startsWith(`${PAUSED_CODE}:`)
          ) {
            paused = true
            onPause(e.reason)
            break
          }
      return result
    },
  }
}

/**
 * Waits until a market's order book is `Open`, reading its state every
 * `everyMs` (a failed read is logged and retried).
 *
 * @param client - Reads `GET /api/v1/market`.
 * @param symbol - The market.
 * @param options - `everyMs`: polling period; `cancelled`: polled too, ends
 *   the wait early (a stop); `logger`.
 * @returns True when the book is open, false when cancelled.
 */
export async function waitForOpenBook(
  client: Pick<BackpackClient, 'getMarket'>,
  symbol: string,
  options: { everyMs: number; cancelled: () => boolean; logger: Logger },
): Promise<boolean> {
  const tick = Math.min(options.everyMs, 250)
  let next = 0
  for (;;) {
    if (options.cancelled()) return false
    if (Date.now() >= next) {
      next = Date.now() + options.everyMs
      try {
        const market = await client.getMarket({ symbol })
        if (market.orderBookState === 'Open') return true
      } catch (error) {
        options.logger.warn(
          'could not read the market state; trying again',
          errorFields(error),
        )
      }
    }
    await new Promise((r) => setTimeout(r, tick))
  }
}

/** Book states in which nothing can be placed: a ladder pauses at once. */
const CLOSED_STATES = new Set(['Closed', 'CancelOnly'])

/**
 * Watches the markets' order book states (`GET /api/v1/markets`, one
 * request for every market, every `everyMs`): a market whose book is
 * `Closed` or `CancelOnly` is reported to `onClosed` at each poll (a ladder
 * that is already paused ignores it). This catches a closed book before the
 * ladder tries to trade on it; a refusal with {@link PAUSED_CODE} catches
 * it between two polls.
 *
 * @param client - Reads the markets.
 * @param symbols - The markets of the run.
 * @param everyMs - Polling period (ms).
 * @param onClosed - Receives the market and its state.
 * @param logger - A failed read is logged at debug level and retried at the next poll.
 * @returns Stops watching.
 */
export function watchBookStates(
  client: Pick<BackpackClient, 'getMarkets'>,
  symbols: readonly string[],
  everyMs: number,
  onClosed: (symbol: string, state: string) => void,
  logger: Logger,
): () => void {
  const wanted = new Set(symbols)
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    client
      .getMarkets()
      .then((markets) => {
        for (const m of markets)
          if (wanted.has(m.symbol) && CLOSED_STATES.has(m.orderBookState))
            onClosed(m.symbol, m.orderBookState)
      })
      .catch((error: unknown) =>
        logger.debug("could not read the markets' states", errorFields(error)),
      )
      .finally(() => {
        busy = false
      })
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
