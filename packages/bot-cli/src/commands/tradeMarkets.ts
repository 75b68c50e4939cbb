/**
 * `rung run` / `rung paper` with a `markets` list: one ladder per market in
 * one process, sharing ONE REST client (so its rate limits are shared), ONE
 * WebSocket connection (each ladder subscribes its market's streams on it),
 * one pid lock, one trade history and the budget cap; each ladder has its
 * own journal (`markets/<SYMBOL>/journal.jsonl`), so a kill -9 recovery is
 * exact per market. A market whose book closes is paused until it reopens,
 * a ladder that fails is paused and reported; the others go on.
 * `rung stop --market <SYMBOL>` stops one (see runtime/multi/).
 */
import { join } from 'node:path'
import {
  addDecimals,
  type BackpackClient,
  loadMarketRules,
  type MarketRule,
  type MarketRules,
} from '@rung/backpack-sdk'
import type { Sim } from '@rung/backpack-sim'
import {
  initialState,
  isLadderConfigError,
  type LadderState,
} from '@rung/ladder-strategy'
import type { CommandContext } from '../config/context.js'
import {
  checkMarketsListed,
  type MarketEntry,
  type MarketsConfig,
} from '../config/markets.js'
import { toStrategyRules } from '../config/strategy.js'
import type { DashboardServer } from '../dashboard/server.js'
import { ConfigError, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import {
  failureReason,
  lateLogSink,
  type MarketsNotifications,
} from '../notify/notifications.js'
import { resolveNotifyChannels } from '../notify/notifyConfig.js'
import { unreachable } from '../runtime/exchange/exchangeErrors.js'
import {
  DRY_RUN_HISTORY_FILE,
  HISTORY_FILE,
  openHistory,
} from '../runtime/history/historyStore.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import { acquireLock } from '../runtime/lock.js'
import { createBudget } from '../runtime/multi/budget.js'
import { clientIdSlots } from '../runtime/multi/clientIds.js'
import {
  type LadderDeps,
  type LadderRun,
  type MarketOutcome,
  runLadder,
} from '../runtime/multi/ladders.js'
import {
  createMarketsStatus,
  type MarketsStatus,
} from '../runtime/multi/marketsStatus.js'
import {
  type OpenBookWaits,
  sharedOpenBookWaits,
  watchBookStates,
} from '../runtime/multi/pause.js'
import { shareStream, watchStopFiles } from '../runtime/multi/shared.js'
import { errorFields, type Logger } from '../ui/logger.js'
import {
  marketsView,
  runNotifications,
  showTotal,
  startMarketsDashboard,
  tellConnection,
  tellStopped,
  withRunSinks,
} from './marketsSinks.js'
import {
  createTradeLogger,
  restClientFor,
  type StartedHandle,
  startPaperSim,
  streamClientFor,
  type TradeOptions,
  type TradingKeys,
  tradingKeys,
  watchSignals,
} from './tradeSetup.js'

export type { MarketOutcome } from '../runtime/multi/ladders.js'

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
  const symbols = config.markets.map((m) => m.symbol)
  const setupOptions = { ...options, mode: paper ? 'paper' : 'live' } as const
  const keys = tradingKeys(ctx, io, setupOptions)
  // The notify channels' secrets, read before anything is sent.
  const channels = resolveNotifyChannels(settings.notify, io.env, ctx.redactor)
  const lock = acquireLock(settings.dataDir)
  const { view, notifyLog, logger, alerts } = runLogger(
    ctx,
    io,
    options,
    config,
  )
  let sim: Sim | undefined
  let history: HistoryStore | undefined
  let status: MarketsStatus | undefined
  let dashboard: DashboardServer | undefined
  let notify: MarketsNotifications | undefined
  // The markets whose "bot stopped" was sent (a failure of the run tells the others).
  const told = new Set<string>()
  let openBooks: OpenBookWaits | undefined
  let closeStream = async () => {}
  let unwatch = () => {}
  let unsubscribeSignals = () => {}
  try {
    if (paper)
      // Live market data: every market mirrored on one public upstream stream.
      sim = await startPaperSim(ctx, symbols, setupOptions, logger)
    const baseUrl = sim?.url ?? settings.baseUrl
    const wsUrl = sim?.wsUrl ?? settings.wsUrl
    const mode = ctx.dryRun ? 'dry-run' : paper ? 'paper' : 'live'
    notify = runNotifications(ctx, options, { channels, logger, symbols, mode })
    notifyLog.attach(notify)
    const { client, rules } = await connectMarkets(
      config,
      { baseUrl, keys, logger },
      options,
    )
    // One WebSocket connection for every market's streams.
    const connection = streamClientFor(ctx, { wsUrl, keys, logger })
    const untell = tellConnection(notify, connection)
    closeStream = () => {
      untell() // the run's own close is no outage
      return connection.close()
    }
    const budget = createBudget(config.maxTotalAmount, Date.now)
    history = openHistory(
      join(settings.dataDir, ctx.dryRun ? DRY_RUN_HISTORY_FILE : HISTORY_FILE),
    )
    const pages = await startMarketsDashboard(ctx, io, logger, options, {
      markets: config.markets,
      history,
    })
    dashboard = pages.dashboard
    status = createMarketsStatus(
      settings.dataDir,
      symbols,
      lock.token,
      budget,
      showTotal(pages.summary, view, alerts),
      notify && (() => notify?.stats()),
    )
    const fanout = withRunSinks(status, pages.feeds, (symbol) =>
      sim?.marketData(symbol),
    )
    let fatal: ExitError | undefined
    const ladders: LadderRun[] = []
    const stopAll = () => {
      for (const l of ladders) l.stop()
    }
    // The paused ladders wait on the book-state watch's one poll.
    openBooks = sharedOpenBookWaits()
    const deps: LadderDeps = {
      client,
      rules,
      openBooks,
      stream: shareStream(connection),
      // Each market's client ids live in its own slot of the account's.
      slots: clientIdSlots(settings.dataDir, symbols),
      budget,
      status: fanout,
      history,
      logger,
      onRecords: notify && ((symbol, r) => notify?.market(symbol)?.records(r)),
      dataDir: settings.dataDir,
      journalName: ctx.dryRun ? 'journal.dry-run.jsonl' : 'journal.jsonl',
      retire: paper,
      onFatal: (error) => {
        // The key is refused: no market can trade; stop them all.
        fatal ??= error
        stopAll()
      },
      policy: { mode, ...sharedPolicy(settings) },
    }
    for (const entry of config.markets) {
      const ladder = runLadder(entry, deps)
      budget.register(entry.symbol, () => ladder.state())
      ladders.push(ladder)
      // Each market says when its ladder ends (the others may go on); a
      // refused key ends the run, and the catch below tells every market.
      void ladder.done.then((m) => {
        if (!fatal) tellStopped(notify, told, m)
      }, ignoreRejection)
    }
    unwatch = watchLadders(ladders, deps, settings.monitorIntervalMs)
    // One stop for every ladder (Ctrl-C, `rung stop`, the start hook).
    const all = { stop: stopAll }
    unsubscribeSignals = watchSignals(io, all, logger, () => lock.release())
    options.onStarted?.(
      startedHandle(all, ladders, sim, settings.dataDir, dashboard?.url),
    )
    const result = await settle(ladders)
    if (fatal) throw fatal
    logger.info('bye', {
      realisedProfit: result.realisedProfit,
      cycles: result.cycles,
    })
    return result
  } catch (error) {
    if (!(error instanceof ExitError))
      logger.error('the bot failed', errorFields(error))
    for (const entry of config.markets)
      if (!told.has(entry.symbol))
        notify?.market(entry.symbol)?.stopped(failureReason(error), undefined)
    throw error
  } finally {
    openBooks?.close()
    unwatch()
    unsubscribeSignals()
    view?.stop()
    await dashboard?.close()
    status?.close()
    await closeStream().catch(() => {})
    history?.close()
    await notify?.close()
    await sim?.close()
    lock.release()
  }
}

