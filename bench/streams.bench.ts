/**
 * Streams: frame parsing through the real stream client, and depth deltas
 * applied to a 500-level local order book.
 *
 * - Parsing: text frames go through the client exactly as from a socket
 *   (the socket's 'message' listener → JSON.parse → route → typed object →
 *   a no-op subscriber), beside bare JSON.parse of the same frames.
 *   Target: within 1.5x of JSON.parse.
 * - Book: one depth event (one or five level changes, a mix of size changes,
 *   inserts and removals at random prices) applied to a book holding 500
 *   levels a side, beside Map.set/delete of the same price strings.
 *   Target: under 1 µs per event.
 */
import {
  createOrderBook,
  createStreamClient,
  type DepthEvent,
  type OrderBookOptions,
  type WebSocketLike,
} from '@rung/backpack-sdk'
import { compare } from './harness.js'

type Listener = (event: { data: unknown }) => void

/** A socket that opens at once and lets the benchmark inject frames. */
class BenchSocket implements WebSocketLike {
  static last: BenchSocket | undefined
  readyState = 1
  message: Listener = () => {}
  constructor(_url: string) {
    BenchSocket.last = this
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    if (type === 'message') this.message = listener as Listener
    if (type === 'open') queueMicrotask(() => (listener as () => void)())
  }
  send(): void {}
  close(): void {}
}

const BOOK_TICKER = JSON.stringify({
  stream: 'bookTicker.SOL_USDC',
  data: {
    e: 'bookTicker',
    E: 1694687692980000,
    s: 'SOL_USDC',
    a: '18.70',
    A: '1.000',
    b: '18.67',
    B: '2.000',
    u: '111063070525358080',
    T: 1694687692989999,
  },
})

const DEPTH = JSON.stringify({
  stream: 'depth.SOL_USDC',
  data: {
    e: 'depth',
    E: 1694687965941000,
    s: 'SOL_USDC',
    a: [
      ['18.70', '0.000'],
      ['18.72', '12.5'],
      ['18.75', '3.1'],
    ],
    b: [
      ['18.67', '0.832'],
      ['18.66', '4.00'],
      ['18.60', '10.2'],
    ],
    U: 94978271,
    u: 94978276,
    T: 1694687965940999,
  },
})

async function parsing() {
  const client = createStreamClient({
    url: 'ws://bench',
    WebSocket: BenchSocket,
    heartbeat: false,
  })
  let sink = 0
  client.subscribe('bookTicker.SOL_USDC', (e) => {
    sink += e.eventTimeUs
  })
  client.subscribe('depth.SOL_USDC', (e) => {
    sink += e.lastUpdateId
  })
  await client.ready()
  await new Promise((r) => setTimeout(r, 0))
  const socket = BenchSocket.last!
  const bt = { data: BOOK_TICKER }
  const depth = { data: DEPTH }

  await compare({
    title: 'bookTicker frames: text → typed event (client path)',
    unit: 'frames/s',
    baseline: { name: 'JSON.parse only', fn: () => JSON.parse(BOOK_TICKER) },
    cases: [{ name: 'stream client', fn: () => socket.message(bt) }],
  })
  await compare({
    title: 'depth frames (3+3 levels): text → typed event (client path)',
    unit: 'frames/s',
    baseline: { name: 'JSON.parse only', fn: () => JSON.parse(DEPTH) },
    cases: [{ name: 'stream client', fn: () => socket.message(depth) }],
  })
  if (client.stats.malformedFrames > 0)
    throw new Error('bench frames malformed')
  await client.close()
  return sink
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function book() {
  const random = rng(42)
  // 500 levels a side: bids 100.00 - 0.01*i, asks 100.01 + 0.01*i (as cents).
  const cents = (c: number) =>
    `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`
  const bids: [string, string][] = []
  const asks: [string, string][] = []
  for (let i = 0; i < 500; i++) {
    bids.push([cents(10_000 - i), '1.5'])
    asks.push([cents(10_001 + i), '2.5'])
  }
  let listener: (e: DepthEvent) => void = () => {}
  const stream = {
    state: 'open' as const,
    on: () => stream,
    off: () => stream,
    subscribe: (_name: string, fn: (e: never) => void) => {
      listener = fn as (e: DepthEvent) => void
      return { stream: 'depth.SOL_USDC', active: true, unsubscribe() {} }
    },
  }
  const ob = createOrderBook({
    symbol: 'SOL_USDC',
    stream: stream as unknown as OrderBookOptions['stream'],
    fetchSnapshot: async () => ({ bids, asks, lastUpdateId: '1000' }),
  })
  let id = 1000
  const event = (changes: number): DepthEvent => {
    const b: [string, string][] = []
    const a: [string, string][] = []
    for (let k = 0; k < changes; k++) {
      // Prices within the 500 levels (and a few past them), quantities: 70%
      // size changes, 15% removals, 15% re-inserts of removed levels.
      const r = random()
      const q =
        r < 0.15
          ? '0'
          : `${1 + Math.floor(random() * 90)}.${Math.floor(random() * 10)}`
      const offset = Math.floor(random() * 520)
      if (k % 2 === 0) b.push([cents(10_000 - offset), q])
      else a.push([cents(10_001 + offset), q])
    }
    return {
      eventType: 'depth',
      eventTimeUs: 0,
      symbol: 'SOL_USDC',
      bids: b,
      asks: a,
      firstUpdateId: 0,
      lastUpdateId: 0,
      engineTimeUs: 0,
    }
  }
  const ones = Array.from({ length: 4096 }, () => event(1))
  const fives = Array.from({ length: 4096 }, () => event(5))
  const seed = event(1)
  seed.firstUpdateId = 1001
  seed.lastUpdateId = 1001
  listener(seed)
  await ob.ready()
  id = 1001
  let i = 0
  const push = (pool: DepthEvent[]) => {
    const e = pool[i++ & 4095]!
    e.firstUpdateId = ++id
    e.lastUpdateId = id
    listener(e)
  }
  const map = new Map<string, string>()
  for (const [p, q] of bids) map.set(p, q)
  let j = 0
  await compare({
    title: 'depth event (1 level change) on a 500-level book',
    unit: 'events/s',
    baseline: {
      name: 'Map.set/delete of the price string',
      fn: () => {
        const [p, q] = ones[j++ & 4095]!.bids[0] ?? ones[0]!.asks[0]!
        if (q === '0') map.delete(p)
        else map.set(p, q)
      },
    },
    cases: [
      { name: 'order book (seq check + sorted insert)', fn: () => push(ones) },
    ],
  })
  await compare({
    title: 'depth event (5 level changes) on a 500-level book',
    unit: 'level updates/s',
    baseline: {
      name: 'Map.set/delete ×5',
      units: 5,
      fn: () => {
        const e = fives[j++ & 4095]!
        for (const [p, q] of e.bids) q === '0' ? map.delete(p) : map.set(p, q)
        for (const [p, q] of e.asks) q === '0' ? map.delete(p) : map.set(p, q)
      },
    },
    cases: [{ name: 'order book', units: 5, fn: () => push(fives) }],
  })
  if (ob.state !== 'live' || ob.stats.resyncs > 0) {
    throw new Error(`book fell out of sync during the benchmark (${ob.state})`)
  }
  console.log(
    `book after the run: ${ob.bids().length} bids, ${ob.asks().length} asks`,
  )
  ob.close()
}

export default async function streams(): Promise<void> {
  await parsing()
  await book()
}
