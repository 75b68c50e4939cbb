/**
 * The order book's public types: its options, events, estimates and the
 * {@link OrderBook} interface. The sync machine is in `createOrderBook.ts`,
 * one side of the book in `bookSide.ts`.
 */
import type { DecimalString } from '../decimal/decimal.js'
import type { BackpackError } from '../errors/backpackError.js'
import type { DepthStreamKind, WsLevel } from '../types/ws.js'
import type { StreamClient } from '../ws/types.js'

/** Sync state of an {@link OrderBook}. */
export type OrderBookState = 'syncing' | 'live' | 'closed'

/** The REST depth snapshot the book is seeded from (`getDepth`'s answer). */
export interface DepthSnapshot {
  /** Bid levels, any order. */
  bids: readonly (readonly [string, string])[]
  /** Ask levels, any order. */
  asks: readonly (readonly [string, string])[]
  /** Update id the snapshot includes (an integer as a string; a number is accepted). */
  lastUpdateId: string | number
}

/** Levels per side a depth snapshot may ask for (reference §3.5). */
export type SnapshotLimit = 5 | 10 | 20 | 50 | 100 | 500 | 1000

/** Loads a depth snapshot for a symbol. */
export type FetchDepthSnapshot = (args: {
  symbol: string
  limit?: SnapshotLimit | undefined
}) => Promise<DepthSnapshot>

/** Anything with a `getDepth` like the REST client's (`createBackpackClient`). */
export interface DepthSnapshotSource {
  /**
   * Loads `GET /api/v1/depth` for a symbol.
   *
   * @param params - Symbol and optional levels per side.
   * @returns The snapshot.
   */
  getDepth(params: {
    symbol: string
    limit?: SnapshotLimit | undefined
  }): Promise<DepthSnapshot>
}

/** Options of {@link createOrderBook}. */
export interface OrderBookOptions {
  /** Market symbol, e.g. `SOL_USDC`. */
  symbol: string
  /** The stream client that carries the depth stream. */
  stream: Pick<StreamClient, 'subscribe' | 'on' | 'off' | 'state'>
  /**
   * Loads the REST snapshot. Defaults to `client.getDepth`.
   * @default undefined
   */
  fetchSnapshot?: FetchDepthSnapshot | undefined
  /**
   * A REST client whose `getDepth` is used when `fetchSnapshot` is not given.
   * @default undefined
   */
  client?: DepthSnapshotSource | undefined
  /**
   * Which depth stream to follow: real time or aggregated.
   * @default 'depth'
   */
  depthStream?: DepthStreamKind | undefined
  /**
   * `limit` passed to the snapshot request (levels per side); the server's
   * default (1000) when omitted.
   * @default undefined
   */
  snapshotLimit?: SnapshotLimit | undefined
  /**
   * Depth events to buffer before fetching the snapshot. The REST snapshot
   * can lag the stream; waiting for a few events lowers refetches.
   * @default 1
   */
  minBufferedEvents?: number | undefined
  /**
   * Wait before refetching a snapshot that was too old or failed (in ms).
   * @default 250
   */
  retryDelayMs?: number | undefined
  /**
   * Buffered events kept while syncing before the oldest are dropped and the
   * sync restarts (protects memory if snapshots keep failing).
   * @default 10000
   */
  maxBufferedEvents?: number | undefined
  /**
   * Receives failures: snapshot requests that failed (they are retried), and
   * stream errors of the depth subscription.
   * @default undefined
   */
  onError?: ((error: BackpackError) => void) | undefined
}

/** What a `'book'` event carries. */
export interface BookUpdate {
  /** The last update id applied. */
  lastUpdateId: number
  /** Event time of the last applied depth event, µs (absent right after a snapshot). */
  eventTimeUs: number | undefined
}

/** The events an {@link OrderBook} emits. */
export interface OrderBookEvents {
  /** The book changed (after every applied event and after each sync). */
  book: [update: BookUpdate]
  /** The sync state changed. */
  state: [state: OrderBookState, previous: OrderBookState]
  /** The book went back to syncing, with the reason. */
  resync: [reason: string]
}

