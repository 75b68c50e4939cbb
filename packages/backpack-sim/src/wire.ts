/**
 * Engine objects to the exchange's wire shapes (REST bodies and WS payloads).
 *
 * @internal
 */
import type {
  Fill,
  Kline,
  Order,
  OrderHistoryEntry,
  Trade,
} from '@rung/backpack-sdk'
import { formatDecimal } from './decimal.js'
import type {
  EngineOrder,
  FillRecord,
  OrderEventType,
  TradeRecord,
} from './engine/types.js'
import type { CandleAgg } from './marketdata.js'
import type { Market } from './markets.js'

/** Naive UTC ISO datetime with milliseconds, e.g. `2025-07-27T18:05:40.897`. */
export function naiveIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23)
}

/** Naive UTC ISO datetime to seconds, e.g. `2025-08-06T22:00:00`. */
export function naiveIsoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

/** Kline REST datetime, e.g. `2025-07-19 13:09:00`. */
export function klineTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Price in the market's tick precision. */
export function px(m: Market, units: bigint): string {
  return formatDecimal(units, m.priceDecimals)
}

/** Quantity in the market's step precision. */
export function qty(m: Market, units: bigint): string {
  return formatDecimal(units, m.qtyDecimals)
}

/** Any other amount (quote totals, balances, fees), trailing zeros trimmed. */
export function amt(units: bigint): string {
  return formatDecimal(units)
}

/** The REST Order object. */
export function orderJson(o: EngineOrder): Order {
  const m = o.market
  const common = {
    id: o.id,
    clientId: o.clientId ?? null,
    symbol: m.symbol,
    side: o.side,
    createdAt: o.createdAt,
    executedQuantity: qty(m, o.executedQty),
    executedQuoteQuantity: amt(o.executedQuote),
    timeInForce: o.timeInForce,
    selfTradePrevention: o.stp,
    status: o.status,
    reduceOnly: null,
    triggerPrice: null,
    triggerQuantity: null,
    triggerBy: null,
    triggeredAt: null,
    relatedOrderId: null,
    strategyId: null,
    stopLossTriggerPrice: null,
    stopLossLimitPrice: null,
    stopLossTriggerBy: null,
    takeProfitTriggerPrice: null,
    takeProfitLimitPrice: null,
    takeProfitTriggerBy: null,
    slippageTolerance: null,
    slippageToleranceType: null,
  }
  if (o.type === 'Limit') {
    return {
      ...common,
      orderType: 'Limit',
      price: px(m, o.price!),
      quantity: qty(m, o.quantity!),
      postOnly: o.postOnly,
    }
  }
  return {
    ...common,
    orderType: 'Market',
    quantity: o.quantity === undefined ? null : qty(m, o.quantity),
    quoteQuantity: o.quoteQuantity === undefined ? null : amt(o.quoteQuantity),
  }
}

/** A `/wapi/v1/history/orders` row. */
/** Keys the live history rows carry that the SDK type leaves out (always null here). */
type UnsimulatedHistoryKeys = Record<
  | 'stopLossTriggerPrice'
  | 'stopLossLimitPrice'
  | 'stopLossTriggerBy'
  | 'takeProfitTriggerPrice'
  | 'takeProfitLimitPrice'
  | 'takeProfitTriggerBy'
  | 'triggerBy'
  | 'slippageTolerance'
  | 'slippageToleranceType',
  null
>

