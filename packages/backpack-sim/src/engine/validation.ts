/**
 * Order checks: the fields of an order request (side, type, time in force,
 * self-trade prevention, post-only, client id, price and quantity against
 * the market's filters and price band), then the checks against the book
 * and the account (would a post-only order take, are there funds, can a
 * fill-or-kill order fill). A rejected order throws an {@link ApiFailure}
 * and changes nothing.
 *
 * @internal
 */
import type { Side } from '@rung/backpack-sdk'
import { formatDecimal, isMultiple, mul, parseDecimal } from '../decimal.js'
import { type ApiFailure, bad } from '../errors.js'
import { U32_MAX } from '../input.js'
import type { Market } from '../markets.js'
import { balance, limitNeed } from './accounts.js'
import { crosses, walk } from './matching.js'
import {
  type Account,
  type Book,
  type EngineOrder,
  type OrderRequest,
  type PriceBand,
  UNSET_BALANCE,
} from './types.js'

/** A 400 `INVALID_CLIENT_REQUEST`. */
function invalid(message: string): ApiFailure {
  return bad('INVALID_CLIENT_REQUEST', message)
}

/** A parsed decimal field: its units and its significant decimals. */
interface Parsed {
  value: bigint
  decimals: number
}

/** An optional decimal field (a string, or a JSON number taken as its text). */
function decimalField(
  value: unknown,
  field: string,
  code: string,
): Parsed | undefined {
  if (value === undefined || value === null) return undefined
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string') {
    throw bad(code, `\`${field}\` must be a decimal string`)
  }
  const known = PARSED.get(text)
  if (known !== undefined) return known
  const r = parseDecimal(text)
  if (!r.ok) throw bad(code, `\`${field}\` is not a valid decimal: ${r.reason}`)
  if (PARSED.size >= PARSED_MAX) PARSED.clear()
  const parsed = { value: r.value, decimals: r.decimals }
  PARSED.set(text, parsed)
  return parsed
}

/**
 * Decimal texts already parsed, text → units and decimals: bots send the
 * same few prices and sizes over and over, and a BigInt parse costs more
 * than a lookup. Only valid texts are kept; cleared when full, so it stays
 * small.
 */
const PARSED = new Map<string, Parsed>()
const PARSED_MAX = 4096

/** The listed market a request names. */
export function marketOf(
  markets: ReadonlyMap<string, Market>,
  symbol: unknown,
): Market {
  if (typeof symbol !== 'string' || symbol.length === 0) {
    throw invalid('Missing required parameter `symbol`')
  }
  const m = markets.get(symbol)
  if (!m) throw bad('INVALID_MARKET', `Invalid market: ${symbol}`)
  return m
}

/**
 * The order a request describes, once every field is valid; nothing about
 * the book or the account's funds is checked yet (see {@link checkTaking}).
 */
export function parseOrder(
  acc: Account,
  req: OrderRequest,
  market: Market,
  book: Book,
  now: () => number,
): EngineOrder {
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
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > U32_MAX) {
      throw invalid('`clientId` must be an integer from 0 to 4294967295')
    }
    clientId = c
    for (const o of acc.open.values()) {
      if (o.clientId === c) {
        throw bad('INVALID_ORDER', `Order with client ID already exists: ${c}`)
      }
    }
  }
  const priceField = decimalField(req.price, 'price', 'INVALID_PRICE')
  const qtyField = decimalField(req.quantity, 'quantity', 'INVALID_QUANTITY')
  const price = priceField?.value
  const quantity = qtyField?.value
  const quoteQuantity = decimalField(
    req.quoteQuantity,
    'quoteQuantity',
    'INVALID_QUANTITY',
  )?.value
  if (qtyField !== undefined) checkQuantity(market, qtyField)
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
    checkPrice(market, book, priceField!, acc.internal)
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
    createdAt: now(),
    expiryReason: undefined,
    locked: 0n,
    baseBalance: UNSET_BALANCE,
    quoteBalance: UNSET_BALANCE,
  }
  return order
}

/**
 * The checks that look at the book and the account before anything changes:
 * a post-only order that would take, funds, and whether a fill-or-kill order
 * can fill (if not, it is marked to expire). Returns what a limit order will
 * hold (its {@link limitNeed}; 0 for a market order, which holds nothing).
 */
