/**
 * The exchange's REST surface (reference §3, §4 and §12 rules 7-15): one
 * function per route, each returning a status and a body.
 *
 * @internal
 */
import type {
  Asset,
  Collateral,
  CollateralAsset,
  Depth,
  SystemStatus,
  Ticker,
  Account as WireAccount,
  Balance as WireBalance,
  Market as WireMarket,
} from '@rung/backpack-sdk'
import { dec, div, formatDecimal, mul, roundToStep } from './decimal.js'
import type { Engine } from './engine/engine.js'
import type { Account, EngineOrder } from './engine/types.js'
import { ApiFailure, bad } from './errors.js'
import { shown, U32_MAX } from './input.js'
import { type CandleAgg, INTERVALS, type MarketData } from './marketdata.js'
import { ASSET_INFO, type Market } from './markets.js'
import {
  amt,
  fillJson,
  klineJson,
  naiveIso,
  orderHistoryJson,
  orderJson,
  px,
  qty,
  tradeJson,
} from './wire.js'

/** What a route answers. */
export interface RestResult {
  status: number
  /** JSON value, or a string sent as text/plain. */
  body: unknown
  text?: boolean
  headers?: Record<string, string>
}

export interface RestContext {
  engine: Engine
  data: Map<string, MarketData>
  now: () => number
  createdAt: number
}

export interface RestRequest {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  /** Account key of a signed request. */
  account: Account | undefined
}

type Handler = (ctx: RestContext, req: RestRequest) => RestResult

const ok = (body: unknown, headers?: Record<string, string>): RestResult =>
  headers ? { status: 200, body, headers } : { status: 200, body }

function obj(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return body as Record<string, unknown>
  }
  if (body === undefined) return {}
  throw bad('INVALID_CLIENT_REQUEST', 'The request body must be a JSON object')
}

function intParam(
  q: URLSearchParams,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = q.get(name)
  if (v === null || v === '') return fallback
  if (!/^\d+$/.test(v) || Number(v) > max) {
    throw bad(
      'INVALID_CLIENT_REQUEST',
      `\`${name}\` must be an integer from 0 to ${max}; got ${shown(v)}`,
    )
  }
  return Number(v)
}

function symbolParam(ctx: RestContext, q: URLSearchParams): Market {
  return ctx.engine.market(q.get('symbol') ?? undefined)
}

// ------------------------------------------------------------------ public

function marketJson(ctx: RestContext, m: Market): WireMarket {
  const c = m.config
  return {
    symbol: m.symbol,
    baseSymbol: m.base,
    quoteSymbol: m.quote,
    marketType: 'SPOT',
    filters: {
      price: {
        minPrice: c.minPrice,
        maxPrice: null,
        tickSize: c.tickSize,
        maxMultiplier: formatDecimal(m.maxMult),
        minMultiplier: formatDecimal(m.minMult),
        maxImpactMultiplier: formatDecimal(m.maxImpact),
        minImpactMultiplier: formatDecimal(m.minImpact),
      },
      quantity: {
        minQuantity: c.minQuantity,
        maxQuantity: null,
        stepSize: c.stepSize,
      },
    },
    imfFunction: null,
    mmfFunction: null,
    fundingInterval: null,
    fundingRateUpperBound: null,
    fundingRateLowerBound: null,
    openInterestLimit: '0',
    orderBookState: m.bookState ?? 'Open',
    createdAt: naiveIso(ctx.createdAt),
    visible: true,
    positionLimitWeight: null,
  }
}

function lastPrice(ctx: RestContext, m: Market): bigint | undefined {
  const book = ctx.engine.book(m.symbol)
  return book.lastPrice ?? book.referencePrice
}

