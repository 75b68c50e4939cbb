/**
 * ccxt (the most used JavaScript client) against the simulator, unchanged:
 * reference §12 lists what a server must do for it, and this checks it.
 */
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Sim, startSim } from '../src/index.js'
import { until } from './ws.js'

let sim: Sim
let publicKey: string
let secretKey: string

beforeAll(async () => {
  sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: 50 })
  sim.step(30)
  ;({ publicKey, secretKey } = generateKeyPair())
})
afterAll(async () => {
  await sim.close()
})

function rest() {
  const ex = new ccxt.backpack({ apiKey: publicKey, secret: secretKey })
  ex.urls.api = { ...ex.urls.api, public: sim.url, private: sim.url }
  return ex
}

describe('ccxt.backpack against backpack-sim', () => {
  test('behavior: public market data', async () => {
    const ex = rest()
    const markets = await ex.loadMarkets()
    expect(Object.keys(markets).sort()).toEqual([
      'BTC/USDC',
      'ETH/USDC',
      'SOL/USDC',
    ])
    expect(markets['BTC/USDC']!.precision).toMatchObject({
      price: 0.1,
      amount: 0.00001,
    })
    const ticker = await ex.fetchTicker('SOL/USDC')
    expect(ticker.last).toBeGreaterThan(0)
    const book = await ex.fetchOrderBook('SOL/USDC', 5)
    expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]!)
    expect(book.nonce).toBe(sim.book('SOL_USDC').lastUpdateId)
    const since = Date.now() - 10 * 60_000
    const candles = await ex.fetchOHLCV('SOL/USDC', '1m', since)
    expect(candles.length).toBeGreaterThan(0)
    const trades = await ex.fetchTrades('SOL/USDC')
    expect(trades.length).toBeGreaterThan(0)
    expect(trades[0]!.timestamp).toBeGreaterThan(since)
  })

  test('behavior: balances, orders and fills', async () => {
    const ex = rest()
    await ex.loadMarkets()
    const balance = await ex.fetchBalance()
    expect(balance.USDC).toMatchObject({ free: 10000, used: 0, total: 10000 })
    const fair = Number(sim.fairPrice('SOL_USDC'))
    const order = await ex.createOrder(
      'SOL/USDC',
      'limit',
      'buy',
      1,
      Number((fair * 0.97).toFixed(2)),
    )
    expect(order.id).toMatch(/^\d+$/)
    const open = await ex.fetchOpenOrders('SOL/USDC')
    expect(open.map((o) => o.id)).toEqual([order.id])
    const cancelled = await ex.cancelOrder(String(order.id), 'SOL/USDC')
    expect(cancelled.status).toBe('canceled')
    const market = await ex.createOrder('SOL/USDC', 'market', 'buy', 1)
    expect(market.status).toBe('closed')
    const mine = await ex.fetchMyTrades('SOL/USDC', Date.now() - 60_000)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.fee).toMatchObject({ currency: 'SOL' })
    expect(mine[0]!.amount).toBe(1)
  })

  test('error: exchange errors map to ccxt classes', async () => {
    const ex = rest()
    await ex.loadMarkets()
    const fair = Number(sim.fairPrice('SOL_USDC'))
    await expect(
      ex.createOrder(
        'SOL/USDC',
        'limit',
        'buy',
        100000,
        Number((fair * 0.97).toFixed(2)),
      ),
    ).rejects.toBeInstanceOf(ccxt.InsufficientFunds)
    const stranger = new ccxt.backpack({
      apiKey: publicKey,
      secret: generateKeyPair().secretKey,
    })
    stranger.urls.api = {
      ...stranger.urls.api,
      public: sim.url,
      private: sim.url,
    }
    await expect(stranger.fetchBalance()).rejects.toBeInstanceOf(
      ccxt.AuthenticationError,
    )
  })

  test('behavior: ccxt pro watchOrderBook, watchTrades and watchOrders', async () => {
    const ex = new ccxt.pro.backpack({ apiKey: publicKey, secret: secretKey })
    ex.urls.api = {
      ...ex.urls.api,
      public: sim.url,
      private: sim.url,
      ws: { public: sim.wsUrl, private: sim.wsUrl },
    }
    await ex.loadHttpProxyAgent()
    try {
      await ex.loadMarkets()
      const stepper = setInterval(() => sim.step(1), 20)
      try {
        const book = await ex.watchOrderBook('ETH/USDC')
        expect(book.bids.length).toBeGreaterThan(0)
        expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]!)
        const trades = await ex.watchTrades('ETH/USDC')
        expect(trades.length).toBeGreaterThan(0)
      } finally {
        clearInterval(stepper)
      }
      const fair = Number(sim.fairPrice('ETH_USDC'))
      const watching = ex.watchOrders('ETH/USDC')
      await until(() =>
        Object.keys(sim.subscriptions()).some((k) =>
          k.startsWith('account.orderUpdate'),
        ),
      )
      await ex.createOrder(
        'ETH/USDC',
        'limit',
        'buy',
        0.1,
        Number((fair * 0.98).toFixed(2)),
      )
      const orders = await watching
      expect(orders[0]!.status).toBe('open')
    } finally {
      await ex.close()
    }
  }, 15_000)
})
