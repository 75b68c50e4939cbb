/**
 * The stream client's public types: its options, events, counters and the
 * {@link StreamClient} interface itself. The implementation is split by
 * concern: `options.ts` (defaults and validation), `core.ts` (shared state
 * and error reporting), `connection.ts` (socket, heartbeat, reconnect),
 * `subscriptions.ts` (reference counts, SUBSCRIBE frames), `dispatch.ts`
 * (inbound frames) and `createStreamClient.ts` (the facade).
 */
import type { WebSocketError } from '../errors/webSocketError.js'
import type { Signer } from '../signing/index.js'
import type {
  BookTickerEvent,
  DepthEvent,
  DepthStreamKind,
  KlineEvent,
  KlineInterval,
  LiquidationEvent,
  MarkPriceEvent,
  OpenInterestEvent,
  OrderUpdateEvent,
  PositionUpdateEvent,
  RfqUpdateEvent,
  StreamEventOf,
  TickerEvent,
  TradeEvent,
} from '../types/ws.js'
import type { OverflowPolicy, StreamIterator } from './iterator.js'
import type { WebSocketConstructor } from './socket.js'

/** Connection state of a {@link StreamClient}. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed'

/** Minimal structured logger; the client logs nothing unless one is given. */
export interface StreamLogger {
  /**
   * Routine lifecycle information (connect, resubscribe).
   *
   * @param message - What happened.
   * @param context - Structured details (never secrets).
   */
  debug?(message: string, context?: Record<string, unknown>): void
  /**
   * Something went wrong and was handled (reconnect, malformed frame).
   *
   * @param message - What happened.
   * @param context - Structured details (never secrets).
   */
  warn?(message: string, context?: Record<string, unknown>): void
}

/** Reconnect settings. */
export interface ReconnectOptions {
  /**
   * Delay before the first reconnect attempt (in ms).
   * @default 250
   */
  initialDelayMs?: number | undefined
  /**
   * Largest delay between attempts (in ms).
   * @default 30000
   */
  maxDelayMs?: number | undefined
  /**
   * Growth factor per failed attempt.
   * @default 2
   */
  multiplier?: number | undefined
  /**
   * Fraction of each delay that is randomized away (0 = none, 1 = full jitter).
   * @default 0.5
   */
  jitter?: number | undefined
  /**
   * Give up (state `'closed'`, every subscription's `onError` called) after
   * this many consecutive failed attempts; `false` retries forever.
   * @default false
   */
  maxAttempts?: number | false | undefined
}

/** Heartbeat (dead-connection detection) settings. */
export interface HeartbeatOptions {
  /**
   * How often a Ping is sent (Node `ws` only) (in ms).
   * @default 15000
   */
  intervalMs?: number | undefined
  /**
   * How long after a Ping any frame (pong, data or server ping) must arrive
   * before the connection is declared dead (in ms).
   * @default 10000
   */
  timeoutMs?: number | undefined
  /**
   * Where the socket cannot ping (browsers): declare the connection dead after
   * this long without any frame (in ms). The server pings every 60 s, but
   * browsers hide pings, so this only works with streams that carry traffic.
   * @default 130000
   */
  passiveTimeoutMs?: number | undefined
}

