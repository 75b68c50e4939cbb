/**
 * The pieces `runTrading` composes for `rung run` and `rung paper`: the
 * keys, the logger, the paper simulator, the exchange (market rules and
 * executor), the stream feed, the journal, the loop and the signal handling.
 */
import { join } from 'node:path'
import {
  type BackpackClient,
  createBackpackClient,
  createNodeFetch,
  createStreamClient,
  generateKeyPair,
  loadMarketRules,
  type MarketRule,
  type StreamClient,
} from '@rung/backpack-sdk'
import { type Sim, SimError, startSim } from '@rung/backpack-sim'
import { isLadderConfigError, type LadderState } from '@rung/ladder-strategy'
import { type CommandContext, requireCredentials } from '../config/context.js'
import { ConfigError, EXIT, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import type { NotificationsOptions } from '../notify/notifications.js'
import type { ExchangeClient } from '../runtime/exchange/exchange.js'
import { unreachable } from '../runtime/exchange/exchangeErrors.js'
import { createLiveExecutor } from '../runtime/exchange/liveExecutor.js'
import { createStreamFeed } from '../runtime/exchange/streamFeed.js'
import {
  afterWriteAhead,
  type Journal,
  openJournal,
  retireJournal,
} from '../runtime/journal.js'
import { startBot } from '../runtime/loop/bot.js'
import type { Bot, BotOptions } from '../runtime/loop/botTypes.js'
import type { Executor, MarketFeed } from '../runtime/ports.js'
import { createLogger, type Logger, type LogRecord } from '../ui/logger.js'

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
  /** The dashboard's URL (token included), unless `--no-ui`. */
  dashboardUrl: string | undefined
  /** A multi-market run: each market's ladder (`stop` stops that one only). */
  ladders?: Record<string, { stop(): void; state(): LadderState }> | undefined
}

/** Options of {@link runTrading}. */
export interface TradeOptions extends SetupOptions {
  /** Called once the bot runs (tests: drive the simulator, stop the bot). */
  onStarted?: ((handle: StartedHandle) => void) | undefined
  /** Status view refresh rate. @default 4 */
  fps?: number | undefined
  /** Serve the dashboard (`--no-ui` turns it off). @default true */
  ui?: boolean | undefined
  /** `--ui-port`: the dashboard's port on 127.0.0.1. @default the previous run's, else a free one */
  uiPort?: number | undefined
}

/** What the setup reads of `runTrading`'s options. */
export interface SetupOptions {
  /** `live` trades on `baseUrl`; `paper` starts the simulator first. */
  mode: 'live' | 'paper'
  /** `--key-file`. */
  keyFile?: string | undefined
  /** Paper mode: simulator options merged over the defaults (tests: manual feed, faults). */
  simOptions?: Parameters<typeof startSim>[0] | undefined
  /**
   * SDK client overrides (tests: a short signing window so an ambiguous
   * order's lookup does not wait 6 s).
   */
  clientOptions?: { windowMs?: number | undefined } | undefined
  /** Notification timing overrides (tests: short retry delays and checks). */
  notifyTiming?: NotificationsOptions['timing']
}

/** The API key pair the bot signs with. */
export interface TradingKeys {
  /** Public key (base64). */
  apiKey: string
  /** Secret key (base64). */
  secretKey: string
}

/**
 * The keys: a fresh pair for paper trading and dry runs (registered with the
 * redactor), the configured ones otherwise.
 * @throws {ConfigError} when a live run has no credentials.
 */
export function tradingKeys(
  ctx: CommandContext,
  io: CliIo,
  options: SetupOptions,
): TradingKeys {
  if (options.mode === 'paper') {
    const pair = generateKeyPair()
    ctx.redactor.addSecret(pair.secretKey)
    ctx.redactor.addPublic(pair.publicKey)
    return { apiKey: pair.publicKey, secretKey: pair.secretKey }
  }
  const creds = requireCredentials(ctx, io.env, options.keyFile)
  return { apiKey: creds.apiKey, secretKey: creds.secretKey }
}

/**
 * The bot's logger (console and daily files). With the status view on,
 * warnings and errors are shown in its event list instead of the console
 * (the full log is in the files): `alerts` holds their last lines.
 */
export function createTradeLogger(
  ctx: CommandContext,
  io: CliIo,
  withView: boolean,
  onRecord?: (record: LogRecord) => void,
): { logger: Logger; alerts: string[] } {
  const { settings } = ctx
  const alerts: string[] = []
  const logger = createLogger({
    format: settings.logFormat,
    level: settings.logLevel,
    write: withView ? false : (line) => io.stdout.write(`${line}\n`),
    dir: join(settings.dataDir, 'logs'),
    redactor: ctx.redactor,
    onRecord: (record) => {
      onRecord?.(record)
      if (!withView || (record.level !== 'warn' && record.level !== 'error'))
        return
      alerts.push(`${record.time.slice(11, 19)} ! ${record.msg}`)
      if (alerts.length > 6) alerts.shift()
    },
  })
  return { logger, alerts }
}

