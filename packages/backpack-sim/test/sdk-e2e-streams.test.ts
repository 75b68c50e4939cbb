/**
 * The SDK's stream client and local order book, end to end against the
 * simulator (the SDK cannot depend on the sim, so these live here).
 */
import {
  createOrderBook,
  createStreamClient,
  type StreamClient,
} from '@rung/backpack-sdk'
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import { afterEach, describe, expect, test } from 'vitest'
import { type Sim, startSim } from '../src/index.js'
import { caller } from './signed.js'
import { subscribed, until } from './ws.js'

let sim: Sim | undefined
let stream: StreamClient | undefined
afterEach(async () => {
  await stream?.close()
  stream = undefined
  await sim?.close()
  sim = undefined
})

function waitFor<T>(
  register: (resolve: (v: T) => void) => void,
  timeoutMs = 4000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), timeoutMs)
    register((v) => {
      clearTimeout(t)
      resolve(v)
    })
  })
}

const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms))

describe('createStreamClient against backpack-sim', () => {
  test('behavior: public streams parse without malformed frames', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    stream = createStreamClient({ url: sim.wsUrl })
    await stream.ready()
    const trades: string[] = []
    const books: string[] = []
    const klines: boolean[] = []
    let depths = 0
    stream.subscribe('trade.SOL_USDC', (t) => trades.push(t.price))
    stream.subscribe('bookTicker.SOL_USDC', (b) => books.push(b.bestBidPrice))
    stream.subscribe('kline.1m.SOL_USDC', (k) => klines.push(k.closed))
    stream.subscribe('depth.SOL_USDC', () => {
      depths += 1
    })
    await subscribed(
      sim,
      'trade.SOL_USDC',
      'bookTicker.SOL_USDC',
      'kline.1m.SOL_USDC',
      'depth.SOL_USDC',
    )
    const s = sim
    for (let i = 0; i < 30 && trades.length === 0; i++) {
      s.step(5)
      await tick(20)
    }
    await until(
      () =>
        trades.length > 0 &&
        books.length > 0 &&
        klines.length > 0 &&
        depths > 0,
    )
    expect(stream.stats.malformedFrames).toBe(0)
    expect(stream.stats.errorFrames).toBe(0)
  })

  test('behavior: private order updates for a signed subscription', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const { secretKey } = generateKeyPair()
    stream = createStreamClient({ url: sim.wsUrl, secretKey })
    const events: {
      eventType: string
      status: string
      fillQuantity?: string
    }[] = []
    stream.subscribe('account.orderUpdate.SOL_USDC', (e) => events.push(e))
    await stream.ready()
    await subscribed(sim, 'account.orderUpdate.SOL_USDC')
    const c = caller(sim.url, secretKey)
    const fair = Number(sim.fairPrice('SOL_USDC'))
    await c.call('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: (fair * 0.995).toFixed(2),
      quantity: '1.5',
      clientId: 5,
    })
    sim.setPrice('SOL_USDC', (fair * 0.99).toFixed(2))
    await waitFor<void>((done) => {
      const check = setInterval(() => {
        if (events.length >= 2) {
          clearInterval(check)
          done()
        }
      }, 10)
    })
    expect(events.map((e) => [e.eventType, e.status])).toEqual([
      ['orderAccepted', 'New'],
      ['orderFill', 'Filled'],
    ])
    expect(events[1]!.fillQuantity).toBe('1.50')
    expect(stream.stats.malformedFrames).toBe(0)
  })

  test('behavior: reconnects and resubscribes after the admin drop', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: 30 })
    stream = createStreamClient({
      url: sim.wsUrl,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    })
    let depths = 0
    stream.subscribe('depth.BTC_USDC', () => {
      depths += 1
    })
    await stream.ready()
    const s = sim
    const gap = waitFor<{ streams: readonly string[] }>((resolve) =>
      stream!.once('gap', (g) => resolve(g)),
    )
    await subscribed(s, 'depth.BTC_USDC')
    await fetch(`${s.url}/_sim/drop-connections`, { method: 'POST' })
    const g = await gap
    expect(g.streams).toContain('depth.BTC_USDC')
    const before = depths
    await until(() => depths > before)
  })
})

describe('createOrderBook against backpack-sim', () => {
  test('behavior: the local book converges to the simulator book', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const s = sim
    stream = createStreamClient({ url: s.wsUrl })
    const book = createOrderBook({
      symbol: 'ETH_USDC',
      stream,
      fetchSnapshot: async ({ symbol }) =>
        (await (
          await fetch(`${s.url}/api/v1/depth?symbol=${symbol}`)
        ).json()) as {
          bids: [string, string][]
          asks: [string, string][]
          lastUpdateId: string
        },
    })
    await stream.ready()
    await subscribed(s, 'depth.ETH_USDC')
    s.step(2)
    await book.ready()
    for (let i = 0; i < 20; i++) s.step(1)
    s.setPrice('ETH_USDC', '3300.00')
    const truth = s.book('ETH_USDC')
    await until(
      () =>
        book.state === 'live' && book.bids(1)[0]?.[0] === truth.bids[0]?.[0],
    )
    expect(book.bids(100)).toEqual(truth.bids)
    expect(book.asks(100)).toEqual(truth.asks)
    book.close()
  })
})
