/**
 * price-reader: polls a market's ticker over REST and prints every change of
 * the last price, with the best bid/ask from a small depth snapshot.
 *
 *   npx tsx examples/price-reader/index.ts SOL_USDC
 *   BACKPACK_BASE_URL=http://127.0.0.1:4000 npx tsx examples/price-reader/index.ts SOL_USDC
 *
 * Ctrl-C stops it cleanly (the in-flight request is aborted).
 */
import {
  BACKPACK_API_URL,
  compareDecimals,
  createBackpackClient,
  type DepthLevel,
  isBackpackError,
} from '@rung/backpack-sdk'

const symbol = process.argv[2] ?? process.env.BACKPACK_SYMBOL ?? 'SOL_USDC'
const intervalMs = Number(process.env.BACKPACK_POLL_MS ?? 2000)
const client = createBackpackClient({
  baseUrl: process.env.BACKPACK_BASE_URL ?? BACKPACK_API_URL,
  timeoutMs: 5000,
})

const stop = new AbortController()
process.once('SIGINT', () => stop.abort())

/** Best level of one side; the REST sort order is not guaranteed (UNCONFIRMED). */
function best(levels: DepthLevel[], side: 'bid' | 'ask'): string | undefined {
  let top: string | undefined
  for (const [price] of levels) {
    if (
      top === undefined ||
      (side === 'bid'
        ? compareDecimals(price, top) > 0
        : compareDecimals(price, top) < 0)
    ) {
      top = price
    }
  }
  return top
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

console.log(
  `price-reader: ${symbol} every ${intervalMs} ms from ${client.config.baseUrl}`,
)
let last: string | undefined
while (!stop.signal.aborted) {
  try {
    const [ticker, depth] = await Promise.all([
      client.getTicker({ symbol }, { signal: stop.signal }),
      client.getDepth({ symbol, limit: 5 }, { signal: stop.signal }),
    ])
    const price = ticker?.lastPrice
    if (price !== undefined && price !== last) {
      const bid = best(depth.bids, 'bid') ?? '-'
      const ask = best(depth.asks, 'ask') ?? '-'
      const arrow =
        last === undefined ? ' ' : compareDecimals(price, last) > 0 ? '▲' : '▼'
      console.log(
        `${new Date().toISOString()} ${arrow} ${symbol} last ${price}  bid ${bid}  ask ${ask}  24h ${ticker?.priceChangePercent ?? '-'}`,
      )
      last = price
    }
  } catch (error) {
    if (stop.signal.aborted) break
    // The SDK already retried reads; report and keep polling.
    console.error(isBackpackError(error) ? error.shortMessage : error)
  }
  await sleep(intervalMs, stop.signal)
}
console.log('price-reader: stopped')
