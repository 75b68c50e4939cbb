import {
  buildSigningPayload,
  createSigner,
  generateKeyPair,
} from '@rung/backpack-sdk/signing'
import { describe, expect, test } from 'vitest'
import { caller } from '../test/signed.js'
import { manualSims } from '../test/sims.js'
import { SimError, startSim } from './index.js'

const manual = manualSims()

type Order = {
  id: string
  status: string
  clientId: number | null
  executedQuantity: string
}

describe('startSim', () => {
  test('default', async () => {
    const s = await manual()
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(s.wsUrl).toBe(s.url.replace('http', 'ws'))
    expect(s.port).toBeGreaterThan(0)
  })

  test('error: invalid options name the field', async () => {
    await expect(
      startSim({ port: -1 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[SimError: \`port\` must be an integer from 0 to 65535 (0 picks a free port); got -1]`,
    )
    await expect(
      startSim({ balances: { USDC: 'lots' } }),
    ).rejects.toBeInstanceOf(SimError)
    await expect(
      startSim({ feed: { mode: 'generated', tickMs: 0 } }),
    ).rejects.toThrow(
      '`feed.tickMs` must be a number of milliseconds of at least 1; got 0',
    )
    await expect(startSim({ seed: 1.5 })).rejects.toThrow(
      '`seed` must be an integer',
    )
    await expect(
      startSim({ feed: { mode: 'replay', file: '/nonexistent.csv' } }),
    ).rejects.toThrow('Cannot read the replay file /nonexistent.csv')
  })
})

describe('public REST', () => {
  test('behavior: status, ping, time, assets, markets, market', async () => {
    const s = await manual({ now: () => 1_753_131_712_992 })
    const get = (p: string) => fetch(`${s.url}${p}`)
    expect(await (await get('/api/v1/status')).json()).toEqual({
      status: 'Ok',
      message: null,
    })
    const ping = await get('/api/v1/ping')
    expect(ping.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await ping.text()).toBe('pong')
    expect(await (await get('/api/v1/time')).text()).toBe('1753131712992')
    const assets = (await (await get('/api/v1/assets')).json()) as {
      symbol: string
    }[]
    expect(assets.map((a) => a.symbol).sort()).toEqual([
      'BTC',
      'ETH',
      'SOL',
      'USDC',
    ])
    const markets = (await (await get('/api/v1/markets')).json()) as Record<
      string,
      unknown
    >[]
    expect(markets.map((m) => m.symbol)).toEqual([
      'BTC_USDC',
      'ETH_USDC',
      'SOL_USDC',
    ])
    const btc = (await (
      await get('/api/v1/market?symbol=BTC_USDC')
    ).json()) as {
      filters: {
        price: { tickSize: string }
        quantity: { stepSize: string; minQuantity: string }
      }
      orderBookState: string
    }
    expect(btc.filters.price.tickSize).toBe('0.1')
    expect(btc.filters.quantity).toMatchObject({
      stepSize: '0.00001',
      minQuantity: '0.00001',
    })
    expect(btc.orderBookState).toBe('Open')
    const bad = await get('/api/v1/market?symbol=NOPE_USDC')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      code: 'INVALID_MARKET',
      message: 'Invalid market: NOPE_USDC',
    })
    const unknown = await get('/api/v1/nothing')
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { code: string }).code).toBe(
      'RESOURCE_NOT_FOUND',
    )
  })

  test('behavior: depth snapshot shape and lastUpdateId', async () => {
    const s = await manual()
    const res = await fetch(`${s.url}/api/v1/depth?symbol=BTC_USDC&limit=5`)
    const d = (await res.json()) as {
      bids: [string, string][]
      asks: [string, string][]
      lastUpdateId: string
      timestamp: number
    }
    expect(d.bids).toHaveLength(5)
    expect(d.asks).toHaveLength(5)
    expect(Number(d.bids[4]![0])).toBeGreaterThan(Number(d.bids[0]![0])) // ascending
    expect(Number(d.asks[0]![0])).toBeLessThan(Number(d.asks[4]![0]))
    expect(Number(d.bids[4]![0])).toBeLessThan(Number(d.asks[0]![0]))
    expect(d.lastUpdateId).toBe(String(s.book('BTC_USDC').lastUpdateId))
    expect(Number.isInteger(d.timestamp) && d.timestamp > 1e15).toBe(true)
    const bad = await fetch(`${s.url}/api/v1/depth?symbol=BTC_USDC&limit=7`)
    expect(bad.status).toBe(400)
  })

  test('behavior: trades, klines and tickers follow the engine', async () => {
    const s = await manual()
    s.step(30, 1)
    const trades = (await (
      await fetch(`${s.url}/api/v1/trades?symbol=SOL_USDC&limit=5`)
    ).json()) as {
      id: number
      price: string
      timestamp: number
      isBuyerMaker: boolean
    }[]
    expect(trades.length).toBeGreaterThan(0)
    expect(Number.isInteger(trades[0]!.timestamp)).toBe(true)
    const start = Math.floor(Date.now() / 1000) - 120
    const klines = (await (
      await fetch(
        `${s.url}/api/v1/klines?symbol=SOL_USDC&interval=1m&startTime=${start}`,
      )
    ).json()) as Record<string, string>[]
    expect(klines.length).toBeGreaterThan(0)
    expect(klines[0]!.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00$/)
    const total = klines.reduce((n, k) => n + Number(k.trades), 0)
    expect(total).toBe(
      (
        (await (
          await fetch(`${s.url}/api/v1/trades?symbol=SOL_USDC&limit=1000`)
        ).json()) as unknown[]
      ).length,
    )
    const noStart = await fetch(
      `${s.url}/api/v1/klines?symbol=SOL_USDC&interval=1m`,
    )
    expect(noStart.status).toBe(400)
    const ticker = (await (
      await fetch(`${s.url}/api/v1/ticker?symbol=SOL_USDC`)
    ).json()) as Record<string, string>
    expect(ticker.lastPrice).toBe(trades[trades.length - 1]!.price)
    expect(ticker.trades).toBe(String(total))
    const tickers = (await (
      await fetch(`${s.url}/api/v1/tickers`)
    ).json()) as unknown[]
    expect(tickers).toHaveLength(3)
  })
})

