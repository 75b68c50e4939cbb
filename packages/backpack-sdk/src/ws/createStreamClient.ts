/**
 * The stream client: one WebSocket connection that never dies silently.
 *
 * This file is the facade users get from {@link createStreamClient}: events,
 * subscribe / iterate methods and the lifecycle. The work is done by its
 * parts, one concern each, sharing one {@link StreamCore}:
 * - `options.ts`: defaults and validation of the options;
 * - `connection.ts`: the socket, heartbeat, reconnect with backoff, gaps;
 * - `subscriptions.ts`: reference counts per stream and SUBSCRIBE frames;
 * - `dispatch.ts`: inbound frames (data, error frames, malformed ones);
 * - `parse.ts`: payload parsers per stream; `iterator.ts`: async iterators;
 * - `types.ts`: the public option, event and client types.
 */
import type { SigningError, ValidationError } from '../errors/inputErrors.js'
import type {
  DepthStreamKind,
  KlineInterval,
  StreamEventOf,
} from '../types/ws.js'
import { closeClient, connect, whenOpen } from './connection.js'
import { StreamCore } from './core.js'
import type { StreamIterator } from './iterator.js'
import { resolveStreamOptions } from './options.js'
import { iterate, subscribe } from './subscriptions.js'
import type {
  IterateOptions,
  StreamClient,
  StreamClientEvents,
  StreamClientOptions,
  StreamState,
  StreamStats,
  SubscribeOptions,
  Subscription,
} from './types.js'

/** The errors {@link createStreamClient} can throw: bad options or keys. */
export type CreateStreamClientErrorType = ValidationError | SigningError

/**
 * Creates a stream client and starts connecting.
 *
 * @param options - Endpoint, credentials for private streams, injected I/O
 *   and the reconnect/heartbeat policy.
 * @returns The client.
 * @throws {CreateStreamClientErrorType} one of the errors listed here.
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

class StreamClientImpl implements StreamClient {
  readonly #core: StreamCore

  constructor(options: StreamClientOptions) {
    this.#core = new StreamCore(resolveStreamOptions(options))
    void connect(this.#core)
  }

  get url(): string {
    return this.#core.settings.url
  }

  get stats(): StreamStats {
    return this.#core.stats
  }

  get state(): StreamState {
    return this.#core.state
  }

  get streams(): readonly string[] {
    return [...this.#core.topics.keys()]
  }

  // on, once and off are alike on purpose: each returns the client, typed,
  // for chaining.
  on<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#core.emitter.on(event, listener as never)
    return this
  }

  once<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#core.emitter.once(event, listener as never)
    return this
  }

  off<E extends keyof StreamClientEvents>(
    event: E,
    listener: (...args: StreamClientEvents[E]) => void,
  ): StreamClient {
    this.#core.emitter.off(event, listener as never)
    return this
  }

  // ── subscriptions ─────────────────────────────────────────────────────

  subscribe<S extends string>(
    stream: S,
    listener: (event: StreamEventOf<S>) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    return subscribe(this.#core, stream, listener, options)
  }

  stream<S extends string>(
    stream: S,
    options: IterateOptions = {},
  ): StreamIterator<StreamEventOf<S>> {
    return iterate(this.#core, stream, options)
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

  // ── lifecycle ─────────────────────────────────────────────────────────

  ready(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    return whenOpen(this.#core, options.signal)
  }

  close(): Promise<void> {
    return closeClient(this.#core)
  }
}
