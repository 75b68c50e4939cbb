/**
 * Pausing one market of a multi-market run. A market whose order book
 * stops taking orders (Backpack's `orderBookState` other than `Open`; the
 * exchange refuses orders with `TRADING_PAUSED`) cannot trade, but the
 * others can: its ladder stops with its orders left as they are (its
 * journal keeps the cycle), the bot polls the markets' states (one request
 * for every paused market), and when the book is `Open` again the ladder resumes from its journal, reconciling
 * what happened meanwhile, exactly as after a restart.
 */
import type { BackpackClient, Market } from '@rung/backpack-sdk'
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

/** A market's order book state, as `GET /api/v1/markets` gives it. */
export type BookState = Pick<Market, 'symbol' | 'orderBookState'>

/** The paused markets waiting for their book to open, fed by one poll. */
export interface OpenBookWaits {
  /**
   * Waits until the market's order book is `Open` (as the next
   * {@link OpenBookWaits.seen} says).
   * @param symbol - The market.
   * @param cancelled - Checked every 250 ms: ends the wait early (a stop).
   * @returns True when the book is open, false when cancelled (or closed).
   */
  wait(symbol: string, cancelled: () => boolean): Promise<boolean>
  /** The markets' states of a poll: each waiting market whose book is `Open` resumes. */
  seen(markets: readonly BookState[]): void
  /** Ends every wait (false). */
  close(): void
}

/**
 * The waits of the paused markets, all on ONE poll: the run's book-state
 * watch ({@link watchBookStates}, one request for every market every
 * `monitorIntervalMs`) hands each poll's states to `seen`, so a paused
 * market adds no request of its own.
 *
 * @returns The waits; `close()` ends them.
 */
export function sharedOpenBookWaits(): OpenBookWaits {
  interface Waiter {
    symbol: string
    cancelled: () => boolean
    resolve: (open: boolean) => void
  }
  const waiters = new Set<Waiter>()
  let timer: NodeJS.Timeout | undefined
  const end = (w: Waiter, open: boolean) => {
    waiters.delete(w)
    w.resolve(open)
    if (waiters.size === 0) {
      clearInterval(timer)
      timer = undefined
    }
  }
  const checkCancelled = () => {
    for (const w of waiters) if (w.cancelled()) end(w, false)
  }
  return {
    wait(symbol, cancelled) {
      return new Promise<boolean>((resolve) => {
        waiters.add({ symbol, cancelled, resolve })
        timer ??= setInterval(checkCancelled, 250)
        timer.unref()
      })
    },
    seen(markets) {
      checkCancelled()
      const open = new Set(
        markets.filter((m) => m.orderBookState === 'Open').map((m) => m.symbol),
      )
      for (const w of waiters) if (open.has(w.symbol)) end(w, true)
    },
    close() {
      for (const w of waiters) end(w, false)
    },
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
 * @param onStates - Also receives every poll's states (the paused markets' waits).
 * @returns Stops watching.
 */
export function watchBookStates(
  client: Pick<BackpackClient, 'getMarkets'>,
  symbols: readonly string[],
  everyMs: number,
  onClosed: (symbol: string, state: string) => void,
  logger: Logger,
  onStates?: (markets: readonly BookState[]) => void,
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
        onStates?.(markets)
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
