import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { TEST_SECRET_KEY } from '../../../test/msw/fixtures.js'
import { createBackpackClient } from '../../client.js'
import {
  HttpError,
  NetworkError,
  TimeoutError,
} from '../../errors/httpErrors.js'
import { ValidationError } from '../../errors/inputErrors.js'
import {
  isOrderStateUnknownError,
  OrderStateUnknownError,
} from '../../errors/orderStateUnknownError.js'
import type { FetchFn } from '../../rest/transport.js'
import {
  buildSigningPayload,
  instructionFor,
  verifySignature,
} from '../../signing/index.js'
import type { ExecuteOrderParameters, Order } from '../../types/private.js'
import { executeOrder } from './executeOrder.js'
import { executeOrders } from './executeOrders.js'

/**
 * A scripted exchange behind an injected fetch. It verifies every signature
 * and keeps orders, so a "lost response" can be simulated: the order is
 * placed, but the client sees a timeout / network error / 5xx.
 */
function fakeExchange(failPost: 'hang' | 'network' | 500 | 400 | undefined) {
  const resting: Order[] = []
  const history: Record<string, unknown>[] = []
  const log: string[] = []
  let nextId = 1
  let failures = failPost === undefined ? 0 : 1
  const fetch: FetchFn = async (input, init) => {
    const url = new URL(input)
    log.push(`${init.method} ${url.pathname}`)
    const h = init.headers
    const params =
      init.method === 'GET'
        ? Object.fromEntries(url.searchParams.entries())
        : (JSON.parse(init.body ?? '{}') as Record<string, unknown>)
    const payload = buildSigningPayload({
      instruction: instructionFor(init.method, url.pathname)!,
      params,
      timestamp: Number(h['X-Timestamp']),
      windowMs: Number(h['X-Window']),
    })
    if (
      !verifySignature({
        publicKey: h['X-API-Key'] ?? '',
        payload,
        signature: h['X-Signature'] ?? '',
      })
    ) {
      return reply(401, {
        code: 'INVALID_SIGNATURE',
        message: 'Invalid signature',
      })
    }
    if (url.pathname === '/api/v1/order' && init.method === 'POST') {
      const body = params as Record<string, unknown>
      const order = {
        id: String(nextId++),
        clientId: body.clientId,
        symbol: body.symbol,
        side: body.side,
        orderType: body.orderType,
        price: body.price,
        quantity: body.quantity,
        status: 'New',
      } as unknown as Order
      if (failures > 0 && failPost === 400) {
        failures--
        return reply(400, { code: 'INVALID_ORDER', message: 'Invalid order' })
      }
      resting.push(order)
      if (failures > 0) {
        failures--
        if (failPost === 'hang') {
          return new Promise((_, reject) =>
            init.signal.addEventListener('abort', () =>
              reject(new Error('aborted')),
            ),
          )
        }
        if (failPost === 'network') throw new TypeError('socket hang up')
        return reply(500, { code: 'SERVER_ERROR', message: 'oops' })
      }
      return reply(200, order)
    }
    if (url.pathname === '/api/v1/orders' && init.method === 'POST') {
      const orders = params as unknown as Record<string, unknown>[]
      for (const o of orders) {
        resting.push({
          id: String(nextId++),
          ...o,
          status: 'New',
        } as unknown as Order)
      }
      if (failures-- > 0) throw new TypeError('socket hang up')
      return reply(200, resting)
    }
    if (url.pathname === '/api/v1/order') {
      const found = resting.find((o) => String(o.clientId) === params.clientId)
      return found
        ? reply(200, found)
        : reply(404, { code: 'RESOURCE_NOT_FOUND', message: 'Order not found' })
    }
    if (url.pathname === '/api/v1/orders') return reply(200, [])
    if (url.pathname === '/wapi/v1/history/orders') return reply(200, history)
    return reply(404, { code: 'NOT_FOUND', message: url.pathname })
  }
  return { fetch, resting, history, log }
}

function reply(status: number, body: unknown) {
  const text = JSON.stringify(body)
  return Promise.resolve({
    status,
    headers: new Headers(),
    text: () => Promise.resolve(text),
  })
}

const LIMIT: ExecuteOrderParameters = {
  symbol: 'SOL_USDC',
  side: 'Bid',
  orderType: 'Limit',
  price: '141.50',
  quantity: '0.5',
  clientId: 77,
}

