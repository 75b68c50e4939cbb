/**
 * The matching engine: the exchange state (markets, books, accounts, fees
 * collected) and the order lifecycle (accept, match, rest, cancel, expire).
 * Pure and synchronous: the server and the feed drive it, and it reports
 * what happened through {@link EngineListener}. The pieces live beside it:
 * order checks in `validation.ts`, the book and fills in `matching.ts`,
 * running a placed order in `placement.ts`, cancels in `cancel.ts`, the
 * book's read side in `book.ts`, the listeners' fan-out (one depth event per
 * call) in `events.ts`, the hooks matching calls back into in `hooks.ts`,
 * accounts, balances, locks, fees and the ledger in `accounts.ts`, the data
 * in `types.ts`.
 *
 * @internal
 */
import { checkBookState } from '../bookState.js'
import type { Market } from '../markets.js'
import {
  balance,
  credit,
  feesCollected,
  openAccount,
  type PaperTerms,
  paperTerms,
} from './accounts.js'
import { type BookLevels, bookOf, emptyBook, levels } from './book.js'
import { cancelOrder, cancelResting, findOpen, openIn } from './cancel.js'
import { EngineEvents } from './events.js'
import { matchHooks } from './hooks.js'
import type { MatchHooks } from './matching.js'
import { execute } from './placement.js'
import type {
  Account,
  Balance,
  Book,
  EngineListener,
  EngineOptions,
  EngineOrder,
  LedgerEntry,
  OrderRequest,
} from './types.js'
import { checkTaking, marketOf, parseOrder } from './validation.js'

/** The exchange state and the matching engine. */
export class Engine {
  readonly markets = new Map<string, Market>()
  readonly books = new Map<string, Book>()
  readonly accounts = new Map<string, Account>()
  /** Split every match into this many partial fills (fault injection). */
  splitFills = 1
  private orderSeq = 0
  /** Fee rates and paper balances of new accounts. */
  private readonly paper: PaperTerms
  /** Listeners' fan-out; collects changed levels into one depth event per call. */
  private readonly events = new EngineEvents()
  /** What matching calls back into: the clock, the fault setting, events. */
  private readonly hooks: MatchHooks

  constructor(private readonly options: EngineOptions) {
    for (const m of options.markets) {
      this.markets.set(m.symbol, m)
      this.books.set(m.symbol, emptyBook(m))
    }
    this.paper = paperTerms(options)
    this.hooks = matchHooks(options.now, () => this.splitFills, this.events)
  }

  /** Fees collected so far per asset (summed in `accounts.ts`); a new map on each read. */
  get feesCollected(): Map<string, bigint> {
    return feesCollected(this.books.values())
  }

  get now(): () => number {
    return this.options.now
  }

  addListener(listener: EngineListener): void {
    this.events.add(listener)
  }

  /** Returns the account, creating it with the paper balances on first use. */
  account(key: string, internal = false): Account {
    return openAccount(this.accounts, key, internal, this.paper, this.now)
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
    return bookOf(this.books, symbol)
  }

  // ---------------------------------------------------------------- orders

  /** Validates and executes one order. Throws {@link ApiFailure} when rejected. */
  placeOrder(acc: Account, req: OrderRequest): EngineOrder {
    const market = this.market(req.symbol)
    checkBookState(market, req, acc.internal)
    const book = this.book(market.symbol)
    const order = parseOrder(acc, req, market, book, this.options.now)
    const lock = checkTaking(order, book)
    this.batch(() => execute(order, book, ++this.orderSeq, lock, this.hooks))
    return order
  }

  /**
   * Places an order of the simulator's own flow (the feed's and the
   * mirror's quotes and trades), where a refused order is skipped: the
   * order, or `undefined` when {@link placeOrder} threw.
   */
  tryPlaceOrder(acc: Account, req: OrderRequest): EngineOrder | undefined {
    try {
      return this.placeOrder(acc, req)
    } catch {
      return undefined
    }
  }

  /** Finds an open order by id or client id. */
  findOpen(
    acc: Account,
    symbol: string,
    orderId: string | undefined,
    clientId: number | undefined,
  ): EngineOrder | undefined {
    return findOpen(acc, symbol, orderId, clientId)
  }

  /** Cancels one resting order. */
  cancel(order: EngineOrder): EngineOrder {
    this.batch(() =>
      cancelOrder(order, this.book(order.market.symbol), this.hooks),
    )
    return order
  }

  /** Cancels every resting order of an account in a market (in placement order). */
  cancelAll(acc: Account, symbol: string): EngineOrder[] {
    const book = this.book(symbol)
    const out = openIn(acc, symbol)
    if (out.length === 0) return out
    this.batch(() => cancelResting(out, book, this.hooks))
    return out
  }

  /** Runs several engine calls as one book update (one depth event). */
  batch<T>(fn: () => T): T {
    this.events.begin()
    try {
      return fn()
    } finally {
      this.events.end()
    }
  }

  /** Emits an empty depth delta (keeps the update counter moving on quiet books). */
  heartbeat(symbol: string): void {
    this.events.heartbeat(this.book(symbol))
  }

  /** Aggregated book levels, best first. */
  levels(symbol: string, limit: number): BookLevels {
    return levels(this.book(symbol), limit)
  }
}
