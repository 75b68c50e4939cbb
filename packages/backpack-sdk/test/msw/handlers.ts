/**
 * msw handlers acting as a small Backpack exchange. Every private handler
 * VERIFIES the request like the real server: X-API-Key, X-Timestamp and
 * X-Window headers present, window ≤ 60000, timestamp inside the window of
 * the exchange clock (`exchange.serverNow`), and X-Signature valid over the
 * canonical string rebuilt from what arrived on the wire (decoded query or
 * JSON body) with the shared instruction table.
 */
import { HttpResponse, http } from 'msw'
import type { Order, OrderHistoryEntry } from '../../src/index.js'
import {
  buildSigningPayload,
  instructionFor,
  verifySignature,
} from '../../src/signing/index.js'
import {
  BASE_URL,
  DEPTH,
  MARKETS,
  TEST_PUBLIC_KEY,
  TICKER,
} from './fixtures.js'

/** Mutable state of the fake exchange; reset after each test. */
export const exchange = {
  /** The exchange's clock. */
  serverNow: () => Date.now(),
  orders: [] as Order[],
  history: [] as OrderHistoryEntry[],
  nextId: 1000,
  /** Every verified signed request, for assertions. */
  signed: [] as { method: string; path: string; payload: string }[],
  reset() {
    this.serverNow = () => Date.now()
    this.orders = []
    this.history = []
    this.nextId = 1000
    this.signed = []
  },
}

const url = (path: string) => `${BASE_URL}${path}`
const apiError = (status: number, code: string, message: string) =>
  HttpResponse.json({ code, message }, { status })

/** Returns an error response, or undefined when the request is authentic. */
export async function verify(request: Request): Promise<Response | undefined> {
  const { pathname, searchParams } = new URL(request.url)
  const apiKey = request.headers.get('X-API-Key')
  const signature = request.headers.get('X-Signature')
  const timestamp = request.headers.get('X-Timestamp')
  const window = request.headers.get('X-Window')
  if (!apiKey || !signature || !timestamp || !window) {
    return apiError(401, 'INVALID_SIGNATURE', 'Invalid signature')
  }
  if (apiKey !== TEST_PUBLIC_KEY) {
    return apiError(401, 'INVALID_SIGNATURE', 'Invalid signature')
  }
  const ts = Number(timestamp)
  const windowMs = Number(window)
  if (!/^\d+$/.test(timestamp) || !/^\d+$/.test(window) || windowMs > 60_000) {
    return apiError(401, 'INVALID_SIGNATURE', 'Invalid signature')
  }
  if (Math.abs(exchange.serverNow() - ts) > windowMs) {
    return apiError(401, 'UNAUTHORIZED', 'Request has expired')
  }
  const instruction = instructionFor(request.method, pathname)
  if (!instruction) return apiError(404, 'NOT_FOUND', 'no such route')
  let params: Record<string, unknown> | Record<string, unknown>[]
  if (request.method === 'GET') {
    params = Object.fromEntries(searchParams.entries())
  } else {
    const text = await request.clone().text()
    params = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  }
  const payload = buildSigningPayload({
    instruction,
    params,
    timestamp: ts,
    windowMs,
  })
  if (!verifySignature({ publicKey: apiKey, payload, signature })) {
    return apiError(401, 'INVALID_SIGNATURE', 'Invalid signature')
  }
  exchange.signed.push({ method: request.method, path: pathname, payload })
  return undefined
}

/** Wraps a private handler with verification. */
function signed(
  handler: (request: Request) => Response | Promise<Response>,
): (info: { request: Request }) => Promise<Response> {
  return async ({ request }) => (await verify(request)) ?? handler(request)
}

