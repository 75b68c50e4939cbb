/**
 * `rung run` and `rung paper`: composes the config, the SDK client, the
 * market rules, the journal, the logger, the status view and the loop. In
 * paper mode the simulator is started in-process first and the very same bot
 * talks to it over real HTTP and WebSocket on 127.0.0.1.
 */
import { join } from 'node:path'
import {
  createBackpackClient,
  createStreamClient,
  generateKeyPair,
  loadMarketRules,
} from '@rung/backpack-sdk'
import { type Sim, startSim } from '@rung/backpack-sim'
import { isLadderConfigError, type LadderState } from '@rung/ladder-strategy'
import type { Command } from 'commander'
import {
  type CommandContext,
  credentialsFor,
  requireCredentials,
} from '../config/context.js'
import { toStrategyRules, validateStrategy } from '../config/strategy.js'
import { ConfigError, EXIT, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import { createDryRunExecutor } from '../runtime/dryRunExecutor.js'
import type { ExchangeClient } from '../runtime/exchange.js'
import { unreachable } from '../runtime/exchangeErrors.js'
import {
  HISTORY_FILE,
  type HistoryStore,
  openHistory,
} from '../runtime/historyStore.js'
import { openJournal, retireJournal } from '../runtime/journal.js'
import { createLiveExecutor } from '../runtime/liveExecutor.js'
import { acquireLock } from '../runtime/lock.js'
import { startBot } from '../runtime/loop/bot.js'
import type { BotOutcome } from '../runtime/loop/botTypes.js'
import { createStatusWriter, type StatusWriter } from '../runtime/statusFile.js'
import { createStreamFeed } from '../runtime/streamFeed.js'
import { createLogger, errorFields, type Logger } from '../ui/logger.js'
import { createStatusView, type StatusSnapshot } from '../ui/statusView.js'
import type { CommandEnv } from './command.js'

/** Signals this close to the first one count as the same Ctrl-C (ms). */
const SIGNAL_DEBOUNCE_MS = 500

/** What `onStarted` receives. */
export interface StartedHandle {
  /** Requests a graceful stop. */
  stop(): void
  /** The current strategy state. */
  state(): LadderState
  /** The in-process simulator (paper mode). */
  sim: Sim | undefined
  /** The data directory. */
  dataDir: string
}

/** Options of {@link runTrading}. */
export interface TradeOptions {
  /** `live` trades on `baseUrl`; `paper` starts the simulator first. */
  mode: 'live' | 'paper'
  /** `--key-file`. */
  keyFile?: string | undefined
  /** Paper mode: simulator options merged over the defaults (tests: manual feed, faults). */
  simOptions?: Parameters<typeof startSim>[0] | undefined
  /** Called once the bot runs (tests: drive the simulator, stop the bot). */
  onStarted?: ((handle: StartedHandle) => void) | undefined
  /**
   * SDK client overrides (tests: a short signing window so an ambiguous
   * order's lookup does not wait 6 s).
   */
  clientOptions?: { windowMs?: number | undefined } | undefined
  /** Status view refresh rate. @default 4 */
  fps?: number | undefined
}

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
  const { settings, redactor } = ctx
  const paper = options.mode === 'paper'
  const { config, warnings: strategyWarnings } = validateStrategy(ctx.raw)

  let apiKey: string
  let secretKey: string
  if (paper) {
    const pair = generateKeyPair()
    apiKey = pair.publicKey
    secretKey = pair.secretKey
    redactor.addSecret(secretKey)
    redactor.addPublic(apiKey)
  } else {
    const creds = ctx.dryRun
      ? credentialsFor(ctx, io.env, options.keyFile)
      : requireCredentials(ctx, io.env, options.keyFile)
    apiKey = creds?.apiKey ?? ''
    secretKey = creds?.secretKey ?? ''
  }

  // One bot per data directory, taken before anything is sent.
  const lock = acquireLock(settings.dataDir)
  const view =
    io.stdout.isTTY && !ctx.json
      ? createStatusView(io.stdout as NodeJS.WriteStream, {
          fps: options.fps ?? 4,
        })
      : undefined
  // With the status view on, warnings and errors are shown in its event list
  // (the full log is in the files).
  const alerts: string[] = []
  const logger = createLogger({
    format: settings.logFormat,
    level: settings.logLevel,
    write: view ? false : (line) => io.stdout.write(`${line}\n`),
    dir: join(settings.dataDir, 'logs'),
    redactor,
    onRecord: (record) => {
      if (!view || (record.level !== 'warn' && record.level !== 'error')) return
      alerts.push(`${record.time.slice(11, 19)} ! ${record.msg}`)
      if (alerts.length > 6) alerts.shift()
    },
  })
  for (const w of [...ctx.warnings, ...strategyWarnings]) logger.warn(w)

  let sim: Sim | undefined
  let journal: ReturnType<typeof openJournal> | undefined
  let history: HistoryStore | undefined
  let statusWriter: StatusWriter | undefined
  let unsubscribeSignals = () => {}
  try {
    let baseUrl = settings.baseUrl
    let wsUrl = settings.wsUrl
    if (paper) {
      sim = await startSim({
        port: 0,
        seed: settings.paper.seed,
        feed: { mode: 'generated', speed: settings.paper.timeScale },
        balances: { USDC: settings.paper.quoteBalance },
        ...options.simOptions,
      })
      baseUrl = sim.url
      wsUrl = sim.wsUrl
      if (settings.paper.startPrice !== undefined)
        sim.setPrice(config.symbol, settings.paper.startPrice)
      logger.info('paper trading: simulator started', {
        url: baseUrl,
        seed: settings.paper.seed,
        timeScale: settings.paper.timeScale,
      })
    }
    const mode = paper ? 'paper' : ctx.dryRun ? 'dry-run' : 'live'
    const client = createBackpackClient({
      baseUrl,
      ...(secretKey ? { apiKey, secretKey } : {}),
      logger: sdkLogger(logger),
      ...options.clientOptions,
    })
    // The first call: nothing answering there is a setup problem (exit 2).
    const rules = await loadMarketRules(client).catch((error: unknown) => {
      throw unreachable(error, baseUrl) ?? error
    })
    const rule = rules[config.symbol]
    if (rule === undefined) {
      throw new ExitError(
        EXIT.usage,
        `The market ${config.symbol} does not exist on ${baseUrl}.\nFix: set trading.tradingCoin to a listed coin (see \`rung markets\`).`,
      )
    }
    const setup = { config, market: toStrategyRules(rule) }
    const now = Date.now
    const exchange: ExchangeClient = client
    const executor = ctx.dryRun
      ? createDryRunExecutor({
          client: exchange,
          symbol: config.symbol,
          market: rule,
          markets: Object.values(rules),
          logger,
          now,
        })
      : createLiveExecutor({
          client: exchange,
          market: rule,
          markets: Object.values(rules),
          cancelAllOrders: settings.cancelAllOrders,
          logger,
          now,
        })
    let fatal: ExitError | undefined
    const stream = createStreamClient({
      url: wsUrl,
      ...(secretKey && !ctx.dryRun ? { apiKey, secretKey } : {}),
      reconnect: settings.websocket.reconnect
        ? {
            initialDelayMs: settings.websocket.reconnectIntervalMs,
            maxAttempts:
              settings.websocket.maxReconnectAttempts === 0
                ? false
                : settings.websocket.maxReconnectAttempts,
          }
        : false,
      logger: sdkLogger(logger),
    })
    const feed = createStreamFeed({
      stream,
      symbol: config.symbol,
      logger,
      now,
      privateStreams: !ctx.dryRun,
      // The exchange refused the key on the private stream: stop (cancelling
      // what REST still can), then exit with that error.
      onFatal: (error) => {
        fatal ??= error
        bot.stop()
      },
    })
    // A dry run keeps its own journal: resuming it for real would send its
    // (stale) orders. A paper run starts a new simulator (and a new account)
    // every time, so there is nothing to resume: it starts a new journal.
    const journalPath = join(
      settings.dataDir,
      ctx.dryRun ? 'journal.dry-run.jsonl' : 'journal.jsonl',
    )
    // The previous paper session's journal goes to the archive: its
    // simulator is gone, but its record stays (history rebuilds read it).
    if (paper) retireJournal(journalPath)
    journal = openJournal(journalPath)
    // The trade history; a dry run sends nothing, so it records nothing.
    if (!ctx.dryRun) history = openHistory(join(settings.dataDir, HISTORY_FILE))
    if (journal.replay.tornTail)
      logger.warn(
        'dropped a torn last line of the journal (a crash during a write)',
      )

    statusWriter = createStatusWriter(settings.dataDir)
    const onStatus = (snapshot: StatusSnapshot) => {
      // Both lists start with HH:MM:SS (UTC) and are in order: a stable sort
      // on the time alone merges them.
      const events = [...snapshot.events, ...alerts]
        .sort((a, b) => a.slice(0, 8).localeCompare(b.slice(0, 8)))
        .slice(-6)
      view?.update({ ...snapshot, events })
      statusWriter?.update({
        ...snapshot,
        pid: process.pid,
        lockToken: lock.token,
        updatedAt: new Date().toISOString(),
      })
    }

    // Startup failures (market rules mismatch) are config errors: wrap them.
    let bot: ReturnType<typeof startBot>
    try {
      bot = startBot({
        setup,
        executor,
        feed,
        journal,
        logger,
        now,
        mode,
        sellNonUsdcAssets: settings.sellNonUsdcAssets,
        sellNonUsdcMinValue: settings.sellNonUsdcMinValue,
        onStop: settings.onStop,
        monitorIntervalMs: settings.monitorIntervalMs,
        checkOrdersIntervalMs: settings.checkOrdersIntervalMs,
        onStatus,
        history,
      })
    } catch (error) {
      if (isLadderConfigError(error))
        throw new ConfigError(
          'trading',
          `The config does not fit the market ${config.symbol}: ${error.message}`,
          { cause: error },
        )
      throw error
    }

    let firstSignalAt: number | undefined
    unsubscribeSignals = io.onSignal((signal) => {
      if (firstSignalAt === undefined) {
        firstSignalAt = Date.now()
        logger.info(`${signal}: stopping (again to force)`)
        bot.stop()
        return
      }
      // The same Ctrl-C can arrive twice within milliseconds (tsx relays it
      // to its child as well): only a signal after this window forces.
      if (Date.now() - firstSignalAt < SIGNAL_DEBOUNCE_MS) return
      // Second signal: leave now. The journal is consistent at every step,
      // so the next start resumes (and reconciles) whatever was in flight.
      logger.warn(
        `${signal} again: forced exit; open orders are left as they are`,
      )
      view?.stop()
      lock.release()
      process.exit(130)
    })
    options.onStarted?.({
      stop: () => bot.stop(),
      state: () => bot.state(),
      sim,
      dataDir: settings.dataDir,
    })

    const outcome = await bot.done
    if (fatal) throw fatal
    logger.info('bye', {
      realisedProfit: outcome.realisedProfit,
      cycles: outcome.state.totals.cycles,
    })
    return outcome
  } catch (error) {
    if (!(error instanceof ExitError))
      logger.error('the bot failed', errorFields(error))
    throw error
  } finally {
    unsubscribeSignals()
    view?.stop()
    statusWriter?.close()
    journal?.close()
    history?.close()
    await sim?.close()
    lock.release()
  }
}

