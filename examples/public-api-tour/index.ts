/**
 * public-api-tour: one call to each public REST endpoint, printed briefly.
 *
 *   npx tsx examples/public-api-tour/index.ts SOL_USDC
 *   BACKPACK_BASE_URL=http://127.0.0.1:4000 npx tsx examples/public-api-tour/index.ts
 */
import {
  BACKPACK_API_URL,
  createBackpackClient,
  formatPrice,
  isBackpackError,
  marketRulesFromMarkets,
  multiplyDecimals,
} from '@rung/backpack-sdk'

const symbol = process.argv[2] ?? process.env.BACKPACK_SYMBOL ?? 'SOL_USDC'
const client = createBackpackClient({
  baseUrl: process.env.BACKPACK_BASE_URL ?? BACKPACK_API_URL,
})

async function main(): Promise<void> {
  console.log(`# ${client.config.baseUrl}, market ${symbol}\n`)

  const status = await client.getStatus()
  console.log('status     ', status.status, status.message ?? '')

  const before = Date.now()
  const serverTime = await client.getServerTime()
  const skew = serverTime - Math.round((before + Date.now()) / 2)
  console.log(
    'time       ',
    new Date(serverTime).toISOString(),
    `(local clock off by ~${skew} ms)`,
  )

  const markets = await client.getMarkets()
  const rules = marketRulesFromMarkets(markets)
  const rule = rules[symbol]
  console.log(
    'markets    ',
    markets.length,
    'markets;',
    symbol,
    rule ?? '(not listed)',
  )

  const ticker = await client.getTicker({ symbol })
  console.log(
    'ticker     ',
    ticker
      ? `last ${ticker.lastPrice}, 24h ${ticker.low}–${ticker.high}, volume ${ticker.volume}`
      : 'no data (204)',
  )
  if (ticker && rule) {
    // Rounding direction is always explicit: a buy 0.1% under the last price,
    // rounded down to the tick so it never pays more than planned.
    const target = multiplyDecimals(ticker.lastPrice, '0.999')
    console.log(
      '           ',
      `a bid 0.1% under last: ${target} → ${formatPrice(rules, symbol, target, 'down')}`,
    )
  }

  const depth = await client.getDepth({ symbol, limit: 5 })
  console.log(
    'depth      ',
    `${depth.bids.length} bids / ${depth.asks.length} asks, lastUpdateId ${depth.lastUpdateId}, engine time ${depth.timestamp} µs`,
  )

  const startTime = Math.floor(Date.now() / 1000) - 3600 // klines take SECONDS
  const klines = await client.getKlines({ symbol, interval: '1m', startTime })
  const lastCandle = klines.at(-1)
  console.log(
    'klines     ',
    `${klines.length} one-minute candles; last ${lastCandle?.start ?? '-'} close ${lastCandle?.close ?? '-'}`,
  )

  const trades = await client.getRecentTrades({ symbol, limit: 5 })
  for (const t of trades) {
    console.log(
      'trade      ',
      new Date(t.timestamp).toISOString(),
      t.isBuyerMaker ? 'sell' : 'buy ',
      t.quantity,
      '@',
      t.price,
    )
  }
}

main().catch((error: unknown) => {
  console.error(isBackpackError(error) ? error.message : error)
  process.exitCode = 1
})
