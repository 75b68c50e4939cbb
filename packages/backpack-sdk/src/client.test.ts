import { HttpResponse, http } from 'msw'
import { describe, expect, test, vi } from 'vitest'
import {
  BASE_URL,
  DEPTH,
  MARKETS,
  TEST_PUBLIC_KEY,
  TEST_SECRET_KEY,
  TICKER,
} from '../test/msw/fixtures.js'
import { exchange } from '../test/msw/handlers.js'
import { server } from '../test/msw/server.js'
import {
  ApiError,
  createBackpackClient,
  createSigner,
  getMarkets,
  HttpError,
  SigningError,
  ValidationError,
} from './index.js'

const publicClient = () =>
  createBackpackClient({ baseUrl: BASE_URL, retry: false })
const privateClient = () =>
  createBackpackClient({ baseUrl: BASE_URL, secretKey: TEST_SECRET_KEY })

describe('createBackpackClient', () => {
  test('default', () => {
    const client = createBackpackClient()
    expect(client.config).toMatchInlineSnapshot(`
      {
        "apiKey": undefined,
        "baseUrl": "https://api.backpack.exchange",
        "clockSyncIntervalMs": 600000,
        "retry": {
          "baseDelayMs": 250,
          "limit": 2,
          "maxDelayMs": 5000,
        },
        "timeoutMs": 10000,
        "windowMs": 5000,
      }
    `)
    expect(Object.isFrozen(client)).toBe(true)
    expect(Object.isFrozen(client.config)).toBe(true)
    expect(client.signer).toBeUndefined()
  })

  test('args: secretKey derives apiKey; config never holds the secret', () => {
    const client = privateClient()
    expect(client.config.apiKey).toBe(TEST_PUBLIC_KEY)
    expect(JSON.stringify(client.config)).not.toContain(TEST_SECRET_KEY)
    expect(JSON.stringify(client)).not.toContain(TEST_SECRET_KEY)
  })

  test('args: false disables timeout, retry and clock sync', () => {
    const client = createBackpackClient({
      timeoutMs: false,
      retry: false,
      clockSyncIntervalMs: false,
      baseUrl: 'http://127.0.0.1:8080/',
    })
    expect(client.config.timeoutMs).toBe(false)
    expect(client.config.retry).toBe(false)
    expect(client.config.clockSyncIntervalMs).toBe(false)
    expect(client.config.baseUrl).toBe('http://127.0.0.1:8080')
  })

  test('args: a custom signer signs every private request', async () => {
    const inner = createSigner(TEST_SECRET_KEY)
    const sign = vi.fn((payload: string) => inner.sign(payload))
    const client = createBackpackClient({
      baseUrl: BASE_URL,
      signer: { publicKey: inner.publicKey, sign },
    })
    expect(await client.getBalances()).toHaveProperty('USDC')
    expect(sign).toHaveBeenCalledWith(exchange.signed.at(-1)?.payload)
    expect(() =>
      createBackpackClient({ signer: inner, secretKey: TEST_SECRET_KEY }),
    ).toThrow(ValidationError)
    expect(() =>
      createBackpackClient({ signer: { publicKey: 1 } as never }),
    ).toThrow(ValidationError)
  })

  test('error: a custom signer that throws is wrapped in SigningError', async () => {
    const client = createBackpackClient({
      baseUrl: BASE_URL,
      clockSyncIntervalMs: false,
      signer: {
        publicKey: TEST_PUBLIC_KEY,
        sign: () => {
          throw 'hsm offline'
        },
      },
    })
    const error = await client.getBalances().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SigningError)
    expect((error as SigningError).cause).toBe('hsm offline')
  })

  test('error: apiKey that does not match secretKey', () => {
    expect(() =>
      createBackpackClient({
        secretKey: TEST_SECRET_KEY,
        apiKey: 'zDIJj9qneWIY0IYZ5aXoHcNMCm+XDhVcTssiT0HyY0A=',
      }),
    ).toThrow(SigningError)
  })

  test('error: wrong-typed options', () => {
    const bad: unknown[] = [
      null,
      'x',
      { baseUrl: 'ftp://x' },
      { baseUrl: 42 },
      { windowMs: 0 },
      { windowMs: 60_001 },
      { windowMs: '5000' },
      { timeoutMs: -1 },
      { timeoutMs: null },
      { fetch: 'fetch' },
      { now: 1 },
      { logger: 'console' },
      { retry: 3 },
      { retry: { limit: -1 } },
      { retry: { baseDelayMs: 0 } },
      { clockSyncIntervalMs: 0 },
    ]
    for (const options of bad) {
      expect(() =>
        createBackpackClient(
          options as Parameters<typeof createBackpackClient>[0],
        ),
      ).toThrow(ValidationError)
    }
    expect(() => createBackpackClient({ secretKey: 'short' })).toThrow(
      SigningError,
    )
  })
})

