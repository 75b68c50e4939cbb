/**
 * `rung run` and `rung paper`: composes the config, the SDK client, the
 * market rules, the journal, the logger, the status view and the loop. In
 * paper mode the simulator is started in-process first and the very same bot
 * talks to it over real HTTP and WebSocket on 127.0.0.1.
 */
import { join } from 'node:path'
import type { Sim } from '@rung/backpack-sim'
import type { Command } from 'commander'
import type { CommandContext } from '../config/context.js'
import { validateMarkets } from '../config/markets.js'
import { toStrategyRules, validateStrategy } from '../config/strategy.js'
import type { DashboardServer } from '../dashboard/server.js'
import { ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import {
  failureReason,
  lateLogSink,
  type Notifications,
  startNotifications,
} from '../notify/notifications.js'
import { resolveNotifyChannels } from '../notify/notifyConfig.js'
import {
  DRY_RUN_HISTORY_FILE,
  HISTORY_FILE,
  openHistory,
} from '../runtime/history/historyStore.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import type { Journal } from '../runtime/journal.js'
import { acquireLock } from '../runtime/lock.js'
import type { BotOutcome } from '../runtime/loop/botTypes.js'
import { createStatusWriter, type StatusWriter } from '../runtime/statusFile.js'
import { errorFields } from '../ui/logger.js'
import { createStatusView } from '../ui/statusView.js'
import { type CommandEnv, wholeNumber } from './command.js'
import { runMarkets } from './tradeMarkets.js'
import {
  connectExchange,
  createFeed,
  createTradeLogger,
  launchBot,
  openSessionJournal,
  startPaperSim,
  type TradeOptions,
  tradingKeys,
  watchSignals,
} from './tradeSetup.js'
import {
  createStatusFanout,
  dashboardFeedOf,
  type StatusFanout,
  serveDashboard,
} from './tradeStatus.js'

export type { StartedHandle, TradeOptions } from './tradeSetup.js'

// runMarkets (tradeMarkets.ts) opens like this on purpose: the same command
// arguments and paper/dry-run rule, for several markets.
/**
 * Runs the bot until it stops (strategy done, Ctrl-C, `rung stop`).
 * @throws {ConfigError} on a bad config or missing credentials (nothing sent).
 * @throws {ExitError} when the data directory is locked or the market is unknown.
 */
export async function runTrading(
  ctx: CommandContext,
  io: CliIo,
  options: TradeOptions,
): Promise<BotOutcome> {
  const { settings } = ctx
  // A dry run is paper trading on the configured market's live data.
  const paper = options.mode === 'paper' || ctx.dryRun
  const setupOptions = { ...options, mode: paper ? 'paper' : 'live' } as const
  const { config, warnings: strategyWarnings } = validateStrategy(ctx.raw)
  const keys = tradingKeys(ctx, io, setupOptions)
  // The notify channels' secrets, read before anything is sent.
  const channels = resolveNotifyChannels(settings.notify, io.env, ctx.redactor)

  // One bot per data directory, taken before anything is sent.
  const lock = acquireLock(settings.dataDir)
  const view =
    io.stdout.isTTY && !ctx.json
      ? createStatusView(io.stdout as NodeJS.WriteStream, {
          fps: options.fps ?? 4,
        })
      : undefined
  const notifyLog = lateLogSink()
  const { logger, alerts } = createTradeLogger(
    ctx,
    io,
    view !== undefined,
    notifyLog.onRecord,
  )
  for (const w of [...ctx.warnings, ...strategyWarnings]) logger.warn(w)

  let sim: Sim | undefined
  let journal: Journal | undefined
  let history: HistoryStore | undefined
  let statusWriter: StatusWriter | undefined
  let dashboard: DashboardServer | undefined
  let notify: Notifications | undefined
  let status: StatusFanout | undefined
  let unsubscribeSignals = () => {}
  try {
    if (paper)
      sim = await startPaperSim(ctx, config.symbol, setupOptions, logger)
    const baseUrl = sim?.url ?? settings.baseUrl
    const wsUrl = sim?.wsUrl ?? settings.wsUrl
    const mode = ctx.dryRun ? 'dry-run' : paper ? 'paper' : 'live'
    notify = startNotifications({
      settings: settings.notify,
      channels,
      logger,
      market: config.symbol,
      mode,
      redact: (text) => ctx.redactor.redact(text),
      timing: options.notifyTiming,
    })
    notifyLog.attach(notify?.events)
    const { rule, executor } = await connectExchange(
      ctx,
      { baseUrl, keys, symbol: config.symbol, logger },
      setupOptions,
    )
    const setup = { config, market: toStrategyRules(rule) }
    let fatal: ExitError | undefined
    const feed = createFeed(
      ctx,
      { wsUrl, keys, symbol: config.symbol, logger },
      (error) => {
        // The exchange refused the key on the private stream: stop
        // (cancelling what REST still can), then exit with that error.
        fatal ??= error
        bot.stop()
      },
    )
    journal = openSessionJournal(ctx, paper, logger)
    // The trade history (a dry run's paper fills go to their own file).
    history = openHistory(
      join(settings.dataDir, ctx.dryRun ? DRY_RUN_HISTORY_FILE : HISTORY_FILE),
    )

    const marketData = sim?.marketData() ? () => sim?.marketData() : undefined
    statusWriter = createStatusWriter(settings.dataDir)
    const feedModel = dashboardFeedOf(history, config.symbol)
    dashboard = await serveDashboard(ctx, io, logger, feedModel, options)
    status = createStatusFanout({
      view,
      alerts,
      notify,
      writer: statusWriter,
      lockToken: lock.token,
      feed: feedModel,
      marketData,
    })
    const { onStatus } = status

    const bot = launchBot({
      setup,
      executor,
      feed,
      journal,
      logger,
      now: Date.now,
      mode,
      sellNonUsdcAssets: settings.sellNonUsdcAssets,
      sellNonUsdcMinValue: settings.sellNonUsdcMinValue,
      onStop: settings.onStop,
      monitorIntervalMs: settings.monitorIntervalMs,
      checkOrdersIntervalMs: settings.checkOrdersIntervalMs,
      onStatus,
      history,
      onRecords: notify
        ? (records) => notify?.events.records(records)
        : undefined,
    })
    unsubscribeSignals = watchSignals(io, bot, logger, () => {
      view?.stop()
      lock.release()
    })
    options.onStarted?.({
      stop: () => bot.stop(),
      state: () => bot.state(),
      sim,
      dataDir: settings.dataDir,
      dashboardUrl: dashboard?.url,
    })

    const outcome = await bot.done
    if (fatal) throw fatal
    notify?.events.stopped(outcome.reason, outcome.realisedProfit)
    logger.info('bye', {
      realisedProfit: outcome.realisedProfit,
      cycles: outcome.state.totals.cycles,
    })
    return outcome
  } catch (error) {
    if (!(error instanceof ExitError))
      logger.error('the bot failed', errorFields(error))
    notify?.events.stopped(failureReason(error), undefined)
    throw error
  } finally {
    status?.close()
    unsubscribeSignals()
    view?.stop()
    statusWriter?.close()
    await dashboard?.close()
    journal?.close()
    history?.close()
    await notify?.close()
    await sim?.close()
    lock.release()
  }
}

/**
 * Registers `rung paper` and `rung run` on the program.
 * @param hooks - Test hooks (simulator options, start callback) read when a command runs.
 */
export function registerTrade(
  program: Command,
  env: CommandEnv,
  hooks: () => TradeHooks,
): void {
  const trade = async (
    command: Command,
    mode: 'live' | 'paper',
    options: UiFlags & { keyFile?: string },
  ) => {
    const ctx = env.context(command, mode)
    const tradeOptions: TradeOptions = {
      mode,
      keyFile: options.keyFile,
      ui: options.ui,
      uiPort:
        options.uiPort === undefined
          ? undefined
          : wholeNumber('--ui-port', options.uiPort, 0),
      ...hooks(),
    }
    const markets = validateMarkets(ctx.raw)
    if (markets.layout === 'markets' && markets.markets.length > 1) {
      const result = await runMarkets(ctx, env.io, tradeOptions, markets)
      if (ctx.json)
        env.io.stdout.write(
          `${JSON.stringify({ result: result.reason, realisedProfit: result.realisedProfit, cycles: result.cycles, markets: result.markets.map((m) => ({ market: m.symbol, paused: m.paused ?? null, realisedProfit: m.outcome?.realisedProfit ?? null })) })}\n`,
        )
      return
    }
    const outcome = await runTrading(ctx, env.io, tradeOptions)
    if (ctx.json)
      env.io.stdout.write(
        `${JSON.stringify({ result: outcome.reason, realisedProfit: outcome.realisedProfit, cycles: outcome.state.totals.cycles })}\n`,
      )
  }

  const uiFlags = (c: Command) =>
    c
      .option(
        '--ui-port <port>',
        "dashboard port on 127.0.0.1 (default: the previous run's, else a free one)",
      )
      .option('--no-ui', 'do not serve the dashboard')

  uiFlags(
    program
      .command('paper')
      .description(
        'paper trading: start the built-in simulator and run the bot against it (no keys, no money)',
      )
      .option(
        '--market-data <source>',
        'generated (a seeded price walk) | live (the real market at --base-url / --ws-url, public data only, simulated fills)',
      )
      .option(
        '--fill-model <model>',
        'live market data: trade (fills when a real trade prints at or through the price) | queue (after the size ahead has traded)',
      ),
  ).action(async (options: UiFlags, command: Command) =>
    trade(command, 'paper', options),
  )

  uiFlags(
    program
      .command('run')
      .description(
        'trade for real on Backpack (needs a config file and API keys)',
      )
      .option(
        '--key-file <file>',
        'JSON key file { "apiKey", "secretKey" }, mode 0600',
      )
      .option(
        '--fill-model <model>',
        'with --dry-run: trade (fills when a real trade prints at or through the price) | queue (after the size ahead has traded)',
      ),
  ).action(async (options: UiFlags & { keyFile?: string }, command: Command) =>
    trade(command, 'live', options),
  )
}

/** The dashboard flags of `rung paper` and `rung run`. */
interface UiFlags {
  /** `--no-ui` sets it false. */
  ui?: boolean
  /** `--ui-port`. */
  uiPort?: string
}

/** Test hooks passed through to `runTrading` (simulator options, start callback). */
export type TradeHooks = Pick<
  TradeOptions,
  'simOptions' | 'onStarted' | 'fps' | 'clientOptions' | 'notifyTiming'
>