function tickerJson(
  ctx: RestContext,
  m: Market,
  windowMs: number,
): Ticker | undefined {
  const s: CandleAgg | undefined = ctx.data
    .get(m.symbol)
    ?.stats(ctx.now(), windowMs)
  const last = lastPrice(ctx, m)
  if (!s && last === undefined) return undefined
  const first = s?.open ?? last!
  const close = s?.close ?? last!
  const change = close - first
  const pct =
    first === 0n
      ? 0n
      : roundToStep(div(change, first, 'down'), dec('0.000001'), 'down')
  return {
    symbol: m.symbol,
    firstPrice: px(m, first),
    lastPrice: px(m, close),
    priceChange: px(m, change),
    priceChangePercent: formatDecimal(pct),
    high: px(m, s?.high ?? close),
    low: px(m, s?.low ?? close),
    volume: qty(m, s?.volume ?? 0n),
    quoteVolume: amt(s?.quoteVolume ?? 0n),
    trades: String(s?.trades ?? 0),
  }
}

function tickerWindow(q: URLSearchParams): number {
  const interval = q.get('interval') ?? '1d'
  if (interval === '1d') return 86_400_000
  if (interval === '1w') return 7 * 86_400_000
  throw bad('INVALID_CLIENT_REQUEST', '`interval` must be `1d` or `1w`')
}

const DEPTH_LIMITS = new Set(['5', '10', '20', '50', '100', '500', '1000'])

const publicRoutes: Record<string, Handler> = {
  'GET /api/v1/status': () =>
    ok({ status: 'Ok', message: null } satisfies SystemStatus),
  'GET /api/v1/ping': () => ({ status: 200, body: 'pong', text: true }),
  'GET /api/v1/time': (ctx) => ({
    status: 200,
    body: String(ctx.now()),
    text: true,
  }),
  'GET /api/v1/wallets': () => ok([]),
  'GET /api/v1/assets': (ctx) => {
    const assets = new Set<string>()
    for (const m of ctx.engine.markets.values()) {
      assets.add(m.base)
      assets.add(m.quote)
    }
    return ok(
      [...assets].map((symbol): Asset => {
        const info = ASSET_INFO[symbol]
        return {
          symbol,
          displayName: info?.displayName ?? symbol,
          coingeckoId: null,
          tokens: [
            {
              blockchain: info?.blockchain ?? 'Solana',
              // A string: the official Rust client's Token requires it.
              contractAddress: '',
              depositEnabled: true,
              displayName: info?.displayName ?? symbol,
              maximumWithdrawal: null,
              minimumDeposit: '0',
              minimumWithdrawal: '0',
              nativeDecimals: info?.decimals ?? 8,
              withdrawEnabled: true,
              withdrawalFee: '0',
            },
          ],
        }
      }),
    )
  },
  'GET /api/v1/collateral': () => ok([]),
  'GET /api/v1/markets': (ctx, req) => {
    const types = req.query.getAll('marketType')
    if (types.length > 0 && !types.includes('SPOT')) return ok([])
    return ok([...ctx.engine.markets.values()].map((m) => marketJson(ctx, m)))
  },
  'GET /api/v1/market': (ctx, req) =>
    ok(marketJson(ctx, symbolParam(ctx, req.query))),
  'GET /api/v1/ticker': (ctx, req) => {
    const m = symbolParam(ctx, req.query)
    const t = tickerJson(ctx, m, tickerWindow(req.query))
    return t ? ok(t) : { status: 204, body: undefined }
  },
  'GET /api/v1/tickers': (ctx, req) => {
    const w = tickerWindow(req.query)
    const out: unknown[] = []
    for (const m of ctx.engine.markets.values()) {
      const t = tickerJson(ctx, m, w)
      if (t) out.push(t)
    }
    return ok(out)
  },
  'GET /api/v1/depth': (ctx, req) => {
    const m = symbolParam(ctx, req.query)
    const limitText = req.query.get('limit') ?? '1000'
    if (!DEPTH_LIMITS.has(limitText)) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        '`limit` must be one of 5, 10, 20, 50, 100, 500, 1000',
      )
    }
    const { bids, asks } = ctx.engine.levels(m.symbol, Number(limitText))
    const level = ([p, q]: [bigint, bigint]): [string, string] => [
      px(m, p),
      qty(m, q),
    ]
    // Both sides ascending by price, like the live API's samples.
    return ok({
      asks: asks.map(level),
      bids: [...bids].reverse().map(level),
      lastUpdateId: String(ctx.engine.book(m.symbol).updateId),
      timestamp: ctx.now() * 1000,
    } satisfies Depth)
  },
  'GET /api/v1/klines': (ctx, req) => {
    const m = symbolParam(ctx, req.query)
    const interval = req.query.get('interval') ?? ''
    if (INTERVALS[interval] === undefined) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        `\`interval\` must be one of ${Object.keys(INTERVALS).join(', ')}`,
      )
    }
    if (req.query.get('startTime') === null) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        'Missing required parameter `startTime` (UTC seconds)',
      )
    }
    const start = intParam(req.query, 'startTime', 0) * 1000
    const end =
      intParam(req.query, 'endTime', Math.ceil(ctx.now() / 1000) + 1) * 1000
    const rows = ctx.data.get(m.symbol)?.klines(interval, start, end) ?? []
    return ok(rows.slice(-1000).map((c) => klineJson(c, m)))
  },
  'GET /api/v1/trades': (ctx, req) => {
    const m = symbolParam(ctx, req.query)
    const limit = intParam(req.query, 'limit', 100, 1000)
    const rows = ctx.data.get(m.symbol)?.recent(limit) ?? []
    return ok(rows.reverse().map(tradeJson))
  },
  'GET /api/v1/trades/history': (ctx, req) => {
    const m = symbolParam(ctx, req.query)
    const limit = intParam(req.query, 'limit', 100, 1000)
    const offset = intParam(req.query, 'offset', 0)
    const rows = ctx.data.get(m.symbol)?.recent(limit, offset) ?? []
    return ok(rows.reverse().map(tradeJson))
  },
  'GET /api/v1/markPrices': (ctx) =>
    ok(
      [...ctx.engine.markets.values()].flatMap((m) => {
        const p = lastPrice(ctx, m)
        return p === undefined
          ? []
          : [{ symbol: m.symbol, markPrice: px(m, p), indexPrice: px(m, p) }]
      }),
    ),
  'GET /api/v1/openInterest': () => ok([]),
}

