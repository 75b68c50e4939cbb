/**
 * price-reader: follows a market's last price and best bid/ask from the
 * WebSocket streams (`ticker.<symbol>` + `bookTicker.<symbol>`), and falls
 * back to REST polling (`getTicker` + a 5-level `getDepth`) whenever the
 * stream is down or has gone quiet. Every line says where it came from.
 *
 *   npx tsx examples/price-reader/index.ts SOL_USDC
 *   BACKPACK_BASE_URL=http://127.0.0.1:4000 BACKPACK_WS_URL=ws://127.0.0.1:4000 \
 *     npx tsx examples/price-reader/index.ts SOL_USDC
 *
 * Ctrl-C stops it cleanly (the stream closes, the in-flight request is aborted).
 */
import {
  BACKPACK_API_URL,
  BACKPACK_WS_URL,
  compareDecimals,
  createBackpackClient,
  createStreamClient,
  type DepthLevel,
  isBackpackError,
} from '@rung/backpack-sdk'

const symbol = process.argv[2] ?? process.env.BACKPACK_SYMBOL ?? 'SOL_USDC'
const intervalMs = Number(process.env.BACKPACK_POLL_MS ?? 2000)
/** The stream counts as quiet after this long without a ticker or bookTicker event. */
const staleMs = Number(process.env.BACKPACK_STALE_MS ?? 5000)
const client = createBackpackClient({
  baseUrl: process.env.BACKPACK_BASE_URL ?? BACKPACK_API_URL,
  timeoutMs: 5000,
})
const stream = createStreamClient({
  url: process.env.BACKPACK_WS_URL ?? BACKPACK_WS_URL,
})

const stop = new AbortController()
process.once('SIGINT', () => stop.abort())

let last: string | undefined
let bid: string | undefined
let ask: string | undefined
/** Host time of the last stream event (0 = none yet). */
let lastStreamEventAt = 0

function report(price: string, source: 'ws' | 'rest', change?: string) {
  if (price === last) return
  const arrow =
    last === undefined ? ' ' : compareDecimals(price, last) > 0 ? '▲' : '▼'
  console.log(
    `${new Date().toISOString()} [${source.padEnd(4)}] ${arrow} ${symbol} last ${price}  bid ${bid ?? '-'}  ask ${ask ?? '-'}${change === undefined ? '' : `  24h ${change}`}`,
  )
  last = price
}

// ── WebSocket: the primary source ─────────────────────────────────────────
stream.subscribe(`bookTicker.${symbol}`, (t) => {
  lastStreamEventAt = Date.now()
  bid = t.bestBidPrice
  ask = t.bestAskPrice
})
stream.subscribe(`ticker.${symbol}`, (t) => {
  lastStreamEventAt = Date.now()
  report(t.lastPrice, 'ws')
})
stream.on('state', (state, previous) =>
  console.log(`stream ${previous} -> ${state}`),
)
stream.on('gap', (gap) =>
  console.log(
    `stream gap ${gap.endedAtMs - gap.startedAtMs} ms (${gap.reason})`,
  ),
)
stream.on('streamError', (e) => console.error(`stream: ${e.shortMessage}`))

// ── REST: the fallback while the stream is down or quiet ─────────────────

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

const streamHealthy = () =>
  stream.state === 'open' && Date.now() - lastStreamEventAt < staleMs

console.log(
  `price-reader: ${symbol} from ${stream.url}, REST fallback ${client.config.baseUrl} every ${intervalMs} ms`,
)
// Give the stream a moment to deliver before the first REST read.
await sleep(Math.min(staleMs, 1500), stop.signal)
while (!stop.signal.aborted) {
  if (!streamHealthy()) {
    try {
      const [ticker, depth] = await Promise.all([
        client.getTicker({ symbol }, { signal: stop.signal }),
        client.getDepth({ symbol, limit: 5 }, { signal: stop.signal }),
      ])
      bid = best(depth.bids, 'bid') ?? bid
      ask = best(depth.asks, 'ask') ?? ask
      if (ticker?.lastPrice !== undefined) {
        report(ticker.lastPrice, 'rest', ticker.priceChangePercent)
      }
    } catch (error) {
      if (stop.signal.aborted) break
      // The SDK already retried reads; report and keep going.
      console.error(isBackpackError(error) ? error.shortMessage : error)
    }
  }
  await sleep(intervalMs, stop.signal)
}
await stream.close()
console.log('price-reader: stopped')
