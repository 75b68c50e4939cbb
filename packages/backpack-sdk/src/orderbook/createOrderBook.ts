/**
 * A local order book kept in sync from a depth stream plus REST snapshots,
 * following reference §6.8.
 *
 * ```
 *  'syncing': buffer every depth event ──(≥ minBufferedEvents)──> fetch snapshot S
 *     snapshot older than the buffer (S < firstU - 1)? ──> wait retryDelayMs, refetch
 *     drop buffered events with u <= S; the first kept one may straddle
 *     (U - 1 <= S < u); apply the rest strictly ──> 'live'
 *  'live': require U == lastApplied + 1, apply, set lastApplied = u
 *     a gap in U, a malformed level, or the stream leaving 'open' ──> 'syncing'
 * ```
 * Quantities are absolute, so applying a straddling event on top of the
 * snapshot is safe (ccxt's rule, reference §6.8 step 5).
 */
import { EventEmitter } from 'eventemitter3'
import {
  addDecimals,
  compareDecimals,
  type DecimalString,
  divideDecimals,
  multiplyDecimals,
  subtractDecimals,
} from '../decimal/decimal.js'
import type { BackpackError } from '../errors/backpackError.js'
import { ValidationError } from '../errors/inputErrors.js'
import { WebSocketError } from '../errors/webSocketError.js'
import type { DepthEvent, WsLevel } from '../types/ws.js'
import { MalformedPayload } from '../ws/parse.js'
import type { StreamState, Subscription } from '../ws/types.js'
import { BookSide } from './bookSide.js'
import type {
  DepthSnapshot,
  FetchDepthSnapshot,
  FillEstimate,
  OrderBook,
  OrderBookEvents,
  OrderBookOptions,
  OrderBookState,
  OrderBookStats,
  SnapshotLimit,
} from './types.js'

/** The errors {@link createOrderBook} can throw (bad input). */
export type CreateOrderBookErrorType = ValidationError

/**
 * Creates a local order book for one symbol and starts syncing it.
 *
 * @param options - Symbol, stream client, snapshot source and sync policy.
 * @returns The book; `'syncing'` at first, `'live'` once consistent.
 * @throws {CreateOrderBookErrorType} one of the errors listed here.
 * @throws {ValidationError} when the symbol is empty or no snapshot source is given.
 * @example
 * ```ts
 * import { createBackpackClient, createOrderBook, createStreamClient } from '@rung/backpack-sdk'
 *
 * const stream = createStreamClient()
 * const book = createOrderBook({ symbol: 'SOL_USDC', stream, client: createBackpackClient() })
 * await book.ready()
 * console.log(book.bestBid(), book.bestAsk(), book.spread())
 * console.log(book.estimateFill('buy', '25'))
 * ```
 */
export function createOrderBook(options: OrderBookOptions): OrderBook {
  return new OrderBookImpl(options)
}