/**
 * The run's terminal view (on a TTY), its logger (lines to notifications
 * once they start) and the config's warnings logged.
 */
function runLogger(
  ctx: CommandContext,
  io: CliIo,
  options: TradeOptions,
  config: MarketsConfig,
) {
  const view = marketsView(ctx, io, options.fps)
  const notifyLog = lateLogSink()
  const { logger, alerts } = createTradeLogger(
    ctx,
    io,
    view !== undefined,
    notifyLog.onRecord,
  )
  for (const w of [...ctx.warnings, ...config.warnings]) logger.warn(w)
  if (ctx.settings.sellNonUsdcAssets)
    logger.warn(
      'actions.sellNonUsdcAssets is off with several markets: a leftover of one market may be another ladder’s position',
    )
  return { view, notifyLog, logger, alerts }
}

/** A ladder's failure to start is `settle`'s to report: nothing to do here. */
const ignoreRejection = () => {}

/**
 * The one REST client (every ladder's requests share its rate limits) and
 * the exchange's market rules, with every listed market checked and every
 * ladder's config checked against its market before any ladder starts.
 * @throws {ConfigError} on an unlisted market or a config that does not fit.
 * @throws {ExitError} when the exchange cannot be reached.
 */
async function connectMarkets(
  config: MarketsConfig,
  at: { baseUrl: string; keys: TradingKeys; logger: Logger },
  options: TradeOptions,
): Promise<{ client: BackpackClient; rules: MarketRules }> {
  const { baseUrl, keys, logger } = at
  const client = restClientFor(baseUrl, keys, logger, options)
  const rules = await loadMarketRules(client).catch((error: unknown) => {
    throw unreachable(error, baseUrl) ?? error
  })
  checkMarketsListed(config.markets, Object.keys(rules))
  for (const entry of config.markets) checkFits(entry, rules)
  return { client, rules }
}

