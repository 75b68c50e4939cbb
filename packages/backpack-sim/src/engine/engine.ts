/**
 * The matching engine: the exchange state (markets, books, accounts, fees
 * collected) and the order lifecycle (accept, match, rest, cancel, expire).
 * Pure and synchronous: the server and the feed drive it, and it reports
 * what happened through {@link EngineListener}. The pieces live beside it:
 * order checks in `validation.ts`, the book and fills in `matching.ts`,
 * balances, locks, fees and the ledger in `accounts.ts`, the data in
 * `types.ts`.
 *
 * @internal
 */
import type { Side } from '@rung/backpack-sdk'
import { dec } from '../decimal.js'
import { bad } from '../errors.js'
import type { Market } from '../markets.js'
import {
  balance,
  credit,
  lockOrder,
  newAccount,
  releaseOrder,
} from './accounts.js'
import {
  filledAll,
  levelQty,
  type MatchHooks,
  match,
  qtyAt,
  remaining,
  rest,
  unrest,
} from './matching.js'
import type {
  Account,
  Balance,
  Book,
  EngineListener,
  EngineOptions,
  EngineOrder,
  FillRecord,
  LedgerEntry,
  Level,
  OrderEventType,
  OrderRequest,
  OrderStatus,
} from './types.js'
import { checkTaking, marketOf, parseOrder } from './validation.js'

/** The exchange state and the matching engine. */
export class Engine {
  readonly markets = new Map<string, Market>()
  readonly books = new Map<string, Book>()
  readonly accounts = new Map<string, Account>()
  readonly feesCollected = new Map<string, bigint>()
  /** Split every match into this many partial fills (fault injection). */
  splitFills = 1
  private orderSeq = 0
  private readonly listeners: EngineListener[] = []
  private readonly makerBps: bigint
  private readonly takerBps: bigint
  private initialBalances: [string, bigint][]
  private touched = new Map<Book, { bids: Set<bigint>; asks: Set<bigint> }>()
  /** What matching calls back into: the clock, the fault setting, events. */
  private readonly hooks: MatchHooks

  constructor(private readonly options: EngineOptions) {
    for (const m of options.markets) {
      this.markets.set(m.symbol, m)
      this.books.set(m.symbol, {
        market: m,
        bids: [],
        asks: [],
        updateId: 0,
        tradeSeq: 0,
        lastPrice: undefined,
        referencePrice: undefined,
      })
    }
    this.makerBps = dec(options.makerFeeBps)
    this.takerBps = dec(options.takerFeeBps)
    this.initialBalances = Object.entries(options.initialBalances).map(
      ([asset, amount]) => [asset, dec(amount)],
    )
    this.hooks = {
      now: options.now,
      splitFills: () => this.splitFills,
      feesCollected: this.feesCollected,
      touch: (book, side, price) => this.touch(book, side, price),
      finish: (order, status, reason) => this.finish(order, status, reason),
      emit: (order, event, fill) => this.emit(order, event, fill),
      trade: (trade) => {
        for (const l of this.listeners) l.trade(trade)
      },
    }
  }

  get now(): () => number {
    return this.options.now
  }

  addListener(listener: EngineListener): void {
    this.listeners.push(listener)
  }

  /** Returns the account, creating it with the paper balances on first use. */
  account(key: string, internal = false): Account {
    let acc = this.accounts.get(key)
    if (acc) return acc
    acc = newAccount(key, internal, this.makerBps, this.takerBps)
    this.accounts.set(key, acc)
    if (!internal) {
      for (const [asset, amount] of this.initialBalances) {
        this.credit(acc, asset, amount, 'initial')
      }
    }
    return acc
  }

  /** Adds (or with a negative amount removes) available funds. */
  credit(
    acc: Account,
    asset: string,
    amount: bigint,
    kind: LedgerEntry['kind'] = 'credit',
  ): void {
    credit(acc, asset, amount, kind, this.options.now())
  }

  balance(acc: Account, asset: string): Balance {
    return balance(acc, asset)
  }

  market(symbol: unknown): Market {
    return marketOf(this.markets, symbol)
  }

  book(symbol: string): Book {
    const b = this.books.get(symbol)
    if (!b) throw bad('INVALID_MARKET', `Invalid market: ${symbol}`)
    return b
  }

  bestBid(book: Book): bigint | undefined {
    return book.bids[0]?.price
  }

  bestAsk(book: Book): bigint | undefined {
    return book.asks[0]?.price
  }

  levelQty(level: Level): bigint {
    return levelQty(level)
  }

  // ---------------------------------------------------------------- orders

  /** Validates and executes one order. Throws {@link ApiFailure} when rejected. */
  placeOrder(acc: Account, req: OrderRequest): EngineOrder {
    const market = this.market(req.symbol)
    const book = this.book(market.symbol)
    const order = parseOrder(acc, req, market, book, this.options.now)
    checkTaking(order, book)
    this.beginOp()
    try {
      this.execute(order, book)
    } finally {
      this.endOp()
    }
    return order
  }

