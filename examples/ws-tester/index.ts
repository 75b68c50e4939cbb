/**
 * ws-tester: subscribe to any Backpack stream names and print, once a
 * second, the message rate and the latency from the exchange's event time.
 *
 *   npx tsx examples/ws-tester/index.ts bookTicker.SOL_USDC depth.200ms.SOL_USDC
 *   BACKPACK_WS_URL=ws://127.0.0.1:4000 npx tsx examples/ws-tester/index.ts trade.SOL_USDC
 *
 * Private streams (account.*) need BACKPACK_API_SECRET.
 */
import { BACKPACK_WS_URL, createStreamClient } from '@rung/backpack-sdk'

const names = process.argv.slice(2)
if (names.length === 0) {
  console.error(
    'usage: tsx examples/ws-tester/index.ts <stream> [<stream> ...]\n' +
      'e.g.   tsx examples/ws-tester/index.ts bookTicker.SOL_USDC trade.SOL_USDC',
  )
  process.exit(2)
}

const url = process.env.BACKPACK_WS_URL ?? BACKPACK_WS_URL
const stream = createStreamClient({
  url,
  secretKey: process.env.BACKPACK_API_SECRET || undefined,
})

interface Window {
  count: number
  /** Latencies in ms (host clock minus the event's `E`) seen this second. */
  latencies: number[]
}
const windows = new Map<string, Window>(
  names.map((n) => [n, { count: 0, latencies: [] }]),
)

for (const name of names) {
  stream.subscribe(
    name,
    (event: unknown) => {
      const w = windows.get(name)!
      w.count++
      const us = (event as { eventTimeUs?: unknown }).eventTimeUs
      if (typeof us === 'number') w.latencies.push(Date.now() - us / 1000)
    },
    { onError: (e) => console.error(`${name}: ${e.shortMessage}`) },
  )
}

stream.on('state', (state, previous) =>
  console.log(`[${new Date().toISOString()}] state ${previous} -> ${state}`),
)
stream.on('gap', (gap) =>
  console.log(
    `[gap] ${gap.reason}: no data from ${new Date(gap.startedAtMs).toISOString()} to ${new Date(gap.endedAtMs).toISOString()} (${gap.endedAtMs - gap.startedAtMs} ms)`,
  ),
)
stream.on('malformed', (m) =>
  console.log(`[malformed] ${m.reason} ${m.stream ?? ''}`),
)
stream.on('streamError', (e) => console.error(`[error] ${e.shortMessage}`))

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]

const timer = setInterval(() => {
  for (const [name, w] of windows) {
    const sorted = w.latencies.sort((a, b) => a - b)
    const lat =
      sorted.length === 0
        ? 'latency n/a'
        : `latency p50 ${pct(sorted, 50)!.toFixed(1)} ms, p99 ${pct(sorted, 99)!.toFixed(1)} ms`
    console.log(
      `${name.padEnd(32)} ${String(w.count).padStart(6)} msg/s  ${lat}`,
    )
    w.count = 0
    w.latencies = []
  }
  const s = stream.stats
  console.log(
    `  frames ${s.framesReceived}, malformed ${s.malformedFrames}, errors ${s.errorFrames}, reconnects ${s.reconnects}`,
  )
}, 1000)

process.on('SIGINT', async () => {
  clearInterval(timer)
  await stream.close()
  process.exit(0)
})
console.log(`connecting to ${url}; Ctrl-C to stop`)
