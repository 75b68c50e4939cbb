/** `rung status`: whether a bot runs on the data directory, and its last status. */
import type { Command } from 'commander'
import { checkLockOwner } from '../runtime/lock.js'
import { readStatusFile } from '../runtime/statusFile.js'
import { isMarketsStatus, renderMarketsStatus } from '../ui/marketsView.js'
import { renderStatus } from '../ui/statusView.js'
import type { CommandEnv } from './command.js'

/** Registers `rung status` on the program. */
export function registerStatus(program: Command, env: CommandEnv): void {
  program
    .command('status')
    .description('show the status of the bot running on the data directory')
    .action((_options, command: Command) => {
      const ctx = env.context(command, 'offline')
      const owner = checkLockOwner(ctx.settings.dataDir)
      const pid = owner.state === 'running' ? owner.pid : undefined
      const status = readStatusFile(ctx.settings.dataDir)
      if (ctx.json) {
        env.io.stdout.write(
          `${JSON.stringify({ running: pid !== undefined, pid: pid ?? null, status: status ?? null })}\n`,
        )
        return
      }
      env.io.stdout.write(
        pid === undefined
          ? `No bot is running on ${ctx.settings.dataDir}.\n`
          : `Bot running (pid ${pid}) on ${ctx.settings.dataDir}.\n`,
      )
      if (owner.state === 'stale' || owner.state === 'unverified')
        env.io.stdout.write(
          `The pid file ${owner.path} is ${owner.state === 'stale' ? 'stale' : 'unconfirmed'}: ${owner.why}.\n`,
        )
      if (status) {
        env.io.stdout.write(
          `Last status (${status.updatedAt}):\n${(isMarketsStatus(status) ? renderMarketsStatus(status, 100) : renderStatus(status, 100)).join('\n')}\n`,
        )
      }
    })
}