/** Places an order in the fake book, as the exchange would. */
export function placeOrder(body: Record<string, unknown>): Order {
  const base = {
    id: String(exchange.nextId++),
    clientId: (body.clientId as number | undefined) ?? null,
    symbol: body.symbol as string,
    side: body.side as 'Bid' | 'Ask',
    createdAt: exchange.serverNow(),
    executedQuantity: '0',
    executedQuoteQuantity: '0',
    timeInForce: (body.timeInForce as string | undefined) ?? 'GTC',
    selfTradePrevention: 'RejectTaker',
    status: 'New',
  }
  const order: Order =
    body.orderType === 'Limit'
      ? {
          ...base,
          orderType: 'Limit',
          price: body.price as string,
          quantity: body.quantity as string,
          postOnly: (body.postOnly as boolean | undefined) ?? false,
        }
      : {
          ...base,
          orderType: 'Market',
          status: 'Filled',
          quantity: (body.quantity as string | undefined) ?? null,
          quoteQuantity: (body.quoteQuantity as string | undefined) ?? null,
        }
  if (order.status === 'New') exchange.orders.push(order)
  else {
    exchange.history.push({
      id: order.id,
      createdAt: new Date(order.createdAt).toISOString().slice(0, -1),
      clientId: order.clientId ?? null,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType,
      status: order.status,
      quantity: order.orderType === 'Market' ? (order.quantity ?? null) : null,
      executedQuantity: (body.quantity as string | undefined) ?? '0',
      timeInForce: order.timeInForce,
      selfTradePrevention: order.selfTradePrevention,
    })
  }
  return order
}

function findOrder(search: URLSearchParams | Record<string, unknown>) {
  const get = (k: string) =>
    search instanceof URLSearchParams ? search.get(k) : search[k]
  const symbol = get('symbol')
  const orderId = get('orderId')
  const clientId = get('clientId')
  return exchange.orders.find(
    (o) =>
      o.symbol === symbol &&
      ((orderId != null && o.id === String(orderId)) ||
        (clientId != null && String(o.clientId) === String(clientId))),
  )
}