export function checkTaking(order: EngineOrder, book: Book): bigint {
  const { account: acc, market, side, type, price, quantity } = order
  const { quoteQuantity, postOnly, timeInForce: tif } = order
  const opposite = side === 'Bid' ? book.asks : book.bids
  const best = opposite[0]?.price
  if (postOnly && best !== undefined && crosses(side, price!, best)) {
    throw bad('INVALID_ORDER', 'Order would immediately match and take')
  }
  const baseBal = balance(acc, market.base)
  const quoteBal = balance(acc, market.quote)
  order.baseBalance = baseBal
  order.quoteBalance = quoteBal
  if (type === 'Limit') {
    const need = limitNeed(order)
    const have = side === 'Bid' ? quoteBal.available : baseBal.available
    if (need > have) throw bad('INSUFFICIENT_FUNDS', 'Insufficient funds')
    if (tif === 'FOK') {
      const w = walk(order, book)
      if (w.qty < quantity!) order.expiryReason = 'FillOrKill'
    }
    return need
  } else {
    const w = walk(order, book)
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
    return 0n
  }
}

/** How a market filter names itself in its errors. */
interface FilterNames {
  code: 'INVALID_QUANTITY' | 'INVALID_PRICE'
  field: 'quantity' | 'price'
  label: 'Quantity' | 'Price'
  increment: 'step size' | 'tick size'
}

const QUANTITY_FILTER: FilterNames = {
  code: 'INVALID_QUANTITY',
  field: 'quantity',
  label: 'Quantity',
  increment: 'step size',
}

const PRICE_FILTER: FilterNames = {
  code: 'INVALID_PRICE',
  field: 'price',
  label: 'Price',
  increment: 'tick size',
}

/**
 * A value against a market filter: positive, a multiple of the increment
 * (`incText` as configured; `pow10Decimals` its decimals when it is a power
 * of ten, else undefined), at or above the minimum (`minText` as
 * configured).
 */
function checkFilter(
  f: FilterNames,
  v: Parsed,
  inc: bigint,
  incText: string,
  pow10Decimals: number | undefined,
  min: bigint,
  minText: string,
): void {
  const units = v.value
  if (units <= 0n) throw bad(f.code, `\`${f.field}\` must be positive`)
  // A power-of-ten increment: a multiple exactly when the text has no more
  // (significant) decimals than the increment; no BigInt division.
  const multiple =
    pow10Decimals === undefined
      ? isMultiple(units, inc)
      : v.decimals <= pow10Decimals
  if (!multiple) {
    throw bad(
      f.code,
      `${f.label} decimal too long: must be a multiple of the ${f.increment} ${incText}`,
    )
  }
  if (units < min) {
    throw bad(f.code, `${f.label} is below the minimum ${minText}`)
  }
}

/** A quantity against the market's step and minimum. */
function checkQuantity(market: Market, q: Parsed): void {
  const c = market.config
  checkFilter(
    QUANTITY_FILTER,
    q,
    market.step,
    c.stepSize,
    market.stepIsPow10 ? market.qtyDecimals : undefined,
    market.minQty,
    c.minQuantity,
  )
}

/**
 * The price band around `ref`: worked out once per reference price, since
 * most orders arrive while the last price stands.
 */
function bandOf(book: Book, market: Market, ref: bigint): PriceBand {
  const cached = book.band
  if (cached?.ref === ref && cached.market === market) return cached
  const band = {
    market,
    ref,
    lo: mul(ref, market.minMult, 'down'),
    hi: mul(ref, market.maxMult, 'up'),
  }
  book.band = band
  return band
}

/** A limit price against the market's tick, minimum and price band. */
function checkPrice(
  market: Market,
  book: Book,
  parsed: Parsed,
  internal: boolean,
): void {
  const c = market.config
  checkFilter(
    PRICE_FILTER,
    parsed,
    market.tick,
    c.tickSize,
    market.tickIsPow10 ? market.priceDecimals : undefined,
    market.minPrice,
    c.minPrice,
  )
  const p = parsed.value
  const ref = book.referencePrice ?? book.lastPrice
  if (internal || ref === undefined) return
  const { lo, hi } = bandOf(book, market, ref)
  if (p > hi || p < lo) {
    throw bad(
      'INVALID_PRICE',
      `Price out of bounds: must lie between ${formatDecimal(lo)} and ${formatDecimal(hi)}`,
    )
  }
}
