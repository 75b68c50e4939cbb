/**
 * A local order book kept in sync from a depth stream plus REST snapshots,
 * following reference §6.8. This file is the public face (options, queries,
 * events, `ready`, `close`); the sequence logic is in `depthSync.ts`, the
 * snapshot requests in `snapshotFetcher.ts`, the sorted levels in
 * `bookSide.ts` and the fill estimate in `estimateFill.ts`.
 */
import { EventEmitter } from 'eventemitter3'
import { type DecimalString, subtractDecimals } from '../decimal/decimal.js'
import type { BackpackError } from '../errors/backpackError.js'
import { ValidationError } from '../errors/inputErrors.js'
import { WebSocketError } from '../errors/webSocketError.js'
import type { WsLevel } from '../types/ws.js'
import type { StreamState, Subscription } from '../ws/types.js'
import { BookSide } from './bookSide.js'
import { DepthSync } from './depthSync.js'
import { estimateFill } from './estimateFill.js'
import type {
  FetchDepthSnapshot,
  FillEstimate,
  OrderBook,
  OrderBookEvents,
  OrderBookOptions,
  OrderBookState,
  OrderBookStats,
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
  readonly #onError: ((error: BackpackError) => void) | undefined
  readonly #sync: DepthSync
  readonly #subscription: Subscription
  readonly #onStreamState = (state: StreamState) => {
    if (state === 'closed') this.close()
    // Events are lost while the connection is down: start over.
    else if (state !== 'open') this.#sync.resync(`stream ${state}`, undefined)
  }

  constructor(options: OrderBookOptions) {
    const { symbol, stream, depthStream, onError, ...sync } =
      resolveOptions(options)
    this.symbol = symbol
    this.#stream = stream
    this.#onError = onError
    this.#sync = new DepthSync({
      ...sync,
      symbol,
      bids: this.#bids,
      asks: this.#asks,
      stats: this.stats,
      emitter: this.#emitter,
      report: (error) => this.#report(error),
    })
    stream.on('state', this.#onStreamState)
    this.#subscription = stream.subscribe(
      `${depthStream}.${symbol}` as `depth.${string}`,
      (event) => this.#sync.onEvent(event),
      {
        onError: (error) => {
          this.#report(error)
          this.close()
        },
      },
    )
  }

  get state(): OrderBookState {
    return this.#sync.state
  }

  get lastUpdateId(): number | undefined {
    return this.#sync.lastUpdateId
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
    const levels = (side === 'buy' ? this.#asks : this.#bids).levels
    return estimateFill(levels, side, quantity)
  }

  // on and off are alike on purpose: each returns the book, typed, for
  // chaining.
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
    const state = this.#sync.state
    if (state === 'live') return Promise.resolve()
    if (state === 'closed') {
      return Promise.reject(
        new WebSocketError(`Order book ${this.symbol} is closed.`),
      )
    }
    return new Promise((resolve, reject) => {
      const onState = (next: OrderBookState) => {
        if (next === 'syncing') return
        this.#emitter.off('state', onState)
        if (next === 'live') resolve()
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
    if (this.#sync.state === 'closed') return
    this.#subscription.unsubscribe()
    this.#stream.off('state', this.#onStreamState)
    this.#sync.close()
    this.#emitter.removeAllListeners()
  }
}

/** Checks the options and applies the defaults. */
function resolveOptions(options: OrderBookOptions) {
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
      { field: 'symbol' },
    )
  }
  const fetch: FetchDepthSnapshot | undefined =
    fetchSnapshot ?? (client ? (args) => client.getDepth(args) : undefined)
  if (!fetch) {
    throw new ValidationError(
      'createOrderBook needs a snapshot source: pass fetchSnapshot or a client with getDepth.',
      { field: 'fetchSnapshot' },
    )
  }
  const minBuffered = Math.max(1, minBufferedEvents)
  return {
    symbol,
    stream,
    depthStream,
    onError,
    fetch,
    limit: snapshotLimit,
    minBuffered,
    maxBuffered: Math.max(minBuffered, maxBufferedEvents),
    retryDelayMs,
  }
}
