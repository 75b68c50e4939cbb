/**
 * `rung stop`: signals the bot of the data directory (after checking the pid
 * file is really its) and waits for it to exit; `--remove-stale` clears a
 * stale pid file.
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { EXIT, ExitError } from '../errors.js'
import { writeOwnerOnlyFile } from '../ownerOnly.js'
import { checkLockOwner, isAlive, PID_FILE } from '../runtime/lock.js'
import { marketDir, STOP_FILE } from '../runtime/multi/shared.js'
import { readStatusFile } from '../runtime/statusFile.js'
import { type CommandEnv, wholeNumber } from './command.js'

/** Registers `rung stop` on the program. */
export function registerStop(program: Command, env: CommandEnv): void {
  program
    .command('stop')
    .description(
      'ask the running bot to stop (it cancels or leaves its orders as configured)',
    )
    .option('--timeout <seconds>', 'how long to wait for it to exit', '60')
    .option('--no-wait', 'send the signal and return at once')
    .option(
      '--market <symbol>',
      "stop only this market's ladder of a multi-market bot (the others go on)",
    )
    .option(
      '--remove-stale',
      'remove a stale pid file (its process is gone or is not the bot)',
    )
    .action(
      async (
        options: {
          timeout: string
          wait: boolean
          removeStale?: boolean
          market?: string
        },
        command: Command,
      ) => {
        const ctx = env.context(command, 'offline')
        const dataDir = ctx.settings.dataDir
        const owner = checkLockOwner(dataDir)
        if (owner.state === 'none') {
          throw new ExitError(
            EXIT.runtime,
            `No bot is running on ${dataDir} (no ${PID_FILE} there).\nFix: pass the bot's --data-dir.`,
          )
        }
        if (owner.state === 'stale') {
          if (options.removeStale) {
            rmSync(owner.path, { force: true })
            env.io.stdout.write(
              `Removed the stale pid file ${owner.path} (${owner.why}). No process was signalled.\n`,
            )
            return
          }
          throw new ExitError(
            EXIT.runtime,
            `The pid file ${owner.path} is stale: ${owner.why}. No bot is running on ${dataDir}, and pid ${owner.pid} was not signalled.\nFix: remove it with \`rung stop --remove-stale --data-dir ${dataDir}\` (the next bot would also take it over).`,
          )
        }
        if (owner.state === 'unverified') {
          throw new ExitError(
            EXIT.runtime,
            `Refusing to signal pid ${owner.pid}: it cannot be confirmed as the rung bot of ${dataDir} (${owner.why}).\nFix: if it is the bot, stop it with Ctrl-C or \`kill ${owner.pid}\`; if it is not, delete ${owner.path}.`,
          )
        }
        const { pid } = owner
        if (options.market !== undefined) {
          await stopMarket(env, dataDir, pid, options)
          return
        }
        process.kill(pid, 'SIGTERM')
        env.io.stdout.write(`Sent SIGTERM to pid ${pid}.\n`)
        if (!options.wait) return
        const deadline =
          Date.now() + wholeNumber('--timeout', options.timeout, 0) * 1000
        while (isAlive(pid)) {
          if (Date.now() > deadline) {
            throw new ExitError(
              EXIT.runtime,
              `The bot (pid ${pid}) is still running after ${options.timeout} s.\nFix: run \`rung stop\` again to force it (a second signal skips the cleanup).`,
            )
          }
          await new Promise((r) => setTimeout(r, 200))
        }
        env.io.stdout.write('Stopped.\n')
      },
    )
}

/**
 * `rung stop --market`: writes the market's stop file, which the running
 * bot watches (it removes the file and stops that ladder, cancelling or
 * leaving its orders as configured), then waits until the status says the
 * ladder stopped.
 * @throws {ExitError} when the bot does not run that market, or it is still
 *   running after the timeout.
 */
async function stopMarket(
  env: CommandEnv,
  dataDir: string,
  pid: number,
  options: { timeout: string; wait: boolean; market?: string },
): Promise<void> {
  const symbol = (options.market ?? '').toUpperCase()
  const markets = readStatusFile(dataDir)?.markets
  const dir = marketDir(dataDir, symbol)
  if (markets === undefined || !existsSync(dir))
    throw new ExitError(
      EXIT.usage,
      `The bot (pid ${pid}) on ${dataDir} runs no ${symbol} ladder${markets === undefined ? ' (it runs one market)' : ` (it runs ${markets.map((m) => m.symbol).join(', ')})`}.\nFix: pass one of its markets to --market, or stop the whole bot with \`rung stop\`.`,
    )
  const timeoutMs = wholeNumber('--timeout', options.timeout, 0) * 1000
  writeOwnerOnlyFile(join(dir, STOP_FILE), `${new Date().toISOString()}\n`)
  env.io.stdout.write(
    `Asked the bot (pid ${pid}) to stop its ${symbol} ladder; the other markets go on.\n`,
  )
  if (!options.wait) return
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = readStatusFile(dataDir)?.markets?.find(
      (m) => m.symbol === symbol,
    )
    if (status?.stopped || status?.paused !== undefined || !isAlive(pid)) break
    if (Date.now() > deadline)
      throw new ExitError(
        EXIT.runtime,
        `The ${symbol} ladder is still running after ${options.timeout} s.\nFix: check the bot's log; \`rung stop\` stops the whole bot.`,
      )
    await new Promise((r) => setTimeout(r, 200))
  }
  env.io.stdout.write(`Stopped the ${symbol} ladder.\n`)
}
