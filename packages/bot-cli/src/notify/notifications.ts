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
  const events = createNotifyEvents({
    notifier,
    market: options.market,
    mode: options.mode,
    streamDownMinutes: settings.streamDownMinutes,
    redact: options.redact,
    checkEveryMs: timing?.checkEveryMs,
  })
  return {
    events,
    stats: () => notifier.stats(),
    async close(graceMs) {
      events.close()
      return notifier.close(graceMs)
    },
  }
}

/** A log listener that forwards to the notifications once they exist. */
export function lateLogSink(): {
  onRecord: (record: LogRecord) => void
  attach: (events: NotifyEvents | undefined) => void
} {
  let target: NotifyEvents | undefined
  return {
    onRecord: (record) => target?.log(record),
    attach: (events) => {
      target = events
    },
  }
}