// ----------------------------------------------------------------- private

function acct(req: RestRequest): Account {
  if (!req.account)
    throw new ApiFailure(401, 'INVALID_SIGNATURE', 'Invalid signature')
  return req.account
}

function oneOf(
  orderId: unknown,
  clientId: unknown,
): { orderId: string | undefined; clientId: number | undefined } {
  const hasId = orderId !== undefined && orderId !== null && orderId !== ''
  const hasClient =
    clientId !== undefined && clientId !== null && clientId !== ''
  if (hasId === hasClient) {
    throw bad(
      'INVALID_CLIENT_REQUEST',
      'Must specify either `clientId` or `orderId`',
    )
  }
  if (hasClient) {
    // Query text must be plain digits: `Number` would take "1e3" or "0x10".
    const n =
      typeof clientId === 'number'
        ? clientId
        : typeof clientId === 'string' && /^\d+$/.test(clientId)
          ? Number(clientId)
          : Number.NaN
    if (!Number.isInteger(n) || n < 0 || n > U32_MAX) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        `\`clientId\` must be an integer from 0 to ${U32_MAX}; got ${shown(clientId)}`,
      )
    }
    return { orderId: undefined, clientId: n }
  }
  return { orderId: String(orderId), clientId: undefined }
}

const NOT_FOUND = 'Order not found'

/**
 * What both history routes read first: the account, the query, its
 * `symbol` (which must be listed) and its `orderId`.
 */
function historyFilter(ctx: RestContext, req: RestRequest) {
  const acc = acct(req)
  const q = req.query
  const symbol = q.get('symbol')
  if (symbol !== null) ctx.engine.market(symbol)
  return { acc, q, symbol, orderId: q.get('orderId') }
}

