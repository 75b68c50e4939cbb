/**
 * The mirror feed (`feed: { mode: 'mirror' }`): the simulator's market
 * follows a real exchange's PUBLIC market data. Its book shows the upstream
 * best levels (placed post-only by an internal account, so they never take a
 * paper order), and a paper order fills when an upstream trade prints at or
 * through its price (optionally only after the upstream volume traded at its
 * price has used up the size that was ahead of it when it was placed).
 *
 * Nothing signed ever goes upstream, by construction: the upstream is reached
 * through {@link PublicUpstream}, a REST client made without keys reduced to
 * its public methods, and a stream client made without keys. When the
 * upstream stream is down (or the book is resyncing) the market data is
 * stale: the quotes stay as they were, no upstream trade fills anything, and
 * the SDK's stream client reconnects and resubscribes.
 *
 * @internal
 */
import {
  type BackpackClient,
  createBackpackClient,
  createOrderBook,
  createStreamClient,
  marketRulesFromMarkets,
  type OrderBook,
  type StreamClient,
  type TradeEvent,
} from '@rung/backpack-sdk'
import { dec } from '../decimal.js'
import type { Engine } from '../engine/engine.js'
import { SimError } from '../errors.js'
import type { Market, SimMarketConfig } from '../markets.js'
import type { MirrorFillModel } from './fills.js'
import { MirrorQuoter } from './quoting.js'

export type { MirrorFillModel } from './fills.js'

/** `feed: { mode: 'mirror' }` options. */
export interface MirrorFeedOptions {
  /** Follow a real exchange's public market data. */
  mode: 'mirror'
  /** Upstream REST origin. @defaultValue `"https://api.backpack.exchange"` */
  baseUrl?: string | undefined
  /** Upstream WebSocket URL. @defaultValue `"wss://ws.backpack.exchange"` */
  wsUrl?: string | undefined
  /** The upstream market to list and follow. @defaultValue `"BTC_USDC"` */
  symbol?: string | undefined
  /**
   * Several upstream markets to list and follow, all on the one upstream
   * stream (instead of `symbol`).
   */
  symbols?: readonly string[] | undefined
  /**
   * `trade`: a paper order fills in full when an upstream trade prints at or
   * through its price. `queue`: a trade through the price fills it in full;
   * trades AT its price fill it only once their volume (since it was placed)
   * exceeds the upstream size that was ahead of it at that price.
   * @defaultValue `"trade"`
   */
  fillModel?: MirrorFillModel | undefined
  /** Upstream levels per side shown in the local book. @defaultValue `10` */
  levels?: number | undefined
  /** First reconnect delay of the upstream stream (ms). @defaultValue `1000` */
  reconnectDelayMs?: number | undefined
}

/** What the simulator's market data follows, and whether it is fresh. */
export interface MirrorStatus {
  /** `connecting` before the first book, `live`, or `stale` (upstream stream down or book resyncing). */
  state: 'connecting' | 'live' | 'stale'
  /** The upstream REST origin. */
  upstream: string
  /** The market followed. */
  symbol: string
  /** The fill model. */
  fillModel: MirrorFillModel
  /** Since when (ms) the state holds. */
  since: number
  /** Upstream trades seen while live. */
  trades: number
  /** Upstream trades ignored because the data was stale. */
  staleTrades: number
  /** Paper fills the upstream trades caused. */
  paperFills: number
}

// Narrow Pick types like this are the simulator's usual way to name what a
// part may call (`duplicates` pairs them by shape).
/** The only upstream REST calls the mirror can make: public ones. */
export type PublicRest = Pick<BackpackClient, 'getDepth' | 'getMarkets'>

/** The upstream stream, public streams only (made without keys). */
export type PublicStream = Pick<
  StreamClient,
  'subscribe' | 'on' | 'off' | 'state' | 'close'
>

/** A public REST client and a public stream client for the upstream. */
export interface PublicUpstream {
  /** REST (public endpoints). */
  rest: PublicRest
  /** Streams (public streams). */
  stream: PublicStream
  /** REST origin, for messages. */
  baseUrl: string
}

/** Creates the upstream clients, WITHOUT keys: nothing they send is signed. */
export function publicUpstream(options: MirrorFeedOptions): PublicUpstream {
  const baseUrl = options.baseUrl ?? 'https://api.backpack.exchange'
  const client = createBackpackClient({ baseUrl })
  const stream = createStreamClient({
    url: options.wsUrl ?? 'wss://ws.backpack.exchange',
    reconnect: {
      initialDelayMs: options.reconnectDelayMs ?? 1000,
      maxAttempts: false,
    },
  })
  return {
    rest: { getDepth: client.getDepth, getMarkets: client.getMarkets },
    stream,
    baseUrl,
  }
}

/**
 * The market to list: the upstream's rules for the symbol, starting at its
 * best bid.
 * @throws {SimError} when the upstream cannot be reached or does not list the symbol.
 */
