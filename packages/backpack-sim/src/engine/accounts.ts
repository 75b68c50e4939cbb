/**
 * Accounts: balances (available and locked), the funds an order holds, what
 * each side of a fill pays and receives, fees, and the ledger. Plain
 * functions over {@link Account} and {@link EngineOrder}: the engine decides
 * when, these decide how much.
 *
 * @internal
 */
import { dec, feeAt, feeRate, mul, type Rounding } from '../decimal.js'
import { bad } from '../errors.js'
import type {
  Account,
  Balance,
  Book,
  EngineOptions,
  EngineOrder,
  LedgerEntry,
} from './types.js'

/** A new account with no funds. Internal accounts pay no fees. */
export function newAccount(
  key: string,
  internal: boolean,
  makerBps: bigint,
  takerBps: bigint,
): Account {
  const maker = internal ? 0n : makerBps
  const taker = internal ? 0n : takerBps
  return {
    key,
    internal,
    makerBps: maker,
    takerBps: taker,
    makerFee: feeRate(maker),
    takerFee: feeRate(taker),
    balances: new Map(),
    ledger: [],
    history: [],
    fills: [],
    open: new Map(),
  }
}

/** What a new (non-internal) account gets: the fee rates and paper balances. */
export interface PaperTerms {
  makerBps: bigint
  takerBps: bigint
  initialBalances: [string, bigint][]
}

/** Parses the engine options' fee rates and paper balances. */
export function paperTerms(options: EngineOptions): PaperTerms {
  return {
    makerBps: dec(options.makerFeeBps),
    takerBps: dec(options.takerFeeBps),
    initialBalances: Object.entries(options.initialBalances).map(
      ([asset, amount]) => [asset, dec(amount)],
    ),
  }
}

/** Returns the account, creating it with the paper balances on first use. */
export function openAccount(
  accounts: Map<string, Account>,
  key: string,
  internal: boolean,
  terms: PaperTerms,
  now: () => number,
): Account {
  let acc = accounts.get(key)
  if (acc) return acc
  acc = newAccount(key, internal, terms.makerBps, terms.takerBps)
  accounts.set(key, acc)
  if (!internal) {
    for (const [asset, amount] of terms.initialBalances) {
      credit(acc, asset, amount, 'initial', now())
    }
  }
  return acc
}

/** The account's balance of an asset, created empty on first use. */
export function balance(acc: Account, asset: string): Balance {
  let b = acc.balances.get(asset)
  if (!b) {
    b = { available: 0n, locked: 0n }
    acc.balances.set(asset, b)
  }
  return b
}

/** Adds (or with a negative amount removes) available funds. */
export function credit(
  acc: Account,
  asset: string,
  amount: bigint,
  kind: LedgerEntry['kind'],
  time: number,
): void {
  const b = balance(acc, asset)
  if (b.available + amount < 0n) {
    throw bad('INSUFFICIENT_FUNDS', `Insufficient funds: ${asset}`)
  }
  b.available += amount
  acc.ledger.push({
    time,
    asset,
    change: amount,
    kind,
    ref: undefined,
  })
}

/**
 * The full need of a limit order: quote for a bid (price × quantity, rounded
 * up), base for an ask.
 */
export function limitNeed(order: EngineOrder): bigint {
  return order.side === 'Bid'
    ? mul(order.price!, order.quantity!, upUnlessExact(order))
    : order.quantity!
}

/**
 * `'up'`, or `'down'` where the market's price × quantity is always exact
 * (tick and step multiples, {@link Market.exactQuote}): then both give the
 * same, and `'down'` spares a BigInt addition on the hot path.
 */
function upUnlessExact(order: EngineOrder): Rounding {
  return order.market.exactQuote ? 'down' : 'up'
}