describe('auth', () => {
  test('behavior: public endpoints ignore auth and broker headers', async () => {
    const s = await manual()
    const res = await fetch(`${s.url}/api/v1/markets`, {
      headers: { 'X-API-Key': 'garbage', 'X-Broker-Id': '1400' },
    })
    expect(res.status).toBe(200)
  })

  test('error: missing headers, bad signature, unknown key', async () => {
    const allowed = generateKeyPair()
    const s = await manual({ keys: [allowed.publicKey] })
    const bare = await fetch(`${s.url}/api/v1/capital`)
    expect(bare.status).toBe(401)
    expect(await bare.json()).toEqual({
      code: 'INVALID_SIGNATURE',
      message: 'Invalid signature',
    })
    const stranger = await caller(s.url).call('GET', '/api/v1/capital')
    expect(stranger).toMatchObject({
      status: 401,
      body: { code: 'INVALID_SIGNATURE' },
    })
    const c = caller(s.url, allowed.secretKey)
    expect((await c.call('GET', '/api/v1/capital')).status).toBe(200)
    const forged = await c.call('GET', '/api/v1/capital', undefined, {
      headers: {
        'X-Signature': createSigner(generateKeyPair().secretKey).sign('x'),
      },
    })
    expect(forged.status).toBe(401)
  })

  test('error: expired timestamp and window above 60000', async () => {
    const s = await manual()
    const c = caller(s.url)
    const old = await c.call('GET', '/api/v1/capital', undefined, {
      timestamp: Date.now() - 6000,
    })
    expect(old).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'Request has expired' },
    })
    const wide = await c.call('GET', '/api/v1/capital', undefined, {
      windowMs: 60001,
    })
    expect(wide).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } })
    const max = await c.call('GET', '/api/v1/capital', undefined, {
      windowMs: 60000,
      timestamp: Date.now() - 30000,
    })
    expect(max.status).toBe(200)
  })

  test('args: now is the clock auth checks against', async () => {
    const s = await manual({ now: () => 1_700_000_000_000 })
    const c = caller(s.url)
    expect(
      (
        await c.call('GET', '/api/v1/capital', undefined, {
          timestamp: 1_700_000_000_000,
        })
      ).status,
    ).toBe(200)
    expect((await c.call('GET', '/api/v1/capital')).status).toBe(401)
  })

  test('behavior: ccxt habits: no X-Window header, numeric orderId, broker header, bare JSON type', async () => {
    const s = await manual()
    const { secretKey } = generateKeyPair()
    const signer = createSigner(secretKey)
    const c = caller(s.url, secretKey)
    const placed = await c.call<{ id: string }>('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
    })
    const ts = Date.now()
    const body = { orderId: Number(placed.body.id), symbol: 'SOL_USDC' }
    const payload = buildSigningPayload({
      instruction: 'orderCancel',
      params: body,
      timestamp: ts,
      windowMs: 5000,
    })
    const res = await fetch(`${s.url}/api/v1/order`, {
      method: 'DELETE',
      headers: {
        'Content-Type': 'application/json',
        'X-API-Key': signer.publicKey,
        'X-Signature': signer.sign(payload),
        'X-Timestamp': String(ts),
        'X-Broker-Id': '1400',
      },
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: placed.body.id,
      status: 'Cancelled',
    })
  })

  test('behavior: the ccxt URL-encoded and null-kept variants verify too', async () => {
    const s = await manual()
    const { secretKey } = generateKeyPair()
    const signer = createSigner(secretKey)
    const ts = Date.now()
    const headers = (payload: string) => ({
      'X-API-Key': signer.publicKey,
      'X-Signature': signer.sign(payload),
      'X-Timestamp': String(ts),
      'X-Window': '5000',
      'Content-Type': 'application/json',
    })
    // ccxt signs `50%` as `50%25`.
    const encoded = buildSigningPayload({
      instruction: 'balanceQuery',
      params: { note: '50%25' },
      timestamp: ts,
      windowMs: 5000,
    })
    const r1 = await fetch(`${s.url}/api/v1/capital?note=50%25`, {
      headers: headers(encoded),
    })
    expect(r1.status).toBe(200)
    // A top-level null kept as `key=`.
    const body = {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
      clientId: null,
    }
    const kept = buildSigningPayload({
      instruction: 'orderExecute',
      params: { ...body, clientId: '' },
      timestamp: ts,
      windowMs: 5000,
    })
    const r2 = await fetch(`${s.url}/api/v1/order`, {
      method: 'POST',
      headers: headers(kept),
      body: JSON.stringify(body),
    })
    expect(r2.status).toBe(200)
  })
})