export async function upstreamMarket(
  upstream: PublicUpstream,
  symbol: string,
): Promise<SimMarketConfig> {
  const unreachable = (cause: unknown) =>
    new SimError(
      `Cannot read the upstream market data at ${upstream.baseUrl}: check \`feed.baseUrl\` and the network`,
      { cause },
    )
  const rules = marketRulesFromMarkets(
    await upstream.rest.getMarkets().catch((cause: unknown) => {
      throw unreachable(cause)
    }),
  )
  const rule = rules[symbol]
  if (rule === undefined)
    throw new SimError(
      `\`feed.symbol\` ${symbol} is not listed at ${upstream.baseUrl}: pick a listed spot market`,
    )
  const depth = await upstream.rest
    .getDepth({ symbol, limit: 5 })
    .catch((cause: unknown) => {
      throw unreachable(cause)
    })
  const bestBid = [...depth.bids].sort(
    (a, b) => Number(b[0]) - Number(a[0]),
  )[0]?.[0]
  const bestAsk = [...depth.asks].sort(
    (a, b) => Number(a[0]) - Number(b[0]),
  )[0]?.[0]
  const initialPrice = bestBid ?? bestAsk
  if (initialPrice === undefined)
    throw new SimError(
      `The upstream book of ${symbol} at ${upstream.baseUrl} is empty: pick a traded market`,
    )
  return {
    symbol,
    baseSymbol: rule.baseSymbol,
    quoteSymbol: rule.quoteSymbol,
    tickSize: rule.tickSize,
    stepSize: rule.stepSize,
    minQuantity: rule.minQuantity,
    minPrice: rule.minPrice,
    initialPrice,
  }
}

/** Drives one local market from the upstream. */
export class Mirror {
  private readonly quoter: MirrorQuoter
  private readonly book: OrderBook
  private readonly subscription: { unsubscribe(): void }
  private state: MirrorStatus['state'] = 'connecting'
  private since: number
  private trades = 0
  private staleTrades = 0
  private quoteTimer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly engine: Engine,
    private readonly market: Market,
    private readonly upstream: PublicUpstream,
    private readonly options: MirrorFeedOptions,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
  ) {
    this.since = engine.now()
    this.quoter = new MirrorQuoter(engine, market, options, log)
    const { stream } = upstream
    this.book = createOrderBook({
      symbol: market.symbol,
      stream,
      client: upstream.rest,
      snapshotLimit: 100,
    })
    this.book.on('book', () => this.scheduleQuote())
    this.book.on('state', () => this.updateState())
    stream.on('state', () => this.updateState())
    this.subscription = stream.subscribe(`trade.${market.symbol}`, (t) =>
      this.onTrade(t as TradeEvent),
    )
    engine.addListener({
      orderEvent: (order, event) =>
        this.quoter.onOrderEvent(order, event, this.book),
      trade() {},
      depth() {},
    })
  }

  /** The current status. */
  status(): MirrorStatus {
    return {
      state: this.state,
      upstream: this.upstream.baseUrl,
      symbol: this.market.symbol,
      fillModel: this.options.fillModel ?? 'trade',
      since: this.since,
      trades: this.trades,
      staleTrades: this.staleTrades,
      paperFills: this.quoter.paperFills,
    }
  }

  /**
   * Resolves once the upstream book is synced and quoted locally.
   * @throws {SimError} when that takes longer than `timeoutMs`.
   */
  async ready(timeoutMs = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.book.ready(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new SimError(
                  `No market data for ${this.market.symbol} from ${this.upstream.baseUrl} within ${timeoutMs / 1000} s: check \`feed.wsUrl\` and the network`,
                ),
              ),
            timeoutMs,
          )
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
    this.updateState()
    if (this.state === 'live') this.quoter.quote(this.book)
  }

  /** Stops following the upstream (the simulator closes the shared stream after every mirror). */
  close(): void {
    this.closed = true
    clearTimeout(this.quoteTimer)
    this.subscription.unsubscribe()
    this.book.close()
  }

  private updateState(): void {
    if (this.closed) return
    const live =
      this.upstream.stream.state === 'open' && this.book.state === 'live'
    const next = live
      ? 'live'
      : this.state === 'connecting'
        ? 'connecting'
        : 'stale'
    if (next === this.state) return
    const was = this.state
    this.state = next
    this.since = this.engine.now()
    if (next === 'stale')
      this.log(
        'warn',
        `mirror: upstream market data for ${this.market.symbol} is stale (stream ${this.upstream.stream.state}, book ${this.book.state}); paper fills paused until it is back`,
      )
    else if (next === 'live') {
      this.log(
        'info',
        was === 'connecting'
          ? `mirror: following ${this.market.symbol} at ${this.upstream.baseUrl}`
          : `mirror: upstream market data for ${this.market.symbol} is live again`,
      )
      this.quoter.quote(this.book)
    }
  }

  private scheduleQuote(): void {
    if (this.quoteTimer !== undefined || this.closed) return
    this.updateState()
    this.quoteTimer = setTimeout(() => {
      this.quoteTimer = undefined
      if (!this.closed && this.state === 'live') this.quoter.quote(this.book)
    }, 50)
    this.quoteTimer.unref()
  }

  private onTrade(t: TradeEvent): void {
    if (this.closed) return
    if (this.state !== 'live') {
      this.staleTrades++
      return
    }
    this.trades++
    this.quoter.onTrade(dec(t.price), dec(t.quantity), this.book)
  }
}
