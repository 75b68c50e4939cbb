/**
 * The stream client: one WebSocket connection that never dies silently.
 *
 * Flow:
 * ```
 *  createStreamClient ──> connect ──open──> reconcile subscriptions ──> 'open'
 *        ▲                   │                 (one SUBSCRIBE frame for public,
 *        │                   │                  one signed frame for private)
 *        │              close/error/           │
 *        │              watchdog kill          ▼
 *        └── backoff+jitter <── 'reconnecting' (gap starts)
 *                             on the next open: resubscribe, re-sign, 'gap' event
 * ```
 * - Subscriptions are reference-counted per stream name: the wire only sees
 *   the set of names with at least one subscriber. Changes made in the same
 *   tick are reconciled in one microtask, so they share one frame.
 * - Frames: `{stream, data}` goes to the stream's subscribers after one parse;
 *   `{id, error}` goes to the subscriptions of the frame with that id (or that
 *   the message names); anything unreadable is counted in `stats` and skipped.
 * - Heartbeat: with `ws` (Node) a Ping goes out every `intervalMs`; if no
 *   frame of any kind (data, pong, server ping) arrives within `timeoutMs`
 *   after it, the socket is terminated and replaced. Browsers cannot ping, so
 *   there the socket is replaced after `passiveTimeoutMs` without any frame.
 */
import { EventEmitter } from 'eventemitter3'
import { ValidationError, WebSocketError } from '../errors.js'
import {
  createSigner,
  type Signer,
  signSubscription,
} from '../signing/index.js'
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
import { type BackoffSettings, backoffDelay } from './backoff.js'
import {
  createStreamIterator,
  type OverflowPolicy,
  type StreamIterator,
} from './iterator.js'
import {
  isPrivateStream,
  MalformedPayload,
  type Payload,
  type PayloadParser,
  parserFor,
} from './parse.js'
import {
  controlFrames,
  resolveWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
} from './socket.js'

/**
 * Backpack's production WebSocket endpoint (reference §1).
 *
 * @example
 * ```ts
 * import { BACKPACK_WS_URL, createStreamClient } from '@rung/backpack-sdk'
 *
 * const stream = createStreamClient({ url: process.env.BACKPACK_WS_URL ?? BACKPACK_WS_URL })
 * ```
 */
export const BACKPACK_WS_URL = 'wss://ws.backpack.exchange'

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

/** One subscriber of a topic. */
interface Subscriber {
  listener: (event: unknown) => void
  onError: ((error: WebSocketError) => void) | undefined
  /** Called when the client (not the subscriber) ends the subscription. */
  onEnd: (() => void) | undefined
  handle: SubscriptionHandle
}

/** A stream name with its subscribers and its parser. */
interface Topic {
  name: string
  isPrivate: boolean
  parse: PayloadParser
  subscribers: Set<Subscriber>
}

/** A frame we sent, kept briefly to attribute error frames. */
interface SentFrame {
  id: number
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE'
  streams: string[]
  sentAtMs: number
}

class SubscriptionHandle implements Subscription {
  active = true
  /** Extra cleanup (e.g. removing an abort listener). */
  onRelease: (() => void) | undefined
  constructor(
    readonly stream: string,
    private readonly release: () => void,
  ) {}
  unsubscribe(): void {
    if (!this.active) return
    this.active = false
    this.onRelease?.()
    this.release()
  }
}

const STREAM_NAME = /^[A-Za-z][\w.%-]*$/
/** How long a sent frame can still be blamed for an error without an id. */
const ERROR_ATTRIBUTION_MS = 10_000
const SENT_FRAMES_KEPT = 64