export const handlers = [
  http.get(url('/api/v1/status'), () =>
    HttpResponse.json({ status: 'Ok', message: null }),
  ),
  http.get(url('/api/v1/ping'), () => HttpResponse.text('pong')),
  http.get(url('/api/v1/time'), () =>
    HttpResponse.text(String(exchange.serverNow())),
  ),
  http.get(url('/api/v1/assets'), () =>
    HttpResponse.json([
      {
        symbol: 'SOL',
        displayName: 'Solana',
        coingeckoId: 'solana',
        tokens: [
          {
            blockchain: 'Solana',
            depositEnabled: true,
            minimumDeposit: '0.01',
            withdrawEnabled: true,
            minimumWithdrawal: '0.02',
            maximumWithdrawal: null,
            withdrawalFee: '0.002',
          },
        ],
      },
    ]),
  ),
  http.get(url('/api/v1/markets'), () => HttpResponse.json(MARKETS)),
  http.get(url('/api/v1/market'), ({ request }) => {
    const symbol = new URL(request.url).searchParams.get('symbol')
    const market = MARKETS.find((m) => m.symbol === symbol)
    return market
      ? HttpResponse.json(market)
      : apiError(400, 'INVALID_MARKET', 'Invalid market')
  }),
  http.get(url('/api/v1/ticker'), () => HttpResponse.json(TICKER)),
  http.get(url('/api/v1/tickers'), () => HttpResponse.json([TICKER])),
  http.get(url('/api/v1/depth'), () => HttpResponse.json(DEPTH)),
  http.get(url('/api/v1/klines'), ({ request }) => {
    const interval = new URL(request.url).searchParams.get('interval')
    if (interval !== '1m') {
      // Backpack answers this one as plain text (reference §3.6).
      return HttpResponse.text(
        'failed to parse parameter `interval`: failed to parse "KlineInterval": Expect a valid enumeration value.',
        { status: 400 },
      )
    }
    return HttpResponse.json([
      {
        start: '2025-07-19 13:09:00',
        end: '2025-07-19 13:10:00',
        open: '141.1',
        high: '141.9',
        low: '141.0',
        close: '141.5',
        volume: '10',
        quoteVolume: '1414',
        trades: '12',
      },
    ])
  }),
  http.get(url('/api/v1/trades'), () =>
    HttpResponse.json([
      {
        id: 1,
        price: '141.5',
        quantity: '1',
        quoteQuantity: '141.5',
        timestamp: 1_700_000_000_000,
        isBuyerMaker: true,
      },
    ]),
  ),
  http.get(url('/api/v1/trades/history'), () => HttpResponse.json([])),

  http.get(
    url('/api/v1/capital'),
    signed(() =>
      HttpResponse.json({
        USDC: { available: '1000.5', locked: '10', staked: '0' },
      }),
    ),
  ),
  http.get(
    url('/api/v1/capital/collateral'),
    signed(() =>
      HttpResponse.json({
        assetsValue: '1000',
        borrowLiability: '0',
        imf: '0.02',
        mmf: '0.01',
        marginFraction: null,
        unsettledEquity: '0',
        liabilitiesValue: '0',
        netEquity: '1000',
        netEquityAvailable: '990',
        netEquityLocked: '10',
        netExposureFutures: '0',
        pnlUnrealized: '0',
        collateral: [],
      }),
    ),
  ),
  http.get(
    url('/api/v1/account'),
    signed(() =>
      HttpResponse.json({
        autoBorrowSettlements: false,
        autoLend: false,
        autoRealizePnl: true,
        autoRepayBorrows: false,
        liquidating: false,
        borrowLimit: '0',
        leverageLimit: '10',
        positionLimit: '1000000',
        futuresMakerFee: '2',
        futuresTakerFee: '5',
        spotMakerFee: '8',
        spotTakerFee: '10',
        limitOrders: 0,
        triggerOrders: 0,
      }),
    ),
  ),
  http.post(
    url('/api/v1/order'),
    signed(async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      if (
        body.clientId !== undefined &&
        exchange.orders.some((o) => o.clientId === body.clientId)
      ) {
        return apiError(
          400,
          'INVALID_ORDER',
          `Order with client ID already exists: ${String(body.clientId)}`,
        )
      }
      return HttpResponse.json(placeOrder(body))
    }),
  ),
  http.post(
    url('/api/v1/orders'),
    signed(async (request) => {
      const body = (await request.json()) as Record<string, unknown>[]
      return HttpResponse.json(
        body.map((o) =>
          o.quantity === '999999'
            ? {
                code: 'INSUFFICIENT_FUNDS',
                message: 'Insufficient funds',
                operation: 'Err',
              }
            : { ...placeOrder(o), operation: 'Ok' },
        ),
      )
    }),
  ),
  http.get(
    url('/api/v1/order'),
    signed((request) => {
      const order = findOrder(new URL(request.url).searchParams)
      return order
        ? HttpResponse.json(order)
        : apiError(404, 'RESOURCE_NOT_FOUND', 'Order not found')
    }),
  ),
  http.get(
    url('/api/v1/orders'),
    signed((request) => {
      const symbol = new URL(request.url).searchParams.get('symbol')
      return HttpResponse.json(
        exchange.orders.filter((o) => symbol === null || o.symbol === symbol),
      )
    }),
  ),
  http.delete(
    url('/api/v1/order'),
    signed(async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      const order = findOrder(body)
      if (!order) return apiError(400, 'RESOURCE_NOT_FOUND', 'Order not found')
      exchange.orders = exchange.orders.filter((o) => o !== order)
      return HttpResponse.json({ ...order, status: 'Cancelled' })
    }),
  ),
  http.delete(
    url('/api/v1/orders'),
    signed(async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      const cancelled = exchange.orders.filter((o) => o.symbol === body.symbol)
      exchange.orders = exchange.orders.filter((o) => o.symbol !== body.symbol)
      return HttpResponse.json(
        cancelled.map((o) => ({ ...o, status: 'Cancelled' })),
      )
    }),
  ),
  http.get(
    url('/wapi/v1/history/orders'),
    signed(() => HttpResponse.json(exchange.history)),
  ),
  http.get(
    url('/wapi/v1/history/fills'),
    signed(() =>
      HttpResponse.json([
        {
          tradeId: 1,
          orderId: '1000',
          clientId: '42',
          symbol: 'SOL_USDC',
          side: 'Bid',
          price: '141.5',
          quantity: '1',
          fee: '0',
          feeSymbol: 'USDC',
          isMaker: true,
          timestamp: '2025-07-27T17:39:00.092',
        },
      ]),
    ),
  ),
]