/** Options of {@link createStreamClient}. */
export interface StreamClientOptions {
  /**
   * WebSocket endpoint.
   * @default BACKPACK_WS_URL
   */
  url?: string | undefined
  /**
   * WebSocket constructor. Defaults to the `ws` package under Node (loaded
   * lazily) and to `globalThis.WebSocket` elsewhere.
   * @default undefined
   */
  WebSocket?: WebSocketConstructor | undefined
  /**
   * Base64 public key; optional, checked against `secretKey` when both are given.
   * @default undefined
   */
  apiKey?: string | undefined
  /**
   * Base64 secret key, needed for `account.*` streams (or pass `signer`).
   * @default undefined
   */
  secretKey?: string | undefined
  /**
   * A signer from `createSigner`, instead of `secretKey`.
   * @default undefined
   */
  signer?: Signer | undefined
  /**
   * Signature validity window of private subscriptions (in ms, at most 60000).
   * @default 5000
   */
  windowMs?: number | undefined
  /**
   * Clock for signature timestamps and gap times (ms since the epoch).
   * @default Date.now
   */
  now?: (() => number) | undefined
  /**
   * Receives lifecycle logs; nothing is logged without it.
   * @default undefined
   */
  logger?: StreamLogger | undefined
  /**
   * Reconnect backoff; `false` disables reconnecting.
   * @default {}
   */
  reconnect?: ReconnectOptions | false | undefined
  /**
   * Dead-connection detection; `false` disables it.
   * @default {}
   */
  heartbeat?: HeartbeatOptions | false | undefined
  /**
   * Give up on a connection attempt that has not opened after this long (in ms).
   * @default 10000
   */
  connectTimeoutMs?: number | undefined
  /**
   * Random source for the backoff jitter, returning [0, 1).
   * @default Math.random
   */
  random?: (() => number) | undefined
  /**
   * Receives client-level failures that belong to no subscription
   * (unattributable error frames, giving up on reconnecting, a throwing
   * listener without its own `onError`). Same as the `'streamError'` event.
   * @default undefined
   */
  onError?: ((error: WebSocketError) => void) | undefined
}

/** Options of {@link StreamClient.subscribe}. */
export interface SubscribeOptions {
  /**
   * Aborting it unsubscribes.
   * @default undefined
   */
  signal?: AbortSignal | undefined
  /**
   * Receives this subscription's failures: an error frame for its stream (the
   * subscription then ends), giving up on reconnecting, or its listener
   * throwing. Without it they go to the client's `'streamError'` event.
   * @default undefined
   */
  onError?: ((error: WebSocketError) => void) | undefined
}

/** Options of the iterator methods, e.g. {@link StreamClient.bookTicker}. */
export interface IterateOptions extends SubscribeOptions {
  /**
   * Events kept for a consumer that is behind.
   * @default 1000
   */
  bufferSize?: number | undefined
  /**
   * What to do when the buffer is full: drop the oldest event, or end the
   * iteration with a `WebSocketError`.
   * @default 'dropOldest' for market data, 'error' for account streams
   */
  overflow?: OverflowPolicy | undefined
}

/** Handle of one subscription. */
export interface Subscription {
  /** The stream name, e.g. `depth.SOL_USDC`. */
  readonly stream: string
  /** Whether the subscription still receives events. */
  readonly active: boolean
  /** Stops delivery; the UNSUBSCRIBE goes out when the last subscriber leaves. Idempotent. */
  unsubscribe(): void
}

/**
 * A period without data: from the loss of a connection to the moment every
 * subscription was sent again on a new one. Events in between are lost, so
 * re-read anything stateful (open orders, fills, positions, the book).
 */
export interface StreamGap {
  /** When the connection was lost (ms since the epoch, injected clock). */
  startedAtMs: number
  /** When the subscriptions were restored (ms since the epoch). */
  endedAtMs: number
  /** Streams that were subscribed when the gap ended. */
  streams: string[]
  /** Why the connection was lost, e.g. `close 1006`, `heartbeat timeout`. */
  reason: string
}

/** Counters describing the connection's health so far. */
export interface StreamStats {
  /** Text frames received. */
  framesReceived: number
  /** Events delivered to at least one subscriber. */
  messagesDelivered: number
  /** Frames skipped because they were not valid JSON or broke the payload contract. */
  malformedFrames: number
  /** `{id, error}` frames received. */
  errorFrames: number
  /** Data frames for streams nobody is subscribed to (e.g. just after an unsubscribe). */
  unroutedFrames: number
  /** Connections opened after the first one. */
  reconnects: number
  /** Connections declared dead by the heartbeat. */
  heartbeatTimeouts: number
  /** Frames (SUBSCRIBE/UNSUBSCRIBE) sent. */
  framesSent: number
}

