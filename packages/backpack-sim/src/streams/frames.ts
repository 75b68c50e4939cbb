/**
 * The public streams' frame payloads (`data` of `{ stream, data }`): trade,
 * kline, depth, bookTicker and ticker, as the wire shows them. `E` is the
 * event time in microseconds.
 *
 * @internal
 */
import type { TradeRecord } from '../engine/types.js'
import type { CandleAgg } from '../marketdata.js'
import type { Market } from '../markets.js'
import { amt, naiveIsoSeconds, px, qty } from '../wire.js'

/** A `trade` payload. */
export function tradePayload(m: Market, t: TradeRecord, E: number) {
  return {
    e: 'trade',
    E,
    s: m.symbol,
    p: px(m, t.price),
    q: qty(m, t.quantity),
    b: t.buyerOrderId,
    a: t.sellerOrderId,
    t: t.id,
    T: t.time * 1000,
    m: t.isBuyerMaker,
  }
}

/** A `kline` payload for a candle, open or closed. */
export function klinePayload(
  m: Market,
  c: CandleAgg,
  closed: boolean,
  E: number,
) {
  return {
    e: 'kline',
    E,
    s: m.symbol,
    t: naiveIsoSeconds(c.start),
    T: naiveIsoSeconds(c.end),
    o: px(m, c.open),
    c: px(m, c.close),
    h: px(m, c.high),
    l: px(m, c.low),
    v: qty(m, c.volume),
    n: c.trades,
    X: closed,
  }
}

/** A `depth` payload: changed levels (quantity 0 removes one), `U`..`u`. */
export function depthPayload(
  m: Market,
  bids: Iterable<[bigint, bigint]>,
  asks: Iterable<[bigint, bigint]>,
  U: number,
  u: number,
  E: number,
) {
  const level = ([p, q]: [bigint, bigint]) => [px(m, p), qty(m, q)]
  return {
    e: 'depth',
    E,
    s: m.symbol,
    a: Array.from(asks, level),
    b: Array.from(bids, level),
    U,
    u,
    T: E,
  }
}

/** A `bookTicker` payload from the best bid and ask. */
export function bookTickerPayload(
  m: Market,
  b: [bigint, bigint],
  a: [bigint, bigint],
  updateId: number,
  E: number,
) {
  return {
    e: 'bookTicker',
    E,
    s: m.symbol,
    a: px(m, a[0]),
    A: qty(m, a[1]),
    b: px(m, b[0]),
    B: qty(m, b[1]),
    // A number: the official Rust client reads `u` as u64 (ccxt and the
    // SDK accept either).
    u: updateId,
    T: E,
  }
}

/** A `ticker` payload from the rolling 24h statistics. */
export function tickerPayload(m: Market, s: CandleAgg, E: number) {
  return {
    e: 'ticker',
    E,
    s: m.symbol,
    o: px(m, s.open),
    c: px(m, s.close),
    h: px(m, s.high),
    l: px(m, s.low),
    v: qty(m, s.volume),
    V: amt(s.quoteVolume),
    n: s.trades,
  }
}