  private execute(order: EngineOrder, book: Book): void {
    const acc = order.account
    order.id = String(1_000_000_000 + ++this.orderSeq)
    order.seq = this.orderSeq
    if (!acc.internal) acc.history.push(order)
    if (order.type === 'Limit') lockOrder(order)
    this.emit(order, 'orderAccepted', undefined)
    if (order.expiryReason === 'FillOrKill') {
      this.finish(order, 'Expired', 'FillOrKill')
      return
    }
    const reason = match(order, book, this.hooks)
    if (reason !== undefined && reason !== 'done') {
      this.finish(order, 'Expired', reason)
      return
    }
    if (order.type === 'Market') {
      if (reason === 'done' || filledAll(order)) {
        this.finish(order, 'Filled', undefined)
      } else this.finish(order, 'Expired', 'InsufficientLiquidity')
      return
    }
    if (remaining(order) === 0n) {
      this.finish(order, 'Filled', undefined)
      return
    }
    if (order.timeInForce !== 'GTC') {
      this.finish(order, 'Expired', 'ImmediateOrCancel')
      return
    }
    rest(order, book, this.hooks)
  }

  /** Ends an order: releases what it still holds and emits the final event. */
  private finish(
    order: EngineOrder,
    status: OrderStatus,
    reason: string | undefined,
  ): void {
    releaseOrder(order)
    order.status = status
    order.expiryReason = reason
    if (status === 'Cancelled') this.emit(order, 'orderCancelled', undefined)
    else if (status === 'Expired') this.emit(order, 'orderExpired', undefined)
  }

  /** Finds an open order by id or client id. */
  findOpen(
    acc: Account,
    symbol: string,
    orderId: string | undefined,
    clientId: number | undefined,
  ): EngineOrder | undefined {
    for (const o of acc.open.values()) {
      if (o.market.symbol !== symbol) continue
      if (orderId !== undefined && o.id === orderId) return o
      if (clientId !== undefined && o.clientId === clientId) return o
    }
    return undefined
  }

  /** Cancels one resting order. */
  cancel(order: EngineOrder): EngineOrder {
    this.beginOp()
    try {
      unrest(order, this.book(order.market.symbol), this.hooks)
      this.finish(order, 'Cancelled', undefined)
    } finally {
      this.endOp()
    }
    return order
  }

  /** Cancels every resting order of an account in a market (in placement order). */
  cancelAll(acc: Account, symbol: string): EngineOrder[] {
    const book = this.book(symbol)
    const out = [...acc.open.values()]
      .filter((o) => o.market.symbol === symbol)
      .sort((a, b) => a.seq - b.seq)
    if (out.length === 0) return out
    this.beginOp()
    try {
      for (const o of out) {
        unrest(o, book, this.hooks)
        this.finish(o, 'Cancelled', undefined)
      }
    } finally {
      this.endOp()
    }
    return out
  }

  /** Runs several engine calls as one book update (one depth event). */
  batch<T>(fn: () => T): T {
    this.beginOp()
    try {
      return fn()
    } finally {
      this.endOp()
    }
  }

  /** Emits an empty depth delta (keeps the update counter moving on quiet books). */
  heartbeat(symbol: string): void {
    const book = this.book(symbol)
    book.updateId += 1
    for (const l of this.listeners) {
      l.depth(book.market, [], [], book.updateId)
    }
  }

  private depthOps = 0

  private beginOp(): void {
    this.depthOps += 1
  }

  private endOp(): void {
    this.depthOps -= 1
    if (this.depthOps > 0) return
    const touched = this.touched
    this.touched = new Map()
    for (const [book, t] of touched) {
      const bids = [...t.bids].map(
        (p) => [p, qtyAt(book.bids, p)] as [bigint, bigint],
      )
      const asks = [...t.asks].map(
        (p) => [p, qtyAt(book.asks, p)] as [bigint, bigint],
      )
      book.updateId += 1
      for (const l of this.listeners) {
        l.depth(book.market, bids, asks, book.updateId)
      }
    }
  }

  private touch(book: Book, side: Side, price: bigint): void {
    let t = this.touched.get(book)
    if (!t) {
      t = { bids: new Set(), asks: new Set() }
      this.touched.set(book, t)
    }
    ;(side === 'Bid' ? t.bids : t.asks).add(price)
  }

  private emit(
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void {
    if (order.account.internal) return
    for (const l of this.listeners) l.orderEvent(order, event, fill)
  }

  /** Aggregated book levels, best first. */
  levels(
    symbol: string,
    limit: number,
  ): { bids: [bigint, bigint][]; asks: [bigint, bigint][] } {
    const book = this.book(symbol)
    const pick = (ls: Level[]) =>
      ls.slice(0, limit).map((l) => [l.price, levelQty(l)] as [bigint, bigint])
    return { bids: pick(book.bids), asks: pick(book.asks) }
  }
}
