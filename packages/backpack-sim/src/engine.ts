/**
 * The matching engine: accounts, balances (available/locked), one
 * price-time-priority book per market, fills, trades, order history and the
 * ledger. Pure and synchronous: the server and the feed drive it, and it
 * reports what happened through {@link EngineListener}.
 *
 * @internal
 */
import {
  countSteps,
  dec,
  div,
  feeOf,
  formatDecimal,
  isMultiple,
  min,
  mul,
  parseDecimal,
  roundToStep,
} from './decimal.js'
import { type ApiFailure, bad } from './errors.js'
import { ASSET_INFO, type Market } from './markets.js'

export type Side = 'Bid' | 'Ask'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'
export type SelfTradePrevention =
  | 'RejectTaker'
  | 'RejectMaker'
  | 'RejectBoth'
  | 'Allow'
export type OrderStatus =
  | 'New'
  | 'PartiallyFilled'
  | 'Filled'
  | 'Cancelled'
  | 'Expired'

export interface EngineOrder {
  id: string
  seq: number
  account: Account
  market: Market
  side: Side
  type: 'Limit' | 'Market'
  price: bigint | undefined
  quantity: bigint | undefined
  quoteQuantity: bigint | undefined
  executedQty: bigint
  executedQuote: bigint
  timeInForce: TimeInForce
  postOnly: boolean
  clientId: number | undefined
  stp: SelfTradePrevention
  status: OrderStatus
  createdAt: number
  expiryReason: string | undefined
  /** Funds still held for this order (quote for a bid, base for an ask). */
  locked: bigint
}

export interface Balance {
  available: bigint
  locked: bigint
}

export interface LedgerEntry {
  /** ms */
  time: number
  asset: string
  /** Signed change of the account's total. */
  change: bigint
  kind: 'initial' | 'credit' | 'trade' | 'fee'
  /** Order id or trade id the change belongs to. */
  ref: string | undefined
}

export interface Account {
  key: string
  internal: boolean
  makerBps: bigint
  takerBps: bigint
  balances: Map<string, Balance>
  ledger: LedgerEntry[]
  /** Every order (open and closed) of a user account; empty for internal accounts. */
  history: EngineOrder[]
  fills: FillRecord[]
  open: Map<string, EngineOrder>
}

export interface FillRecord {
  tradeId: number
  order: EngineOrder
  price: bigint
  quantity: bigint
  fee: bigint
  feeSymbol: string
  isMaker: boolean
  time: number
}

export interface TradeRecord {
  id: number
  market: Market
  price: bigint
  quantity: bigint
  quote: bigint
  time: number
  isBuyerMaker: boolean
  buyerOrderId: string
  sellerOrderId: string
}

interface Level {
  price: bigint
  orders: EngineOrder[]
}

export interface Book {
  market: Market
  bids: Level[] // best (highest) first
  asks: Level[] // best (lowest) first
  updateId: number
  tradeSeq: number
  lastPrice: bigint | undefined
  /** Feed's current fair price, used as the band reference before any trade. */
  referencePrice: bigint | undefined
}

export type OrderEventType =
  | 'orderAccepted'
  | 'orderCancelled'
  | 'orderExpired'
  | 'orderFill'