export function orderHistoryJson(
  o: EngineOrder,
): OrderHistoryEntry & UnsimulatedHistoryKeys {
  const m = o.market
  // The null trigger, stop-loss and take-profit fields repeat orderJson's on
  // purpose: the two wire types list them separately (spot orders have none).
  return {
    id: o.id,
    createdAt: naiveIso(o.createdAt),
    executedQuantity: qty(m, o.executedQty),
    executedQuoteQuantity: amt(o.executedQuote),
    expiryReason: o.expiryReason ?? null,
    orderType: o.type,
    postOnly: o.type === 'Limit' ? o.postOnly : null,
    price: o.price === undefined ? null : px(m, o.price),
    quantity: o.quantity === undefined ? null : qty(m, o.quantity),
    quoteQuantity: o.quoteQuantity === undefined ? null : amt(o.quoteQuantity),
    selfTradePrevention: o.stp,
    status: o.status,
    side: o.side,
    stopLossTriggerPrice: null,
    stopLossLimitPrice: null,
    stopLossTriggerBy: null,
    takeProfitTriggerPrice: null,
    takeProfitLimitPrice: null,
    takeProfitTriggerBy: null,
    symbol: m.symbol,
    timeInForce: o.timeInForce,
    triggerBy: null,
    triggerPrice: null,
    triggerQuantity: null,
    clientId: o.clientId ?? null,
    systemOrderType: null,
    strategyId: null,
    slippageTolerance: null,
    slippageToleranceType: null,
  }
}

/** A `/wapi/v1/history/fills` row (rule 14: `fee` always a string, naive ISO timestamp). */
export function fillJson(f: FillRecord): Fill {
  const m = f.order.market
  return {
    tradeId: f.tradeId,
    orderId: f.order.id,
    clientId: f.order.clientId === undefined ? null : String(f.order.clientId),
    symbol: m.symbol,
    side: f.order.side,
    price: px(m, f.price),
    quantity: qty(m, f.quantity),
    fee: amt(f.fee),
    feeSymbol: f.feeSymbol,
    isMaker: f.isMaker,
    systemOrderType: null,
    timestamp: naiveIso(f.time),
  }
}

/** A public trade (REST). */
export function tradeJson(t: TradeRecord): Trade {
  const m = t.market
  return {
    id: t.id,
    price: px(m, t.price),
    quantity: qty(m, t.quantity),
    quoteQuantity: amt(t.quote),
    timestamp: t.time,
    isBuyerMaker: t.isBuyerMaker,
  }
}

/** The WS `account.orderUpdate` payload (§6.6; `X` uses REST spellings). */
export function orderUpdateJson(
  o: EngineOrder,
  event: OrderEventType,
  fill: FillRecord | undefined,
  micros: number,
): Record<string, unknown> {
  const m = o.market
  const d: Record<string, unknown> = {
    e: event,
    E: micros,
    s: m.symbol,
  }
  if (o.clientId !== undefined) d.c = o.clientId
  d.S = o.side
  d.o = o.type === 'Limit' ? 'LIMIT' : 'MARKET'
  d.f = o.timeInForce
  // Always present: the official Rust client's OrderUpdate requires `q`, and
  // live frames send "0" for orders without a base quantity.
  d.q = o.quantity === undefined ? '0' : qty(m, o.quantity)
  if (o.quoteQuantity !== undefined) d.Q = amt(o.quoteQuantity)
  if (o.price !== undefined) d.p = px(m, o.price)
  d.X = o.status
  if (event === 'orderExpired' && o.expiryReason !== undefined) {
    d.R = o.expiryReason
  }
  d.i = o.id
  d.t = fill ? fill.tradeId : null
  if (fill) {
    d.l = qty(m, fill.quantity)
    d.L = px(m, fill.price)
    d.m = fill.isMaker
    d.n = amt(fill.fee)
    d.N = fill.feeSymbol
  }
  d.z = qty(m, o.executedQty)
  d.Z = amt(o.executedQuote)
  d.V = o.stp
  d.T = micros
  d.O = 'USER'
  d.y = o.postOnly
  d.r = false
  return d
}

/** A REST kline row. */
export function klineJson(c: CandleAgg, m: Market): Kline {
  return {
    start: klineTime(c.start),
    end: klineTime(c.end),
    open: px(m, c.open),
    high: px(m, c.high),
    low: px(m, c.low),
    close: px(m, c.close),
    volume: qty(m, c.volume),
    quoteVolume: amt(c.quoteVolume),
    trades: String(c.trades),
  }
}
