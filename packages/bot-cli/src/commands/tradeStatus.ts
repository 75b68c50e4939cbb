/**
 * Where a running bot's status goes: each step's snapshot is merged with the
 * log's alerts and the live market data's state, then drawn in the terminal
 * view, written to status.json (with the notification counts), told to the
 * notifier (connection state) and fed to the dashboard.
 */
import type { MirrorStatus } from '@rung/backpack-sim'
import type { CommandContext } from '../config/context.js'
import { createDashboardFeed, type DashboardFeed } from '../dashboard/feed.js'
import type { MarketsDashboard } from '../dashboard/markets.js'
import { type DashboardServer, startBotDashboard } from '../dashboard/server.js'
import type { CliIo } from '../io.js'
import type { Notifications } from '../notify/notifications.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import type { StatusWriter } from '../runtime/statusFile.js'
import type { Logger } from '../ui/logger.js'
import type { StatusSnapshot, StatusView } from '../ui/statusView.js'
import type { TradeOptions } from './tradeSetup.js'

/** What {@link createStatusFanout} sends the status to. */
export interface StatusSinks {
  /** The terminal view (a TTY only). */
  view: StatusView | undefined
  /** Warning and error lines of the log, `HH:MM:SS ...`, in order. */
  alerts: readonly string[]
  /** The notifications, when configured. */
  notify: Notifications | undefined
  /** status.json. */
  writer: StatusWriter
  /** The pid lock's token, written beside the pid. */
  lockToken: string
  /** The dashboard's model. */
  feed: DashboardFeed
  /** The live market data's state (live-data paper and dry runs). */
  marketData: (() => MirrorStatus | undefined) | undefined
}

/** The status fan-out of a run. */
export interface StatusFanout {
  /** The bot's `onStatus`. */
  onStatus(snapshot: StatusSnapshot): void
  /** Stops watching the market data's state. */
  close(): void
}

/**
 * Creates the fan-out. When the market data's state changes without a
 * step (the upstream went stale), the last snapshot is sent again so the
 * views say so.
 */
export function createStatusFanout(sinks: StatusSinks): StatusFanout {
  const { view, alerts, notify, writer, feed, marketData } = sinks
  let lastSnapshot: StatusSnapshot | undefined
  const onStatus = (raw: StatusSnapshot) => {
    lastSnapshot = raw
    // Live market data that went stale is said in the status.
    const md = marketData?.()
    const snapshot =
      md?.state === 'stale'
        ? {
            ...raw,
            statusText: `${raw.statusText ?? raw.status} (market data stale)`,
          }
        : raw
    // Both lists start with HH:MM:SS (UTC) and are in order: a stable sort
    // on the time alone merges them.
    const events = [...snapshot.events, ...alerts]
      .sort((a, b) => a.slice(0, 8).localeCompare(b.slice(0, 8)))
      .slice(-6)
    view?.update({ ...snapshot, events })
    const updatedAt = new Date().toISOString()
    notify?.events.connection(snapshot.connection)
    writer.update({
      ...snapshot,
      ...(notify ? { notify: notify.stats() } : {}),
      ...(md ? { marketData: md } : {}),
      pid: process.pid,
      lockToken: sinks.lockToken,
      updatedAt,
    })
    feed.update({ ...snapshot, events, updatedAt })
  }

  let shownState = marketData?.()?.state
  const watch = marketData
    ? setInterval(() => {
        const state = marketData()?.state
        if (state === shownState || lastSnapshot === undefined) return
        shownState = state
        onStatus(lastSnapshot)
      }, 250)
    : undefined
  return { onStatus, close: () => clearInterval(watch) }
}

/** The dashboard's model over the market's trade history. */
export function dashboardFeedOf(
  store: HistoryStore | undefined,
  market: string,
): DashboardFeed {
  return createDashboardFeed(
    store && {
      fills: (from) => store.fills({ market, from }),
      cycles: () => store.cycles({ market }),
    },
  )
}

/** Serves the dashboard unless `--no-ui`, and prints its URL. */
export async function serveDashboard(
  ctx: CommandContext,
  io: CliIo,
  logger: Logger,
  feed: DashboardFeed,
  options: Pick<TradeOptions, 'ui' | 'uiPort'>,
  markets?: MarketsDashboard,
): Promise<DashboardServer | undefined> {
  if (options.ui === false) return undefined
  const dashboard = await startBotDashboard(
    ctx.settings.dataDir,
    feed,
    options.uiPort,
    markets,
  )
  if (ctx.json) logger.info('dashboard', { url: dashboard.url })
  else io.stdout.write(`dashboard: ${dashboard.url}\n`)
  return dashboard
}