describe('private REST', () => {
  test('behavior: account, capital and collateral', async () => {
    const s = await manual({
      balances: { USDC: '500', SOL: '2' },
      makerFeeBps: '2',
      takerFeeBps: '5',
    })
    const c = caller(s.url)
    expect((await c.call('GET', '/api/v1/account')).body).toMatchObject({
      spotMakerFee: '2',
      spotTakerFee: '5',
      limitOrders: 0,
    })
    expect((await c.call('GET', '/api/v1/capital')).body).toEqual({
      SOL: { available: '2', locked: '0', staked: '0' },
      USDC: { available: '500', locked: '0', staked: '0' },
    })
    await c.call('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
    })
    expect((await c.call('GET', '/api/v1/capital')).body).toMatchObject({
      USDC: { available: '360', locked: '140' },
    })
    const col = await c.call('GET', '/api/v1/capital/collateral')
    expect(col.body).toMatchObject({ netEquityLocked: '140' })
  })

  test('behavior: order lifecycle by orderId and clientId', async () => {
    const s = await manual()
    const c = caller(s.url)
    const placed = await c.call<Order>('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
      clientId: 42,
    })
    expect(placed.body).toMatchObject({
      status: 'New',
      clientId: 42,
      price: '140.00',
      quantity: '1.00',
    })
    const byClient = await c.call<Order>('GET', '/api/v1/order', {
      symbol: 'SOL_USDC',
      clientId: 42,
    })
    expect(byClient.body.id).toBe(placed.body.id)
    const both = await c.call('GET', '/api/v1/order', { symbol: 'SOL_USDC' })
    expect(both.body).toEqual({
      code: 'INVALID_CLIENT_REQUEST',
      message: 'Must specify either `clientId` or `orderId`',
    })
    const dup = await c.call('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '139.00',
      quantity: '1',
      clientId: 42,
    })
    expect(dup).toMatchObject({ status: 400, body: { code: 'INVALID_ORDER' } })
    expect(
      (
        await c.call<Order[]>('GET', '/api/v1/orders', { symbol: 'SOL_USDC' })
      ).body.map((o) => o.id),
    ).toEqual([placed.body.id])
    const cancelled = await c.call('DELETE', '/api/v1/order', {
      symbol: 'SOL_USDC',
      orderId: placed.body.id,
    })
    expect(cancelled.body).toMatchObject({ status: 'Cancelled' })
    const gone = await c.call('GET', '/api/v1/order', {
      symbol: 'SOL_USDC',
      orderId: placed.body.id,
    })
    expect(gone).toMatchObject({
      status: 404,
      body: { code: 'RESOURCE_NOT_FOUND', message: 'Order not found' },
    })
    const again = await c.call('DELETE', '/api/v1/order', {
      symbol: 'SOL_USDC',
      orderId: placed.body.id,
    })
    expect(again).toMatchObject({
      status: 400,
      body: { code: 'RESOURCE_NOT_FOUND' },
    })
    const history = await c.call<Record<string, unknown>[]>(
      'GET',
      '/wapi/v1/history/orders',
      { symbol: 'SOL_USDC' },
    )
    expect(history.body[0]).toMatchObject({
      id: placed.body.id,
      status: 'Cancelled',
    })
    expect(history.body[0]!.createdAt).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
    )
  })

  test('behavior: a price move fills resting orders; fills history follows rule 14', async () => {
    const s = await manual()
    const c = caller(s.url)
    const fair = Number(s.fairPrice('SOL_USDC'))
    const price = (fair * 0.99).toFixed(2)
    await c.call('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price,
      quantity: '2',
    })
    s.setPrice('SOL_USDC', (fair * 0.98).toFixed(2))
    const fills = await c.call<Record<string, unknown>[]>(
      'GET',
      '/wapi/v1/history/fills',
      {
        symbol: 'SOL_USDC',
        fillType: 'User',
        limit: 100,
        offset: 0,
        from: Date.now() - 60_000,
      },
    )
    expect(fills.body).toHaveLength(1)
    expect(fills.body[0]).toMatchObject({
      price,
      quantity: '2.00',
      isMaker: true,
      feeSymbol: 'SOL',
      fee: '0.0016',
    })
    expect(fills.body[0]!.timestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
    )
    expect(fills.headers.get('x-total')).toBe('1')
    // The market order path: taker fee, and fee "0" rendered as a string when zero.
    const s2 = s.ledger(c.publicKey)
    expect(s2.balances.SOL).toEqual({ available: '21.9984', locked: '0' })
    expect(s2.entries.map((e) => e.kind)).toEqual([
      'initial',
      'initial',
      'initial',
      'initial',
      'trade',
      'trade',
      'fee',
    ])
  })

  test('behavior: batch orders answer per item, 200 overall', async () => {
    const s = await manual()
    const c = caller(s.url)
    const res = await c.call<Record<string, unknown>[]>(
      'POST',
      '/api/v1/orders',
      [
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Limit',
          price: '140.00',
          quantity: '1',
        },
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Limit',
          price: '140.005',
          quantity: '1',
        },
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Limit',
          price: '139.00',
          quantity: '1000',
        },
      ],
    )
    expect(res.status).toBe(200)
    expect(res.body[0]).toMatchObject({ status: 'New', operation: 'Ok' })
    expect(res.body[1]).toMatchObject({
      code: 'INVALID_PRICE',
      operation: 'Err',
    })
    expect(res.body[2]).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      message: 'Insufficient funds',
      operation: 'Err',
    })
    const all = await c.call<Order[]>('DELETE', '/api/v1/orders', {
      symbol: 'SOL_USDC',
    })
    expect(all.body.map((o) => o.status)).toEqual(['Cancelled'])
  })
})