/** Holds `need` (its {@link limitNeed}) for a limit order up front. */
export function lockOrder(order: EngineOrder, need: bigint): void {
  const b = order.side === 'Bid' ? order.quoteBalance : order.baseBalance
  b.available -= need
  b.locked += need
  order.locked = need
}

/** Releases what an ended order still holds. */
export function releaseOrder(order: EngineOrder): void {
  if (order.locked === 0n) return
  const b = order.side === 'Bid' ? order.quoteBalance : order.baseBalance
  b.locked -= order.locked
  b.available += order.locked
  order.locked = 0n
}

/**
 * What each side pays for one fill: the buyer's quote (from its lock for a
 * limit order, refunding what its limit held above the fill price) and the
 * seller's base.
 */
export function payForFill(
  buyer: EngineOrder,
  seller: EngineOrder,
  price: bigint,
  qty: bigint,
  quote: bigint,
): void {
  const market = buyer.market
  // Buyer pays quote and receives base.
  const bq = buyer.quoteBalance
  if (buyer.type === 'Limit') {
    // At its own limit, with an exact product, the lock held just the quote.
    const atLimit = buyer.price === price && market.exactQuote
    const held = atLimit ? quote : mul(buyer.price!, qty, upUnlessExact(buyer))
    bq.locked -= held
    buyer.locked -= held
    if (!atLimit) bq.available += held - quote
  } else {
    bq.available -= quote
  }
  // Seller pays base and receives quote.
  const sb = seller.baseBalance
  if (seller.type === 'Limit') {
    sb.locked -= qty
    seller.locked -= qty
  } else {
    sb.available -= qty
  }
}

/**
 * Credits what an order's account receives (`amount` into `bal`, its
 * balance of the asset) minus its fee, rounded up to the asset's
 * `decimals`; returns the fee (which the caller adds to its book's fees).
 */
export function settle(
  o: EngineOrder,
  isMaker: boolean,
  bal: Balance,
  decimals: number,
  amount: bigint,
): bigint {
  const rate = isMaker ? o.account.makerFee : o.account.takerFee
  if (rate.numerator === 0n) {
    bal.available += amount
    return 0n
  }
  let fee = feeAt(amount, rate, decimals, 'up')
  if (fee > amount) fee = amount
  bal.available += amount - fee
  return fee
}

/**
 * The account's ledger as lines: each credit as it is, each fill (held as
 * its {@link FillRecord}) as what it gave, what it got and, when there is
 * one, its fee, all with the trade id as their reference. Internal accounts
 * (market maker, taker flow) keep no trade ledger: they trade forever and
 * would grow without bound.
 */
export function ledgerEntries(acc: Account): LedgerEntry[] {
  const out: LedgerEntry[] = []
  for (const line of acc.ledger) {
    if (!('tradeId' in line)) {
      out.push(line)
      continue
    }
    const { market, side } = line.order
    const time = line.time
    const ref = String(line.tradeId)
    const bid = side === 'Bid'
    const [gaveAsset, gave] = bid
      ? [market.quote, line.quote]
      : [market.base, line.quantity]
    const got = bid ? line.quantity : line.quote
    const asset = line.feeSymbol
    out.push({ time, asset: gaveAsset, change: -gave, kind: 'trade', ref })
    out.push({ time, asset, change: got, kind: 'trade', ref })
    if (line.fee !== 0n) {
      out.push({ time, asset, change: -line.fee, kind: 'fee', ref })
    }
  }
  return out
}

/**
 * Fees collected so far, asset → units: the books' fees summed per asset
 * (an asset no fee was paid in is absent). A new map on each call.
 */
export function feesCollected(books: Iterable<Book>): Map<string, bigint> {
  const out = new Map<string, bigint>()
  const add = (asset: string, units: bigint) => {
    if (units !== 0n) out.set(asset, (out.get(asset) ?? 0n) + units)
  }
  for (const b of books) {
    add(b.market.base, b.fees.base)
    add(b.market.quote, b.fees.quote)
  }
  return out
}
