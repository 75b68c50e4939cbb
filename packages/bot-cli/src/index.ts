/**
 * `@rung/bot-cli`: the `rung` command (paper trading by default, crash-safe
 * live trading) and the pieces it is built from, for people who want to
 * embed the bot.
 *
 * What lives where:
 * - **CLI**: {@link main} runs `rung <command>` with injected I/O ({@link CliIo}).
 * - **Config and secrets**: {@link readConfigFile}, {@link parseBotSettings},
 *   {@link validateMarkets} (one ladder or a `markets` list),
 *   {@link resolveCredentials}, {@link createRedactor}.
 * - **The loop**: {@link startBot} drives the strategy machine with an
 *   {@link Executor} (all I/O: {@link createLiveExecutor},
 *   {@link createDryRunExecutor}) and a {@link MarketFeed}
 *   ({@link createStreamFeed}), journalling every event first
 *   ({@link openJournal}).
 * - **Output**: {@link createLogger} (console + daily files, secrets scrubbed).
 *
 * ```ts
 * import { main } from '@rung/bot-cli'
 *
 * // Same as `rung paper --data-dir .rung/paper`; resolves with the exit code.
 * const code = await main(['paper', '--data-dir', '.rung/paper'])
 * process.exitCode = code
 * ```
 *
 * @module
 */

export type { ConfigFile, ParsedSettings } from './config/config.js'
export { parseBotSettings, readConfigFile } from './config/config.js'
export type { MarketEntry, MarketsConfig } from './config/markets.js'
export {
  checkMarketsListed,
  MARKET_ENTRY_KEYS,
  validateMarkets,
} from './config/markets.js'
export type {
  CredentialSources,
  Credentials,
  KeyFileContent,
} from './config/secrets.js'
export { readKeyFile, resolveCredentials } from './config/secrets.js'
export type {
  BotSettings,
  ConfigOverrides,
  LogFormatOption,
  OnStop,
  PaperSettings,
} from './config/settings.js'
export { DEFAULTS } from './config/settings.js'
export { ConfigError, EXIT, ExitError } from './errors.js'
export type { CliIo, OutStream } from './io.js'
export { processIo } from './io.js'
export { main } from './main.js'
export type {
  NotifyEvent,
  NotifySettings,
  TelegramConfig,
  WebhookConfig,
  WebhookFormat,
} from './notify/notifyConfig.js'
export type { Redactor } from './redact.js'
export { createRedactor } from './redact.js'
export type { DryRunExecutorOptions } from './runtime/exchange/dryRunExecutor.js'
export { createDryRunExecutor } from './runtime/exchange/dryRunExecutor.js'
export type {
  ExchangeClient,
  ExchangeFillLike,
  ExchangeOrderLike,
  ExecutorMarket,
} from './runtime/exchange/exchange.js'
export type { LeftoverPlan } from './runtime/exchange/leftovers.js'
export type {
  LiveExecutor,
  LiveExecutorOptions,
} from './runtime/exchange/liveExecutor.js'
export { createLiveExecutor } from './runtime/exchange/liveExecutor.js'
export type {
  StreamClientLike,
  StreamFeedOptions,
} from './runtime/exchange/streamFeed.js'
export { createStreamFeed } from './runtime/exchange/streamFeed.js'
export { HISTORY_FILE, openHistory } from './runtime/history/historyStore.js'
export type {
  CycleRow,
  FillRow,
  HistoryFilter,
  HistoryStore,
  LeftoverSale,
  LeftoverSaleRow,
  SessionRow,
} from './runtime/history/historyTypes.js'
export type { Journal, JournalEntry, JournalReplay } from './runtime/journal.js'
export { openJournal } from './runtime/journal.js'
export { startBot } from './runtime/loop/bot.js'
export type { Bot, BotOptions, BotOutcome } from './runtime/loop/botTypes.js'
export type {
  ConnectionState,
  Executor,
  FeedHandlers,
  MarketFeed,
  RunResult,
} from './runtime/ports.js'
export type {
  CycleCompletedRecord,
  CycleStartedRecord,
  FillRecord,
  OrderClosedRecord,
  OrderPlacedRecord,
  TradeRecord,
} from './runtime/tradeRecord.js'
export { tradeRecords } from './runtime/tradeRecord.js'
export type {
  LogFormat,
  Logger,
  LoggerOptions,
  LogLevel,
  LogRecord,
} from './ui/logger.js'
export { createLogger } from './ui/logger.js'
export type { RestingOrder, StatusSnapshot } from './ui/statusView.js'