/** Adapts the bot's logger to the SDK's optional logger interface. */
function sdkLogger(logger: Logger) {
  return {
    debug: (message: string, context?: Record<string, unknown>) =>
      logger.debug(message, context),
    warn: (message: string, context?: Record<string, unknown>) =>
      logger.warn(message, context),
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
  const { io } = env
  const withContext = env.context
  const trade = async (
    command: Command,
    mode: 'live' | 'paper',
    keyFile?: string,
  ) => {
    const ctx = withContext(command, mode)
    const outcome = await runTrading(ctx, io, { mode, keyFile, ...hooks() })
    if (ctx.json)
      io.stdout.write(
        `${JSON.stringify({ result: outcome.reason, realisedProfit: outcome.realisedProfit, cycles: outcome.state.totals.cycles })}\n`,
      )
  }

  program
    .command('paper')
    .description(
      'paper trading: start the built-in simulator and run the bot against it (no keys, no money)',
    )
    .action(async (_options, command: Command) => trade(command, 'paper'))

  program
    .command('run')
    .description(
      'trade for real on Backpack (needs a config file and API keys)',
    )
    .option(
      '--key-file <file>',
      'JSON key file { "apiKey", "secretKey" }, mode 0600',
    )
    .action(async (options: { keyFile?: string }, command: Command) =>
      trade(command, 'live', options.keyFile),
    )
}

/** Test hooks passed through to `runTrading` (simulator options, start callback). */
export type TradeHooks = Pick<
  TradeOptions,
  'simOptions' | 'onStarted' | 'fps' | 'clientOptions'
>