describe('public endpoints (msw, default fetch)', () => {
  test('behavior: each returns the wire payload unchanged', async () => {
    const client = publicClient()
    expect(await client.getStatus()).toEqual({ status: 'Ok', message: null })
    expect(await client.ping()).toBe('pong')
    expect(typeof (await client.getServerTime())).toBe('number')
    expect((await client.getAssets())[0]?.symbol).toBe('SOL')
    expect(await client.getMarkets()).toEqual(MARKETS)
    expect(await client.getMarket({ symbol: 'SOL_USDC' })).toEqual(MARKETS[0])
    expect(await client.getTicker({ symbol: 'SOL_USDC' })).toEqual(TICKER)
    expect(await client.getTickers({ interval: '1w' })).toEqual([TICKER])
    expect(await client.getDepth({ symbol: 'SOL_USDC', limit: 5 })).toEqual(
      DEPTH,
    )
    expect(
      await client.getKlines({
        symbol: 'SOL_USDC',
        interval: '1m',
        startTime: 1_700_000_000,
      }),
    ).toHaveLength(1)
    expect(await client.getRecentTrades({ symbol: 'SOL_USDC' })).toHaveLength(1)
    expect(
      await client.getHistoricalTrades({ symbol: 'SOL_USDC', offset: 10 }),
    ).toEqual([])
    // Decimal strings stay strings.
    expect((await client.getTicker({ symbol: 'SOL_USDC' }))?.high).toBe(
      '143.10',
    )
  })

  test('behavior: query parameters go on the wire percent-encoded', async () => {
    let seen = ''
    server.use(
      http.get(`${BASE_URL}/api/v1/markets`, ({ request }) => {
        seen = new URL(request.url).search
        return HttpResponse.json([])
      }),
    )
    await getMarkets(publicClient(), { marketType: ['SPOT', 'PERP'] })
    expect(seen).toBe('?marketType=SPOT%2CPERP')
  })

  test('behavior: 204 ticker is null', async () => {
    server.use(
      http.get(
        `${BASE_URL}/api/v1/ticker`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    )
    expect(await publicClient().getTicker({ symbol: 'SOL_USDC' })).toBeNull()
  })

  test('error: plain-text error body kept as text (HttpError, not ApiError)', async () => {
    const error = await publicClient()
      .getKlines({ symbol: 'SOL_USDC', interval: '1h', startTime: 1 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).not.toBeInstanceOf(ApiError)
    expect((error as HttpError).body).toContain('failed to parse parameter')
    expect((error as HttpError).message).toMatchInlineSnapshot(`
      "Request failed with status 400.

      Status: 400
      Request: GET /api/v1/klines

      Details: failed to parse parameter \`interval\`: failed to parse "KlineInterval": Expect a valid enumeration value."
    `)
  })

  test('error: JSON error body becomes ApiError with the code', async () => {
    const error = await publicClient()
      .getMarket({ symbol: 'NOPE_USDC' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('INVALID_MARKET')
    expect((error as ApiError).status).toBe(400)
    expect((error as ApiError).message).toMatchInlineSnapshot(`
      "Backpack rejected the request with INVALID_MARKET.

      Status: 400
      Request: GET /api/v1/market

      Details: Invalid market"
    `)
  })

  test('error: 2xx body that is not JSON', async () => {
    server.use(
      http.get(`${BASE_URL}/api/v1/status`, () => HttpResponse.text('<html>')),
    )
    await expect(publicClient().getStatus()).rejects.toThrow(HttpError)
  })

  test('error: getServerTime with a non-integer body', async () => {
    server.use(
      http.get(`${BASE_URL}/api/v1/time`, () => HttpResponse.text('soon')),
    )
    await expect(publicClient().getServerTime()).rejects.toThrow(
      /did not answer an integer/,
    )
  })
})

describe('private endpoints (msw verifies every signature)', () => {
  test('behavior: balances, collateral, account are signed and verified', async () => {
    const client = privateClient()
    expect(await client.getBalances()).toEqual({
      USDC: { available: '1000.5', locked: '10', staked: '0' },
    })
    expect((await client.getCollateral()).netEquity).toBe('1000')
    expect((await client.getAccount()).spotMakerFee).toBe('8')
    expect(exchange.signed.map((s) => s.payload.split('&')[0])).toEqual([
      'instruction=balanceQuery',
      'instruction=collateralQuery',
      'instruction=accountQuery',
    ])
  })

  test('behavior: order lifecycle', async () => {
    const client = privateClient()
    const order = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '141.50',
      quantity: '0.5',
      postOnly: true,
      clientId: 12345,
    })
    expect(order).toMatchObject({
      clientId: 12345,
      price: '141.50',
      status: 'New',
    })
    expect(exchange.signed.at(-1)?.payload).toMatch(
      /^instruction=orderExecute&clientId=12345&orderType=Limit&postOnly=true&price=141\.50&quantity=0\.5&side=Bid&symbol=SOL_USDC&timestamp=\d+&window=5000$/,
    )
    expect(
      await client.getOrder({ symbol: 'SOL_USDC', clientId: 12345 }),
    ).toEqual(order)
    expect(await client.getOpenOrders({ symbol: 'SOL_USDC' })).toEqual([order])
    const cancelled = await client.cancelOrder({
      symbol: 'SOL_USDC',
      orderId: order.id,
    })
    expect(cancelled.status).toBe('Cancelled')
    expect(await client.getOpenOrders()).toEqual([])
    await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Ask',
      orderType: 'Limit',
      price: '150',
      quantity: '1',
    })
    expect(await client.cancelOpenOrders({ symbol: 'SOL_USDC' })).toHaveLength(
      1,
    )
  })

  test('behavior: generated clientId is a uint32 and returned', async () => {
    const order = await privateClient().executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Market',
      quoteQuantity: '100',
    })
    expect(Number.isInteger(order.clientId)).toBe(true)
    expect(order.clientId).toBeGreaterThanOrEqual(0)
    expect(order.clientId).toBeLessThanOrEqual(4_294_967_295)
  })

  test('behavior: batch orders sign one block per order; per-item errors', async () => {
    const results = await privateClient().executeOrders([
      {
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: '141',
        quantity: '12',
        clientId: 1,
      },
      {
        symbol: 'SOL_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: '140',
        quantity: '999999',
        clientId: 2,
      },
    ])
    expect(results[0]).toMatchObject({ clientId: 1, operation: 'Ok' })
    expect(results[1]).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      message: 'Insufficient funds',
      operation: 'Err',
    })
    const payload = exchange.signed.at(-1)!.payload
    expect(payload.match(/instruction=orderExecute/g)).toHaveLength(2)
    expect(payload.match(/timestamp=/g)).toHaveLength(1)
  })

  test('behavior: history endpoints', async () => {
    const client = privateClient()
    expect(
      await client.getOrderHistory({ symbol: 'SOL_USDC', limit: 10 }),
    ).toEqual([])
    const fills = await client.getFillHistory({
      symbol: 'SOL_USDC',
      fillType: 'User',
      from: 1_699_990_000_000,
      sortDirection: 'Desc',
    })
    expect(fills[0]?.fee).toBe('0')
    expect(exchange.signed.at(-1)?.payload).toMatch(
      /^instruction=fillHistoryQueryAll&fillType=User&from=1699990000000&sortDirection=Desc&symbol=SOL_USDC&timestamp=\d+&window=5000$/,
    )
  })

  test('behavior: window header follows windowMs', async () => {
    const client = createBackpackClient({
      baseUrl: BASE_URL,
      secretKey: TEST_SECRET_KEY,
      windowMs: 60_000,
    })
    await client.getBalances()
    expect(exchange.signed.at(-1)?.payload).toMatch(/&window=60000$/)
  })

  test('error: a wrong key is rejected by the verifying server', async () => {
    const client = createBackpackClient({
      baseUrl: BASE_URL,
      secretKey: '4odxgSUxFrC/zsKWZF4OQwYAgnNu9hnWH3NxWfLAPz4=',
    })
    const error = await client.getBalances().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('INVALID_SIGNATURE')
    // Nothing secret in the error.
    const text = `${(error as Error).message} ${JSON.stringify(error)}`
    expect(text).not.toContain('4odxgSUx')
    expect(text).not.toContain('X-Signature')
  })

  test('error: private endpoint without a secretKey, before any I/O', async () => {
    let calls = 0
    const client = createBackpackClient({
      baseUrl: BASE_URL,
      fetch: async () => {
        calls++
        throw new Error('no')
      },
    })
    await expect(
      client.getBalances(),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: GET /api/v1/capital is a private endpoint: create the client with \`secretKey\` (and optionally \`apiKey\`).]`,
    )
    expect(calls).toBe(0)
  })
})
