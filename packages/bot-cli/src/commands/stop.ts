/**
 * `rung stop`: signals the bot of the data directory (after checking the pid
 * file is really its) and waits for it to exit; `--remove-stale` clears a
 * stale pid file.
 */
import { rmSync } from 'node:fs'
import type { Command } from 'commander'
import { EXIT, ExitError } from '../errors.js'
import { checkLockOwner, isAlive, PID_FILE } from '../runtime/lock.js'
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
      '--remove-stale',
      'remove a stale pid file (its process is gone or is not the bot)',
    )
    .action(
      async (
        options: { timeout: string; wait: boolean; removeStale?: boolean },
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