/**
 * Paper mode (and dry runs): starts the simulator in-process on 127.0.0.1
 * (port 0), on a generated price walk, or mirroring the real market's public
 * data at `bot.baseUrl` / `websocket.url` (a dry run always does).
 * @param symbols - The bot's market, or a multi-market run's markets (all
 *   mirrored on one upstream stream; the first gets `paper.startPrice`).
 * @throws {ExitError} when the live market data cannot be read.
 */
export async function startPaperSim(
  ctx: CommandContext,
  symbols: string | readonly string[],
  options: SetupOptions,
  logger: Logger,
): Promise<Sim> {
  const { paper, baseUrl, wsUrl, websocket } = ctx.settings
  const live = ctx.dryRun || paper.marketData === 'live'
  const list = typeof symbols === 'string' ? [symbols] : symbols
  const symbol = list[0] ?? 'BTC_USDC'
  const sim = await startSim({
    port: 0,
    seed: paper.seed,
    feed: live
      ? {
          mode: 'mirror',
          baseUrl,
          wsUrl,
          symbol,
          ...(list.length > 1 ? { symbols: list } : {}),
          fillModel: paper.fillModel,
          reconnectDelayMs: websocket.reconnectIntervalMs,
        }
      : { mode: 'generated', speed: paper.timeScale },
    balances: { USDC: paper.quoteBalance },
    // The mirror's lines (following, stale, live again) go to the bot's log.
    ...(live
      ? {
          logger: {
            info: (message: string) => logger.info(message),
            warn: (message: string) => logger.warn(message),
          },
        }
      : {}),
    ...options.simOptions,
  }).catch((error: unknown) => {
    if (!live || !(error instanceof SimError)) throw error
    throw new ExitError(
      EXIT.usage,
      `Paper trading on live market data: ${error.message}.\nFix: check --base-url / --ws-url (or bot.baseUrl / websocket.url) and the network; \`rung paper\` without --market-data live runs offline.`,
      { cause: error },
    )
  })
  if (!live && paper.startPrice !== undefined)
    sim.setPrice(symbol, paper.startPrice)
  logger.info(
    live
      ? `paper trading on live market data from ${baseUrl}: simulator started (simulated fills; nothing is sent there)`
      : 'paper trading: simulator started',
    live
      ? { url: sim.url, fillModel: paper.fillModel }
      : { url: sim.url, seed: paper.seed, timeScale: paper.timeScale },
  )
  return sim
}

/** Where and as whom the bot talks to the exchange. */
export interface ExchangeTarget {
  /** REST origin. */
  baseUrl: string
  /** The key pair. */
  keys: TradingKeys
  /** The bot's market. */
  symbol: string
  /** Logger (the SDK's debug and warn lines go to it). */
  logger: Logger
}

/**
 * The SDK client, the market rules (the first call: nothing answering is a
 * setup problem, exit 2) and the live executor (on the in-process
 * simulator for paper trading and dry runs).
 * @throws {ExitError} when the exchange cannot be reached or the market does not exist.
 */
export async function connectExchange(
  ctx: CommandContext,
  target: ExchangeTarget,
  options: SetupOptions,
): Promise<{ rule: MarketRule; executor: Executor }> {
  const { baseUrl, keys, symbol, logger } = target
  const client = restClientFor(baseUrl, keys, logger, options)
  // The first call: nothing answering there is a setup problem (exit 2).
  const rules = await loadMarketRules(client).catch((error: unknown) => {
    throw unreachable(error, baseUrl) ?? error
  })
  const rule = rules[symbol]
  if (rule === undefined) {
    throw new ExitError(
      EXIT.usage,
      `The market ${symbol} does not exist on ${baseUrl}.\nFix: set trading.tradingCoin to a listed coin (see \`rung markets\`).`,
    )
  }
  const now = Date.now
  const exchange: ExchangeClient = client
  // A dry run trades on the in-process simulator: the live executor there.
  const executor = createLiveExecutor({
    client: exchange,
    market: rule,
    markets: Object.values(rules),
    cancelAllOrders: ctx.settings.cancelAllOrders,
    logger,
    now,
  })
  return { rule, executor }
}

/**
 * The stream feed (the private order updates need the keys; a dry run
 * subscribes to prices only). `onFatal` is called when the exchange refuses
 * the key on the private stream.
 */