/** A skipped frame, as reported by the `'malformed'` event. */
export interface MalformedFrame {
  /** Why it was skipped, naming the offending key where known. */
  reason: string
  /** The stream name, when the frame got that far. */
  stream: string | undefined
  /** The first 200 characters of the frame. */
  excerpt: string
}

/** A data event as seen by the `'message'` event. */
export interface StreamMessage {
  /** The stream name. */
  stream: string
  /** The parsed event. */
  data: unknown
}

/** The events a {@link StreamClient} emits. There is deliberately no `'error'`. */
export interface StreamClientEvents {
  /** The connection state changed. */
  state: [state: StreamState, previous: StreamState]
  /** Subscriptions were restored after a connection loss. */
  gap: [gap: StreamGap]
  /** Every parsed data event, whatever the stream. */
  message: [message: StreamMessage]
  /** A frame was counted in `stats.malformedFrames` and skipped. */
  malformed: [frame: MalformedFrame]
  /** A failure that belongs to no subscription with an `onError`. */
  streamError: [error: WebSocketError]
}

/**
 * A Backpack WebSocket stream client. Create it with
 * {@link createStreamClient}.
 */
export interface StreamClient {
  /** The current connection state. */
  readonly state: StreamState
  /** Live counters (a read-only view; copy it to keep a snapshot). */
  readonly stats: Readonly<StreamStats>
  /** The endpoint in use. */
  readonly url: string
  /** Stream names currently subscribed (at least one subscriber). */
  readonly streams: readonly string[]
  /**
   * Adds an event listener.
   *
   * @param event - Event name.
   * @param listener - Receives the event's arguments.
   * @returns The client, for chaining.
   */
  on<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient
  /**
   * Adds a listener that runs once.
   *
   * @param event - Event name.
   * @param listener - Receives the event's arguments.
   * @returns The client, for chaining.
   */
  once<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient
  /**
   * Removes a listener.
   *
   * @param event - Event name.
   * @param listener - The listener passed to `on`/`once`.
   * @returns The client, for chaining.
   */
  off<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient
  /**
   * Subscribes a listener to one stream by name; the event type follows the
   * name (`'trade.SOL_USDC'` gives {@link TradeEvent}).
   *
   * @param stream - Full stream name, e.g. `depth.200ms.SOL_USDC`.
   * @param listener - Receives each parsed event.
   * @param options - `signal` and `onError`.
   * @returns The subscription handle.
   * @throws {ValidationError} when the name is empty or has whitespace, or an
   *   `account.*` stream is requested without credentials.
   * @throws {WebSocketError} when the client is closed.
   */
  subscribe<S extends string>(
    stream: S,
    listener: (event: StreamEventOf<S>) => void,
    options?: SubscribeOptions,
  ): Subscription
  /**
   * Subscribes to one stream by name as an async iterator.
   *
   * @param stream - Full stream name.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An iterator that is also the subscription handle.
   * @throws {ValidationError} see {@link StreamClient.subscribe}.
   * @throws {WebSocketError} when the client is closed.
   */
  stream<S extends string>(
    stream: S,
    options?: IterateOptions,
  ): StreamIterator<StreamEventOf<S>>
  /**
   * Best bid/ask updates (`bookTicker.<symbol>`).
   *
   * @param symbol - Market symbol, e.g. `SOL_USDC`.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link BookTickerEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  bookTicker(
    symbol: string,
    options?: IterateOptions,
  ): StreamIterator<BookTickerEvent>
  /**
   * Book changes (`depth[.<agg>].<symbol>`); see `createOrderBook` for a
   * maintained book.
   *
   * @param symbol - Market symbol.
   * @param options - `kind` (`'depth'` real time, or `'depth.200ms'` …), buffer policy, `signal`, `onError`.
   * @returns An async iterator of {@link DepthEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  depth(
    symbol: string,
    options?: IterateOptions & { kind?: DepthStreamKind | undefined },
  ): StreamIterator<DepthEvent>
  /**
   * Public trades (`trade.<symbol>`).
   *
   * @param symbol - Market symbol.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link TradeEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  trade(symbol: string, options?: IterateOptions): StreamIterator<TradeEvent>
  /**
   * 24 h statistics (`ticker.<symbol>`).
   *
   * @param symbol - Market symbol.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link TickerEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  ticker(symbol: string, options?: IterateOptions): StreamIterator<TickerEvent>
  /**
   * Candles (`kline.<interval>.<symbol>`).
   *
   * @param symbol - Market symbol.
   * @param interval - Candle interval, e.g. `1m`.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link KlineEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  kline(
    symbol: string,
    interval: KlineInterval,
    options?: IterateOptions,
  ): StreamIterator<KlineEvent>
  /**
   * Mark price and funding (`markPrice.<symbol>`).
   *
   * @param symbol - Market symbol, e.g. `SOL_USDC_PERP`.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link MarkPriceEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  markPrice(
    symbol: string,
    options?: IterateOptions,
  ): StreamIterator<MarkPriceEvent>
  /**
   * Open interest (`openInterest.<symbol>`).
   *
   * @param symbol - Market symbol.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link OpenInterestEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  openInterest(
    symbol: string,
    options?: IterateOptions,
  ): StreamIterator<OpenInterestEvent>
  /**
   * Liquidations: `liquidation` (all markets, the documented name) or, with a
   * symbol, `liquidation.<symbol>` (seen in one third-party SDK, UNCONFIRMED).
   *
   * @param symbol - Optional market symbol.
   * @param options - Buffer policy, `signal` and `onError`.
   * @returns An async iterator of {@link LiquidationEvent}.
   * @throws {WebSocketError} when the client is closed.
   */
  liquidation(
    symbol?: string,
    options?: IterateOptions,
  ): StreamIterator<LiquidationEvent>
  /**
   * Your order updates (`account.orderUpdate[.<symbol>]`), signed.
   *
   * @param symbol - Optional market filter.
   * @param options - Buffer policy (default overflow `'error'`), `signal`, `onError`.
   * @returns An async iterator of {@link OrderUpdateEvent}.
   * @throws {ValidationError} without `secretKey`/`signer`.
   * @throws {WebSocketError} when the client is closed.
   */
  orderUpdates(
    symbol?: string,
    options?: IterateOptions,
  ): StreamIterator<OrderUpdateEvent>
  /**
   * Your position updates (`account.positionUpdate[.<symbol>]`), signed.
   *
   * @param symbol - Optional market filter.
   * @param options - Buffer policy (default overflow `'error'`), `signal`, `onError`.
   * @returns An async iterator of {@link PositionUpdateEvent}.
   * @throws {ValidationError} without `secretKey`/`signer`.
   * @throws {WebSocketError} when the client is closed.
   */
  positionUpdates(
    symbol?: string,
    options?: IterateOptions,
  ): StreamIterator<PositionUpdateEvent>
  /**
   * Your RFQ updates (`account.rfqUpdate[.<symbol>]`), signed.
   *
   * @param symbol - Optional market filter.
   * @param options - Buffer policy (default overflow `'error'`), `signal`, `onError`.
   * @returns An async iterator of {@link RfqUpdateEvent}.
   * @throws {ValidationError} without `secretKey`/`signer`.
   * @throws {WebSocketError} when the client is closed.
   */
  rfqUpdates(
    symbol?: string,
    options?: IterateOptions,
  ): StreamIterator<RfqUpdateEvent>
  /**
   * Resolves once the connection is open (immediately if it is).
   *
   * @param options - `signal` to stop waiting.
   * @returns A promise that resolves when the state is `'open'`.
   * @throws {WebSocketError} (rejection) when the client closes first or the
   *   signal aborts.
   */
  ready(options?: { signal?: AbortSignal | undefined }): Promise<void>
  /**
   * Closes the connection for good: every subscription and iterator ends,
   * every timer is cleared, the state becomes `'closed'`.
   *
   * @returns A promise that resolves once the socket is closed.
   */
  close(): Promise<void>
}
