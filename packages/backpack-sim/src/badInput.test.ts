/**
 * Bad input over real HTTP: each request is sent raw (signed where the route
 * is signed) and must get a `{code, message}` answer naming the field, after
 * which the simulator still serves a good request.
 */
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import { describe, expect, test } from 'vitest'
import { rawExchange } from '../test/raw.js'
import { type Caller, caller } from '../test/signed.js'
import { manualSims } from '../test/sims.js'
import { type Sim, SimError, startSim } from './index.js'

const manual = manualSims()

const ORDER = {
  symbol: 'SOL_USDC',
  side: 'Bid',
  orderType: 'Limit',
  price: '140.00',
  quantity: '1',
}

/** A good signed request answers 200: the server is still serving. */
async function stillServes(c: Caller): Promise<void> {
  const r = await c.call('GET', '/api/v1/capital')
  expect(r.status).toBe(200)
}

const invalid = (message: string) => ({
  code: 'INVALID_CLIENT_REQUEST',
  message,
})

describe('startSim', () => {
  test('error: a body of the wrong JSON shape on a signed route answers 400, validly signed or not', async () => {
    const s = await manual()
    const c = caller(s.url)
    const objectRoutes = [
      'POST /api/v1/order',
      'DELETE /api/v1/order',
      'DELETE /api/v1/orders',
      'PATCH /api/v1/account',
      'POST /wapi/v1/capital/withdrawals',
    ]
    const cases: [string, string][] = [
      ['null', 'null'],
      ['[null]', 'an array'],
      ['[]', 'an empty array'],
      ['"x"', 'a string'],
      ['5', 'a number'],
      ['true', 'a boolean'],
    ]
    for (const route of objectRoutes) {
      const [method = '', path = ''] = route.split(' ')
      for (const [rawBody, got] of cases) {
        // Signed over no parameters: exactly what a client signs for `null`.
        const r = await c.call(method, path, undefined, { rawBody })
        expect([route, rawBody, r.status, r.body]).toEqual([
          route,
          rawBody,
          400,
          invalid(
            `The request body of ${route} must be a JSON object; got ${got}`,
          ),
        ])
      }
    }
    const batch: [string, string][] = [
      [
        'null',
        'The request body of POST /api/v1/orders must be a non-empty JSON array of order objects; got null',
      ],
      [
        '{"symbol":"SOL_USDC"}',
        'The request body of POST /api/v1/orders must be a non-empty JSON array of order objects; got an object',
      ],
      [
        '[]',
        'The request body of POST /api/v1/orders must be a non-empty JSON array of order objects; got an empty array',
      ],
      ['[null]', '`[0]` of the batch must be an order object; got null'],
      [
        `[${JSON.stringify(ORDER)},[1]]`,
        '`[1]` of the batch must be an order object; got an array',
      ],
      [
        `[${JSON.stringify(ORDER)},"x"]`,
        '`[1]` of the batch must be an order object; got a string',
      ],
    ]
    for (const [rawBody, message] of batch) {
      const r = await c.call('POST', '/api/v1/orders', undefined, { rawBody })
      expect([rawBody, r.status, r.body]).toEqual([
        rawBody,
        400,
        invalid(message),
      ])
    }
    // Unsigned: the body is refused before the signature is looked at.
    const bare = await fetch(`${s.url}/api/v1/order`, {
      method: 'POST',
      body: '[null]',
    })
    expect(bare.status).toBe(400)
    expect(await bare.json()).toEqual(
      invalid(
        'The request body of POST /api/v1/order must be a JSON object; got an array',
      ),
    )
    expect(
      (await c.call('GET', '/api/v1/orders')).body as unknown as unknown[],
    ).toEqual([])
    await stillServes(c)
  })

  test('error: a non-integer number in an integer body field answers 400 naming the field', async () => {
    const s = await manual()
    const c = caller(s.url)
    // Signed over the number's JSON text (reference §2.3), which is what the
    // string '1.5' renders as: the signature is valid, the field is not.
    const cases: {
      method: string
      path: string
      signed: Record<string, unknown> | Record<string, unknown>[]
      sent: unknown
      message: string
    }[] = [
      {
        method: 'POST',
        path: '/api/v1/order',
        signed: { ...ORDER, clientId: '1.5' },
        sent: { ...ORDER, clientId: 1.5 },
        message: '`clientId` must be an integer from 0 to 4294967295; got 1.5',
      },
      {
        method: 'POST',
        path: '/api/v1/order',
        signed: { ...ORDER, clientId: '-1' },
        sent: { ...ORDER, clientId: -1 },
        message: '`clientId` must be an integer from 0 to 4294967295; got -1',
      },
      {
        method: 'POST',
        path: '/api/v1/order',
        signed: { ...ORDER, clientId: '1e+21' },
        sent: { ...ORDER, clientId: 1e21 },
        message:
          '`clientId` must be an integer from 0 to 4294967295; got 1e+21',
      },
      {
        method: 'POST',
        path: '/api/v1/order',
        signed: { ...ORDER, brokerId: '2.5' },
        sent: { ...ORDER, brokerId: 2.5 },
        message: '`brokerId` must be an integer from 0 to 65535; got 2.5',
      },
      {
        method: 'POST',
        path: '/api/v1/orders',
        signed: [ORDER, { ...ORDER, clientId: '7.25' }],
        sent: [ORDER, { ...ORDER, clientId: 7.25 }],
        message:
          '`[1].clientId` must be an integer from 0 to 4294967295; got 7.25',
      },
      {
        method: 'DELETE',
        path: '/api/v1/order',
        signed: { symbol: 'SOL_USDC', clientId: '1.5' },
        sent: { symbol: 'SOL_USDC', clientId: 1.5 },
        message: '`clientId` must be an integer from 0 to 4294967295; got 1.5',
      },
      {
        method: 'DELETE',
        path: '/api/v1/order',
        signed: { symbol: 'SOL_USDC', orderId: '12.5' },
        sent: { symbol: 'SOL_USDC', orderId: 12.5 },
        message:
          '`orderId` must be an order id such as "1234" (a string or an integer); got 12.5',
      },
    ]
    for (const k of cases) {
      const r = await c.call(k.method, k.path, k.signed, {
        rawBody: JSON.stringify(k.sent),
      })
      expect([k.path, r.status, r.body]).toEqual([
        k.path,
        400,
        invalid(k.message),
      ])
    }
    // Nothing was placed, and a good order still goes through.
    expect(
      (await c.call('GET', '/api/v1/orders')).body as unknown as unknown[],
    ).toEqual([])
    const placed = await c.call('POST', '/api/v1/order', {
      ...ORDER,
      clientId: 3,
    })
    expect(placed).toMatchObject({ status: 200, body: { clientId: 3 } })
  })

  test('error: a query integer that is not plain digits answers 400 naming the field', async () => {
    const s = await manual()
    const c = caller(s.url)
    const signed: [string, Record<string, string>, string][] = [
      [
        '/api/v1/order',
        { symbol: 'SOL_USDC', clientId: '1e3' },
        '`clientId` must be an integer from 0 to 4294967295; got "1e3"',
      ],
      [
        '/api/v1/order',
        { symbol: 'SOL_USDC', clientId: '0x10' },
        '`clientId` must be an integer from 0 to 4294967295; got "0x10"',
      ],
      [
        '/api/v1/order',
        { symbol: 'SOL_USDC', clientId: '2.5' },
        '`clientId` must be an integer from 0 to 4294967295; got "2.5"',
      ],
      [
        '/wapi/v1/history/fills',
        { limit: '2.5' },
        '`limit` must be an integer from 0 to 1000; got "2.5"',
      ],
      [
        '/wapi/v1/history/fills',
        { from: '1.5' },
        `\`from\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "1.5"`,
      ],
      [
        '/wapi/v1/history/fills',
        { to: '-1' },
        `\`to\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "-1"`,
      ],
      [
        '/wapi/v1/history/orders',
        { offset: '1e2' },
        `\`offset\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "1e2"`,
      ],
      [
        '/wapi/v1/capital/deposits',
        { limit: '10.0' },
        '`limit` must be an integer from 0 to 1000; got "10.0"',
      ],
      [
        '/wapi/v1/capital/withdrawals',
        { limit: '1001' },
        '`limit` must be an integer from 0 to 1000; got "1001"',
      ],
    ]
    for (const [path, params, message] of signed) {
      const r = await c.call('GET', path, params)
      expect([path, params, r.status, r.body]).toEqual([
        path,
        params,
        400,
        invalid(message),
      ])
    }
    const pub: [string, string][] = [
      [
        '/api/v1/trades?symbol=SOL_USDC&limit=2.5',
        '`limit` must be an integer from 0 to 1000; got "2.5"',
      ],
      [
        '/api/v1/trades/history?symbol=SOL_USDC&offset=-3',
        `\`offset\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "-3"`,
      ],
      [
        '/api/v1/klines?symbol=SOL_USDC&interval=1m&startTime=1.5',
        `\`startTime\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "1.5"`,
      ],
      [
        '/api/v1/klines?symbol=SOL_USDC&interval=1m&startTime=0&endTime=9e9',
        `\`endTime\` must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}; got "9e9"`,
      ],
      [
        '/api/v1/depth?symbol=SOL_USDC&limit=2.5',
        '`limit` must be one of 5, 10, 20, 50, 100, 500, 1000',
      ],
    ]
    for (const [path, message] of pub) {
      const r = await fetch(`${s.url}${path}`)
      expect([path, r.status, await r.json()]).toEqual([
        path,
        400,
        invalid(message),
      ])
    }
    await stillServes(c)
  })

  test('error: X-Timestamp or X-Window that is not an integer answers 400 naming the header', async () => {
    const s = await manual()
    const c = caller(s.url)
    const now = Date.now()
    const cases: [Record<string, string>, string][] = [
      [
        { 'X-Timestamp': `${now}.5` },
        `\`X-Timestamp\` must be an integer number of milliseconds since the Unix epoch, such as 1700000000000; got "${now}.5"`,
      ],
      [
        { 'X-Timestamp': '1.7e12' },
        '`X-Timestamp` must be an integer number of milliseconds since the Unix epoch, such as 1700000000000; got "1.7e12"',
      ],
      [
        { 'X-Timestamp': 'soon' },
        '`X-Timestamp` must be an integer number of milliseconds since the Unix epoch, such as 1700000000000; got "soon"',
      ],
      [
        { 'X-Window': '5000.0' },
        '`X-Window` must be an integer number of milliseconds from 1 to 60000, such as 5000; got "5000.0"',
      ],
      [
        { 'X-Window': '5e3' },
        '`X-Window` must be an integer number of milliseconds from 1 to 60000, such as 5000; got "5e3"',
      ],
      [
        { 'X-Window': '-5000' },
        '`X-Window` must be an integer number of milliseconds from 1 to 60000, such as 5000; got "-5000"',
      ],
      [
        { 'X-Window': '0' },
        '`X-Window` must be an integer number of milliseconds from 1 to 60000, such as 5000; got "0"',
      ],
    ]
    for (const [headers, message] of cases) {
      const r = await c.call('GET', '/api/v1/capital', undefined, {
        timestamp: now,
        headers,
      })
      expect([headers, r.status, r.body]).toEqual([
        headers,
        400,
        invalid(message),
      ])
    }
    // Integers keep their auth answers (reference §12 rule 6).
    const wide = await c.call('GET', '/api/v1/capital', undefined, {
      windowMs: 60001,
    })
    expect(wide).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } })
    await stillServes(c)
  })

  test('error: request headers over the limit get 431 with a JSON body, and the server keeps serving', async () => {
    const s = await manual()
    const r = await rawExchange(
      s.port,
      `GET /api/v1/status HTTP/1.1\r\nHost: sim\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    )
    expect(r.status).toBe(431)
    expect(r.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(r.body)).toEqual(
      invalid(
        'The request headers are larger than the simulator accepts (16384 bytes, `maxHeaderBytes`): send fewer or shorter headers',
      ),
    )
    const garbled = await rawExchange(s.port, 'NOT HTTP AT ALL\r\n\r\n')
    expect(garbled.status).toBe(400)
    expect(JSON.parse(garbled.body)).toEqual(
      invalid('The request is not valid HTTP/1.1'),
    )
    await stillServes(caller(s.url))
  })

  test('error: a Content-Length over the body cap gets 413 at once, before any body is sent', async () => {
    const s = await manual()
    // No body follows the headers: a server that buffered first would
    // never answer, and rawExchange would not resolve.
    const r = await rawExchange(
      s.port,
      `POST /api/v1/order HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`,
    )
    expect(r.status).toBe(413)
    expect(r.headers.connection).toBe('close')
    expect(JSON.parse(r.body)).toEqual(
      invalid(
        'The request body is larger than the simulator accepts (1048576 bytes, `maxBodyBytes`): send a smaller body',
      ),
    )
    await stillServes(caller(s.url))
  })

  test('error: a chunked body is refused with 413 as soon as it passes the cap', async () => {
    const s = await manual()
    // Exactly the cap in one chunk, then one byte more, and no terminating
    // chunk: the answer can only come from counting the body as it streams.
    const head =
      'POST /_sim/faults HTTP/1.1\r\nHost: sim\r\nTransfer-Encoding: chunked\r\n\r\n'
    const cap = 1024 * 1024
    const body = `${cap.toString(16)}\r\n${' '.repeat(cap)}\r\n1\r\n \r\n`
    const r = await rawExchange(s.port, head + body)
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body)).toMatchObject({
      code: 'INVALID_CLIENT_REQUEST',
    })
    expect(s.faults()).toEqual({})
    await stillServes(caller(s.url))
  })
})

describe('SimOptions.maxBodyBytes', () => {
  test('args: changes the cap; a body at the cap still goes through', async () => {
    const s = await manual({ maxBodyBytes: 64 })
    const at = JSON.stringify({ delayMs: 0 }).padEnd(64, ' ')
    const ok = await fetch(`${s.url}/_sim/faults`, { method: 'POST', body: at })
    expect(ok.status).toBe(200)
    const over = await fetch(`${s.url}/_sim/faults`, {
      method: 'POST',
      body: `${at} `,
    })
    expect(over.status).toBe(413)
    expect(await over.json()).toEqual(
      invalid(
        'The request body is larger than the simulator accepts (64 bytes, `maxBodyBytes`): send a smaller body',
      ),
    )
    expect((await fetch(`${s.url}/api/v1/status`)).status).toBe(200)
  })

  test('error: not a positive integer', async () => {
    await expect(startSim({ maxBodyBytes: 0 })).rejects.toThrow(
      '`maxBodyBytes` must be an integer of at least 1 (bytes); got 0',
    )
    await expect(startSim({ maxHeaderBytes: 1.5 })).rejects.toThrow(
      '`maxHeaderBytes` must be an integer of at least 1024 (bytes); got 1.5',
    )
  })
})

describe('SimOptions.maxHeaderBytes', () => {
  test('args: changes the header limit', async () => {
    const s = await manual({ maxHeaderBytes: 4096 })
    const r = await rawExchange(
      s.port,
      `GET /api/v1/status HTTP/1.1\r\nHost: sim\r\nX-Big: ${'a'.repeat(5000)}\r\n\r\n`,
    )
    expect(r.status).toBe(431)
    expect(JSON.parse(r.body)).toMatchObject({
      message: expect.stringContaining('4096 bytes'),
    })
    expect((await fetch(`${s.url}/api/v1/status`)).status).toBe(200)
  })
})

describe('admin API', () => {
  async function post(s: Sim, path: string, body: string, method = 'POST') {
    const r = await fetch(`${s.url}${path}`, { method, body })
    return { status: r.status, body: (await r.json()) as unknown }
  }

  test('error: POST /_sim/faults rejects what it does not understand and keeps the active faults', async () => {
    const s = await manual({ faults: { delayMs: 1 } })
    const cases: [unknown, string][] = [
      [
        'x',
        'The body of POST /_sim/faults must be a JSON object; got a string',
      ],
      [null, 'The body of POST /_sim/faults must be a JSON object; got null'],
      [
        [{ delayMs: 1 }],
        'The body of POST /_sim/faults must be a JSON object; got an array',
      ],
      [
        { dropEverything: true },
        '`dropEverything` is not a fault: use delayMs, failNext, loseResponses or splitFills',
      ],
      [
        { delayMs: -5 },
        '`delayMs` must be an integer number of milliseconds from 0 to 2147483647; got -5',
      ],
      [
        { delayMs: '300' },
        '`delayMs` must be an integer number of milliseconds from 0 to 2147483647; got "300"',
      ],
      [
        { splitFills: 0 },
        '`splitFills` must be an integer from 1 to 1000; got 0',
      ],
      [
        { splitFills: 2.5 },
        '`splitFills` must be an integer from 1 to 1000; got 2.5',
      ],
      [
        { failNext: 3 },
        '`failNext` must be an object such as {"count":1,"status":429}, or null to clear it; got 3',
      ],
      [
        { failNext: { status: 429 } },
        '`failNext.count` must be an integer of at least 1; got undefined',
      ],
      [
        { failNext: { count: 1.5, status: 429 } },
        '`failNext.count` must be an integer of at least 1; got 1.5',
      ],
      [
        { failNext: { count: 1, status: 404 } },
        '`failNext.status` must be 429 or an integer from 500 to 599; got 404',
      ],
      [
        { failNext: { count: 1, status: 429, retryAfterSec: -1 } },
        '`failNext.retryAfterSec` must be an integer number of seconds of at least 0; got -1',
      ],
      [
        { failNext: { count: 1, status: 500, path: 'api/v1/order' } },
        '`failNext.path` must be a path starting with "/", such as "/api/v1/order"; got "api/v1/order"',
      ],
      [
        { failNext: { count: 1, status: 500, method: 'FETCH' } },
        '`failNext.method` must be one of GET, POST, PUT, PATCH, DELETE; got "FETCH"',
      ],
      [
        { failNext: { count: 1, status: 500, every: true } },
        '`failNext.every` is not a setting of failNext: use count, status, retryAfterSec, path or method',
      ],
      [
        { loseResponses: { count: 1, mode: 'drop' } },
        '`loseResponses.mode` must be "destroy" or "504"; got "drop"',
      ],
      [
        { loseResponses: { count: 1, status: 500 } },
        '`loseResponses.status` is not a setting of loseResponses: use count, mode, path or method',
      ],
    ]
    for (const [body, message] of cases) {
      const r = await post(s, '/_sim/faults', JSON.stringify(body))
      expect([body, r.status, r.body]).toEqual([body, 400, invalid(message)])
    }
    expect(s.faults()).toEqual({ delayMs: 1 })
    // Good input still works; null clears one fault.
    expect(
      await post(
        s,
        '/_sim/faults',
        '{"failNext":{"count":2,"status":503,"method":"post"}}',
      ),
    ).toEqual({
      status: 200,
      body: { delayMs: 1, failNext: { count: 2, status: 503, method: 'post' } },
    })
    expect(await post(s, '/_sim/faults', '{"failNext":null}')).toEqual({
      status: 200,
      body: { delayMs: 1 },
    })
  })

  test('error: POST /_sim/step takes whole steps and positive seconds only', async () => {
    const s = await manual()
    const before = s.fairPrice('BTC_USDC')
    const cases: [unknown, string][] = [
      [{ steps: -5 }, '`steps` must be an integer from 1 to 10000; got -5'],
      [{ steps: 1.5 }, '`steps` must be an integer from 1 to 10000; got 1.5'],
      [{ steps: '3' }, '`steps` must be an integer from 1 to 10000; got "3"'],
      [{ steps: 0 }, '`steps` must be an integer from 1 to 10000; got 0'],
      [
        { steps: 10001 },
        '`steps` must be an integer from 1 to 10000; got 10001',
      ],
      [
        { seconds: 0 },
        '`seconds` must be a number of simulated seconds above 0 and at most 86400; got 0',
      ],
      [
        { seconds: '1' },
        '`seconds` must be a number of simulated seconds above 0 and at most 86400; got "1"',
      ],
      [
        { step: 3 },
        '`step` is not a field of POST /_sim/step: use steps or seconds',
      ],
      ['x', 'The body of POST /_sim/step must be a JSON object; got a string'],
    ]
    for (const [body, message] of cases) {
      const r = await post(s, '/_sim/step', JSON.stringify(body))
      expect([body, r.status, r.body]).toEqual([body, 400, invalid(message)])
    }
    expect(s.fairPrice('BTC_USDC')).toBe(before)
    expect(() => s.step(-1)).toThrow(SimError)
    expect(() => s.step(1, Number.NaN)).toThrow(
      '`seconds` must be a number of simulated seconds above 0 and at most 86400; got NaN',
    )
    const r = await post(s, '/_sim/step', '{"steps":2,"seconds":0.5}')
    expect(r.status).toBe(200)
  })

  test('error: price, credit, ledger and the no-input routes name the bad field', async () => {
    const s = await manual()
    const { publicKey } = generateKeyPair()
    const cases: [string, string, string, string][] = [
      [
        'POST',
        '/_sim/price',
        '{"price":"50000"}',
        '`symbol` is required: one of BTC_USDC, ETH_USDC, SOL_USDC',
      ],
      [
        'POST',
        '/_sim/price',
        '{"symbol":"DOGE_USDC","price":"1"}',
        '`symbol` must be a listed market: one of BTC_USDC, ETH_USDC, SOL_USDC; got "DOGE_USDC"',
      ],
      [
        'POST',
        '/_sim/price',
        '{"symbol":"BTC_USDC","price":50000}',
        '`price` must be a positive decimal string such as "60000"; got 50000',
      ],
      [
        'POST',
        '/_sim/price',
        '{"symbol":"BTC_USDC","price":"50000","side":"Bid"}',
        '`side` is not a field of POST /_sim/price: use symbol or price',
      ],
      [
        'POST',
        '/_sim/price',
        'null',
        'The body of POST /_sim/price must be a JSON object; got null',
      ],
      [
        'POST',
        '/_sim/credit',
        '{"asset":"USDC","amount":"5"}',
        '`account` is required: a base64 public key',
      ],
      [
        'POST',
        '/_sim/credit',
        `{"account":"${publicKey}","asset":"DOGE","amount":"5"}`,
        '`asset` must be an asset of a listed market: one of BTC, USDC, ETH, SOL; got "DOGE"',
      ],
      [
        'POST',
        '/_sim/credit',
        `{"account":"${publicKey}","asset":"USDC","amount":5}`,
        '`amount` must be a decimal string such as "100" (negative to debit); got 5',
      ],
      [
        'POST',
        '/_sim/credit',
        `{"account":"${publicKey}","asset":"USDC","amount":"5","memo":"x"}`,
        '`memo` is not a field of POST /_sim/credit: use account, asset or amount',
      ],
      [
        'GET',
        '/_sim/ledger',
        '',
        '`account` is required in the query: /_sim/ledger?account=<base64 public key>',
      ],
      [
        'GET',
        '/_sim/ledger?account=abc&asset=USDC',
        '',
        '`asset` is not a query parameter of GET /_sim/ledger: use account',
      ],
      [
        'GET',
        '/_sim/state?verbose=1',
        '',
        '`verbose` is not a query parameter of GET /_sim/state: it takes none',
      ],
      [
        'GET',
        '/_sim/faults?all=1',
        '',
        '`all` is not a query parameter of GET /_sim/faults: it takes none',
      ],
      [
        'POST',
        '/_sim/drop-connections',
        '{"code":1000}',
        '`code` is not a field of POST /_sim/drop-connections: it takes none',
      ],
      [
        'DELETE',
        '/_sim/faults',
        '{"delayMs":1}',
        '`delayMs` is not a field of DELETE /_sim/faults: it takes none',
      ],
      [
        'DELETE',
        '/_sim/faults',
        '"all"',
        'The body of DELETE /_sim/faults must be a JSON object; got a string',
      ],
    ]
    for (const [method, path, body, message] of cases) {
      const r = await fetch(`${s.url}${path}`, {
        method,
        ...(body === '' ? {} : { body }),
      })
      expect([method, path, r.status, await r.json()]).toEqual([
        method,
        path,
        400,
        invalid(message),
      ])
    }
    expect(s.accounts()).toEqual([])
    expect(() => s.credit(publicKey, 'DOGE', '1')).toThrow(SimError)
    // The good forms still answer.
    expect((await post(s, '/_sim/drop-connections', '{}')).status).toBe(200)
    expect((await post(s, '/_sim/faults', '', 'DELETE')).status).toBe(200)
    expect(
      (await post(s, '/_sim/price', '{"symbol":"BTC_USDC","price":"50000"}'))
        .status,
    ).toBe(200)
  })

  test('error: setFaults and startSim({ faults }) check the same shapes', async () => {
    await expect(
      startSim({ faults: { splitFills: 0 } }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[SimError: \`faults.splitFills\` must be an integer from 1 to 1000; got 0]`,
    )
    const s = await manual()
    expect(() =>
      s.setFaults({ failNext: { count: 1, status: 200 } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[SimError: \`failNext.status\` must be 429 or an integer from 500 to 599; got 200]`,
    )
    expect(s.faults()).toEqual({})
  })
})
