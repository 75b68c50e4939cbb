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

/** The listeners' fan-out, with changed levels flushed once per engine call. */
export class EngineEvents {
  /**
   * Books changed in the current engine call; with listeners, the levels
   * changed on each (without, only the book counts: its update id moves).
   */
  private touched = new Map<Book, Touched | undefined>()
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
    if (this.depthOps > 0 || this.touched.size === 0) return
    const touched = this.touched
    if (this.listeners.length === 0) {
      // Nobody hears depth: only the update ids move, and the map is reused.
      for (const book of touched.keys()) book.updateId += 1
      touched.clear()
      return
    }
    this.touched = new Map()
    for (const [book, t] of touched) {
      book.updateId += 1
      if (t === undefined) continue
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
    let t = this.touched.get(book)
    if (t === undefined) {
      // Nobody hears the depth event: the levels need not be collected.
      if (this.listeners.length === 0) {
        this.touched.set(book, undefined)
        return
      }
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