const clientFor = (fetch: FetchFn, windowMs = 5000) =>
  createBackpackClient({
    fetch,
    secretKey: TEST_SECRET_KEY,
    clockSyncIntervalMs: false,
    timeoutMs: 1000,
    windowMs,
  })

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('executeOrder', () => {
  test('behavior: timeout → waits out the window → finds the resting order', async () => {
    const ex = fakeExchange('hang')
    const result = executeOrder(clientFor(ex.fetch), LIMIT)
    await vi.advanceTimersByTimeAsync(1000) // the POST times out
    expect(ex.log).toEqual(['POST /api/v1/order'])
    await vi.advanceTimersByTimeAsync(5999) // window (5000) + margin (1000)
    expect(ex.log).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    const order = await result
    expect(order).toMatchObject({ id: '1', clientId: 77 })
    // Never re-placed: one POST, then one lookup.
    expect(ex.log).toEqual(['POST /api/v1/order', 'GET /api/v1/order'])
    expect(ex.resting).toHaveLength(1)
  })

  test('behavior: network error → lookup falls through to history', async () => {
    const ex = fakeExchange('network')
    ex.history.push({
      id: '1',
      clientId: 77,
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      status: 'Filled',
      price: '141.50',
      quantity: '0.5',
      executedQuantity: '0.5',
      createdAt: '2025-07-27T18:05:40.897',
      timeInForce: 'GTC',
      selfTradePrevention: 'RejectTaker',
    })
    const origin = ex.fetch
    // The order filled immediately: it is not resting any more.
    const fetch: FetchFn = async (input, init) => {
      try {
        return await origin(input, init)
      } finally {
        if (init.method === 'POST') ex.resting.length = 0
      }
    }
    const result = executeOrder(clientFor(fetch), LIMIT)
    await vi.advanceTimersByTimeAsync(6000)
    const order = await result
    expect(order).toMatchObject({
      id: '1',
      clientId: 77,
      status: 'Filled',
      createdAt: Date.parse('2025-07-27T18:05:40.897Z'),
    })
    expect(ex.log).toEqual([
      'POST /api/v1/order',
      'GET /api/v1/order',
      'GET /api/v1/orders',
      'GET /wapi/v1/history/orders',
    ])
  })

  test('behavior: 5xx and nowhere to be found → OrderStateUnknownError, lookups notFound', async () => {
    const ex = fakeExchange(500)
    const origin = ex.fetch
    const fetch: FetchFn = async (input, init) => {
      const response = await origin(input, init)
      if (init.method === 'POST') ex.resting.length = 0 // never really placed
      return response
    }
    const result = executeOrder(clientFor(fetch), LIMIT).catch(
      (e: unknown) => e,
    )
    await vi.advanceTimersByTimeAsync(6000)
    const error = (await result) as OrderStateUnknownError
    expect(error).toBeInstanceOf(OrderStateUnknownError)
    expect(isOrderStateUnknownError(error)).toBe(true)
    expect(error.cause).toBeInstanceOf(HttpError)
    expect((error.cause as HttpError).status).toBe(500)
    expect(error.orderLookups).toEqual([{ clientId: 77, outcome: 'notFound' }])
    expect(ex.log.filter((l) => l.startsWith('POST'))).toHaveLength(1)
  })

  test('behavior: lookup failures → outcome failed, original error kept', async () => {
    let n = 0
    const fetch: FetchFn = (_input, init) => {
      n++
      if (init.method === 'POST') {
        return new Promise((_, reject) =>
          init.signal.addEventListener('abort', () =>
            reject(new Error('aborted')),
          ),
        )
      }
      return Promise.reject(new TypeError('ECONNRESET'))
    }
    const result = executeOrder(clientFor(fetch), LIMIT).catch(
      (e: unknown) => e,
    )
    await vi.advanceTimersByTimeAsync(10_000)
    const error = (await result) as OrderStateUnknownError
    expect(error).toBeInstanceOf(OrderStateUnknownError)
    expect(error.cause).toBeInstanceOf(TimeoutError)
    expect(error.orderLookups).toEqual([{ clientId: 77, outcome: 'failed' }])
    expect(n).toBe(4) // POST + three lookup steps, none retried
  })

  test('behavior: caller abort skips the lookup', async () => {
    const ex = fakeExchange('hang')
    const controller = new AbortController()
    const result = executeOrder(clientFor(ex.fetch), LIMIT, {
      signal: controller.signal,
    }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    const error = (await result) as OrderStateUnknownError
    expect(error).toBeInstanceOf(OrderStateUnknownError)
    expect(error.cause).toBeInstanceOf(NetworkError)
    expect(error.orderLookups).toEqual([{ clientId: 77, outcome: 'skipped' }])
    expect(ex.log).toEqual(['POST /api/v1/order'])
  })

  test('behavior: a definite rejection (4xx) is thrown at once, no lookup', async () => {
    const ex = fakeExchange(400)
    const error = await executeOrder(clientFor(ex.fetch), LIMIT).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect(isOrderStateUnknownError(error)).toBe(false)
    expect(ex.log).toEqual(['POST /api/v1/order'])
  })

  test('error: invalid orders are rejected before any I/O', async () => {
    const ex = fakeExchange(undefined)
    const client = clientFor(ex.fetch)
    const base = {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '1',
      quantity: '1',
    }
    const bad: [unknown, string][] = [
      [undefined, 'params'],
      [null, 'params'],
      ['order', 'params'],
      [[base], 'params'],
      [{ ...base, symbol: '' }, 'params.symbol'],
      [{ ...base, symbol: 'SOL USDC' }, 'params.symbol'],
      [{ ...base, side: 'Buy' }, 'params.side'],
      [{ ...base, orderType: 'limit' }, 'params.orderType'],
      [{ ...base, price: 141.5 }, 'params.price'],
      [{ ...base, price: '1e2' }, 'params.price'],
      [{ ...base, price: '-1' }, 'params.price'],
      [{ ...base, price: '0' }, 'params.price'],
      [{ ...base, price: ' 1' }, 'params.price'],
      [{ ...base, quantity: '' }, 'params.quantity'],
      [{ ...base, quantity: undefined }, 'params.quantity'],
      [{ ...base, price: undefined }, 'params.price'],
      [{ ...base, clientId: -1 }, 'params.clientId'],
      [{ ...base, clientId: 4_294_967_296 }, 'params.clientId'],
      [{ ...base, clientId: 1.5 }, 'params.clientId'],
      [{ ...base, clientId: '7' }, 'params.clientId'],
      [{ ...base, postOnly: 'true' }, 'params.postOnly'],
      [{ ...base, timeInForce: 'gtc' }, 'params.timeInForce'],
      [{ ...base, qty: '1' }, 'params.qty'],
      [{ ...base, quoteQuantity: '5' }, 'params.quoteQuantity'],
      [{ ...base, triggerPrice: '5' }, 'params.triggerPrice'],
      [
        { ...base, triggerPrice: '5', triggerQuantity: '0%' },
        'params.triggerQuantity',
      ],
      [{ ...base, brokerId: 70_000 }, 'params.brokerId'],
      [
        { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Market' },
        'params.quantity',
      ],
      [
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '1',
          quoteQuantity: '1',
        },
        'params.quantity',
      ],
      [
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '1',
          price: '1',
        },
        'params.price',
      ],
      [
        {
          symbol: 'SOL_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '1',
          postOnly: true,
        },
        'params.postOnly',
      ],
    ]
    for (const [params, field] of bad) {
      const error = await executeOrder(
        client,
        params as ExecuteOrderParameters,
      ).catch((e: unknown) => e)
      expect(error, JSON.stringify(params)).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).field, JSON.stringify(params)).toBe(
        field,
      )
    }
    expect(ex.log).toEqual([])
  })

  test('error: message names the field and the fix', async () => {
    await expect(
      executeOrder(clientFor(fakeExchange(undefined).fetch), {
        ...LIMIT,
        price: '1e-7',
      }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`params.price\` must be a positive decimal string like "141.50" (no exponent, no number type); got "1e-7".]`,
    )
  })

  test('args: trigger and percent trigger quantity are accepted', async () => {
    const ex = fakeExchange(undefined)
    const order = await executeOrder(clientFor(ex.fetch), {
      symbol: 'SOL_USDC_PERP',
      side: 'Ask',
      orderType: 'Market',
      triggerPrice: '120',
      triggerQuantity: '50%',
      reduceOnly: true,
      clientId: 3,
    })
    expect(order.clientId).toBe(3)
  })
})

