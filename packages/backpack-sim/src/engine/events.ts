/**
 * What the engine reports to its listeners: order events (not for internal
 * accounts), trades, and depth: the levels an engine call changed, collected
 * while it runs and reported as one depth event per book when the outermost
 * call ends (and the empty heartbeat delta that keeps a quiet book's update
 * counter moving).
 *
 * @internal
 */
import type { Side } from '@rung/backpack-sdk'
import { qtyAt } from './matching.js'
import type {
  Book,
  EngineListener,
  EngineOrder,
  FillRecord,
  OrderEventType,
  TradeRecord,
} from './types.js'

/** The levels of one book an engine call changed. */
interface Touched {
  bids: Set<bigint>
  asks: Set<bigint>
}

/** No books (what `end` compares against when none moved quietly). */
const NO_BOOKS: readonly Book[] = []

/** The listeners' fan-out, with changed levels flushed once per engine call. */
export class EngineEvents {
  /** Books changed in the current engine call, with the levels changed on each. */
  private touched = new Map<Book, Touched>()
  /**
   * Books changed in the current engine call while nobody listened: only
   * their update ids move (a list, as a call touches one book or two).
   */
  private readonly quiet: Book[] = []
  private depthOps = 0

  private readonly listeners: EngineListener[] = []

  /** Adds a listener; it hears everything from now on. */
  add(listener: EngineListener): void {
    this.listeners.push(listener)
  }

  /** Whether any listener is registered. */
  get listening(): boolean {
    return this.listeners.length > 0
  }

  /** Reports an order event (internal accounts' orders are not reported). */
  readonly emit = (
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void => {
    if (order.account.internal) return
    for (const l of this.listeners) l.orderEvent(order, event, fill)
  }

  /** Reports a trade. */
  trade(trade: TradeRecord): void {
    for (const l of this.listeners) l.trade(trade)
  }

  /** Opens an engine call (calls nest; only the outermost one flushes). */
  begin(): void {
    this.depthOps += 1
  }

  /** Closes an engine call: the outermost one reports what changed. */
  end(): void {
    this.depthOps -= 1
    if (this.depthOps > 0) return
    const quiet = this.quiet
    for (const book of quiet) book.updateId += 1
    if (this.touched.size === 0) {
      quiet.length = 0
      return
    }
    // A book touched both before and after a listener came moves once.
    const moved = quiet.length === 0 ? NO_BOOKS : quiet.splice(0)
    const touched = this.touched
    this.touched = new Map()
    for (const [book, t] of touched) {
      if (!moved.includes(book)) book.updateId += 1
      const bids = [...t.bids].map(
        (p) => [p, qtyAt(book.bids, p)] as [bigint, bigint],
      )
      const asks = [...t.asks].map(
        (p) => [p, qtyAt(book.asks, p)] as [bigint, bigint],
      )
      for (const l of this.listeners) {
        l.depth(book.market, bids, asks, book.updateId)
      }
    }
  }

  /** Marks a level as changed, for the next depth event. */
  readonly touch = (book: Book, side: Side, price: bigint): void => {
    if (this.listeners.length === 0) {
      // Nobody hears the depth event: the levels need not be collected.
      if (!this.quiet.includes(book)) this.quiet.push(book)
      return
    }
    let t = this.touched.get(book)
    if (t === undefined) {
      t = { bids: new Set(), asks: new Set() }
      this.touched.set(book, t)
    }
    ;(side === 'Bid' ? t.bids : t.asks).add(price)
  }

  /** Emits an empty depth delta (keeps the update counter moving on quiet books). */
  heartbeat(book: Book): void {
    book.updateId += 1
    for (const l of this.listeners) {
      l.depth(book.market, [], [], book.updateId)
    }
  }
}
