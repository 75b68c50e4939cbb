/** `rung price SYMBOL`: the last price and best bid/ask of a market. */
import { compareDecimals, createBackpackClient } from '@rung/backpack-sdk'
import type { Command } from 'commander'
import type { CommandContext } from '../config/context.js'
import { EXIT, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import type { CommandEnv } from './command.js'

/** Orders decimal strings, largest first (through the SDK's decimal module). */
const compareDesc = (a: string, b: string) => compareDecimals(b, a)

/** `rung price SYMBOL`. */
export async function priceCommand(
  ctx: CommandContext,
  io: CliIo,
  symbol: string,
): Promise<void> {
  const client = createBackpackClient({ baseUrl: ctx.settings.baseUrl })
  const [ticker, depth] = await Promise.all([
    client.getTicker({ symbol }),
    client.getDepth({ symbol, limit: 5 }),
  ])
  // REST depth sort order is UNCONFIRMED: pick the extremes by comparison.
  const bid = depth.bids.map((l) => l[0]).sort(compareDesc)[0]
  const ask = depth.asks
    .map((l) => l[0])
    .sort(compareDesc)
    .at(-1)
  if (ticker === null) {
    throw new ExitError(
      EXIT.usage,
      `No ticker for ${symbol} on ${ctx.settings.baseUrl}.\nFix: check the symbol with \`rung markets\`.`,
    )
  }
  if (ctx.json) {
    io.stdout.write(
      `${JSON.stringify({ symbol, lastPrice: ticker.lastPrice, bestBid: bid ?? null, bestAsk: ask ?? null, ticker })}\n`,
    )
    return
  }
  io.stdout.write(
    `${symbol}  last ${ticker.lastPrice}  bid ${bid ?? '-'}  ask ${ask ?? '-'}  24h ${ticker.low} - ${ticker.high}\n`,
  )
}

/** Registers `rung price` on the program. */
export function registerPrice(program: Command, env: CommandEnv): void {
  program
    .command('price')
    .description('show the last price and best bid/ask of a market')
    .argument('<symbol>', 'market, e.g. BTC_USDC')
    .action(async (symbol: string, _options, command: Command) => {
      const ctx = env.context(command, 'public')
      await priceCommand(ctx, env.io, symbol)
    })
}
