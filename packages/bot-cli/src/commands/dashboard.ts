/**
 * `rung dashboard`: the dashboard of a bot already running on the data
 * directory (another process), served from its status file and its trade
 * history; the same page `rung paper` and `rung run` serve. It reads the
 * status file every half second and sends the page what changed.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { createDashboardFeed, type HistorySource } from '../dashboard/feed.js'
import { startDashboardServer } from '../dashboard/server.js'
import { HISTORY_FILE, openHistory } from '../runtime/history/historyStore.js'
import type { HistoryStore } from '../runtime/history/historyTypes.js'
import { readStatusFile } from '../runtime/statusFile.js'
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
        let market: string | undefined
        const history: HistorySource = {
          fills: (from) => store?.fills({ market, from }) ?? [],
          cycles: () => store?.cycles({ market }) ?? [],
        }
        const feed = createDashboardFeed(history)
        let seen: string | undefined
        const poll = () => {
          const status = readStatusFile(dataDir)
          if (status === undefined || status.updatedAt === seen) return
          seen = status.updatedAt
          market = status.symbol
          // The bot creates the history at its first start.
          const file = join(dataDir, HISTORY_FILE)
          if (store === undefined && existsSync(file)) store = openHistory(file)
          feed.update(status)
        }
        poll()
        const timer = setInterval(poll, POLL_MS)
        const server = await startDashboardServer({ feed, port })
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
