/**
 * Matching: the book (price levels in time priority), whether a taker
 * crosses, the dry run a fill-or-kill or market order needs, and the fills a
 * taker makes against resting makers. Effects beyond the book and the two
 * orders (depth events, order and trade events, ending an order) go through
 * {@link MatchHooks}, which the engine provides.
 *
 * @internal
 */
import type { Side } from '@rung/backpack-sdk'
import { countSteps, div, min, mul, roundToStep } from '../decimal.js'
import { payForFill, settle } from './accounts.js'
import type {
  Book,
  EngineOrder,
  FillRecord,
  Level,
  OrderEventType,
  OrderStatus,
  TradeRecord,
} from './types.js'

/** What matching needs from the engine: the clock, the fault setting, and where its effects go. */
export interface MatchHooks {
  /** Wall clock, ms. */
  now(): number
  /** Partial fills each match is split into (fault injection; 1 is none). */
  splitFills(): number
  /** Marks a level as changed, for the next depth event. */
  touch(book: Book, side: Side, price: bigint): void
  /** Ends an order: releases what it holds and reports its final event. */
  finish(
    order: EngineOrder,
    status: OrderStatus,
    reason: string | undefined,
  ): void
  /** Reports an order event to the listeners. */
  emit(
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void
  /** Reports a trade to the listeners. */
  trade(trade: TradeRecord): void
  /** Whether anyone listens (when not, trade records are not built). */
  listening(): boolean
}

/** The price limit a taker order may reach (its limit, or the impact band for market orders). */
export function takerLimit(order: EngineOrder, book: Book): bigint | undefined {
  if (order.type === 'Limit') return order.price
  const m = order.market
  if (order.side === 'Bid') {
    const best = book.asks[0]?.price
    return best === undefined ? undefined : mul(best, m.maxImpact, 'down')
  }
  const best = book.bids[0]?.price
  return best === undefined ? undefined : mul(best, m.minImpact, 'up')
}

/** Dry run: how much the order could fill now (quantity and quote). */
export function walk(
  order: EngineOrder,
  book: Book,
): { qty: bigint; quote: bigint } {
  const limit = takerLimit(order, book)
  const levels = order.side === 'Bid' ? book.asks : book.bids
  let qty = 0n
  let quote = 0n
  let wantQty = order.quantity
  let wantQuote = order.quoteQuantity
  if (limit === undefined) return { qty, quote }
  outer: for (const level of levels) {
    if (!crosses(order.side, limit, level.price)) break
    for (const maker of level.orders) {
      if (maker.account === order.account) {
        if (order.stp === 'RejectTaker' || order.stp === 'RejectBoth') {
          break outer
        }
        if (order.stp === 'RejectMaker') continue
      }
      let q = remaining(maker)
      if (wantQty !== undefined) q = min(q, wantQty)
      if (wantQuote !== undefined) {
        const afford =
          countSteps(
            div(wantQuote, level.price, 'down'),
            order.market.step,
            'down',
          ) * order.market.step
        q = min(q, afford)
      }
      if (q <= 0n) break outer
      const cost = mul(level.price, q, 'up')
      qty += q
      quote += cost
      if (wantQty !== undefined) wantQty -= q
      if (wantQuote !== undefined) wantQuote -= cost
    }
  }
  return { qty, quote }
}

/**
 * Matches a taker against the book. Returns an expiry reason if it must
 * stop, `'done'` when a quote-quantity order cannot use another step.
 */
export function match(
  order: EngineOrder,
  book: Book,
  hooks: MatchHooks,
): string | undefined {
  const market = order.market
  const levels = order.side === 'Bid' ? book.asks : book.bids
  const limit = takerLimit(order, book)
  if (limit === undefined) return undefined
  while (levels.length > 0) {
    const level = levels[0]!
    if (!crosses(order.side, limit, level.price)) break
    while (level.orders.length > 0) {
      const maker = level.orders[0]!
      if (maker.account === order.account && order.stp !== 'Allow') {
        if (order.stp === 'RejectTaker') return 'SelfTradePrevention'
        unrest(maker, book, hooks)
        hooks.finish(maker, 'Expired', 'SelfTradePrevention')
        if (order.stp === 'RejectBoth') return 'SelfTradePrevention'
        continue
      }
      let q = remaining(maker)
      const r = order.quantity !== undefined ? remaining(order) : undefined
      if (r !== undefined && r < q) q = r
      if (order.quoteQuantity !== undefined) {
        const left = order.quoteQuantity - order.executedQuote
        const afford = roundToStep(
          div(left, level.price, 'down'),
          market.step,
          'down',
        )
        if (afford < q) q = afford
        if (afford <= 0n) return order.executedQty > 0n ? 'done' : undefined
      }
      if (order.type === 'Market') {
        // Market orders hold no lock: bound by what is available.
        if (order.side === 'Bid') {
          const avail = order.quoteBalance.available
          const afford = roundToStep(
            div(avail, level.price, 'down'),
            market.step,
            'down',
          )
          if (afford < q) q = afford
          if (q <= 0n && (r === undefined || r > 0n)) {
            return order.executedQty > 0n ? undefined : 'InsufficientFunds'
          }
        } else {
          const avail = order.baseBalance.available
          if (avail < q) q = roundToStep(avail, market.step, 'down')
        }
      }
      if (q <= 0n) return undefined
      // One match, in `splitFills` partial fills when that fault is set.
      const part = fillPart(q, market.step, hooks.splitFills())
      for (let left = q; ; left -= part) {
        if (part >= left) {
          fill(maker, order, level.price, left, book, hooks)
          break
        }
        fill(maker, order, level.price, part, book, hooks)
      }
      if (maker.executedQty === maker.quantity) {
        level.orders.shift()
        if (level.orders.length === 0 && levels[0] === level) levels.shift()
        maker.account.open.delete(maker.id)
        hooks.touch(book, maker.side, level.price)
        hooks.finish(maker, 'Filled', undefined)
      } else {
        hooks.touch(book, maker.side, level.price)
      }
      if (filledAll(order)) return undefined
    }
    if (levels[0] === level && level.orders.length === 0) levels.shift()
  }
  return undefined
}

/**
 * The size of each partial fill when the `splitFills` fault cuts a match of
 * `qty` into `split` parts (whole steps, rounded up; the last part may be
 * smaller). `qty` itself when there is no split.
 */
function fillPart(qty: bigint, step: bigint, split: number): bigint {
  if (split <= 1) return qty
  const parts = BigInt(split)
  const lots = countSteps(qty, step, 'down')
  const partLots = lots / parts + (lots % parts === 0n ? 0n : 1n)
  const part = partLots * step
  return part < qty ? part : qty
}

/** One fill: both sides pay and receive, fees, ledger, events and the trade. */
function fill(
  maker: EngineOrder,
  taker: EngineOrder,
  price: bigint,
  qty: bigint,
  book: Book,
  hooks: MatchHooks,
): void {
  const market = maker.market
  const time = hooks.now()
  const quote = mul(price, qty, 'down')
  const tradeId = ++book.tradeSeq
  const makerIsBuyer = maker.side === 'Bid'
  const buyer = makerIsBuyer ? maker : taker
  const seller = makerIsBuyer ? taker : maker
  payForFill(buyer, seller, price, qty, quote)
  const buyerFee = settle(
    buyer,
    makerIsBuyer,
    buyer.baseBalance,
    market.baseFeeDecimals,
    qty,
  )
  const sellerFee = settle(
    seller,
    !makerIsBuyer,
    seller.quoteBalance,
    market.quoteFeeDecimals,
    quote,
  )
  if (buyerFee !== 0n) book.fees.base += buyerFee
  if (sellerFee !== 0n) book.fees.quote += sellerFee
  // The buyer gave quote and got base, less its fee in base.
  const fill: FillParts = { tradeId, price, qty, quote, time, maker }
  fillSide(buyer, fill, buyerFee, hooks)
  fillSide(seller, fill, sellerFee, hooks)
  book.lastPrice = price
  // The trade record is only for listeners: none, none built.
  if (!hooks.listening()) return
  hooks.trade({
    id: tradeId,
    market,
    price,
    quantity: qty,
    quote,
    time,
    isBuyerMaker: makerIsBuyer,
    buyerOrderId: buyer.id,
    sellerOrderId: seller.id,
  })
}

/** What both sides of one fill share. */
interface FillParts {
  tradeId: number
  price: bigint
  qty: bigint
  quote: bigint
  time: number
  maker: EngineOrder
}

/**
 * One side of a fill after settling: its executed amounts, ledger, fill
 * record, status and event. (Both sides run the same code; the side decides
 * which asset it gave and which it got.)
 */
function fillSide(
  o: EngineOrder,
  f: FillParts,
  fee: bigint,
  hooks: MatchHooks,
): void {
  const { market, account: acc } = o
  const isBid = o.side === 'Bid'
  const asset = isBid ? market.base : market.quote
  o.executedQty += f.qty
  o.executedQuote += f.quote
  o.status =
    o.quantity !== undefined && o.executedQty === o.quantity
      ? 'Filled'
      : 'PartiallyFilled'
  // Internal accounts keep no ledger, no fills and hear no events.
  if (acc.internal) return
  const rec: FillRecord = {
    tradeId: f.tradeId,
    order: o,
    price: f.price,
    quantity: f.qty,
    fee,
    feeSymbol: asset,
    quote: f.quote,
    isMaker: o === f.maker,
    time: f.time,
  }
  // The record is the fill's ledger lines too (see Account.ledger).
  acc.ledger.push(rec)
  acc.fills.push(rec)
  hooks.emit(o, 'orderFill', rec)
}

/**
 * Where a price stands among a side's levels (best first): the index of its
 * level, or where a new level for it goes. Binary search.
 */
function levelIndex(levels: Level[], side: Side, p: bigint): number {
  let lo = 0
  let hi = levels.length
  if (side === 'Bid') {
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (levels[mid]!.price > p) lo = mid + 1
      else hi = mid
    }
  } else {
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (levels[mid]!.price < p) lo = mid + 1
      else hi = mid
    }
  }
  return lo
}

