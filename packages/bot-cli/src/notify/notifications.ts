/**
 * The notifications of one run: the channels of the `notify` section, the
 * notifier delivering to them and the events fed to it, as one handle that
 * `rung run` / `rung paper` create, feed and close.
 */
import type { Logger, LogRecord } from '../ui/logger.js'
import { createNotifier, type Notifier, type NotifyStats } from './notifier.js'
import type { NotifyChannel, NotifySettings } from './notifyConfig.js'
import { createNotifyEvents, type NotifyEvents } from './notifyEvents.js'

/** One run's notifications. */
export interface Notifications {
  /** The events sink (trade records, connection, stop). */
  events: NotifyEvents
  /** Delivery counts for status.json. */
  stats(): NotifyStats
  /** Stops the timers and drains the queues for at most `graceMs`. */
  close(graceMs?: number): Promise<NotifyStats>
}

/** What {@link startNotifications} needs besides the channels. */
export interface NotificationsOptions {
  /** The `notify` settings. */
  settings: NotifySettings
  /** The channels, secrets resolved (see `resolveNotifyChannels`). */
  channels: readonly NotifyChannel[]
  /** The bot's logger (the notifier logs its drops and failures there). */
  logger: Logger
  /** The bot's market. */
  market: string
  /** `live`, `paper`, `dry-run`. */
  mode: string
  /** Scrubs secrets. */
  redact: (text: string) => string
  /** Injected fetch (tests). */
  fetch?: typeof fetch | undefined
  /** Notifier timing overrides (tests: short retry delays). */
  timing?:
    | { baseDelayMs?: number; timeoutMs?: number; checkEveryMs?: number }
    | undefined
}

/**
 * Starts the notifications, or returns undefined when no channel is configured.
 * @param options - Settings, channels, logger, market, mode.
 * @returns The handle, or undefined.
 */
export function startNotifications(
  options: NotificationsOptions,
): Notifications | undefined {
  const run = startMarketsNotifications({
    ...options,
    markets: [options.market],
  })
  const events = run?.market(options.market)
  if (run === undefined || events === undefined) return undefined
  return { events, stats: run.stats, close: run.close }
}

/** The notifications of a multi-market run: one event sink per market. */
export interface MarketsNotifications {
  /** A market's events (its messages name it), or undefined for a market not in the run. */
  market(symbol: string): NotifyEvents | undefined
  /**
   * A log record: a line tagged with a market (`fields.market`) is that
   * market's; an untagged one is the run's (its messages name every market).
   */
  log(record: LogRecord): void
  /**
   * The state of the run's one WebSocket connection: an outage longer than
   * `notify.streamDownMinutes` is one message naming every market (and one
   * when it is back), not one per market.
   */
  connection(state: string): void
  /** Delivery counts for status.json. */
  stats(): NotifyStats
  /** Stops the timers and drains the queues for at most `graceMs`. */
  close(graceMs?: number): Promise<NotifyStats>
}

/**
 * Starts the notifications of a run over one or several markets: ONE
 * notifier (its queue, retries and counts shared by every market) and one
 * event sink per market, so each message names its market (one-market
 * runs use it through {@link startNotifications}).
 *
 * @param options - Settings, channels, logger, mode, and the markets in config order.
 * @returns The handle, or undefined when no channel is configured.
 */
export function startMarketsNotifications(
  options: Omit<NotificationsOptions, 'market'> & {
    /** The run's markets, in config order. */
    markets: readonly string[]
  },
): MarketsNotifications | undefined {
  if (options.channels.length === 0) return undefined
  const { settings, timing } = options
  const notifier: Notifier = createNotifier({
    channels: options.channels,
    logger: options.logger,
    queueSize: settings.queueSize,
    maxAttempts: settings.maxAttempts,
    fetch: options.fetch,
    baseDelayMs: timing?.baseDelayMs,
    timeoutMs: timing?.timeoutMs,
  })
  const eventsOf = (market: string, dailySummary: boolean) =>
    createNotifyEvents({
      notifier,
      market,
      mode: options.mode,
      streamDownMinutes: settings.streamDownMinutes,
      redact: options.redact,
      checkEveryMs: timing?.checkEveryMs,
      dailySummary,
    })
  const markets = new Map(options.markets.map((m) => [m, eventsOf(m, true)]))
  // One market: its events are the run's. Several: the run's own lines
  // (no market tag) name them all, and have no trades of their own to sum.
  const first = markets.values().next().value
  const run =
    markets.size === 1 && first !== undefined
      ? first
      : eventsOf(options.markets.join(', '), false)
  return {
    market: (symbol) => markets.get(symbol),
    log(record) {
      const tag = record.fields?.market
      const own = typeof tag === 'string' ? markets.get(tag) : undefined
      ;(own ?? run).log(record)
    },
    connection: (state) => run.connection(state),
    stats: () => notifier.stats(),
    async close(graceMs) {
      for (const e of markets.values()) e.close()
      run.close()
      return notifier.close(graceMs)
    },
  }
}

/**
 * The reason a "bot stopped" notification gives for a run that failed: the
 * first line of the error.
 *
 * @param error - What the run threw.
 * @returns `failed: <first line>`.
 */
export const failureReason = (error: unknown): string =>
  `failed: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unexpected error'}`

/** A log listener that forwards to the notifications once they exist. */
export function lateLogSink(): {
  onRecord: (record: LogRecord) => void
  attach: (events: Pick<NotifyEvents, 'log'> | undefined) => void
} {
  let target: Pick<NotifyEvents, 'log'> | undefined
  return {
    onRecord: (record) => target?.log(record),
    attach: (events) => {
      target = events
    },
  }
}
