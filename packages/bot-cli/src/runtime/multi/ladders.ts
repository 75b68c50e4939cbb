/**
 * One market's ladder in a multi-market run, from start to end: its own
 * journal, executor (client ids in the market's slot, the shared budget,
 * the pause on a closed book) and feed (a view of the shared connection).
 * A closed book pauses it (orders left as they are) until the book is open
 * again, then it resumes from its journal; a failure pauses it for good
 * (the next start resumes it); either way the other markets go on.
 */
import { join } from 'node:path'
import type { BackpackClient, MarketRule } from '@rung/backpack-sdk'
import type { LadderState } from '@rung/ladder-strategy'
import type { MarketEntry } from '../../config/markets.js'
import { toStrategyRules } from '../../config/strategy.js'
import type { ExitError } from '../../errors.js'
import { errorFields, type Logger } from '../../ui/logger.js'
import { createLiveExecutor } from '../exchange/liveExecutor.js'
import {
  createStreamFeed,
  type StreamClientLike,
} from '../exchange/streamFeed.js'
import type { HistoryStore } from '../history/historyTypes.js'
import { type Journal, openJournal, retireJournal } from '../journal.js'
import { startBot } from '../loop/bot.js'
import type { Bot, BotOptions, BotOutcome } from '../loop/botTypes.js'
import type { TradeRecord } from '../tradeRecord.js'
import type { Budget } from './budget.js'
import { slottedClient, slottedStream } from './clientIds.js'
import type { MarketsStatus } from './marketsStatus.js'
import { type OpenBookWaits, pauseOnClosedBook } from './pause.js'
import { marketDir } from './shared.js'

/** How one market's ladder ended. */
export interface MarketOutcome {
  /** The market. */
  symbol: string
  /** The last run's outcome, or undefined when the ladder failed. */
  outcome: BotOutcome | undefined
  /** Why it was paused at the end, if it was (a failure, or a book still closed at the stop). */
  paused: string | undefined
}

/** What every ladder of the run shares. */
export interface LadderDeps {
  /** The process's one SDK client (its rate limits shared). */
  client: BackpackClient
  /** Market rules of the exchange. */
  rules: Record<string, MarketRule>
  /** A new view of the one WebSocket connection. */
  stream: () => StreamClientLike
  /** Each market's client-id slot. */
  slots: Record<string, number>
  /** The shared budget (maxTotalAmount). */
  budget: Budget
  /** The one poll every paused market waits on for its book to open. */
  openBooks: OpenBookWaits
  /** The status fan-out. */
  status: MarketsStatus
  /** The one trade history. */
  history: HistoryStore
  /** The run's logger (each ladder tags its lines with its market). */
  logger: Logger
  /** The data directory. */
  dataDir: string
  /** The journal's file name inside the market's folder. */
  journalName: string
  /** Paper trading: start each market's journal afresh. */
  retire: boolean
  /** Receives each market's trade records (the notifications), when set. */
  onRecords?:
    | ((symbol: string, records: readonly TradeRecord[]) => void)
    | undefined
  /** The key is refused: the whole run must stop. */
  onFatal: (error: ExitError) => void
  /** Policies every ladder shares. */
  policy: Pick<
    BotOptions,
    | 'mode'
    | 'onStop'
    | 'monitorIntervalMs'
    | 'checkOrdersIntervalMs'
    | 'sellNonUsdcMinValue'
  > & { cancelAllOrders: boolean }
}

/** A running ladder. */
export interface LadderRun {
  /** The market. */
  readonly symbol: string
  /** Resolves when the ladder has ended for good. */
  readonly done: Promise<MarketOutcome>
  /** Stops this ladder (also ends a pause). */
  stop(): void
  /** Pauses this ladder until its market's book is open again (ignored while paused). */
  pause(reason: string): void
  /** Its strategy state (the last one while paused). */
  state(): LadderState | undefined
}

/** One session of a ladder: from a start (or resume) to its stop. */
interface Session {
  journal: Journal
  bot: Bot
  /** Why the exchange paused the market during the session, if it did. */
  paused(): string | undefined
  /** Pauses the session: stops the bot, leaving its orders (once). */
  pause(reason: string): void
}