describe('faults', () => {
  test('args: failNext answers 429 with Retry-After, then 503, without executing', async () => {
    const s = await manual({
      faults: { failNext: { count: 1, status: 429, retryAfterSec: 3 } },
    })
    const c = caller(s.url)
    const r = await c.call('GET', '/api/v1/capital')
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('3')
    expect(r.body).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many requests',
    })
    expect((await c.call('GET', '/api/v1/capital')).status).toBe(200)
    await fetch(`${s.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({
        failNext: {
          count: 1,
          status: 503,
          path: '/api/v1/order',
          method: 'POST',
        },
      }),
    })
    expect((await c.call('GET', '/api/v1/capital')).status).toBe(200)
    const order = {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
    }
    const failed = await c.call('POST', '/api/v1/order', order)
    expect(failed).toMatchObject({ status: 503, body: { code: 'MAINTENANCE' } })
    expect((await c.call<Order[]>('GET', '/api/v1/orders')).body).toHaveLength(
      0,
    )
  })

  test('args: loseResponses places the order but loses the answer', async () => {
    const s = await manual()
    const c = caller(s.url)
    s.setFaults({ loseResponses: { count: 1, path: '/api/v1/order' } })
    const order = {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '140.00',
      quantity: '1',
      clientId: 9,
    }
    await expect(c.call('POST', '/api/v1/order', order)).rejects.toThrow()
    const open = await c.call<Order[]>('GET', '/api/v1/orders')
    expect(open.body.map((o) => o.clientId)).toEqual([9])
    s.setFaults({ loseResponses: { count: 1, mode: '504' } })
    const lost = await c.call('POST', '/api/v1/order', {
      ...order,
      clientId: 10,
    })
    expect(lost).toMatchObject({ status: 504, body: { code: 'TIMEOUT' } })
    expect((await c.call<Order[]>('GET', '/api/v1/orders')).body).toHaveLength(
      2,
    )
  })

  test('args: delayMs and splitFills; admin faults round trip', async () => {
    const s = await manual()
    const res = await fetch(`${s.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ delayMs: 300, splitFills: 2 }),
    })
    expect(await res.json()).toEqual({ delayMs: 300, splitFills: 2 })
    const c = caller(s.url)
    // The delayed answer comes after an undelayed one sent later (the
    // admin API is never delayed): an ordering, not a timing, check.
    const order: string[] = []
    const delayed = c
      .call('POST', '/api/v1/order', {
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Market',
        quantity: '1',
      })
      .then(() => order.push('order'))
    await new Promise((r) => setTimeout(r, 5))
    await fetch(`${s.url}/_sim/state`).then(() => order.push('admin'))
    await delayed
    expect(order).toEqual(['admin', 'order'])
    const fills = await c.call<unknown[]>('GET', '/wapi/v1/history/fills')
    expect(fills.body.length).toBeGreaterThanOrEqual(2)
    await fetch(`${s.url}/_sim/faults`, { method: 'DELETE' })
    expect(s.faults()).toEqual({})
  })
})

