/**
 * `rung run` / `rung paper` with a `markets` list: one ladder per market in
 * one process, sharing ONE REST client (so its rate limits are shared), ONE
 * WebSocket connection (each ladder subscribes its market's streams on it),
 * one pid lock, one trade history and the budget cap; each ladder has its
 * own journal (`markets/<SYMBOL>/journal.jsonl`), so a kill -9 recovery is
 * exact per market. A ladder that fails (its stream or orders) is paused and
 * reported; the others go on. `rung stop --market <SYMBOL>` stops one.
 */
import { join } from 'node:path'
import {
  addDecimals,
  createBackpackClient,
  loadMarketRules,
  type MarketRule,
} from '@rung/backpack-sdk'
import type { Sim } from '@rung/backpack-sim'
import type { CommandContext } from '../config/context.js'
import { checkMarketsListed, type MarketsConfig } from '../config/markets.js'
import { toStrategyRules } from '../config/strategy.js'
import { ConfigError, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import { unreachable } from '../runtime/exchange/exchangeErrors.js'
import { createLiveExecutor } from '../runtime/exchange/liveExecutor.js'
import { createStreamFeed } from '../runtime/exchange/streamFeed.js'
import {
  DRY_RUN_HISTORY_FILE,
  HISTORY_FILE,
  openHistory,
} from '../runtime/history/historyStore.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import { type Journal, openJournal, retireJournal } from '../runtime/journal.js'
import { acquireLock } from '../runtime/lock.js'
import type { Bot, BotOutcome } from '../runtime/loop/botTypes.js'
import { createBudget } from '../runtime/multi/budget.js'
import {
  clientIdSlots,
  slottedClient,
  slottedStream,
} from '../runtime/multi/clientIds.js'
import {
  createMarketsStatus,
  type MarketsStatus,
} from '../runtime/multi/marketsStatus.js'
import {
  marketDir,
  shareStream,
  watchStopFiles,
} from '../runtime/multi/shared.js'
import { errorFields, type Logger } from '../ui/logger.js'
import {
  isMarketsStatus,
  type MarketsStatusContent,
  renderMarketsStatus,
} from '../ui/marketsView.js'
import { createStatusView } from '../ui/statusView.js'
import type { TradeOptions } from './trade.js'
import {
  createTradeLogger,
  launchBot,
  sdkLogger,
  startPaperSim,
  streamClientFor,
  tradingKeys,
  watchSignals,
} from './tradeSetup.js'

/** How one market's ladder ended. */
export interface MarketOutcome {
  /** The market. */
  symbol: string
  /** The ladder's outcome, or undefined when it failed (paused). */
  outcome: BotOutcome | undefined
  /** Why it was paused, when it failed. */
  paused: string | undefined
}

/** What a multi-market run returns. */
export interface MarketsOutcome {
  /** `signal` when stopped by Ctrl-C / `rung stop`, else `stopped`. */
  reason: 'signal' | 'stopped'
  /** Each market, in config order. */
  markets: MarketOutcome[]
  /** Realised profit over every market (quote). */
  realisedProfit: string
  /** Completed cycles over every market. */
  cycles: number
}

/** One running ladder. */
interface Ladder {
  symbol: string
  bot: Bot
  journal: Journal
  logger: Logger
}

/** A logger that tags every line with the market. */
const tagged = (logger: Logger, market: string): Logger => ({
  debug: (msg, fields) => logger.debug(msg, { market, ...fields }),
  info: (msg, fields) => logger.info(msg, { market, ...fields }),
  warn: (msg, fields) => logger.warn(msg, { market, ...fields }),
  error: (msg, fields) => logger.error(msg, { market, ...fields }),
})

/**
 * Runs every ladder of a `markets` config until all have stopped.
 * @throws {ConfigError} on a bad config, missing credentials or an unlisted market (nothing sent).
 * @throws {ExitError} when the data directory is locked or the exchange rejects the key.
 */
export async function runMarkets(
  ctx: CommandContext,
  io: CliIo,
  options: TradeOptions,
  config: MarketsConfig,
): Promise<MarketsOutcome> {
  const { settings } = ctx
  const paper = options.mode === 'paper' || ctx.dryRun
  const setupOptions = { ...options, mode: paper ? 'paper' : 'live' } as const
  if (paper && (ctx.dryRun || settings.paper.marketData === 'live'))
    throw new ConfigError(
      'paper.marketData',
      'Paper trading on live market data mirrors one market, and the config lists several.\nFix: use the generated market data (`rung paper` without --market-data live), or a config with one market.',
    )
  const keys = tradingKeys(ctx, io, setupOptions)
  const lock = acquireLock(settings.dataDir)
  const view =
    io.stdout.isTTY && !ctx.json
      ? createStatusView<MarketsStatusContent>(
          io.stdout as NodeJS.WriteStream,
          { fps: options.fps ?? 4, render: renderMarketsStatus },
        )
      : undefined
  const { logger, alerts } = createTradeLogger(ctx, io, view !== undefined)
  for (const w of [...ctx.warnings, ...config.warnings]) logger.warn(w)
  if (settings.sellNonUsdcAssets)
    logger.warn(
      'actions.sellNonUsdcAssets is off with several markets: a leftover of one market may be another ladder’s position',
    )
  let sim: Sim | undefined
  let history: HistoryStore | undefined
  let status: MarketsStatus | undefined
  const ladders: Ladder[] = []
  let unwatch = () => {}
  let unsubscribeSignals = () => {}
  try {
    if (paper)
      sim = await startPaperSim(
        ctx,
        config.markets[0]?.symbol ?? 'BTC_USDC',
        setupOptions,
        logger,
      )
    const baseUrl = sim?.url ?? settings.baseUrl
    const wsUrl = sim?.wsUrl ?? settings.wsUrl
    const mode = ctx.dryRun ? 'dry-run' : paper ? 'paper' : 'live'
    // One REST client: every ladder's requests share its rate limits.
    const client = createBackpackClient({
      baseUrl,
      ...keys,
      logger: sdkLogger(logger),
      ...options.clientOptions,
    })
    const rules = await loadMarketRules(client).catch((error: unknown) => {
      throw unreachable(error, baseUrl) ?? error
    })
    checkMarketsListed(config.markets, Object.keys(rules))
    // One WebSocket connection for every market's streams.
    const stream = shareStream(streamClientFor(ctx, { wsUrl, keys, logger }))
    const budget = createBudget(config.maxTotalAmount, Date.now)
    history = openHistory(
      join(settings.dataDir, ctx.dryRun ? DRY_RUN_HISTORY_FILE : HISTORY_FILE),
    )
    status = createMarketsStatus(
      settings.dataDir,
      config.markets.map((m) => m.symbol),
      lock.token,
      budget,
      view &&
        ((top) => {
          if (isMarketsStatus(top))
            view.update({
              ...top,
              events: [...top.events, ...alerts].slice(-6),
            })
        }),
    )
    // Each market's client ids live in its own slot of the account's.
    const slots = clientIdSlots(
      settings.dataDir,
      config.markets.map((m) => m.symbol),
    )
    let fatal: ExitError | undefined
    const stopAll = () => {
      for (const l of ladders) l.bot.stop()
    }
    for (const entry of config.markets) {
      const rule = rules[entry.symbol] as MarketRule
      const mlogger = tagged(logger, entry.symbol)
      const dir = marketDir(settings.dataDir, entry.symbol)
      const journalPath = join(
        dir,
        ctx.dryRun ? 'journal.dry-run.jsonl' : 'journal.jsonl',
      )
      if (paper) retireJournal(journalPath)
      const journal = openJournal(journalPath)
      const slot = slots[entry.symbol] ?? 0
      const executor = budget.guard(
        entry.symbol,
        createLiveExecutor({
          client: slottedClient(client, slot),
          market: rule,
          markets: Object.values(rules),
          cancelAllOrders: settings.cancelAllOrders,
          logger: mlogger,
          now: Date.now,
        }),
        mlogger,
      )
      const feed = createStreamFeed({
        stream: slottedStream(stream(), slot),
        symbol: entry.symbol,
        logger: mlogger,
        now: Date.now,
        privateStreams: true,
        onFatal: (error) => {
          // The key is refused: no market can trade; stop them all.
          fatal ??= error
          stopAll()
        },
      })
      const marketStatus = status
      const bot = launchBot({
        setup: { config: entry.config, market: toStrategyRules(rule) },
        executor,
        feed,
        journal,
        logger: mlogger,
        now: Date.now,
        mode,
        sellNonUsdcAssets: false,
        sellNonUsdcMinValue: settings.sellNonUsdcMinValue,
        onStop: settings.onStop,
        monitorIntervalMs: settings.monitorIntervalMs,
        checkOrdersIntervalMs: settings.checkOrdersIntervalMs,
        onStatus: (snapshot) => marketStatus.update(entry.symbol, snapshot),
        history,
      })
      budget.register(entry.symbol, () => bot.state())
      ladders.push({ symbol: entry.symbol, bot, journal, logger: mlogger })
    }
    unwatch = watchStopFiles(
      settings.dataDir,
      ladders.map((l) => l.symbol),
      (symbol) => {
        const ladder = ladders.find((l) => l.symbol === symbol)
        ladder?.logger.info('rung stop --market: stopping this ladder')
        ladder?.bot.stop()
      },
    )
    const all = composite(ladders)
    unsubscribeSignals = watchSignals(io, all, logger, () => lock.release())
    options.onStarted?.({
      stop: () => all.stop(),
      state: () => all.state(),
      sim,
      dataDir: settings.dataDir,
      dashboardUrl: undefined,
      ladders: Object.fromEntries(
        ladders.map((l) => [
          l.symbol,
          { stop: () => l.bot.stop(), state: () => l.bot.state() },
        ]),
      ),
    })
    const result = await settle(ladders, status)
    if (fatal) throw fatal
    logger.info('bye', {
      realisedProfit: result.realisedProfit,
      cycles: result.cycles,
    })
    return result
  } catch (error) {
    if (!(error instanceof ExitError))
      logger.error('the bot failed', errorFields(error))
    throw error
  } finally {
    unwatch()
    unsubscribeSignals()
    view?.stop()
    status?.close()
    for (const l of ladders) l.journal.close()
    history?.close()
    await sim?.close()
    lock.release()
  }
}

/** One handle over every ladder: stop stops them all. */
function composite(ladders: readonly Ladder[]): Bot {
  const first = ladders[0] as Ladder
  return {
    done: Promise.allSettled(ladders.map((l) => l.bot.done)).then(
      () => first.bot.done,
    ),
    stop: () => {
      for (const l of ladders) l.bot.stop()
    },
    state: () => first.bot.state(),
  }
}

/**
 * Waits for every ladder. A ladder that fails is paused (its orders stay
 * as they are; its journal resumes it on the next start) and reported; the
 * others go on.
 */
async function settle(
  ladders: readonly Ladder[],
  status: MarketsStatus,
): Promise<MarketsOutcome> {
  const markets = await Promise.all(
    ladders.map(async (l): Promise<MarketOutcome> => {
      try {
        const outcome = await l.bot.done
        status.mark(l.symbol, { stopped: true })
        return { symbol: l.symbol, outcome, paused: undefined }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        l.logger.error(
          'this market is paused: its ladder failed; the other markets go on',
          errorFields(error),
        )
        status.mark(l.symbol, { paused: reason.split('\n')[0] ?? reason })
        return { symbol: l.symbol, outcome: undefined, paused: reason }
      }
    }),
  )
  const done = markets.flatMap((m) => (m.outcome ? [m.outcome] : []))
  return {
    reason: done.some((o) => o.reason === 'signal') ? 'signal' : 'stopped',
    markets,
    realisedProfit: done.reduce(
      (sum, o) => addDecimals(sum, o.realisedProfit),
      '0',
    ),
    cycles: done.reduce((sum, o) => sum + o.state.totals.cycles, 0),
  }
}