function page(rows: unknown[], q: URLSearchParams): RestResult {
  const limit = intParam(q, 'limit', 100, 1000)
  const offset = intParam(q, 'offset', 0)
  const desc = (q.get('sortDirection') ?? 'Desc') !== 'Asc'
  const sorted = desc ? [...rows].reverse() : rows
  const slice = sorted.slice(offset, offset + limit)
  const size = Math.max(limit, 1)
  return ok(slice, {
    'X-PAGE-COUNT': String(Math.max(1, Math.ceil(rows.length / size))),
    'X-CURRENT-PAGE': String(Math.floor(offset / size) + 1),
    'X-PAGE-SIZE': String(limit),
    'X-TOTAL': String(rows.length),
    'Access-Control-Expose-Headers':
      'X-PAGE-COUNT, X-CURRENT-PAGE, X-PAGE-SIZE, X-TOTAL',
  })
}

function balancesJson(acc: Account): Record<string, WireBalance> {
  const out: Record<string, WireBalance> = {}
  for (const [asset, b] of [...acc.balances].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    out[asset] = {
      available: amt(b.available),
      locked: amt(b.locked),
      staked: '0',
    }
  }
  return out
}

function placeOne(ctx: RestContext, acc: Account, body: unknown): EngineOrder {
  return ctx.engine.placeOrder(acc, obj(body))
}