describe('SimOptions.logger', () => {
  test('behavior: gets requests and faults, never keys or signatures', async () => {
    const lines: string[] = []
    const log = (m: string) => lines.push(m)
    const s = await manual({ logger: { debug: log, info: log, warn: log } })
    const c = caller(s.url)
    s.setFaults({ failNext: { count: 1, status: 500 } })
    await c.call('GET', '/api/v1/capital')
    await c.call('GET', '/api/v1/capital')
    expect(lines).toContain('GET /api/v1/capital')
    expect(lines).toContain('fault: 500 for GET /api/v1/capital')
    expect(lines.join('\n')).not.toContain(c.publicKey)
    expect(lines.join('\n')).not.toMatch(/signature|secret/i)
  })
})

describe('admin API', () => {
  test('behavior: price, step, credit, ledger, state', async () => {
    const s = await manual()
    const post = async (p: string, body: unknown) =>
      (
        await fetch(`${s.url}${p}`, {
          method: 'POST',
          body: JSON.stringify(body),
        })
      ).json()
    expect(
      await post('/_sim/price', { symbol: 'BTC_USDC', price: '50000' }),
    ).toEqual({
      symbol: 'BTC_USDC',
      price: '50000.0',
    })
    const book = s.book('BTC_USDC')
    expect(Number(book.bids[0]![0])).toBeLessThan(50000)
    expect(Number(book.asks[0]![0])).toBeGreaterThan(50000)
    const stepped = (await post('/_sim/step', { steps: 5 })) as Record<
      string,
      string
    >
    expect(Object.keys(stepped)).toEqual(['BTC_USDC', 'ETH_USDC', 'SOL_USDC'])
    const { publicKey } = generateKeyPair()
    expect(
      await post('/_sim/credit', {
        account: publicKey,
        asset: 'USDC',
        amount: '5',
      }),
    ).toMatchObject({
      USDC: { available: '10005', locked: '0' },
    })
    const ledger = (await (
      await fetch(
        `${s.url}/_sim/ledger?account=${encodeURIComponent(publicKey)}`,
      )
    ).json()) as {
      entries: { kind: string }[]
    }
    expect(ledger.entries.at(-1)).toMatchObject({ kind: 'credit', change: '5' })
    const state = (await (await fetch(`${s.url}/_sim/state`)).json()) as {
      accounts: string[]
    }
    expect(state.accounts).toEqual([publicKey])
    const bad = await fetch(`${s.url}/_sim/nope`)
    expect(bad.status).toBe(404)
  })

  test('args: admin false hides the admin API', async () => {
    const s = await manual({ admin: false })
    const res = await fetch(`${s.url}/_sim/state`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      code: 'RESOURCE_NOT_FOUND',
      message: 'Not found: GET /_sim/state',
    })
  })
})
