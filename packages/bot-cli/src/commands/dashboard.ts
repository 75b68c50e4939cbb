/**
 * `rung dashboard`: the dashboard of a bot already running on the data
 * directory (another process), served from its status file and its trade
 * history; the same page `rung paper` and `rung run` serve. It reads the
 * status file every half second and sends the page what changed. For a
 * multi-market bot (a status with `markets` and `total`) it serves a page
 * per market (`&market=SOL_USDC`; the default page is the first market's),
 * each with the bar of every market and the total.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import {
  createDashboardFeed,
  type DashboardFeed,
  type HistorySource,
} from '../dashboard/feed.js'
import { createMarketsSummary } from '../dashboard/markets.js'
import { startDashboardServer } from '../dashboard/server.js'
import { HISTORY_FILE, openHistory } from '../runtime/history/historyStore.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import { type MarketStatus, readStatusFile } from '../runtime/statusFile.js'
import { isMarketsStatus } from '../ui/marketsView.js'
import { type CommandEnv, wholeNumber } from './command.js'

/** How often the status file is read (ms). */
const POLL_MS = 500

/** Registers `rung dashboard` on the program. */
export function registerDashboard(program: Command, env: CommandEnv): void {
  program
    .command('dashboard')
    .description(
      'serve the dashboard of the bot running on the data directory (from its status and history)',
    )
    .option('--ui-port <port>', 'port on 127.0.0.1 (default: a free one)')
    .option('--paper', 'the paper-trading bot (data directory .rung/paper)')
    .action(
      async (
        options: { uiPort?: string; paper?: boolean },
        command: Command,
      ) => {
        const ctx = env.context(command, options.paper ? 'paper' : 'offline')
        const { dataDir } = ctx.settings
        const port =
          options.uiPort === undefined
            ? 0
            : wholeNumber('--ui-port', options.uiPort, 0)
        let store: HistoryStore | undefined
        /** A market's trade history (read once the bot has created it). */
        const historyOf = (
          market: () => string | undefined,
        ): HistorySource => ({
          fills: (from) => store?.fills({ market: market(), from }) ?? [],
          cycles: () => store?.cycles({ market: market() }) ?? [],
        })
        // The default page: the bot's market, or the first of several.
        let market: string | undefined
        const feed = createDashboardFeed(historyOf(() => market))
        // A multi-market bot: a page per market, and the bar of them all.
        const feeds = new Map<string, DashboardFeed>()
        const summary = createMarketsSummary()
        let seen: string | undefined
        const poll = () => {
          const status = readStatusFile(dataDir)
          if (status === undefined || status.updatedAt === seen) return
          seen = status.updatedAt
          // The bot creates the history at its first start.
          const file = join(dataDir, HISTORY_FILE)
          if (store === undefined && existsSync(file)) store = openHistory(file)
          if (!isMarketsStatus(status)) {
            market = status.symbol
            feed.update(status)
            return
          }
          market = status.markets[0]?.symbol
          status.markets.forEach((m, i) => {
            let page = feeds.get(m.symbol)
            if (page === undefined) {
              const symbol = m.symbol
              page =
                i === 0 ? feed : createDashboardFeed(historyOf(() => symbol))
              feeds.set(symbol, page)
            }
            page.update({ ...pageStatus(m), updatedAt: status.updatedAt })
          })
          summary.update(status)
        }
        poll()
        const timer = setInterval(poll, POLL_MS)
        const server = await startDashboardServer({
          feed,
          port,
          markets: { feeds, summary },
        })
        env.io.stdout.write(
          ctx.json
            ? `${JSON.stringify({ dashboard: server.url, dataDir })}\n`
            : `dashboard of ${dataDir}: ${server.url}\n${seen === undefined ? `No status in ${dataDir} yet: the page fills in when a bot writes one.\n` : ''}(Ctrl-C to stop)\n`,
        )
        await new Promise<void>((resolve) => {
          const unsubscribe = env.io.onSignal(() => {
            unsubscribe()
            resolve()
          })
        })
        clearInterval(timer)
        await server.close()
        store?.close()
      },
    )
}

/**
 * A market's line of a multi-market status as its page shows it: its header
 * says when the market is paused or stopped (as the running bot's own
 * dashboard does).
 */
function pageStatus(m: MarketStatus): MarketStatus {
  if (m.paused !== undefined) return { ...m, statusText: `paused: ${m.paused}` }
  if (m.stopped === true) return { ...m, statusText: 'stopped' }
  return m
}
