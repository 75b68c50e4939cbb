/**
 * The sinks of a multi-market run (`runMarkets`): the top status shown in
 * the terminal view and on the dashboard's bar, each market's dashboard
 * page, the notifications (one notifier, one sink per market, the one
 * connection's state told once for the run), and the status fan-out that
 * says when a market is paused, stopped or on stale live data.
 */
import type { StreamClient } from '@rung/backpack-sdk'
import type { MirrorStatus } from '@rung/backpack-sim'
import type { CommandContext } from '../config/context.js'
import type { MarketEntry } from '../config/markets.js'
import type { DashboardFeed } from '../dashboard/feed.js'
import {
  createMarketsSummary,
  type MarketsSummary,
} from '../dashboard/markets.js'
import type { DashboardServer } from '../dashboard/server.js'
import type { CliIo } from '../io.js'
import {
  failureReason,
  type MarketsNotifications,
  startMarketsNotifications,
} from '../notify/notifications.js'
import type { resolveNotifyChannels } from '../notify/notifyConfig.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import type { MarketOutcome } from '../runtime/multi/ladders.js'
import type { MarketsStatus } from '../runtime/multi/marketsStatus.js'
import type { StatusFileContent } from '../runtime/statusFile.js'
import type { Logger } from '../ui/logger.js'
import {
  isMarketsStatus,
  type MarketsStatusContent,
  renderMarketsStatus,
} from '../ui/marketsView.js'
import { createStatusView, type StatusSnapshot } from '../ui/statusView.js'
import type { TradeOptions } from './tradeSetup.js'
import { dashboardFeedOf, serveDashboard } from './tradeStatus.js'

/** Shows the top status (every market and the total) on the dashboard's bar and in the terminal view. */
export function showTotal(
  summary: { update(content: MarketsStatusContent): void },
  view: { update(content: MarketsStatusContent): void } | undefined,
  alerts: readonly string[],
): (content: StatusFileContent) => void {
  return (content) => {
    if (!isMarketsStatus(content)) return
    summary.update(content)
    view?.update({
      ...content,
      events: [...content.events, ...alerts].slice(-6),
    })
  }
}

/** Tells a market's notifications that its ladder ended, once. */
export function tellStopped(
  notify: MarketsNotifications | undefined,
  told: Set<string>,
  m: MarketOutcome,
): void {
  told.add(m.symbol)
  notify
    ?.market(m.symbol)
    ?.stopped(
      m.outcome === undefined
        ? failureReason(new Error(m.paused))
        : m.outcome.reason,
      m.outcome?.realisedProfit,
    )
}

/** The live terminal view of every market (a TTY, and not `--json`). */
export function marketsView(
  ctx: CommandContext,
  io: CliIo,
  fps: number | undefined,
) {
  return io.stdout.isTTY && !ctx.json
    ? createStatusView<MarketsStatusContent>(io.stdout as NodeJS.WriteStream, {
        fps: fps ?? 4,
        render: renderMarketsStatus,
      })
    : undefined
}

/**
 * The dashboard of a multi-market run, unless `--no-ui`: a page (feed) per
 * market over the trade history, and the bar of every market.
 */
export async function startMarketsDashboard(
  ctx: CommandContext,
  io: CliIo,
  logger: Logger,
  options: TradeOptions,
  run: { markets: readonly MarketEntry[]; history: HistoryStore | undefined },
): Promise<{
  dashboard: DashboardServer | undefined
  feeds: Map<string, DashboardFeed>
  summary: MarketsSummary
}> {
  const feeds = new Map(
    run.markets.map((m) => [m.symbol, dashboardFeedOf(run.history, m.symbol)]),
  )
  const summary = createMarketsSummary()
  const first = feeds.get(run.markets[0]?.symbol ?? '')
  const dashboard =
    first === undefined
      ? undefined
      : await serveDashboard(ctx, io, logger, first, options, {
          feeds,
          summary,
        })
  return { dashboard, feeds, summary }
}

/** The run's notifications (one notifier, one sink per market), if any channel is set. */
export function runNotifications(
  ctx: CommandContext,
  options: TradeOptions,
  run: {
    channels: ReturnType<typeof resolveNotifyChannels>
    logger: Logger
    symbols: string[]
    mode: string
  },
): MarketsNotifications | undefined {
  return startMarketsNotifications({
    settings: ctx.settings.notify,
    channels: run.channels,
    logger: run.logger,
    markets: run.symbols,
    mode: run.mode,
    redact: (text) => ctx.redactor.redact(text),
    timing: options.notifyTiming,
  })
}

/**
 * Tells the run's notifications the state of its one connection: an outage
 * is one message naming every market, not one per market.
 * @returns Stops telling (before the run closes the connection itself).
 */
export function tellConnection(
  notify: MarketsNotifications | undefined,
  connection: Pick<StreamClient, 'state' | 'on' | 'off'>,
): () => void {
  if (notify === undefined) return () => {}
  const tell = (state: string) => notify.connection(state)
  tell(connection.state)
  connection.on('state', tell)
  return () => connection.off('state', tell)
}

/**
 * The status fan-out that also feeds each market's dashboard page, whose
 * header says when the market is paused or stopped, and says when a
 * market's live data (paper trading on live market data) is stale: when
 * that state changes without a step, the market's last snapshot is sent
 * again so that every view says so (as one market's run does).
 */
export function withRunSinks(
  top: MarketsStatus,
  feeds: ReadonlyMap<string, DashboardFeed>,
  marketData: (symbol: string) => MirrorStatus | undefined,
): MarketsStatus {
  /** Each market's last snapshot as its ladder sent it, and the data state shown with it. */
  const lastRaw = new Map<string, { raw: StatusSnapshot; shown?: string }>()
  /** The markets paused or stopped (their page says so until they go on). */
  const held = new Set<string>()
  const update = (symbol: string, raw: StatusSnapshot) => {
    const shown = marketData(symbol)?.state
    lastRaw.set(symbol, { raw, ...(shown && { shown }) })
    const snapshot =
      shown === 'stale'
        ? {
            ...raw,
            statusText: `${raw.statusText ?? raw.status} (market data stale)`,
          }
        : raw
    top.update(symbol, snapshot)
    feeds.get(symbol)?.update(snapshot)
  }
  const watch = setInterval(() => {
    for (const [symbol, last] of lastRaw)
      if (!held.has(symbol) && marketData(symbol)?.state !== last.shown)
        update(symbol, last.raw)
  }, 250)
  watch.unref()
  return {
    ...top,
    update,
    mark(symbol, change) {
      top.mark(symbol, change)
      const last = lastRaw.get(symbol)?.raw
      const words =
        change.paused !== undefined
          ? `paused: ${change.paused}`
          : change.stopped
            ? 'stopped'
            : undefined
      if (words) held.add(symbol)
      else held.delete(symbol)
      if (last && words)
        feeds.get(symbol)?.update({ ...last, statusText: words })
    },
    close() {
      clearInterval(watch)
      top.close()
    },
  }
}