class OrderBookImpl implements OrderBook {
  readonly symbol: string
  readonly stats: OrderBookStats = {
    eventsApplied: 0,
    snapshots: 0,
    resyncs: 0,
  }
  readonly #bids = new BookSide(true)
  readonly #asks = new BookSide(false)
  readonly #emitter = new EventEmitter<OrderBookEvents>()
  readonly #stream: OrderBookOptions['stream']
  readonly #fetch: FetchDepthSnapshot
  readonly #limit: SnapshotLimit | undefined
  readonly #minBuffered: number
  readonly #retryDelayMs: number
  readonly #maxBuffered: number
  readonly #onError: ((error: BackpackError) => void) | undefined
  readonly #subscription: Subscription
  #state: OrderBookState = 'syncing'
  #last: number | undefined
  #buffer: DepthEvent[] = []
  /** Bumps on every resync; a snapshot answer for an older one is dropped. */
  #syncGeneration = 0
  #fetching = false
  /** The snapshot is newer than anything buffered: the next event may straddle it. */
  #afterSnapshot = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  readonly #onStreamState = (state: StreamState) => {
    if (state === 'closed') this.close()
    // Events are lost while the connection is down: start over.
    else if (state !== 'open') this.#resync(`stream ${state}`, undefined)
  }

  constructor(options: OrderBookOptions) {
    const {
      symbol,
      stream,
      fetchSnapshot,
      client,
      depthStream = 'depth',
      snapshotLimit,
      minBufferedEvents = 1,
      retryDelayMs = 250,
      maxBufferedEvents = 10_000,
      onError,
    } = options
    if (typeof symbol !== 'string' || symbol.length === 0) {
      throw new ValidationError(
        'symbol must be a market symbol such as "SOL_USDC".',
        {
          field: 'symbol',
        },
      )
    }
    const fetch =
      fetchSnapshot ?? (client ? (args) => client.getDepth(args) : undefined)
    if (!fetch) {
      throw new ValidationError(
        'createOrderBook needs a snapshot source: pass fetchSnapshot or a client with getDepth.',
        { field: 'fetchSnapshot' },
      )
    }
    this.symbol = symbol
    this.#stream = stream
    this.#fetch = fetch
    this.#limit = snapshotLimit
    this.#minBuffered = Math.max(1, minBufferedEvents)
    this.#retryDelayMs = retryDelayMs
    this.#maxBuffered = Math.max(this.#minBuffered, maxBufferedEvents)
    this.#onError = onError
    stream.on('state', this.#onStreamState)
    this.#subscription = stream.subscribe(
      `${depthStream}.${symbol}` as `depth.${string}`,
      (event) => this.#onEvent(event),
      {
        onError: (error) => {
          this.#report(error)
          this.close()
        },
      },
    )
  }

  get state(): OrderBookState {
    return this.#state
  }

  get lastUpdateId(): number | undefined {
    return this.#last
  }

  // ── sync ──────────────────────────────────────────────────────────────

  #onEvent(event: DepthEvent) {
    if (this.#state === 'live') {
      this.#applyLive(event)
      return
    }
    if (this.#state !== 'syncing') return
    this.#buffer.push(event)
    if (this.#buffer.length > this.#maxBuffered) {
      this.#buffer.splice(0, this.#buffer.length - this.#minBuffered)
    }
    if (!this.#fetching && this.#retryTimer === undefined) {
      if (this.#buffer.length >= this.#minBuffered) void this.#loadSnapshot()
    }
  }

  #applyLive(event: DepthEvent) {
    const last = this.#last!
    if (this.#afterSnapshot) {
      // First event after a snapshot that was newer than every buffered
      // event: it may be old (skip) or straddle the snapshot (§6.8 step 5).
      if (event.lastUpdateId <= last) return
      if (event.firstUpdateId - 1 > last) {
        this.#resync(
          `sequence gap after the snapshot: expected U<=${last + 1}, got U=${event.firstUpdateId}`,
          event,
        )
        return
      }
      this.#afterSnapshot = false
    } else if (event.firstUpdateId !== last + 1) {
      this.#resync(
        `sequence gap: expected U=${last + 1}, got U=${event.firstUpdateId}`,
        event,
      )
      return
    }
    if (!this.#applyLevels(event)) return
    this.#last = event.lastUpdateId
    this.stats.eventsApplied++
    if (this.#emitter.listenerCount('book') > 0) {
      this.#emitter.emit('book', {
        lastUpdateId: event.lastUpdateId,
        eventTimeUs: event.eventTimeUs,
      })
    }
  }

  /** Applies an event's levels; false (and a resync) on a malformed price. */
  #applyLevels(event: DepthEvent): boolean {
    try {
      const { bids, asks } = event
      for (let i = 0; i < bids.length; i++) {
        const l = bids[i]!
        this.#bids.apply(l[0], l[1])
      }
      for (let i = 0; i < asks.length; i++) {
        const l = asks[i]!
        this.#asks.apply(l[0], l[1])
      }
      return true
    } catch (error) {
      if (!(error instanceof MalformedPayload)) throw error
      this.#report(
        new WebSocketError(
          `Malformed depth level for ${this.symbol}; resyncing.`,
          {
            cause: error,
          },
        ),
      )
      this.#resync(`malformed level: ${error.message}`, undefined)
      return false
    }
  }

  #setState(next: OrderBookState) {
    const prev = this.#state
    if (prev === next) return
    this.#state = next
    this.#emitter.emit('state', next, prev)
  }

  /** Back to syncing; `keep` is an event newer than anything applied. */
  #resync(reason: string, keep: DepthEvent | undefined) {
    if (this.#state === 'closed') return
    this.#syncGeneration++
    this.#fetching = false
    this.#afterSnapshot = false
    this.#clearRetry()
    this.#buffer = keep ? [keep] : []
    this.stats.resyncs++
    this.#setState('syncing')
    this.#emitter.emit('resync', reason)
    if (keep && this.#buffer.length >= this.#minBuffered)
      void this.#loadSnapshot()
  }

  #clearRetry() {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }

  #retryLater() {
    this.#clearRetry()
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      if (
        this.#state === 'syncing' &&
        this.#buffer.length >= this.#minBuffered
      ) {
        void this.#loadSnapshot()
      }
    }, this.#retryDelayMs)
  }

  async #loadSnapshot() {
    const generation = this.#syncGeneration
    this.#fetching = true
    let snapshot: DepthSnapshot
    try {
      snapshot = await this.#fetch(
        this.#limit === undefined
          ? { symbol: this.symbol }
          : { symbol: this.symbol, limit: this.#limit },
      )
    } catch (cause) {
      if (generation !== this.#syncGeneration) return
      this.#fetching = false
      this.#report(
        cause instanceof Error && 'shortMessage' in cause
          ? (cause as BackpackError)
          : new WebSocketError(
              `Depth snapshot for ${this.symbol} failed; retrying in ${this.#retryDelayMs} ms.`,
              { cause },
            ),
      )
      this.#retryLater()
      return
    }
    if (generation !== this.#syncGeneration || this.#state === 'closed') return
    this.#fetching = false
    const S = Number(snapshot.lastUpdateId)
    if (!Number.isSafeInteger(S)) {
      this.#report(
        new WebSocketError(
          `Depth snapshot for ${this.symbol} has an unusable lastUpdateId ${JSON.stringify(snapshot.lastUpdateId)}; retrying.`,
        ),
      )
      this.#retryLater()
      return
    }
    const pending = this.#buffer.filter((e) => e.lastUpdateId > S)
    const first = pending[0]
    if (first && first.firstUpdateId - 1 > S) {
      // The snapshot predates the oldest buffered event: events in between
      // are unknown. Wait for the REST side to catch up (§6.8 step 3).
      this.#retryLater()
      return
    }
    try {
      this.#bids.load(snapshot.bids)
      this.#asks.load(snapshot.asks)
    } catch (error) {
      this.#report(
        new WebSocketError(
          `Depth snapshot for ${this.symbol} is malformed; retrying.`,
          {
            cause: error,
          },
        ),
      )
      this.#retryLater()
      return
    }
    this.stats.snapshots++
    this.#buffer = []
    this.#last = S
    // The first pending event may straddle S (U - 1 <= S < u): quantities are
    // absolute, so it applies cleanly on top of the snapshot.
    let i = 0
    this.#afterSnapshot = first === undefined
    if (first) {
      if (!this.#applyLevels(first)) return
      this.#last = first.lastUpdateId
      this.stats.eventsApplied++
      i = 1
    }
    this.#setState('live')
    for (; i < pending.length; i++) {
      this.#applyLive(pending[i]!)
      if (this.#state !== 'live') return
    }
    this.#emitter.emit('book', {
      lastUpdateId: this.#last,
      eventTimeUs: pending.at(-1)?.eventTimeUs,
    })
  }

  #report(error: BackpackError) {
    if (!this.#onError) return
    try {
      this.#onError(error)
    } catch {
      // A throwing onError must not break the book.
    }
  }

  // ── queries ───────────────────────────────────────────────────────────

  bestBid(): WsLevel | undefined {
    const l = this.#bids.levels[0]
    return l && [l.price, l.quantity]
  }

  bestAsk(): WsLevel | undefined {
    const l = this.#asks.levels[0]
    return l && [l.price, l.quantity]
  }

  spread(): DecimalString | undefined {
    const bid = this.#bids.levels[0]
    const ask = this.#asks.levels[0]
    return bid && ask ? subtractDecimals(ask.key, bid.key) : undefined
  }

  bids(limit?: number): WsLevel[] {
    return this.#bids.toArray(limit)
  }

  asks(limit?: number): WsLevel[] {
    return this.#asks.toArray(limit)
  }

  estimateFill(side: 'buy' | 'sell', quantity: DecimalString): FillEstimate {
    if (side !== 'buy' && side !== 'sell') {
      throw new ValidationError(
        `side must be 'buy' or 'sell', got ${String(side)}.`,
        {
          field: 'side',
        },
      )
    }
    if (compareDecimals(quantity, '0') <= 0) {
      throw new ValidationError(
        `quantity must be a positive decimal string, got "${quantity}".`,
        { field: 'quantity' },
      )
    }
    const levels = (side === 'buy' ? this.#asks : this.#bids).levels
    let remaining = quantity
    let filled = '0'
    let cost = '0'
    let worst: string | undefined
    let used = 0
    for (const l of levels) {
      if (compareDecimals(remaining, '0') <= 0) break
      const take =
        compareDecimals(l.quantity, remaining) < 0 ? l.quantity : remaining
      filled = addDecimals(filled, take)
      cost = addDecimals(cost, multiplyDecimals(l.key, take))
      remaining = subtractDecimals(remaining, take)
      worst = l.price
      used++
    }
    return {
      requestedQuantity: quantity,
      filledQuantity: filled,
      cost,
      averagePrice:
        used === 0
          ? undefined
          : divideDecimals(cost, filled, {
              decimals: 12,
              // Rounded against the taker, so the estimate never flatters.
              rounding: side === 'buy' ? 'up' : 'down',
            }),
      worstPrice: worst,
      levels: used,
      complete: compareDecimals(remaining, '0') <= 0,
    }
  }

  on<E extends keyof OrderBookEvents>(
    event: E,
    listener: (...args: OrderBookEvents[E]) => void,
  ): OrderBook {
    this.#emitter.on(event, listener as never)
    return this
  }

  off<E extends keyof OrderBookEvents>(
    event: E,
    listener: (...args: OrderBookEvents[E]) => void,
  ): OrderBook {
    this.#emitter.off(event, listener as never)
    return this
  }

  ready(): Promise<void> {
    if (this.#state === 'live') return Promise.resolve()
    if (this.#state === 'closed') {
      return Promise.reject(
        new WebSocketError(`Order book ${this.symbol} is closed.`),
      )
    }
    return new Promise((resolve, reject) => {
      const onState = (state: OrderBookState) => {
        if (state === 'syncing') return
        this.#emitter.off('state', onState)
        if (state === 'live') resolve()
        else
          reject(
            new WebSocketError(
              `Order book ${this.symbol} closed before it was live.`,
            ),
          )
      }
      this.#emitter.on('state', onState)
    })
  }

  close(): void {
    if (this.#state === 'closed') return
    this.#syncGeneration++
    this.#clearRetry()
    this.#subscription.unsubscribe()
    this.#stream.off('state', this.#onStreamState)
    this.#buffer = []
    this.#setState('closed')
    this.#emitter.removeAllListeners()
  }
}
