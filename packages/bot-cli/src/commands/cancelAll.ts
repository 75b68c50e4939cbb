/** `rung cancel-all`: cancels every open order on the bot's market (with --dry-run, lists them). */
import { createBackpackClient } from '@rung/backpack-sdk'
import type { Command } from 'commander'
import { type CommandContext, requireCredentials } from '../config/context.js'
import { validateStrategy } from '../config/strategy.js'
import type { CliIo } from '../io.js'
import type { CommandEnv } from './command.js'

export async function cancelAllCommand(
  ctx: CommandContext,
  io: CliIo,
  options: { symbol?: string | undefined; keyFile?: string | undefined },
): Promise<void> {
  const symbol = options.symbol ?? validateStrategy(ctx.raw).config.symbol
  const creds = requireCredentials(ctx, io.env, options.keyFile)
  const client = createBackpackClient({
    baseUrl: ctx.settings.baseUrl,
    apiKey: creds.apiKey,
    secretKey: creds.secretKey,
  })
  if (ctx.dryRun) {
    const open = await client.getOpenOrders({ symbol })
    io.stdout.write(
      ctx.json
        ? `${JSON.stringify(open)}\n`
        : `dry-run: would cancel ${open.length} open order(s) on ${symbol}\n`,
    )
    return
  }
  const canceled = await client.cancelOpenOrders({ symbol })
  io.stdout.write(
    ctx.json
      ? `${JSON.stringify(canceled)}\n`
      : `Canceled ${canceled.length} open order(s) on ${symbol}.\n`,
  )
}

/** Registers `rung cancel-all` on the program. */
export function registerCancelAll(program: Command, env: CommandEnv): void {
  program
    .command('cancel-all')
    .description(
      "cancel every open order on the bot's market (with --dry-run: only list them)",
    )
    .option('--symbol <symbol>', 'market (default: from the config)')
    .option(
      '--key-file <file>',
      'JSON key file { "apiKey", "secretKey" }, mode 0600',
    )
    .action(
      async (
        options: { symbol?: string; keyFile?: string },
        command: Command,
      ) => {
        const ctx = env.context(command, 'live')
        await cancelAllCommand(ctx, env.io, options)
      },
    )
}
