/**
 * `@rung/bot-cli`: the `rung` command (paper trading by default, crash-safe
 * live trading) and the pieces it is built from, for people who want to
 * embed the bot.
 *
 * What lives where:
 * - **CLI**: {@link main} runs `rung <command>` with injected I/O ({@link CliIo}).
 * - **Config and secrets**: {@link readConfigFile}, {@link parseBotSettings},
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

export type { Bot, BotOptions, BotOutcome } from './bot.js'
export { startBot } from './bot.js'
export type {
  BotSettings,
  ConfigFile,
  ConfigOverrides,
  LogFormatOption,
  OnStop,
  PaperSettings,
  ParsedSettings,
} from './config.js'
export { DEFAULTS, parseBotSettings, readConfigFile } from './config.js'
export { ConfigError, EXIT, ExitError } from './errors.js'
export type {
  DryRunExecutorOptions,
  ExchangeClient,
  ExchangeFillLike,
  ExchangeOrderLike,
  ExecutorMarket,
  LeftoverPlan,
  LiveExecutor,
  LiveExecutorOptions,
  StreamClientLike,
  StreamFeedOptions,
} from './executor.js'
export {
  createDryRunExecutor,
  createLiveExecutor,
  createStreamFeed,
} from './executor.js'
export type {
  CycleRow,
  FillRow,
  HistoryFilter,
  HistoryStore,
  LeftoverSale,
  LeftoverSaleRow,
  SessionRow,
} from './history.js'
export { HISTORY_FILE, openHistory } from './history.js'
export type { CliIo, OutStream } from './io.js'
export { processIo } from './io.js'
export type { Journal, JournalEntry, JournalReplay } from './journal.js'
export { openJournal } from './journal.js'
export type {
  LogFormat,
  Logger,
  LoggerOptions,
  LogLevel,
  LogRecord,
} from './logger.js'
export { createLogger } from './logger.js'
export { main } from './main.js'
export type {
  ConnectionState,
  Executor,
  FeedHandlers,
  MarketFeed,
  RunResult,
} from './ports.js'
export type { Redactor } from './redact.js'
export { createRedactor } from './redact.js'
export type {
  CredentialSources,
  Credentials,
  KeyFileContent,
} from './secrets.js'
export { readKeyFile, resolveCredentials } from './secrets.js'
export type { StatusSnapshot } from './statusView.js'
export type {
  CycleCompletedRecord,
  CycleStartedRecord,
  FillRecord,
  OrderClosedRecord,
  OrderPlacedRecord,
  TradeRecord,
} from './tradeRecord.js'
export { tradeRecords } from './tradeRecord.js'