/** Result of {@link OrderBook.estimateFill}. */
export interface FillEstimate {
  /** Quantity asked for. */
  requestedQuantity: DecimalString
  /** Quantity the visible book can fill (≤ requested). */
  filledQuantity: DecimalString
  /** Quote amount of the filled part: Σ price × quantity. */
  cost: DecimalString
  /**
   * Volume-weighted average price, 12 fraction digits, rounded against you
   * (up for a buy, down for a sell); absent when nothing fills.
   */
  averagePrice: DecimalString | undefined
  /** Price of the last level touched; absent when nothing fills. */
  worstPrice: DecimalString | undefined
  /** Number of levels touched. */
  levels: number
  /** Whether the whole quantity fits in the visible book. */
  complete: boolean
}

/** Counters of an {@link OrderBook}. */
export interface OrderBookStats {
  /** Depth events applied. */
  eventsApplied: number
  /** Snapshots loaded. */
  snapshots: number
  /** Times the book went back to syncing. */
  resyncs: number
}

/** A local order book. Create it with {@link createOrderBook}. */
export interface OrderBook {
  /** Market symbol. */
  readonly symbol: string
  /** `'syncing'` until the first snapshot is applied and after every gap. */
  readonly state: OrderBookState
  /** Last update id applied (`undefined` before the first snapshot). */
  readonly lastUpdateId: number | undefined
  /** Counters. */
  readonly stats: Readonly<OrderBookStats>
  /**
   * Best bid as `[price, quantity]`.
   *
   * @returns The best bid, or `undefined` when there are no bids.
   */
  bestBid(): WsLevel | undefined
  /**
   * Best ask as `[price, quantity]`.
   *
   * @returns The best ask, or `undefined` when there are no asks.
   */
  bestAsk(): WsLevel | undefined
  /**
   * Best ask minus best bid, exact.
   *
   * @returns The spread as a decimal string, or `undefined` if a side is empty.
   */
  spread(): DecimalString | undefined
  /**
   * Bid levels, best (highest) first.
   *
   * @param limit - Number of levels; all by default.
   * @returns Fresh `[price, quantity]` tuples.
   */
  bids(limit?: number): WsLevel[]
  /**
   * Ask levels, best (lowest) first.
   *
   * @param limit - Number of levels; all by default.
   * @returns Fresh `[price, quantity]` tuples.
   */
  asks(limit?: number): WsLevel[]
  /**
   * Walks the book to fill `quantity`: asks for a buy, bids for a sell.
   *
   * @param side - `'buy'` (takes asks) or `'sell'` (takes bids).
   * @param quantity - Base quantity as a decimal string.
   * @returns Filled quantity, cost, average and worst price.
   * @throws {ValidationError} when `quantity` is not a positive decimal string.
   */
  estimateFill(side: 'buy' | 'sell', quantity: DecimalString): FillEstimate
  // on and off are declared like StreamClient's (ws/types.ts) on purpose: the
  // same typed, chaining listener methods on each public object.
  /**
   * Adds an event listener.
   *
   * @param event - Event name.
   * @param listener - Receives the event's arguments.
   * @returns The book, for chaining.
   */
  on<E extends keyof OrderBookEvents>(
    event: E,
    listener: (...args: OrderBookEvents[E]) => void,
  ): OrderBook
  /**
   * Removes an event listener.
   *
   * @param event - Event name.
   * @param listener - The listener passed to `on`.
   * @returns The book, for chaining.
   */
  off<E extends keyof OrderBookEvents>(
    event: E,
    listener: (...args: OrderBookEvents[E]) => void,
  ): OrderBook
  /**
   * Resolves when the book is `'live'` (immediately if it is).
   *
   * @returns A promise that resolves once live.
   * @throws {WebSocketError} (rejection) when the book is closed first.
   */
  ready(): Promise<void>
  /** Unsubscribes from the depth stream and clears timers; state `'closed'`. */
  close(): void
}