const privateRoutes: Record<string, Handler> = {
  'GET /api/v1/account': (_ctx, req) => {
    const acc = acct(req)
    const bps = (v: bigint) => formatDecimal(v)
    const body: WireAccount = {
      autoBorrowSettlements: false,
      autoLend: false,
      autoRealizePnl: false,
      autoRepayBorrows: false,
      borrowLimit: '0',
      futuresMakerFee: bps(acc.makerBps),
      futuresTakerFee: bps(acc.takerBps),
      leverageLimit: '1',
      limitOrders: acc.open.size,
      liquidating: false,
      positionLimit: '0',
      spotMakerFee: bps(acc.makerBps),
      spotTakerFee: bps(acc.takerBps),
      triggerOrders: 0,
    }
    return ok(body)
  },
  'PATCH /api/v1/account': () => ({ status: 200, body: '', text: true }),
  'GET /api/v1/capital': (_ctx, req) => ok(balancesJson(acct(req))),
  'GET /api/v1/capital/collateral': (ctx, req) => {
    const acc = acct(req)
    let total = 0n
    let locked = 0n
    const collateral: CollateralAsset[] = []
    for (const [asset, b] of acc.balances) {
      const price = assetPrice(ctx, asset)
      const qtyTotal = b.available + b.locked
      const value = mul(qtyTotal, price, 'down')
      total += value
      locked += mul(b.locked, price, 'down')
      collateral.push({
        symbol: asset,
        assetMarkPrice: amt(price),
        totalQuantity: amt(qtyTotal),
        balanceNotional: amt(value),
        collateralWeight: '1',
        collateralValue: amt(value),
        openOrderQuantity: amt(b.locked),
        lendQuantity: '0',
        availableQuantity: amt(b.available),
      })
    }
    const body: Collateral = {
      assetsValue: amt(total),
      borrowLiability: '0',
      collateral,
      imf: '1',
      unsettledEquity: '0',
      liabilitiesValue: '0',
      marginFraction: null,
      mmf: '0',
      netEquity: amt(total),
      netEquityAvailable: amt(total - locked),
      netEquityLocked: amt(locked),
      netExposureFutures: '0',
      pnlUnrealized: '0',
    }
    return ok(body)
  },
  'GET /api/v1/order': (ctx, req) => {
    const acc = acct(req)
    const m = symbolParam(ctx, req.query)
    const { orderId, clientId } = oneOf(
      req.query.get('orderId') ?? undefined,
      req.query.get('clientId') ?? undefined,
    )
    const o = ctx.engine.findOpen(acc, m.symbol, orderId, clientId)
    if (!o) throw new ApiFailure(404, 'RESOURCE_NOT_FOUND', NOT_FOUND)
    return ok(orderJson(o))
  },
  'POST /api/v1/order': (ctx, req) =>
    ok(orderJson(placeOne(ctx, acct(req), req.body))),
  'DELETE /api/v1/order': (ctx, req) => {
    const acc = acct(req)
    const b = obj(req.body)
    const m = ctx.engine.market(b.symbol)
    const { orderId, clientId } = oneOf(b.orderId, b.clientId)
    const o = ctx.engine.findOpen(acc, m.symbol, orderId, clientId)
    if (!o) throw new ApiFailure(400, 'RESOURCE_NOT_FOUND', NOT_FOUND)
    return ok(orderJson(ctx.engine.cancel(o)))
  },
  'GET /api/v1/orders': (ctx, req) => {
    const acc = acct(req)
    const symbol = req.query.get('symbol')
    if (symbol !== null) ctx.engine.market(symbol)
    const marketType = req.query.get('marketType')
    if (marketType !== null && marketType !== 'SPOT') return ok([])
    const rows = [...acc.open.values()]
      .filter((o) => symbol === null || o.market.symbol === symbol)
      .sort((a, b) => a.seq - b.seq)
      .map(orderJson)
    return ok(rows)
  },
  'POST /api/v1/orders': (ctx, req) => {
    const acc = acct(req)
    if (!Array.isArray(req.body) || req.body.length === 0) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        'The batch body must be a non-empty JSON array of orders',
      )
    }
    return ok(
      req.body.map((item: unknown) => {
        try {
          return { ...orderJson(placeOne(ctx, acc, item)), operation: 'Ok' }
        } catch (e) {
          if (e instanceof ApiFailure) {
            return { code: e.code, message: e.message, operation: 'Err' }
          }
          throw e
        }
      }),
    )
  },
  'DELETE /api/v1/orders': (ctx, req) => {
    const acc = acct(req)
    const b = obj(req.body)
    const m = ctx.engine.market(b.symbol)
    if (b.orderType === 'ConditionalOrder') return ok([])
    return ok(ctx.engine.cancelAll(acc, m.symbol).map(orderJson))
  },
  'GET /wapi/v1/history/orders': (ctx, req) => {
    const { acc, q, symbol, orderId } = historyFilter(ctx, req)
    const rows = acc.history
      .filter(
        (o) =>
          (symbol === null || o.market.symbol === symbol) &&
          (orderId === null || o.id === orderId),
      )
      .map(orderHistoryJson)
    return page(rows, q)
  },
  'GET /wapi/v1/history/fills': (ctx, req) => {
    const { acc, q, symbol, orderId } = historyFilter(ctx, req)
    const from = intParam(q, 'from', 0)
    const to = intParam(q, 'to', Number.MAX_SAFE_INTEGER)
    const rows = acc.fills
      .filter(
        (f) =>
          (symbol === null || f.order.market.symbol === symbol) &&
          (orderId === null || f.order.id === orderId) &&
          f.time >= from &&
          f.time <= to,
      )
      .map(fillJson)
    return page(rows, q)
  },
  'GET /wapi/v1/capital/deposits': (_ctx, req) => page([], req.query),
  'GET /wapi/v1/capital/withdrawals': (_ctx, req) => page([], req.query),
  'GET /api/v1/position': (_ctx, req) => {
    if (req.query.get('symbol') !== null) {
      throw new ApiFailure(404, 'RESOURCE_NOT_FOUND', 'Position not found')
    }
    return ok([])
  },
  'GET /api/v1/borrowLend/positions': () => ok([]),
}

function assetPrice(ctx: RestContext, asset: string): bigint {
  for (const m of ctx.engine.markets.values()) {
    if (m.quote === asset) return dec('1')
    if (m.base === asset) {
      const p = lastPrice(ctx, m)
      if (p !== undefined) return p
    }
  }
  return 0n
}

/** Finds the handler of a route, or `undefined` for an unknown route. */
export function route(
  method: string,
  path: string,
): { handler: Handler; isPrivate: boolean } | undefined {
  const key = `${method} ${path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path}`
  const pub = publicRoutes[key]
  if (pub) return { handler: pub, isPrivate: false }
  const priv = privateRoutes[key]
  if (priv) return { handler: priv, isPrivate: true }
  return undefined
}