describe('executeOrders', () => {
  test('behavior: ambiguous batch failure resolves every order by clientId', async () => {
    const ex = fakeExchange('network')
    const result = executeOrders(clientFor(ex.fetch), [
      { ...LIMIT, clientId: 1 },
      { ...LIMIT, clientId: 2, price: '140' },
    ])
    await vi.advanceTimersByTimeAsync(6000)
    const orders = await result
    expect(
      orders.map((o) => ('clientId' in o ? o.clientId : undefined)),
    ).toEqual([1, 2])
    expect(ex.log.filter((l) => l.startsWith('POST'))).toHaveLength(1)
  })

  test('behavior: an unresolved batch throws OrderStateUnknownError with every lookup', async () => {
    const ex = fakeExchange('network')
    const origin = ex.fetch
    const fetch: FetchFn = async (input, init) => {
      const response = origin(input, init)
      // Only the second order really reached the book.
      if (init.method === 'POST') ex.resting.splice(0, 1)
      return response
    }
    const result = executeOrders(clientFor(fetch), [
      { ...LIMIT, clientId: 1 },
      { ...LIMIT, clientId: 2, price: '140' },
    ]).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(6000)
    const error = (await result) as OrderStateUnknownError
    expect(error).toBeInstanceOf(OrderStateUnknownError)
    expect(error.cause).toBeInstanceOf(NetworkError)
    expect(error.orderLookups.map((l) => [l.clientId, l.outcome])).toEqual([
      [1, 'notFound'],
      [2, 'found'],
    ])
    expect(ex.log.filter((l) => l.startsWith('POST'))).toHaveLength(1)
  })

  test('error: empty, non-array, duplicate clientIds, bad item index', async () => {
    const client = clientFor(fakeExchange(undefined).fetch)
    await expect(executeOrders(client, [])).rejects.toThrow(ValidationError)
    await expect(
      executeOrders(client, 'x' as unknown as ExecuteOrderParameters[]),
    ).rejects.toThrow(ValidationError)
    await expect(
      executeOrders(client, [LIMIT, LIMIT]),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`orders[1].clientId\` 77 repeats an earlier order's clientId; each order needs its own.]`,
    )
    const error = await executeOrders(client, [
      LIMIT,
      { ...LIMIT, clientId: 1, quantity: '0.1.2' },
    ]).catch((e: unknown) => e)
    expect((error as ValidationError).field).toBe('orders[1].quantity')
  })
})
