import { ApiError, HttpError } from '@rung/backpack-sdk'
import { describe, expect, test, vi } from 'vitest'
import {
  apiError,
  ladderState,
  live,
  market,
  now,
  order,
  placeCommand,
  stubClient,
} from '../../../test/exchangeStub.js'
import { ExitError } from '../../errors.js'
import { silentLogger } from '../../ui/logger.js'
import { createLiveExecutor } from './liveExecutor.js'

describe('createLiveExecutor', () => {
  test('default: a ladder is placed rung by rung with its client ids', async () => {
    const client = stubClient()
    const state = ladderState()
    const command = placeCommand(state)
    const place = command.orders
    const result = await live(client).run([command], state)
    expect(result.reconcile).toBe(false)
    expect(
      result.events.map((e) => e.type === 'orderAccepted' && e.clientId),
    ).toEqual(place.map((o) => o.clientId))
    expect(client.executeOrder).toHaveBeenCalledWith(
      expect.objectContaining({
        side: 'Bid',
        orderType: 'Limit',
        clientId: 1024,
        timeInForce: 'GTC',
      }),
    )
  })

  test('behavior: a 4xx refusal becomes orderRejected', async () => {
    const client = stubClient({
      executeOrder: vi.fn(async () => {
        throw apiError(400, 'INSUFFICIENT_FUNDS')
      }),
    })
    const result = await live(client).run(
      [
        {
          type: 'sellPosition',
          symbol: 'BTC_USDC',
          clientId: 1536,
          orderType: 'market',
          quantity: '0.001',
          price: '61000',
          reason: 'takeProfit',
        },
      ],
      ladderState(),
    )
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'orderRejected',
        clientId: 1536,
        reason: expect.stringContaining('INSUFFICIENT_FUNDS'),
      }),
    ])
  })

  test('behavior: a 5xx (even with a JSON body) stops the batch and asks for a reconcile', async () => {
    let calls = 0
    const client = stubClient({
      executeOrder: vi.fn(async (p: { clientId: number }) => {
        calls += 1
        if (calls === 2) throw apiError(500, 'SERVER_ERROR')
        return order(p.clientId)
      }),
    })
    const state = ladderState()
    const command = placeCommand(state, 3)
    const result = await live(client).run([command], state)
    expect(result).toEqual({
      events: [
        expect.objectContaining({ type: 'orderAccepted', clientId: 1024 }),
      ],
      reconcile: true,
    })
    expect(calls).toBe(2)
  })

  test('behavior: canceling an order that is gone asks for a reconcile instead of an event', async () => {
    const client = stubClient({
      cancelOrder: vi.fn(async () => {
        throw new HttpError({
          status: 404,
          method: 'DELETE',
          path: '/api/v1/order',
          body: '',
        } as never)
      }),
    })
    const result = await live(client).run(
      [{ type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: [1024] }],
      ladderState(),
    )
    expect(result).toEqual({ events: [], reconcile: true })
  })

  test("behavior: reconcile reports only the bot's own orders and fills", async () => {
    const client = stubClient({
      getOpenOrders: vi.fn(async () => [
        order(1025, { executedQuantity: '0.0001' }),
        order(77),
        order(5000),
      ]),
      getFillHistory: vi.fn(async () => [
        {
          orderId: 'o1024',
          clientId: '1024',
          side: 'Bid',
          price: '60000',
          quantity: '0.0005',
          fee: '0.0000001',
          feeSymbol: 'BTC',
        },
        {
          orderId: 'x',
          clientId: '9',
          side: 'Ask',
          price: '1',
          quantity: '1',
          fee: '0',
          feeSymbol: 'USDC',
        },
      ]),
    })
    const event = await live(client).reconcile(ladderState(), 0)
    expect(event.openOrders).toEqual([
      {
        clientId: 1025,
        orderId: 'o1025',
        side: 'buy',
        price: '60000',
        quantity: '0.001',
        filledQuantity: '0.0001',
      },
    ])
    expect(event.fills).toEqual([
      {
        clientId: 1024,
        side: 'buy',
        price: '60000',
        quantity: '0.0005',
        fee: '0.0000001',
        feeAsset: 'base',
      },
    ])
  })

  test('behavior: the price is the highest bid whatever the order of the levels', async () => {
    expect(await live(stubClient()).price()).toBe('59999.9')
    const empty = stubClient({
      getDepth: vi.fn(async () => ({ bids: [], asks: [] })),
    })
    expect(await live(empty).price()).toBe('60001')
  })

  test('behavior: cancel-all answers with one ordersCanceled for the own orders it returned', async () => {
    const client = stubClient({
      cancelOpenOrders: vi.fn(async () => [
        order(1024, { status: 'Cancelled' }),
        order(1025, { status: 'Cancelled' }),
        order(77, { status: 'Cancelled' }),
        { ...order(0, { status: 'Cancelled' }), clientId: undefined },
      ]),
    })
    const { events } = await live(client).run(
      [{ type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: 'all' }],
      ladderState(),
    )
    expect(events).toEqual([
      { type: 'ordersCanceled', at: now(), clientIds: [1024, 1025] },
    ])
  })

  test('args: cancelAllOrders false leaves the market alone', async () => {
    const client = stubClient()
    const executor = createLiveExecutor({
      client,
      market,
      markets: [],
      cancelAllOrders: false,
      logger: silentLogger,
      now,
    })
    await executor.run(
      [{ type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: 'all' }],
      ladderState(),
    )
    expect(client.cancelOpenOrders).not.toHaveBeenCalled()
  })

  test("behavior: leftovers worth enough are sold with client ids outside the strategy's", async () => {
    const client = stubClient({
      getBalances: vi.fn(async () => ({
        USDC: { available: '100', locked: '0' },
        BTC: { available: '0.001234', locked: '0' },
        SOL: { available: '0.5', locked: '0' },
      })),
      getTicker: vi.fn(async () => ({ lastPrice: '60000' })),
    })
    await live(client).sellLeftovers('10')
    expect(client.executeOrder).toHaveBeenCalledTimes(1)
    expect(client.executeOrder).toHaveBeenCalledWith({
      symbol: 'BTC_USDC',
      side: 'Ask',
      orderType: 'Market',
      quantity: '0.00123',
      clientId: 900,
    })
  })

  test('error: a key the exchange rejects (401 INVALID_SIGNATURE) on an order is fatal, not a rejected order', async () => {
    const client = stubClient({
      executeOrder: vi.fn(async () => {
        throw apiError(401, 'INVALID_SIGNATURE')
      }),
    })
    const state = ladderState()
    const error = await live(client)
      .run([placeCommand(state)], state)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExitError)
    expect(error).toMatchObject({ exitCode: 2 })
    expect((error as Error).message).toMatch(
      /rejected the API key \(INVALID_SIGNATURE on POST \/api\/v1\/order\)[\s\S]*Fix: .*BACKPACK_API_KEY/,
    )
    // The rest of the ladder is not sent.
    expect(client.executeOrder).toHaveBeenCalledTimes(1)
  })

  test('error: a rejected key on a cancel, a cancel-all, a reconcile or the balances is fatal', async () => {
    const reject = vi.fn(async () => {
      throw apiError(401, 'INVALID_SIGNATURE')
    })
    const client = stubClient({
      cancelOrder: reject,
      cancelOpenOrders: reject,
      getOpenOrders: reject,
      getBalances: reject,
    })
    const executor = live(client)
    const state = ladderState()
    const fatal = expect.objectContaining({ name: 'ExitError', exitCode: 2 })
    await expect(
      executor.run(
        [{ type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: [1024] }],
        state,
      ),
    ).rejects.toEqual(fatal)
    await expect(
      executor.run(
        [{ type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: 'all' }],
        state,
      ),
    ).rejects.toEqual(fatal)
    await expect(executor.reconcile(state, 0)).rejects.toEqual(fatal)
    await expect(executor.sellLeftovers('10')).rejects.toEqual(fatal)
  })

  test('error: a 401 without a JSON body and an expired request are fatal too; the expired one names the clock', async () => {
    const plain = stubClient({
      getOpenOrders: vi.fn(async () => {
        throw new HttpError({
          status: 401,
          method: 'GET',
          path: '/api/v1/orders',
          body: 'Unauthorized',
        } as never)
      }),
    })
    await expect(live(plain).reconcile(ladderState(), 0)).rejects.toThrow(
      /401[\s\S]*Fix:/,
    )
    const expired = stubClient({
      getOpenOrders: vi.fn(async () => {
        throw new ApiError({
          status: 401,
          method: 'GET',
          path: '/api/v1/orders',
          code: 'UNAUTHORIZED',
          apiMessage: 'Request has expired',
          body: '{"code":"UNAUTHORIZED","message":"Request has expired"}',
        })
      }),
    })
    await expect(live(expired).reconcile(ladderState(), 0)).rejects.toThrow(
      /expired[\s\S]*Fix: .*clock/,
    )
  })
})
