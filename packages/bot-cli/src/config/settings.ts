/**
 * The bot's settings as the rest of the bot sees them (validated, with the
 * defaults applied), the defaults themselves and the overrides the command
 * line and the environment bring.
 */

import type { NotifySettings } from '../notify/notifyConfig.js'

/** Console log format (files are always JSON lines). */
export type LogFormatOption = 'plain' | 'json'

/** What to do with open orders when the bot is stopped by a signal. */
export type OnStop = 'cancel' | 'leave'

/** The validated, non-strategy settings of the bot. All durations in ms. */
export interface BotSettings {
  /** Absolute data directory (journal, pid file, logs, status). */
  dataDir: string
  /** REST origin. */
  baseUrl: string
  /** WebSocket URL. */
  wsUrl: string
  /** Console log format. */
  logFormat: LogFormatOption
  /** Lowest console/file log level. */
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  /** Open orders on a graceful stop. */
  onStop: OnStop
  /** Cancel the bot's symbol's open orders before the first cycle. */
  cancelAllOrders: boolean
  /** Sell leftover non-USDC balances worth at least `sellNonUsdcMinValue` at start. */
  sellNonUsdcAssets: boolean
  /** Minimum USDC value of a leftover balance worth selling (decimal string). */
  sellNonUsdcMinValue: string
  /** REST polling period while the stream is down, in ms. */
  monitorIntervalMs: number
  /** Full reconciliation period (open orders + fills over REST), in ms. */
  checkOrdersIntervalMs: number
  /** Stream reconnect behaviour. */
  websocket: {
    /** Reconnect after a drop. */
    reconnect: boolean
    /** First reconnect delay in ms. */
    reconnectIntervalMs: number
    /** Attempts before falling back to REST polling only (0 = unlimited). */
    maxReconnectAttempts: number
  }
  /** Paper-mode simulator settings. */
  paper: PaperSettings
  /** Notifications (`notify`): webhooks and Telegram; no channel when absent. */
  notify: NotifySettings
}

/** Settings of `rung paper` (the in-process simulator). */
export interface PaperSettings {
  /** Feed seed: the same seed gives the same prices. */
  seed: number
  /** Simulated seconds per real second of the generated feed. */
  timeScale: number
  /** Quote balance of the paper account (decimal string). */
  quoteBalance: string
  /** Starting price of the generated feed (decimal string), or undefined for the sim default. */
  startPrice: string | undefined
  /**
   * Where the paper market's prices come from: `generated` (a seeded walk)
   * or `live` (the real market's public data at `bot.baseUrl` / `websocket.url`,
   * with simulated fills).
   */
  marketData: 'generated' | 'live'
  /** Live market data: how paper orders fill (see docs/simulator.md). */
  fillModel: 'trade' | 'queue'
}

/**
 * Defaults of every bot option: the classic bot's shipped values, plus the
 * new options.
 *
 * @example
 * ```ts
 * import { DEFAULTS } from '@rung/bot-cli'
 * console.log(DEFAULTS.monitorIntervalSeconds) // 15
 * ```
 */
export const DEFAULTS = {
  /** REST origin. */
  baseUrl: 'https://api.backpack.exchange',
  /** WebSocket URL (`websocket.url`). */
  wsUrl: 'wss://ws.backpack.exchange',
  /** Data directory of `rung run`. */
  dataDir: '.rung',
  /** Data directory of `rung paper`. */
  paperDataDir: '.rung/paper',
  /** Console log format. */
  logFormat: 'plain' as LogFormatOption,
  /** Log level. */
  logLevel: 'info' as const,
  /** Open orders on a graceful stop. */
  onStop: 'cancel' as OnStop,
  /** `actions.cancelAllOrders`. */
  cancelAllOrders: true,
  /** `actions.sellNonUsdcAssets` (off unless the config says so: a sale of coins the user holds is never implied). */
  sellNonUsdcAssets: false,
  /** `advanced.sellNonUsdcMinValue` (USDC). */
  sellNonUsdcMinValue: '10',
  /** `advanced.monitorIntervalSeconds`. */
  monitorIntervalSeconds: 15,
  /** `advanced.checkOrdersIntervalMinutes`. */
  checkOrdersIntervalMinutes: 10,
  /** `websocket.options.reconnect`. */
  reconnect: true,
  /** `websocket.options.reconnectInterval` (ms). */
  reconnectIntervalMs: 5000,
  /** `websocket.options.maxReconnectAttempts`. */
  maxReconnectAttempts: 5,
  /** `paper.seed`. */
  paperSeed: 1,
  /** `paper.timeScale` (simulated seconds per second). */
  paperTimeScale: 60,
  /** `paper.quoteBalance` (USDC). */
  paperQuoteBalance: '10000',
  /** `paper.marketData`. */
  paperMarketData: 'generated' as 'generated' | 'live',
  /** `paper.fillModel`. */
  paperFillModel: 'trade' as 'trade' | 'queue',
} as const

/** Flags and environment that override the file. */
export interface ConfigOverrides {
  /** `--data-dir`. */
  dataDir?: string | undefined
  /** `--base-url` or BACKPACK_BASE_URL. */
  baseUrl?: string | undefined
  /** `--ws-url` or BACKPACK_WS_URL. */
  wsUrl?: string | undefined
  /** `--log-format` / `--json`. */
  logFormat?: string | undefined
  /** Paper mode: changes the default data directory. */
  paper?: boolean | undefined
  /** `--market-data`. */
  marketData?: string | undefined
  /** `--fill-model`. */
  fillModel?: string | undefined
}