/** The policies every ladder shares, from the bot's settings. */
function sharedPolicy(
  settings: CommandContext['settings'],
): Omit<LadderDeps['policy'], 'mode'> {
  const { onStop, monitorIntervalMs, checkOrdersIntervalMs } = settings
  return {
    onStop,
    monitorIntervalMs,
    checkOrdersIntervalMs,
    sellNonUsdcMinValue: settings.sellNonUsdcMinValue,
    cancelAllOrders: settings.cancelAllOrders,
  }
}

/**
 * Refuses, before anything is sent, an entry whose config does not fit its
 * market (the strategy's own check, naming the entry).
 * @throws {ConfigError} naming the entry (`markets[1]`) and the fix.
 */
function checkFits(
  entry: MarketEntry,
  rules: Readonly<Record<string, MarketRule>>,
): void {
  const rule = rules[entry.symbol] as MarketRule
  try {
    initialState(entry.config, toStrategyRules(rule))
  } catch (error) {
    if (isLadderConfigError(error))
      throw new ConfigError(
        entry.field,
        `The ${entry.field} config does not fit the market ${entry.symbol}: ${error.message}`,
        { cause: error },
      )
    throw error
  }
}

/**
 * Watches what stops or pauses one ladder while the others go on: its
 * `rung stop --market` file, and its order book's state. Returns the unwatch.
 */
function watchLadders(
  ladders: readonly LadderRun[],
  deps: LadderDeps,
  monitorIntervalMs: number,
): () => void {
  const { client, logger, dataDir } = deps
  const symbols = ladders.map((l) => l.symbol)
  const ladderOf = (symbol: string) => ladders.find((l) => l.symbol === symbol)
  const unwatchStops = watchStopFiles(dataDir, symbols, (symbol) => {
    logger.info('rung stop --market: stopping this ladder', { market: symbol })
    ladderOf(symbol)?.stop()
  })
  const unwatchBooks = watchBookStates(
    client,
    symbols,
    monitorIntervalMs,
    (symbol, state) =>
      ladderOf(symbol)?.pause(`the ${symbol} order book is ${state}`),
    logger,
    (markets) => deps.openBooks.seen(markets),
  )
  return () => {
    unwatchStops()
    unwatchBooks()
  }
}

/** What `onStarted` is given: the whole run, and each ladder on its own. */
function startedHandle(
  all: { stop(): void },
  ladders: readonly LadderRun[],
  sim: Sim | undefined,
  dataDir: string,
  dashboardUrl: string | undefined,
): StartedHandle {
  return {
    stop: () => all.stop(),
    // The first market's state (`ladders` has each one's).
    state: () => ladders[0]?.state() as LadderState,
    sim,
    dataDir,
    dashboardUrl,
    ladders: Object.fromEntries(
      ladders.map((l) => [
        l.symbol,
        { stop: () => l.stop(), state: () => l.state() as LadderState },
      ]),
    ),
  }
}

/** Waits for every ladder (each pauses and resumes on its own) and sums them up. */
async function settle(ladders: readonly LadderRun[]): Promise<MarketsOutcome> {
  const markets = await Promise.all(ladders.map((l) => l.done))
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