export interface EngineListener {
  orderEvent(
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void
  trade(trade: TradeRecord): void
  depth(
    market: Market,
    bids: [bigint, bigint][],
    asks: [bigint, bigint][],
    updateId: number,
  ): void
}

/** Raw order request as it arrives (JSON values). */
export interface OrderRequest {
  symbol?: unknown
  side?: unknown
  orderType?: unknown
  price?: unknown
  quantity?: unknown
  quoteQuantity?: unknown
  timeInForce?: unknown
  postOnly?: unknown
  clientId?: unknown
  selfTradePrevention?: unknown
  [key: string]: unknown
}

export interface EngineOptions {
  markets: Market[]
  now: () => number
  makerFeeBps: string
  takerFeeBps: string
  initialBalances: Record<string, string>
}

const U32_MAX = 4_294_967_295

function invalid(message: string): ApiFailure {
  return bad('INVALID_CLIENT_REQUEST', message)
}

function decimalField(
  value: unknown,
  field: string,
  code: string,
): bigint | undefined {
  if (value === undefined || value === null) return undefined
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string') {
    throw bad(code, `\`${field}\` must be a decimal string`)
  }
  const r = parseDecimal(text)
  if (!r.ok) throw bad(code, `\`${field}\` is not a valid decimal: ${r.reason}`)
  return r.value
}

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
    acc = {
      key,
      internal,
      makerBps: internal ? 0n : this.makerBps,
      takerBps: internal ? 0n : this.takerBps,
      balances: new Map(),
      ledger: [],
      history: [],
      fills: [],
      open: new Map(),
    }
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
    const b = this.balance(acc, asset)
    if (b.available + amount < 0n) {
      throw bad('INSUFFICIENT_FUNDS', `Insufficient funds: ${asset}`)
    }
    b.available += amount
    acc.ledger.push({
      time: this.options.now(),
      asset,
      change: amount,
      kind,
      ref: undefined,
    })
  }

  balance(acc: Account, asset: string): Balance {
    let b = acc.balances.get(asset)
    if (!b) {
      b = { available: 0n, locked: 0n }
      acc.balances.set(asset, b)
    }
    return b
  }

  market(symbol: unknown): Market {
    if (typeof symbol !== 'string' || symbol.length === 0) {
      throw invalid('Missing required parameter `symbol`')
    }
    const m = this.markets.get(symbol)
    if (!m) throw bad('INVALID_MARKET', `Invalid market: ${symbol}`)
    return m
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
    let q = 0n
    for (const o of level.orders) q += remaining(o)
    return q
  }

  // ---------------------------------------------------------------- orders

  /** Validates and executes one order. Throws {@link ApiFailure} when rejected. */
  placeOrder(acc: Account, req: OrderRequest): EngineOrder {
    const order = this.validate(acc, req)
    this.beginOp()
    try {
      this.execute(order)
    } finally {
      this.endOp()
    }
    return order
  }

  private validate(acc: Account, req: OrderRequest): EngineOrder {
    const market = this.market(req.symbol)
    const book = this.book(market.symbol)
    if (req.side !== 'Bid' && req.side !== 'Ask') {
      throw invalid('`side` must be `Bid` or `Ask`')
    }
    if (req.orderType !== 'Limit' && req.orderType !== 'Market') {
      throw invalid('`orderType` must be `Limit` or `Market`')
    }
    const side: Side = req.side
    const type = req.orderType
    const tif = req.timeInForce ?? 'GTC'
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') {
      throw invalid('`timeInForce` must be `GTC`, `IOC` or `FOK`')
    }
    const stp = req.selfTradePrevention ?? 'RejectTaker'
    if (
      stp !== 'RejectTaker' &&
      stp !== 'RejectMaker' &&
      stp !== 'RejectBoth' &&
      stp !== 'Allow'
    ) {
      throw invalid(
        '`selfTradePrevention` must be `RejectTaker`, `RejectMaker` or `RejectBoth`',
      )
    }
    const postOnly = req.postOnly ?? false
    if (typeof postOnly !== 'boolean') {
      throw invalid('`postOnly` must be a boolean')
    }
    let clientId: number | undefined
    if (req.clientId !== undefined && req.clientId !== null) {
      const c = req.clientId
      if (
        typeof c !== 'number' ||
        !Number.isInteger(c) ||
        c < 0 ||
        c > U32_MAX
      ) {
        throw invalid('`clientId` must be an integer from 0 to 4294967295')
      }
      clientId = c
      for (const o of acc.open.values()) {
        if (o.clientId === c) {
          throw bad(
            'INVALID_ORDER',
            `Order with client ID already exists: ${c}`,
          )
        }
      }
    }
    const price = decimalField(req.price, 'price', 'INVALID_PRICE')
    const quantity = decimalField(req.quantity, 'quantity', 'INVALID_QUANTITY')
    const quoteQuantity = decimalField(
      req.quoteQuantity,
      'quoteQuantity',
      'INVALID_QUANTITY',
    )
    if (quantity !== undefined) this.checkQuantity(market, quantity)
    if (type === 'Limit') {
      if (price === undefined) {
        throw invalid('Limit orders must specify a `price`')
      }
      if (quantity === undefined) {
        throw invalid('Limit orders must specify a `quantity`')
      }
      if (quoteQuantity !== undefined) {
        throw invalid('`quoteQuantity` is only allowed on market orders')
      }
      this.checkPrice(market, book, price, acc.internal)
      if (postOnly && tif !== 'GTC') {
        throw bad('INVALID_ORDER', 'Post only orders must be GTC')
      }
    } else {
      if ((quantity === undefined) === (quoteQuantity === undefined)) {
        throw invalid(
          'Market orders must specify a `quantity` or `quoteQuantity`',
        )
      }
      if (quoteQuantity !== undefined && quoteQuantity <= 0n) {
        throw bad('INVALID_QUANTITY', '`quoteQuantity` must be positive')
      }
      if (postOnly) {
        throw bad('INVALID_ORDER', 'Market orders cannot be post only')
      }
      if (price !== undefined) {
        throw invalid('`price` is not allowed on market orders')
      }
    }
    const order: EngineOrder = {
      id: '',
      seq: 0,
      account: acc,
      market,
      side,
      type,
      price,
      quantity,
      quoteQuantity,
      executedQty: 0n,
      executedQuote: 0n,
      timeInForce: tif,
      postOnly,
      clientId,
      stp,
      status: 'New',
      createdAt: this.options.now(),
      expiryReason: undefined,
      locked: 0n,
    }
    // Would-take, funds and fill-or-kill checks, before anything changes.
    const opposite = side === 'Bid' ? book.asks : book.bids
    const best = opposite[0]?.price
    if (postOnly && best !== undefined && crosses(side, price!, best)) {
      throw bad('INVALID_ORDER', 'Order would immediately match and take')
    }
    const baseBal = this.balance(acc, market.base)
    const quoteBal = this.balance(acc, market.quote)
    if (type === 'Limit') {
      const need = side === 'Bid' ? mul(price!, quantity!, 'up') : quantity!
      const have = side === 'Bid' ? quoteBal.available : baseBal.available
      if (need > have) throw bad('INSUFFICIENT_FUNDS', 'Insufficient funds')
      if (tif === 'FOK') {
        const w = this.walk(order)
        if (w.qty < quantity!) order.expiryReason = 'FillOrKill'
      }
    } else {
      const w = this.walk(order)
      if (side === 'Bid') {
        const need = quoteQuantity ?? w.quote
        if (need > quoteBal.available) {
          throw bad('INSUFFICIENT_FUNDS', 'Insufficient funds')
        }
      } else if (w.qty > baseBal.available) {
        throw bad('INSUFFICIENT_FUNDS', 'Insufficient funds')
      }
      if (tif === 'FOK' && quantity !== undefined && w.qty < quantity) {
        order.expiryReason = 'FillOrKill'
      }
    }
    return order
  }

  private checkQuantity(market: Market, q: bigint): void {
    if (q <= 0n) throw bad('INVALID_QUANTITY', '`quantity` must be positive')
    if (!isMultiple(q, market.step)) {
      throw bad(
        'INVALID_QUANTITY',
        `Quantity decimal too long: must be a multiple of the step size ${market.config.stepSize}`,
      )
    }
    if (q < market.minQty) {
      throw bad(
        'INVALID_QUANTITY',
        `Quantity is below the minimum ${market.config.minQuantity}`,
      )
    }
  }

  private checkPrice(
    market: Market,
    book: Book,
    p: bigint,
    internal: boolean,
  ): void {
    if (p <= 0n) throw bad('INVALID_PRICE', '`price` must be positive')
    if (!isMultiple(p, market.tick)) {
      throw bad(
        'INVALID_PRICE',
        `Price decimal too long: must be a multiple of the tick size ${market.config.tickSize}`,
      )
    }
    if (p < market.minPrice) {
      throw bad(
        'INVALID_PRICE',
        `Price is below the minimum ${market.config.minPrice}`,
      )
    }
    const ref = book.referencePrice ?? book.lastPrice
    if (internal || ref === undefined) return
    const hi = mul(ref, market.maxMult, 'up')
    const lo = mul(ref, market.minMult, 'down')
    if (p > hi || p < lo) {
      throw bad(
        'INVALID_PRICE',
        `Price out of bounds: must lie between ${formatDecimal(lo)} and ${formatDecimal(hi)}`,
      )
    }
  }

  /** The price limit a taker order may reach (its limit, or the impact band for market orders). */
  private takerLimit(order: EngineOrder, book: Book): bigint | undefined {
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
  private walk(order: EngineOrder): { qty: bigint; quote: bigint } {
    const book = this.book(order.market.symbol)
    const limit = this.takerLimit(order, book)
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

  private execute(order: EngineOrder): void {
    const acc = order.account
    const market = order.market
    const book = this.book(market.symbol)
    order.id = String(1_000_000_000 + ++this.orderSeq)
    order.seq = this.orderSeq
    if (!acc.internal) acc.history.push(order)
    // Lock the full need of a limit order up front.
    if (order.type === 'Limit') {
      const need =
        order.side === 'Bid'
          ? mul(order.price!, order.quantity!, 'up')
          : order.quantity!
      const asset = order.side === 'Bid' ? market.quote : market.base
      const b = this.balance(acc, asset)
      b.available -= need
      b.locked += need
      order.locked = need
    }
    this.emit(order, 'orderAccepted', undefined)
    if (order.expiryReason === 'FillOrKill') {
      this.finish(order, 'Expired', 'FillOrKill')
      return
    }
    const reason = this.match(order, book)
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
    this.rest(order, book)
  }

  /**
   * Matches a taker against the book. Returns an expiry reason if it must
   * stop, `'done'` when a quote-quantity order cannot use another step.
   */
  private match(order: EngineOrder, book: Book): string | undefined {
    const market = order.market
    const levels = order.side === 'Bid' ? book.asks : book.bids
    const limit = this.takerLimit(order, book)
    if (limit === undefined) return undefined
    while (levels.length > 0) {
      const level = levels[0]!
      if (!crosses(order.side, limit, level.price)) break
      while (level.orders.length > 0) {
        const maker = level.orders[0]!
        if (maker.account === order.account && order.stp !== 'Allow') {
          if (order.stp === 'RejectTaker') return 'SelfTradePrevention'
          this.unrest(maker, book)
          this.finish(maker, 'Expired', 'SelfTradePrevention')
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
            const avail = this.balance(order.account, market.quote).available
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
            const avail = this.balance(order.account, market.base).available
            if (avail < q) q = roundToStep(avail, market.step, 'down')
          }
        }
        if (q <= 0n) return undefined
        this.fill(maker, order, level.price, q)
        if (remaining(maker) === 0n) {
          level.orders.shift()
          if (level.orders.length === 0 && levels[0] === level) levels.shift()
          maker.account.open.delete(maker.id)
          this.touch(book, maker.side, level.price)
          this.finish(maker, 'Filled', undefined)
        } else {
          this.touch(book, maker.side, level.price)
        }
        if (filledAll(order)) return undefined
      }
      if (levels[0] === level && level.orders.length === 0) levels.shift()
    }
    return undefined
  }

  private fill(
    maker: EngineOrder,
    taker: EngineOrder,
    price: bigint,
    qty: bigint,
  ): void {
    const market = maker.market
    const parts = this.splitFills > 1 ? BigInt(this.splitFills) : 1n
    const lots = countSteps(qty, market.step, 'down')
    const partLots = lots / parts + (lots % parts === 0n ? 0n : 1n)
    let left = qty
    while (left > 0n) {
      const part = partLots * market.step < left ? partLots * market.step : left
      this.fillOnce(maker, taker, price, part)
      left -= part
    }
  }

  private fillOnce(
    maker: EngineOrder,
    taker: EngineOrder,
    price: bigint,
    qty: bigint,
  ): void {
    const market = maker.market
    const book = this.book(market.symbol)
    const time = this.options.now()
    const quote = mul(price, qty, 'down')
    const tradeId = ++book.tradeSeq
    const buyer = maker.side === 'Bid' ? maker : taker
    const seller = maker.side === 'Bid' ? taker : maker
    // Buyer pays quote and receives base.
    const bq = this.balance(buyer.account, market.quote)
    if (buyer.type === 'Limit') {
      const held = mul(buyer.price!, qty, 'up')
      bq.locked -= held
      buyer.locked -= held
      bq.available += held - quote
    } else {
      bq.available -= quote
    }
    // Seller pays base and receives quote.
    const sb = this.balance(seller.account, market.base)
    if (seller.type === 'Limit') {
      sb.locked -= qty
      seller.locked -= qty
    } else {
      sb.available -= qty
    }
    const buyerFee = this.settle(buyer, maker === buyer, market.base, qty)
    const sellerFee = this.settle(seller, maker === seller, market.quote, quote)
    for (const [o, fee, asset, gave, gaveAsset] of [
      [buyer, buyerFee, market.base, quote, market.quote],
      [seller, sellerFee, market.quote, qty, market.base],
    ] as const) {
      o.executedQty += qty
      o.executedQuote += quote
      const acc = o.account
      const ref = String(tradeId)
      // Internal accounts (market maker, taker flow) keep no trade ledger:
      // they trade forever and would grow without bound.
      if (!acc.internal)
        acc.ledger.push({
          time,
          asset: gaveAsset,
          change: -gave,
          kind: 'trade',
          ref,
        })
      if (!acc.internal)
        acc.ledger.push({
          time,
          asset,
          change: o.side === 'Bid' ? qty : quote,
          kind: 'trade',
          ref,
        })
      if (fee !== 0n && !acc.internal) {
        acc.ledger.push({ time, asset, change: -fee, kind: 'fee', ref })
      }
      const rec: FillRecord = {
        tradeId,
        order: o,
        price,
        quantity: qty,
        fee,
        feeSymbol: asset,
        isMaker: o === maker,
        time,
      }
      if (!acc.internal) acc.fills.push(rec)
      o.status =
        remaining(o) === 0n && o.quantity !== undefined
          ? 'Filled'
          : 'PartiallyFilled'
      this.emit(o, 'orderFill', rec)
    }
    book.lastPrice = price
    const trade: TradeRecord = {
      id: tradeId,
      market,
      price,
      quantity: qty,
      quote,
      time,
      isBuyerMaker: maker === buyer,
      buyerOrderId: buyer.id,
      sellerOrderId: seller.id,
    }
    for (const l of this.listeners) l.trade(trade)
  }

  /** Credits what an order's account receives minus its fee; returns the fee. */
  private settle(
    o: EngineOrder,
    isMaker: boolean,
    asset: string,
    amount: bigint,
  ): bigint {
    const bps = isMaker ? o.account.makerBps : o.account.takerBps
    const decimals = ASSET_INFO[asset]?.decimals ?? 8
    let fee = bps === 0n ? 0n : feeOf(amount, bps, decimals, 'up')
    if (fee > amount) fee = amount
    this.balance(o.account, asset).available += amount - fee
    if (fee !== 0n) {
      this.feesCollected.set(asset, (this.feesCollected.get(asset) ?? 0n) + fee)
    }
    return fee
  }

  private rest(order: EngineOrder, book: Book): void {
    const levels = order.side === 'Bid' ? book.bids : book.asks
    const p = order.price!
    let lo = 0
    let hi = levels.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const lp = levels[mid]!.price
      const better = order.side === 'Bid' ? lp > p : lp < p
      if (better) lo = mid + 1
      else hi = mid
    }
    const at = levels[lo]
    if (at && at.price === p) at.orders.push(order)
    else levels.splice(lo, 0, { price: p, orders: [order] })
    order.account.open.set(order.id, order)
    this.touch(book, order.side, p)
  }

  private unrest(order: EngineOrder, book: Book): void {
    const levels = order.side === 'Bid' ? book.bids : book.asks
    const i = levels.findIndex((l) => l.price === order.price)
    const level = levels[i]
    if (level) {
      const j = level.orders.indexOf(order)
      if (j >= 0) level.orders.splice(j, 1)
      if (level.orders.length === 0) levels.splice(i, 1)
    }
    order.account.open.delete(order.id)
    this.touch(book, order.side, order.price!)
  }

  /** Ends an order: releases what it still holds and emits the final event. */
  private finish(
    order: EngineOrder,
    status: OrderStatus,
    reason: string | undefined,
  ): void {
    if (order.locked !== 0n) {
      const asset =
        order.side === 'Bid' ? order.market.quote : order.market.base
      const b = this.balance(order.account, asset)
      b.locked -= order.locked
      b.available += order.locked
      order.locked = 0n
    }
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
      this.unrest(order, this.book(order.market.symbol))
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
        this.unrest(o, book)
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
        (p) => [p, this.qtyAt(book.bids, p)] as [bigint, bigint],
      )
      const asks = [...t.asks].map(
        (p) => [p, this.qtyAt(book.asks, p)] as [bigint, bigint],
      )
      book.updateId += 1
      for (const l of this.listeners) {
        l.depth(book.market, bids, asks, book.updateId)
      }
    }
  }

  private qtyAt(levels: Level[], price: bigint): bigint {
    for (const l of levels) if (l.price === price) return this.levelQty(l)
    return 0n
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
      ls
        .slice(0, limit)
        .map((l) => [l.price, this.levelQty(l)] as [bigint, bigint])
    return { bids: pick(book.bids), asks: pick(book.asks) }
  }
}

/** Quantity still to fill (0 for a quote-quantity market order, which has none). */
export function remaining(o: EngineOrder): bigint {
  return o.quantity === undefined ? 0n : o.quantity - o.executedQty
}

function filledAll(o: EngineOrder): boolean {
  if (o.quantity !== undefined) return o.executedQty >= o.quantity
  if (o.quoteQuantity !== undefined) {
    // Filled when not even one more step fits into what is left.
    return o.executedQuote >= o.quoteQuantity
  }
  return false
}

function crosses(side: Side, limit: bigint, level: bigint): boolean {
  return side === 'Bid' ? level <= limit : level >= limit
}
