/**
 * Every SDK REST method end to end against the simulator (the SDK cannot
 * depend on the sim, so these live here).
 */
import {
  type BackpackClient,
  createBackpackClient,
  formatPrice,
  formatQuantity,
  isApiError,
  loadMarketRules,
} from '@rung/backpack-sdk'
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Sim, startSim } from '../src/index.js'

let sim: Sim
let client: BackpackClient
let publicKey: string

beforeAll(async () => {
  sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
  sim.step(30)
  const keys = generateKeyPair()
  publicKey = keys.publicKey
  client = createBackpackClient({
    baseUrl: sim.url,
    secretKey: keys.secretKey,
    windowMs: 300,
    retry: { limit: 2, baseDelayMs: 10, maxDelayMs: 20 },
  })
})
afterAll(async () => {
  await sim.close()
})

describe('createBackpackClient against backpack-sim', () => {
  test('behavior: public methods', async () => {
    expect(await client.getStatus()).toMatchObject({ status: 'Ok' })
    expect(await client.ping()).toBe('pong')
    const time = await client.getServerTime()
    expect(Math.abs(time - Date.now())).toBeLessThan(5000)
    expect((await client.getAssets()).map((a) => a.symbol)).toContain('USDC')
    const markets = await client.getMarkets()
    expect(markets.map((m) => m.symbol)).toEqual([
      'BTC_USDC',
      'ETH_USDC',
      'SOL_USDC',
    ])
    expect(
      (await client.getMarket({ symbol: 'BTC_USDC' })).filters.price.tickSize,
    ).toBe('0.1')
    const ticker = await client.getTicker({ symbol: 'SOL_USDC' })
    expect(ticker?.symbol).toBe('SOL_USDC')
    expect(await client.getTickers()).toHaveLength(3)
    const depth = await client.getDepth({ symbol: 'SOL_USDC', limit: 5 })
    expect(depth.bids).toHaveLength(5)
    expect(String(depth.lastUpdateId)).toBe(
      String(sim.book('SOL_USDC').lastUpdateId),
    )
    const klines = await client.getKlines({
      symbol: 'SOL_USDC',
      interval: '1m',
      startTime: Math.floor(Date.now() / 1000) - 600,
    })
    expect(klines.length).toBeGreaterThan(0)
    const recent = await client.getRecentTrades({
      symbol: 'SOL_USDC',
      limit: 3,
    })
    expect(recent.length).toBeGreaterThan(0)
    const older = await client.getHistoricalTrades({
      symbol: 'SOL_USDC',
      limit: 3,
      offset: 1,
    })
    expect(older.length).toBeGreaterThan(0)
  })

  test('behavior: market rules from the sim format prices the engine accepts', async () => {
    const rules = await loadMarketRules(client)
    const fair = sim.fairPrice('ETH_USDC')
    const price = formatPrice(
      rules,
      'ETH_USDC',
      String(Number(fair) * 0.98),
      'down',
    )
    const quantity = formatQuantity(rules, 'ETH_USDC', '0.123456', 'down', {
      price,
    })
    const order = await client.executeOrder({
      symbol: 'ETH_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price,
      quantity,
    })
    expect(order).toMatchObject({ status: 'New', quantity: '0.1234' })
    await client.cancelOrder({ symbol: 'ETH_USDC', orderId: order.id })
  })

  test('behavior: account, capital and collateral', async () => {
    const account = await client.getAccount()
    expect(account).toMatchObject({ spotMakerFee: '8', spotTakerFee: '10' })
    const balances = await client.getBalances()
    expect(balances.USDC).toEqual({
      available: '10000',
      locked: '0',
      staked: '0',
    })
    const collateral = await client.getCollateral()
    expect(collateral.collateral.length).toBe(4)
  })

  test('behavior: order methods through their whole lifecycle', async () => {
    const fair = Number(sim.fairPrice('SOL_USDC'))
    const bid = (fair * 0.97).toFixed(2)
    const placed = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: bid,
      quantity: '2',
      clientId: 1001,
    })
    expect(placed).toMatchObject({ status: 'New', clientId: 1001 })
    expect(
      (await client.getOrder({ symbol: 'SOL_USDC', orderId: placed.id })).id,
    ).toBe(placed.id)
    const found = await client.findOrderByClientId({
      symbol: 'SOL_USDC',
      clientId: 1001,
    })
    expect(found.outcome).toBe('found')
    expect(
      (await client.getOpenOrders({ symbol: 'SOL_USDC' })).map((o) => o.id),
    ).toEqual([placed.id])
    const batch = await client.executeOrders([
      {
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: (fair * 0.96).toFixed(2),
        quantity: '1',
        clientId: 1002,
      },
      {
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: (fair * 0.95).toFixed(2),
        quantity: '100000',
        clientId: 1003,
      },
    ])
    expect(batch[0]).toMatchObject({ status: 'New' })
    expect(batch[1]).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      operation: 'Err',
    })
    const cancelled = await client.cancelOrder({
      symbol: 'SOL_USDC',
      clientId: 1002,
    })
    expect(cancelled.status).toBe('Cancelled')
    const market = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Market',
      quantity: '1',
    })
    expect(market.status).toBe('Filled')
    const byQuote = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Ask',
      orderType: 'Market',
      quoteQuantity: '50',
    })
    expect(byQuote.status).toBe('Filled')
    const all = await client.cancelOpenOrders({ symbol: 'SOL_USDC' })
    expect(all.map((o) => o.id)).toEqual([placed.id])
    const history = await client.getOrderHistory({ symbol: 'SOL_USDC' })
    expect(history.map((o) => o.status).sort()).toEqual([
      'Cancelled',
      'Cancelled',
      'Filled',
      'Filled',
    ])
    const fills = await client.getFillHistory({
      symbol: 'SOL_USDC',
      fillType: 'User',
    })
    expect(fills.length).toBeGreaterThanOrEqual(2)
    expect(
      fills.every((f) => typeof f.fee === 'string' && f.fee.length > 0),
    ).toBe(true)
    expect(sim.ledger(publicKey).balances.USDC?.locked).toBe('0')
  })

  test('error: exchange rejections surface as ApiError with the code', async () => {
    const error = await client
      .executeOrder({
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: '100.001',
        quantity: '1',
      })
      .catch((e: unknown) => e)
    expect(isApiError(error)).toBe(true)
    expect((error as { code: string }).code).toBe('INVALID_PRICE')
    const missing = await client
      .getOrder({ symbol: 'SOL_USDC', orderId: '1' })
      .catch((e: unknown) => e)
    expect((missing as { code?: string }).code).toBe('RESOURCE_NOT_FOUND')
  })

  test('behavior: 429 is retried; a lost order response is recovered by clientId', async () => {
    sim.setFaults({ failNext: { count: 1, status: 429, retryAfterSec: 0 } })
    expect((await client.getBalances()).USDC).toBeDefined()
    sim.setFaults({
      loseResponses: {
        count: 1,
        mode: '504',
        path: '/api/v1/order',
        method: 'POST',
      },
    })
    const fair = Number(sim.fairPrice('SOL_USDC'))
    const order = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: (fair * 0.9).toFixed(2),
      quantity: '1',
      clientId: 2001,
    })
    expect(order).toMatchObject({ clientId: 2001, status: 'New' })
    expect(await client.getOpenOrders({ symbol: 'SOL_USDC' })).toHaveLength(1)
    sim.setFaults({})
  })
})
