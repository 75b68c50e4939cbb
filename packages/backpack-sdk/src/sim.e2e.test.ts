/**
 * End to end against backpack-sim on 127.0.0.1 (port 0): the simulator
 * verifies signatures and timestamps with its own code, against the host's
 * real clock, so this checks the SDK's whole private path independently of
 * our msw handlers.
 */
import { startSim } from '@rung/backpack-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { server } from '../test/msw/server.js'
import {
  ApiError,
  createBackpackClient,
  formatPrice,
  formatQuantity,
  generateKeyPair,
  loadMarketRules,
  multiplyDecimals,
} from './index.js'

// msw (set up for the REST unit tests) would intercept loopback requests.
beforeAll(() => server.close())

let sim: Awaited<ReturnType<typeof startSim>>
beforeAll(async () => {
  sim = await startSim({
    seed: 3,
    feed: { mode: 'manual' },
    balances: { USDC: '10000', SOL: '10' },
  })
})
afterAll(async () => {
  await sim?.close()
})

describe('backpack-sim end to end', () => {
  test('behavior: public data, precision rules and an order lifecycle', async () => {
    const { secretKey } = generateKeyPair()
    const client = createBackpackClient({ baseUrl: sim.url, secretKey })
    expect((await client.getStatus()).status).toBe('Ok')
    const rules = await loadMarketRules(client)
    expect(rules.SOL_USDC?.tickSize).toMatch(/^\d+(\.\d+)?$/)

    const ticker = await client.getTicker({ symbol: 'SOL_USDC' })
    const reference = ticker?.lastPrice ?? '100'
    // A bid 10% under the market (inside the price band), rounded down to the tick: it rests.
    const price = formatPrice(
      rules,
      'SOL_USDC',
      multiplyDecimals(reference, '0.9'),
      'down',
    )
    const quantity = formatQuantity(rules, 'SOL_USDC', '0.1', 'down', { price })
    const order = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price,
      quantity,
      postOnly: true,
    })
    expect(order.status).toBe('New')
    expect(typeof order.clientId).toBe('number')

    const found = await client.getOrder({
      symbol: 'SOL_USDC',
      clientId: order.clientId,
    })
    expect(found.id).toBe(order.id)
    const lookup = await client.findOrderByClientId({
      symbol: 'SOL_USDC',
      clientId: order.clientId,
    })
    expect(lookup.outcome).toBe('found')
    const balances = await client.getBalances()
    expect(balances.USDC?.locked).not.toBe('0')

    const cancelled = await client.cancelOrder({
      symbol: 'SOL_USDC',
      orderId: order.id,
    })
    expect(cancelled.status).toBe('Cancelled')
    expect(await client.getOpenOrders({ symbol: 'SOL_USDC' })).toEqual([])
    const history = await client.getOrderHistory({ symbol: 'SOL_USDC' })
    expect(history.some((row) => row.id === order.id)).toBe(true)
  })

  test('behavior: a host clock 30 s behind is corrected by the clock sync', async () => {
    const { secretKey } = generateKeyPair()
    const skewed = createBackpackClient({
      baseUrl: sim.url,
      secretKey,
      now: () => Date.now() - 30_000,
    })
    expect(await skewed.getBalances()).toHaveProperty('USDC')

    const unsynced = createBackpackClient({
      baseUrl: sim.url,
      secretKey,
      now: () => Date.now() - 30_000,
      clockSyncIntervalMs: false,
    })
    const error = await unsynced.getBalances().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
  })
})