/** A logger that tags every line with the market. */
export const tagged = (logger: Logger, market: string): Logger => ({
  debug: (msg, fields) => logger.debug(msg, { market, ...fields }),
  info: (msg, fields) => logger.info(msg, { market, ...fields }),
  warn: (msg, fields) => logger.warn(msg, { market, ...fields }),
  error: (msg, fields) => logger.error(msg, { market, ...fields }),
})

/**
 * Starts one market's ladder and keeps it going through pauses.
 *
 * @param entry - The market's config entry.
 * @param deps - What the ladders share.
 * @returns The running ladder.
 * @throws {LadderConfigError} (from the strategy, at the first start) when
 *   the config does not fit the market: check every entry first (see
 *   `runMarkets`), so that no ladder starts when one cannot.
 */
export function runLadder(entry: MarketEntry, deps: LadderDeps): LadderRun {
  const { symbol } = entry
  const logger = tagged(deps.logger, symbol)
  const path = join(marketDir(deps.dataDir, symbol), deps.journalName)
  if (deps.retire) retireJournal(path)
  const slot = deps.slots[symbol] ?? 0
  const rule = deps.rules[symbol] as MarketRule
  let current: Session | undefined
  let last: LadderState | undefined
  let stopRequested = false

  /** One session of the ladder: journal, executor, feed, bot. */
  function launch(): Session {
    const journal = openJournal(path)
    let bot: Bot | undefined
    let paused: string | undefined
    const pause = (reason: string) => {
      if (paused !== undefined) return
      paused = reason
      logger.warn(
        'the market takes no orders now: this ladder pauses (its orders stay as they are) until it reopens; the other markets go on',
        { reason },
      )
      bot?.stop({ leaveOrders: true })
    }
    const executor = deps.budget.guard(
      symbol,
      pauseOnClosedBook(
        createLiveExecutor({
          client: slottedClient(deps.client, slot),
          market: rule,
          markets: Object.values(deps.rules),
          cancelAllOrders: deps.policy.cancelAllOrders,
          logger,
          now: Date.now,
        }),
        (reason) => pause(reason),
      ),
      logger,
    )
    const feed = createStreamFeed({
      stream: slottedStream(deps.stream(), slot),
      symbol,
      logger,
      now: Date.now,
      privateStreams: true,
      onFatal: deps.onFatal,
    })
    try {
      bot = startBot({
        ...deps.policy,
        setup: { config: entry.config, market: toStrategyRules(rule) },
        executor,
        feed,
        journal,
        logger,
        now: Date.now,
        sellNonUsdcAssets: false,
        onStatus: (snapshot) => deps.status.update(symbol, snapshot),
        history: deps.history,
        onRecords: deps.onRecords && ((r) => deps.onRecords?.(symbol, r)),
      })
    } catch (error) {
      journal.close()
      throw error
    }
    return { journal, bot, paused: () => paused, pause }
  }

  /** Runs sessions until the ladder ends, resuming after each pause. */
  async function lifetime(): Promise<MarketOutcome> {
    for (;;) {
      const run = current ?? launch()
      current = run
      let outcome: BotOutcome
      try {
        outcome = await run.bot.done
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        logger.error(
          'this market is paused: its ladder failed; the other markets go on (the next start resumes it)',
          errorFields(error),
        )
        deps.status.mark(symbol, { paused: reason.split('\n')[0] ?? reason })
        return { symbol, outcome: undefined, paused: reason }
      } finally {
        last = run.bot.state()
        current = undefined
        run.journal.close()
      }
      const paused = run.paused()
      if (paused === undefined || stopRequested) {
        deps.status.mark(symbol, { stopped: true })
        return { symbol, outcome, paused }
      }
      deps.status.mark(symbol, { paused })
      const open = await deps.openBooks.wait(symbol, () => stopRequested)
      if (!open) {
        deps.status.mark(symbol, { stopped: true })
        return { symbol, outcome, paused }
      }
      logger.info(
        'the market takes orders again: this ladder resumes from its journal',
      )
      deps.status.mark(symbol, { paused: undefined })
    }
  }

  current = launch()
  return {
    symbol,
    done: lifetime(),
    stop() {
      stopRequested = true
      current?.bot.stop()
    },
    pause(reason) {
      current?.pause(reason)
    },
    state: () => current?.bot.state() ?? last,
  }
}