/** Puts an order on the book at its price, behind the orders already there. */
export function rest(order: EngineOrder, book: Book, hooks: MatchHooks): void {
  const levels = order.side === 'Bid' ? book.bids : book.asks
  const p = order.price!
  const i = levelIndex(levels, order.side, p)
  const at = levels[i]
  if (at !== undefined && at.price === p) at.orders.push(order)
  else levels.splice(i, 0, { price: p, orders: [order] })
  order.account.open.set(order.id, order)
  hooks.touch(book, order.side, p)
}

/** Takes an order off the book. */
export function unrest(
  order: EngineOrder,
  book: Book,
  hooks: MatchHooks,
): void {
  const levels = order.side === 'Bid' ? book.bids : book.asks
  const p = order.price!
  const i = levelIndex(levels, order.side, p)
  const level = levels[i]
  if (level !== undefined && level.price === p) {
    const j = level.orders.indexOf(order)
    if (j >= 0) level.orders.splice(j, 1)
    if (level.orders.length === 0) levels.splice(i, 1)
  }
  order.account.open.delete(order.id)
  hooks.touch(book, order.side, p)
}

/** The quantity resting at a price (0 when no level is there). */
export function qtyAt(levels: Level[], price: bigint): bigint {
  for (const l of levels) if (l.price === price) return levelQty(l)
  return 0n
}

/** The quantity resting on a level. */
export function levelQty(level: Level): bigint {
  let q = 0n
  for (const o of level.orders) q += remaining(o)
  return q
}

/** Quantity still to fill (0 for a quote-quantity market order, which has none). */
export function remaining(o: EngineOrder): bigint {
  return o.quantity === undefined ? 0n : o.quantity - o.executedQty
}

/** Whether an order has nothing left to fill. */
export function filledAll(o: EngineOrder): boolean {
  if (o.quantity !== undefined) return o.executedQty >= o.quantity
  if (o.quoteQuantity !== undefined) {
    // Filled when not even one more step fits into what is left.
    return o.executedQuote >= o.quoteQuantity
  }
  return false
}

/** Whether a taker at `limit` reaches a level at `level`. */
export function crosses(side: Side, limit: bigint, level: bigint): boolean {
  return side === 'Bid' ? level <= limit : level >= limit
}
