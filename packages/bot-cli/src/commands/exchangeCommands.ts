/**
 * The small exchange commands: `rung price`, `rung markets`, `rung cancel-all`.
 * Their I/O goes through the SDK client like the bot's.
 */
import {
  compareDecimals,
  createBackpackClient,
  loadMarketRules,
} from '@rung/backpack-sdk'
import { type CommandContext, requireCredentials } from '../config/context.js'
import { EXIT, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import { formatTable } from './backtest.js'
import { validateStrategy } from './trade.js'

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

/** Orders decimal strings, largest first (through the SDK's decimal module). */
const compareDesc = (a: string, b: string) => compareDecimals(b, a)

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

/** `rung cancel-all`. */
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
