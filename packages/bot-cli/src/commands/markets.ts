/** `rung markets`: every market with its tick size, step size and minimum quantity. */
import { createBackpackClient, loadMarketRules } from '@rung/backpack-sdk'
import type { Command } from 'commander'
import type { CommandContext } from '../config/context.js'
import type { CliIo } from '../io.js'
import { formatTable } from '../ui/table.js'
import type { CommandEnv } from './command.js'

/** `rung markets`. */
export async function marketsCommand(
  ctx: CommandContext,
  io: CliIo,
): Promise<void> {
  const client = createBackpackClient({ baseUrl: ctx.settings.baseUrl })
  const rules = await loadMarketRules(client)
  const list = Object.values(rules).sort((a, b) =>
    a.symbol.localeCompare(b.symbol),
  )
  if (ctx.json) {
    io.stdout.write(`${JSON.stringify(list)}\n`)
    return
  }
  io.stdout.write(
    `${formatTable([
      ['symbol', 'base', 'quote', 'tickSize', 'stepSize', 'minQuantity'],
      ...list.map((r) => [
        r.symbol,
        r.baseSymbol,
        r.quoteSymbol,
        r.tickSize,
        r.stepSize,
        r.minQuantity,
      ]),
    ])}\n`,
  )
}

/** Registers `rung markets` on the program. */
export function registerMarkets(program: Command, env: CommandEnv): void {
  program
    .command('markets')
    .description(
      'list the markets with their tick size, step size and minimum quantity',
    )
    .action(async (_options, command: Command) => {
      const ctx = env.context(command, 'public')
      await marketsCommand(ctx, env.io)
    })
}