/**
 * Creates a stream client and starts connecting.
 *
 * @param options - Endpoint, credentials for private streams, injected I/O
 *   and the reconnect/heartbeat policy.
 * @returns The client.
 * @throws {ValidationError} when an option is out of range, or `apiKey` does
 *   not match `secretKey`.
 * @throws {SigningError} when `secretKey` is malformed.
 * @example
 * ```ts
 * import { createStreamClient } from '@rung/backpack-sdk'
 *
 * const stream = createStreamClient()
 * stream.on('gap', (gap) => console.log('missed data', gap.startedAtMs, gap.endedAtMs))
 * for await (const t of stream.bookTicker('SOL_USDC')) {
 *   console.log(t.bestBidPrice, t.bestAskPrice)
 *   break // leaving the loop unsubscribes
 * }
 * await stream.close()
 * ```
 */
export function createStreamClient(
  options: StreamClientOptions = {},
): StreamClient {
  return new StreamClientImpl(options)
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `${name} must be a positive number of milliseconds, got ${String(value)}.`,
      { field: name },
    )
  }
  return value
}

class StreamClientImpl implements StreamClient {
  readonly url: string
  readonly stats: StreamStats = {
    framesReceived: 0,
    messagesDelivered: 0,
    malformedFrames: 0,
    errorFrames: 0,
    unroutedFrames: 0,
    reconnects: 0,
    heartbeatTimeouts: 0,
    framesSent: 0,
  }

  readonly #emitter = new EventEmitter<StreamClientEvents>()
  readonly #topics = new Map<string, Topic>()
  /** Names subscribed on the current socket. */
  readonly #onWire = new Set<string>()
  readonly #sent: SentFrame[] = []
  readonly #WebSocket: WebSocketConstructor | undefined
  readonly #signer: Signer | undefined
  readonly #windowMs: number
  readonly #now: () => number
  readonly #random: () => number
  readonly #logger: StreamLogger | undefined
  readonly #reconnect: (BackoffSettings & { maxAttempts: number }) | false
  readonly #heartbeat:
    | { intervalMs: number; timeoutMs: number; passiveTimeoutMs: number }
    | false
  readonly #connectTimeoutMs: number
  readonly #onError: ((error: WebSocketError) => void) | undefined

  #state: StreamState = 'connecting'
  #socket: WebSocketLike | undefined
  /** Increments per socket; events of older sockets are ignored. */
  #generation = 0
  #attempt = 0
  #everOpened = false
  #gapStart: { atMs: number; reason: string } | undefined
  #flushQueued = false
  #nextId = 1
  #lastTimestamp = 0
  /** Increments on every inbound frame, pong or ping (heartbeat evidence). */
  #inbound = 0
  #timers = new Set<ReturnType<typeof setTimeout>>()
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined
  #closedPromise: Promise<void> | undefined