export function createFeed(
  ctx: CommandContext,
  target: { wsUrl: string; keys: TradingKeys; symbol: string; logger: Logger },
  onFatal: (error: ExitError) => void,
): MarketFeed {
  return createStreamFeed({
    stream: streamClientFor(ctx, target),
    symbol: target.symbol,
    logger: target.logger,
    now: Date.now,
    privateStreams: true,
    onFatal,
  })
}

/** The SDK stream client of a run, with the config's reconnect policy. */
export function streamClientFor(
  ctx: CommandContext,
  target: { wsUrl: string; keys: TradingKeys; logger: Logger },
): StreamClient {
  const { websocket } = ctx.settings
  return createStreamClient({
    url: target.wsUrl,
    ...target.keys,
    reconnect: websocket.reconnect
      ? {
          initialDelayMs: websocket.reconnectIntervalMs,
          maxAttempts:
            websocket.maxReconnectAttempts === 0
              ? false
              : websocket.maxReconnectAttempts,
        }
      : false,
    logger: sdkLogger(target.logger),
  })
}

/**
 * Opens the session's journal. A dry run keeps its own journal: resuming it
 * for real would send its (stale) orders. A paper run starts a new simulator
 * (and a new account) every time, so there is nothing to resume: the
 * previous paper session's journal goes to the archive (history rebuilds
 * read it) and a new one starts. A torn last line (a crash during a
 * write) is dropped, and the log says so.
 */
export function openSessionJournal(
  ctx: CommandContext,
  paper: boolean,
  logger: Logger,
): Journal {
  const journalPath = join(
    ctx.settings.dataDir,
    ctx.dryRun ? 'journal.dry-run.jsonl' : 'journal.jsonl',
  )
  if (paper) retireJournal(journalPath)
  const journal = openJournal(journalPath)
  if (journal.replay.tornTail)
    logger.warn(
      'dropped a torn last line of the journal (a crash during a write)',
    )
  return journal
}

/**
 * Starts the loop; a startup failure of the strategy (the market rules do
 * not fit the config) becomes a config error.
 * @throws {ConfigError} when the config does not fit the market.
 */
export function launchBot(options: BotOptions): Bot {
  try {
    return startBot(options)
  } catch (error) {
    if (isLadderConfigError(error))
      throw new ConfigError(
        'trading',
        `The config does not fit the market ${options.setup.config.symbol}: ${error.message}`,
        { cause: error },
      )
    throw error
  }
}

/**
 * Ctrl-C and `rung stop`: the first signal stops the bot gracefully; a
 * second one (after {@link SIGNAL_DEBOUNCE_MS}) forces the exit, after
 * `beforeForcedExit`.
 * @returns Unsubscribes the handler.
 */
export function watchSignals(
  io: CliIo,
  bot: Pick<Bot, 'stop'>,
  logger: Logger,
  beforeForcedExit: () => void,
): () => void {
  let firstSignalAt: number | undefined
  return io.onSignal((signal) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now()
      logger.info(`${signal}: stopping (again to force)`)
      bot.stop()
      return
    }
    // The same Ctrl-C can arrive twice within milliseconds (npm forwards it
    // to its child as well): only a signal after this window forces.
    if (Date.now() - firstSignalAt < SIGNAL_DEBOUNCE_MS) return
    // Second signal: leave now. The journal is consistent at every step,
    // so the next start resumes (and reconciles) whatever was in flight.
    logger.warn(
      `${signal} again: forced exit; open orders are left as they are`,
    )
    beforeForcedExit()
    process.exit(130)
  })
}

/**
 * The run's one SDK client. Its transport is `createNodeFetch`: Node's
 * `fetch` closes a connection after every cancel (a DELETE with a body),
 * so the sell and cancels of a take profit would open new ones; with it,
 * every request reuses the open connections. `afterWriteAhead` holds each
 * request until the journal lines written so far are on disk.
 */
export function restClientFor(
  baseUrl: string,
  keys: TradingKeys,
  logger: Logger,
  options: Pick<TradeOptions, 'clientOptions'>,
): BackpackClient {
  return createBackpackClient({
    baseUrl,
    ...(keys.secretKey ? keys : {}),
    logger: sdkLogger(logger),
    fetch: afterWriteAhead(createNodeFetch()),
    ...options.clientOptions,
  })
}

/** Adapts the bot's logger to the SDK's optional logger interface. */
export function sdkLogger(logger: Logger) {
  return {
    debug: (message: string, context?: Record<string, unknown>) =>
      logger.debug(message, context),
    warn: (message: string, context?: Record<string, unknown>) =>
      logger.warn(message, context),
  }
}