  constructor(options: StreamClientOptions) {
    const {
      url = BACKPACK_WS_URL,
      WebSocket,
      apiKey,
      secretKey,
      signer,
      windowMs = 5000,
      now = Date.now,
      logger,
      reconnect = {},
      heartbeat = {},
      connectTimeoutMs = 10_000,
      random = Math.random,
      onError,
    } = options
    if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
      throw new ValidationError(
        `url must start with ws:// or wss://, got ${JSON.stringify(url)}.`,
        { field: 'url' },
      )
    }
    if (!Number.isInteger(windowMs) || windowMs < 1 || windowMs > 60_000) {
      throw new ValidationError(
        `windowMs must be an integer from 1 to 60000, got ${String(windowMs)}.`,
        { field: 'windowMs' },
      )
    }
    this.url = url
    this.#WebSocket = WebSocket
    this.#signer =
      signer ?? (secretKey === undefined ? undefined : createSigner(secretKey))
    if (
      apiKey !== undefined &&
      this.#signer &&
      apiKey !== this.#signer.publicKey
    ) {
      throw new ValidationError(
        `apiKey does not match the public key of secretKey (apiKey starts with "${apiKey.slice(0, 6)}"); pass the key pair's public key or omit apiKey.`,
        { field: 'apiKey' },
      )
    }
    this.#windowMs = windowMs
    this.#now = now
    this.#random = random
    this.#logger = logger
    this.#onError = onError
    this.#connectTimeoutMs = positive('connectTimeoutMs', connectTimeoutMs)
    if (reconnect === false) {
      this.#reconnect = false
    } else {
      const jitter = reconnect.jitter ?? 0.5
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new ValidationError(
          `reconnect.jitter must be between 0 and 1, got ${String(jitter)}.`,
          { field: 'reconnect.jitter' },
        )
      }
      const maxAttempts = reconnect.maxAttempts ?? false
      this.#reconnect = {
        initialDelayMs: positive(
          'reconnect.initialDelayMs',
          reconnect.initialDelayMs ?? 250,
        ),
        maxDelayMs: positive(
          'reconnect.maxDelayMs',
          reconnect.maxDelayMs ?? 30_000,
        ),
        multiplier: Math.max(1, reconnect.multiplier ?? 2),
        jitter,
        maxAttempts:
          maxAttempts === false ? Number.POSITIVE_INFINITY : maxAttempts,
      }
    }
    this.#heartbeat =
      heartbeat === false
        ? false
        : {
            intervalMs: positive(
              'heartbeat.intervalMs',
              heartbeat.intervalMs ?? 15_000,
            ),
            timeoutMs: positive(
              'heartbeat.timeoutMs',
              heartbeat.timeoutMs ?? 10_000,
            ),
            passiveTimeoutMs: positive(
              'heartbeat.passiveTimeoutMs',
              heartbeat.passiveTimeoutMs ?? 130_000,
            ),
          }
    void this.#connect()
  }

  get state(): StreamState {
    return this.#state
  }

  get streams(): readonly string[] {
    return [...this.#topics.keys()]
  }

  on<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#emitter.on(event, listener as never)
    return this
  }

  once<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#emitter.once(event, listener as never)
    return this
  }

  off<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#emitter.off(event, listener as never)
    return this
  }

  // ── subscriptions ─────────────────────────────────────────────────────

  subscribe<S extends string>(
    stream: S,
    listener: (event: StreamEventOf<S>) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    const { signal, onError } = options
    if (typeof listener !== 'function') {
      throw new ValidationError('listener must be a function.', {
        field: 'listener',
      })
    }
    const handle = this.#add(
      stream,
      listener as (event: unknown) => void,
      onError,
      undefined,
    )
    if (signal) {
      const abort = () => handle.unsubscribe()
      if (signal.aborted) abort()
      else {
        signal.addEventListener('abort', abort, { once: true })
        handle.onRelease = () => signal.removeEventListener('abort', abort)
      }
    }
    return handle
  }

  #add(
    stream: string,
    listener: (event: unknown) => void,
    onError: ((error: WebSocketError) => void) | undefined,
    onEnd: (() => void) | undefined,
  ): SubscriptionHandle {
    if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
      throw new ValidationError(
        `stream must be a stream name such as "bookTicker.SOL_USDC", got ${JSON.stringify(stream)}.`,
        { field: 'stream' },
      )
    }
    if (this.#state === 'closed') {
      throw new WebSocketError(
        `Cannot subscribe to ${stream}: the stream client is closed; create a new one.`,
        { stream },
      )
    }
    const isPrivate = isPrivateStream(stream)
    if (isPrivate && !this.#signer) {
      throw new ValidationError(
        `${stream} is a private stream; pass secretKey (or signer) to createStreamClient.`,
        { field: 'secretKey' },
      )
    }
    let topic = this.#topics.get(stream)
    if (!topic) {
      topic = {
        name: stream,
        isPrivate,
        parse: parserFor(stream),
        subscribers: new Set(),
      }
      this.#topics.set(stream, topic)
      this.#queueFlush()
    }
    const subscriber: Subscriber = {
      listener,
      onError,
      onEnd,
      handle: new SubscriptionHandle(stream, () =>
        this.#release(stream, subscriber),
      ),
    }
    topic.subscribers.add(subscriber)
    return subscriber.handle
  }

  #release(stream: string, subscriber: Subscriber) {
    const topic = this.#topics.get(stream)
    if (!topic?.subscribers.delete(subscriber)) return
    if (topic.subscribers.size === 0) {
      this.#topics.delete(stream)
      this.#queueFlush()
    }
  }

  stream<S extends string>(
    stream: S,
    options: IterateOptions = {},
  ): StreamIterator<StreamEventOf<S>> {
    const { bufferSize = 1000, overflow, signal, onError } = options
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new ValidationError(
        `bufferSize must be a positive integer, got ${String(bufferSize)}.`,
        { field: 'bufferSize' },
      )
    }
    return createStreamIterator<StreamEventOf<S>>({
      stream,
      bufferSize,
      overflow: overflow ?? (isPrivateStream(stream) ? 'error' : 'dropOldest'),
      signal,
      attach: (push, fail, end) => {
        const sub = this.#add(
          stream,
          push as (event: unknown) => void,
          (error) => {
            if (onError) this.#safeCall(onError, error)
            fail(error)
          },
          end,
        )
        return () => sub.unsubscribe()
      },
    })
  }

  bookTicker(symbol: string, options?: IterateOptions) {
    return this.stream(`bookTicker.${symbol}` as const, options)
  }

  depth(
    symbol: string,
    options: IterateOptions & { kind?: DepthStreamKind | undefined } = {},
  ) {
    const { kind = 'depth', ...rest } = options
    return this.stream(`${kind}.${symbol}` as `depth.${string}`, rest)
  }

  trade(symbol: string, options?: IterateOptions) {
    return this.stream(`trade.${symbol}` as const, options)
  }

  ticker(symbol: string, options?: IterateOptions) {
    return this.stream(`ticker.${symbol}` as const, options)
  }

  kline(symbol: string, interval: KlineInterval, options?: IterateOptions) {
    return this.stream(`kline.${interval}.${symbol}` as const, options)
  }

  markPrice(symbol: string, options?: IterateOptions) {
    return this.stream(`markPrice.${symbol}` as const, options)
  }

  openInterest(symbol: string, options?: IterateOptions) {
    return this.stream(`openInterest.${symbol}` as const, options)
  }

  liquidation(symbol?: string, options?: IterateOptions) {
    return this.stream(
      (symbol
        ? `liquidation.${symbol}`
        : 'liquidation') as `liquidation${string}`,
      options,
    )
  }

  orderUpdates(symbol?: string, options?: IterateOptions) {
    return this.stream(
      `account.orderUpdate${symbol ? `.${symbol}` : ''}` as const,
      options,
    )
  }

  positionUpdates(symbol?: string, options?: IterateOptions) {
    return this.stream(
      `account.positionUpdate${symbol ? `.${symbol}` : ''}` as const,
      options,
    )
  }

  rfqUpdates(symbol?: string, options?: IterateOptions) {
    return this.stream(
      `account.rfqUpdate${symbol ? `.${symbol}` : ''}` as const,
      options,
    )
  }

  /** Reconciles the wire with the wanted set, once per tick. */
  #queueFlush() {
    if (this.#flushQueued) return
    this.#flushQueued = true
    queueMicrotask(() => {
      this.#flushQueued = false
      this.#flush()
    })
  }

  /**
   * Sends what differs between the subscribed topics and the wire: at most
   * one SUBSCRIBE and one UNSUBSCRIBE per kind (public / private). Public and
   * private streams never share a frame (mixing them is UNCONFIRMED, §6.3).
   */
  #flush() {
    if (this.#state !== 'open' || !this.#socket) return
    const add: [string[], string[]] = [[], []]
    const remove: [string[], string[]] = [[], []]
    for (const topic of this.#topics.values()) {
      if (!this.#onWire.has(topic.name))
        add[topic.isPrivate ? 1 : 0].push(topic.name)
    }
    for (const name of this.#onWire) {
      if (!this.#topics.has(name))
        remove[isPrivateStream(name) ? 1 : 0].push(name)
    }
    this.#sendFrame('UNSUBSCRIBE', remove[0], false)
    this.#sendFrame('UNSUBSCRIBE', remove[1], true)
    this.#sendFrame('SUBSCRIBE', add[0], false)
    this.#sendFrame('SUBSCRIBE', add[1], true)
  }

  #sendFrame(
    method: 'SUBSCRIBE' | 'UNSUBSCRIBE',
    streams: string[],
    signed: boolean,
  ) {
    if (streams.length === 0 || !this.#socket) return
    const id = this.#nextId++
    const frame: {
      method: string
      params: string[]
      id: number
      signature?: [string, string, string, string]
    } = { method, params: streams, id }
    if (signed) {
      // Fresh, strictly increasing timestamp per signed frame (§6.3): two
      // frames in one millisecond still get distinct signatures.
      const timestamp = Math.max(this.#now(), this.#lastTimestamp + 1)
      this.#lastTimestamp = timestamp
      // Private UNSUBSCRIBE is signed too (UNCONFIRMED; ccxt does it, and a
      // server that does not need it ignores the extra key, §12 rule 17).
      try {
        frame.signature = signSubscription(this.#signer!, {
          timestamp,
          windowMs: this.#windowMs,
        })
      } catch (cause) {
        // e.g. a clock that returns garbage: fail these subscriptions loudly
        // rather than sending an unsigned private frame.
        const error = new WebSocketError(
          `Could not sign the ${method} of ${streams.join(', ')}; check the now option.`,
          { cause },
        )
        if (method === 'SUBSCRIBE') {
          for (const name of streams) {
            const topic = this.#topics.get(name)
            for (const sub of [...(topic?.subscribers ?? [])]) {
              this.#failSubscriber(sub, error)
            }
          }
        } else {
          this.#report(error)
        }
        return
      }
    }
    try {
      this.#socket.send(JSON.stringify(frame))
    } catch (cause) {
      // The socket is going away; the close handler resubscribes later.
      this.#logger?.warn?.('send failed', { method, streams, cause })
      return
    }
    this.stats.framesSent++
    for (const s of streams) {
      if (method === 'SUBSCRIBE') this.#onWire.add(s)
      else this.#onWire.delete(s)
    }
    this.#sent.push({ id, method, streams, sentAtMs: this.#now() })
    if (this.#sent.length > SENT_FRAMES_KEPT) this.#sent.shift()
    this.#logger?.debug?.(method.toLowerCase(), { streams, id })
  }

  // ── connection ────────────────────────────────────────────────────────

  #setState(next: StreamState) {
    const prev = this.#state
    if (prev === next) return
    this.#state = next
    this.#emitter.emit('state', next, prev)
  }

  #later(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.#timers.delete(t)
      fn()
    }, ms)
    this.#timers.add(t)
    return t
  }

  async #connect() {
    const generation = ++this.#generation
    let WS: WebSocketConstructor
    let socket: WebSocketLike
    try {
      WS = await resolveWebSocket(this.#WebSocket)
      if (generation !== this.#generation || this.#state === 'closed') return
      socket = new WS(this.url)
    } catch (cause) {
      const error =
        cause instanceof WebSocketError
          ? cause
          : new WebSocketError(`Could not open a WebSocket to ${this.url}.`, {
              cause,
            })
      if (cause instanceof WebSocketError) {
        // No implementation at all: retrying cannot help.
        this.#giveUp(error)
      } else {
        this.#lost(generation, `connect failed: ${error.details ?? ''}`)
      }
      return
    }
    this.#socket = socket
    const connectTimer = this.#later(() => {
      if (generation === this.#generation && this.#state !== 'open') {
        this.#kill(generation, 'connect timeout')
      }
    }, this.#connectTimeoutMs)
    socket.addEventListener('open', () => {
      if (generation !== this.#generation) return
      clearTimeout(connectTimer)
      this.#timers.delete(connectTimer)
      this.#opened(generation)
    })
    socket.addEventListener('message', (event) => {
      if (generation !== this.#generation) return
      this.#inbound++
      // Any inbound frame proves the connection healthy again.
      this.#attempt = 0
      const { data } = event
      if (typeof data === 'string') this.#onFrame(data)
      else this.#malformed('binary frame', undefined, '')
    })
    socket.addEventListener('close', (event) => {
      if (generation !== this.#generation) return
      clearTimeout(connectTimer)
      this.#timers.delete(connectTimer)
      this.#lost(
        generation,
        `close ${event.code}${event.reason ? ` ${event.reason}` : ''}`,
      )
    })
    socket.addEventListener('error', () => {
      // 'close' always follows; the reason is reported there.
      this.#logger?.warn?.('socket error', { url: this.url })
    })
    const control = controlFrames(socket)
    if (control) {
      const alive = () => {
        if (generation === this.#generation) this.#inbound++
      }
      control.on('pong', alive)
      control.on('ping', alive)
    }
  }

  #opened(generation: number) {
    if (this.#everOpened) this.stats.reconnects++
    this.#everOpened = true
    this.#onWire.clear()
    this.#setState('open')
    this.#logger?.debug?.('open', { url: this.url, generation })
    // Resubscribe everything now (not in a microtask) so the gap can end here.
    this.#flush()
    this.#startHeartbeat(generation)
    const gap = this.#gapStart
    if (gap) {
      this.#gapStart = undefined
      this.#emitter.emit('gap', {
        startedAtMs: gap.atMs,
        endedAtMs: this.#now(),
        streams: [...this.#topics.keys()],
        reason: gap.reason,
      })
    }
  }

  /** The connection of `generation` is gone: schedule a replacement. */
  #lost(generation: number, reason: string) {
    if (generation !== this.#generation || this.#state === 'closed') return
    this.#generation++ // ignore anything the dead socket still emits
    this.#stopHeartbeat()
    this.#socket = undefined
    this.#onWire.clear()
    // A gap starts when an open connection is lost; failed attempts while
    // reconnecting extend the same gap.
    if (this.#everOpened && !this.#gapStart) {
      this.#gapStart = { atMs: this.#now(), reason }
    }
    this.#logger?.warn?.('connection lost', { reason, attempt: this.#attempt })
    const policy = this.#reconnect
    if (policy === false || this.#attempt >= policy.maxAttempts) {
      this.#giveUp(
        new WebSocketError(
          policy === false
            ? `WebSocket connection lost (${reason}) and reconnect is disabled.`
            : `WebSocket connection lost (${reason}); gave up after ${this.#attempt} reconnect attempts.`,
        ),
      )
      return
    }
    this.#setState(this.#everOpened ? 'reconnecting' : 'connecting')
    const delay = backoffDelay(this.#attempt, policy, this.#random)
    this.#attempt++
    this.#later(() => {
      if (this.#state !== 'closed') void this.#connect()
    }, delay)
  }

  /** Terminates a socket that is not answering and replaces it. */
  #kill(generation: number, reason: string) {
    const socket = this.#socket
    // Mark it lost first, so the close event it may fire synchronously is
    // ignored and the gap keeps this reason.
    this.#lost(generation, reason)
    if (socket) {
      try {
        if (socket.terminate) socket.terminate()
        else socket.close(4000, reason)
      } catch {
        // Already closed; nothing to release.
      }
    }
  }

  #startHeartbeat(generation: number) {
    const hb = this.#heartbeat
    const socket = this.#socket
    if (hb === false || !socket) return
    const canPing = typeof socket.ping === 'function'
    const period = canPing ? hb.intervalMs : hb.passiveTimeoutMs
    let seen = this.#inbound
    this.#heartbeatTimer = setInterval(() => {
      if (generation !== this.#generation) return
      if (!canPing) {
        if (this.#inbound === seen) this.#dead(generation)
        seen = this.#inbound
        return
      }
      const before = this.#inbound
      try {
        socket.ping!()
      } catch {
        // A failing ping means a closing socket; 'close' handles it.
      }
      this.#later(() => {
        if (generation === this.#generation && this.#inbound === before) {
          this.#dead(generation)
        }
      }, hb.timeoutMs)
    }, period)
  }

  #dead(generation: number) {
    this.stats.heartbeatTimeouts++
    this.#kill(generation, 'heartbeat timeout')
  }

  #stopHeartbeat() {
    if (this.#heartbeatTimer !== undefined) clearInterval(this.#heartbeatTimer)
    this.#heartbeatTimer = undefined
  }

  /** Reconnecting is over for good: tell every subscriber, then close. */
  #giveUp(error: WebSocketError) {
    for (const topic of [...this.#topics.values()]) {
      for (const sub of [...topic.subscribers]) this.#failSubscriber(sub, error)
    }
    this.#report(error)
    void this.close()
  }

  // ── inbound frames ────────────────────────────────────────────────────

  #onFrame(text: string) {
    this.stats.framesReceived++
    let frame: unknown
    try {
      frame = JSON.parse(text)
    } catch {
      this.#malformed('invalid JSON', undefined, text)
      return
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.#malformed('not a JSON object', undefined, text)
      return
    }
    const f = frame as Record<string, unknown>
    const stream = f.stream
    if (typeof stream !== 'string') {
      if (f.error !== undefined) this.#onErrorFrame(f, text)
      else if ('result' in f || 'id' in f) {
        // A possible SUBSCRIBE acknowledgement (UNCONFIRMED, §6.1): ignored,
        // delivery does not depend on it.
      } else this.#malformed('no "stream" key', undefined, text)
      return
    }
    const topic = this.#topics.get(stream)
    if (!topic) {
      this.stats.unroutedFrames++
      return
    }
    const data = f.data
    if (typeof data !== 'object' || data === null) {
      this.#malformed('"data" is not an object', stream, text)
      return
    }
    let events: unknown[] | undefined
    let event: unknown
    try {
      if (Array.isArray(data)) {
        // e.g. the position snapshot sent right after subscribing.
        events = data.map((d) => {
          if (typeof d !== 'object' || d === null) {
            throw new MalformedPayload('array items must be objects')
          }
          return topic.parse(d as Payload)
        })
      } else {
        event = topic.parse(data as Payload)
      }
    } catch (error) {
      // Whatever a parser throws stays here: a bad frame never reaches the
      // consumer or the socket library as an exception.
      this.#malformed(
        error instanceof MalformedPayload ? error.message : String(error),
        stream,
        text,
      )
      return
    }
    if (events) for (const e of events) this.#deliver(topic, e)
    else this.#deliver(topic, event)
  }

  #deliver(topic: Topic, event: unknown) {
    this.stats.messagesDelivered++
    for (const sub of topic.subscribers) {
      try {
        sub.listener(event)
      } catch (cause) {
        const error = new WebSocketError(
          `A listener of ${topic.name} threw; the stream continues.`,
          { cause, stream: topic.name },
        )
        if (sub.onError) this.#safeCall(sub.onError, error)
        else this.#report(error)
      }
    }
    if (this.#emitter.listenerCount('message') > 0) {
      try {
        this.#emitter.emit('message', { stream: topic.name, data: event })
      } catch (cause) {
        this.#report(
          new WebSocketError(
            'A "message" listener threw; the stream continues.',
            {
              cause,
              stream: topic.name,
            },
          ),
        )
      }
    }
  }

  #malformed(reason: string, stream: string | undefined, text: string) {
    this.stats.malformedFrames++
    const info: MalformedFrame = { reason, stream, excerpt: text.slice(0, 200) }
    this.#logger?.warn?.('malformed frame skipped', { reason, stream })
    this.#emitter.emit('malformed', info)
  }

  /**
   * `{id, error: {code, message}}`: blame the frame with that id; without a
   * usable id, a recent frame naming a stream the message mentions, or the
   * only frame sent recently. Blamed subscriptions end with the error.
   */
  #onErrorFrame(f: Record<string, unknown>, text: string) {
    this.stats.errorFrames++
    const err = f.error as { code?: unknown; message?: unknown } | null
    const code =
      typeof err?.code === 'number' || typeof err?.code === 'string'
        ? err.code
        : undefined
    const message =
      typeof err?.message === 'string' ? err.message : text.slice(0, 200)
    const id = typeof f.id === 'number' ? f.id : undefined
    const now = this.#now()
    const recent = this.#sent.filter(
      (s) =>
        s.method === 'SUBSCRIBE' && now - s.sentAtMs <= ERROR_ATTRIBUTION_MS,
    )
    let streams: string[] = []
    const byId =
      id === undefined ? undefined : this.#sent.find((s) => s.id === id)
    if (byId) {
      const named = byId.streams.filter((s) => message.includes(s))
      streams = named.length > 0 ? named : byId.streams
    } else {
      streams = recent
        .flatMap((s) => s.streams)
        .filter((s) => message.includes(s))
      if (streams.length === 0 && recent.length === 1)
        streams = recent[0]!.streams
    }
    const detail = `${code === undefined ? '' : `${String(code)} `}${message}`
    let delivered = false
    for (const name of streams) {
      const topic = this.#topics.get(name)
      if (!topic) continue
      const error = new WebSocketError(
        `The server rejected the subscription to ${name}: ${detail}`,
        { stream: name, details: detail },
      )
      // The server refused it, so it is not on the wire.
      this.#onWire.delete(name)
      for (const sub of [...topic.subscribers]) this.#failSubscriber(sub, error)
      delivered = true
    }
    if (!delivered) {
      this.#report(
        new WebSocketError(`The server sent an error frame: ${detail}`, {
          details: detail,
        }),
      )
    }
  }

  #failSubscriber(sub: Subscriber, error: WebSocketError) {
    sub.handle.unsubscribe()
    if (sub.onError) this.#safeCall(sub.onError, error)
    else this.#report(error)
  }

  #safeCall(fn: (error: WebSocketError) => void, error: WebSocketError) {
    try {
      fn(error)
    } catch (cause) {
      this.#logger?.warn?.('onError threw', { cause })
    }
  }

  #report(error: WebSocketError) {
    if (this.#onError) this.#safeCall(this.#onError, error)
    this.#emitter.emit('streamError', error)
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  ready(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    if (this.#state === 'open') return Promise.resolve()
    if (this.#state === 'closed') {
      return Promise.reject(new WebSocketError('The stream client is closed.'))
    }
    const { signal } = options
    return new Promise<void>((resolve, reject) => {
      const onState = (state: StreamState) => {
        if (state === 'open') finish()
        else if (state === 'closed') {
          finish(
            new WebSocketError('The stream client closed before it opened.'),
          )
        }
      }
      const onAbort = () =>
        finish(
          new WebSocketError('Waiting for the connection was aborted.', {
            cause: signal?.reason,
          }),
        )
      const finish = (error?: WebSocketError) => {
        this.#emitter.off('state', onState)
        signal?.removeEventListener('abort', onAbort)
        if (error) reject(error)
        else resolve()
      }
      if (signal?.aborted) return onAbort()
      this.#emitter.on('state', onState)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  close(): Promise<void> {
    if (this.#closedPromise) return this.#closedPromise
    this.#generation++
    this.#stopHeartbeat()
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    const socket = this.#socket
    this.#socket = undefined
    this.#onWire.clear()
    this.#gapStart = undefined
    // End every subscription (iterators finish with done: true).
    for (const topic of [...this.#topics.values()]) {
      for (const sub of [...topic.subscribers]) {
        sub.handle.unsubscribe()
        sub.onEnd?.()
      }
    }
    this.#topics.clear()
    this.#setState('closed')
    this.#closedPromise = new Promise<void>((resolve) => {
      if (!socket || socket.readyState === 3) return resolve()
      let settled = false
      const done = () => {
        if (settled) return
        settled = true
        clearTimeout(fallback)
        resolve()
      }
      socket.addEventListener('close', done)
      // Do not hang on a peer that never completes the closing handshake.
      const fallback = setTimeout(() => {
        try {
          socket.terminate?.()
        } catch {
          // Already gone.
        }
        done()
      }, 1000)
      try {
        if (socket.readyState === 0 && socket.terminate) socket.terminate()
        else socket.close(1000, 'client closed')
      } catch {
        done()
      }
    })
    this.#emitter.removeAllListeners()
    return this.#closedPromise
  }
}
