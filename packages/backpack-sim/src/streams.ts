/**
 * The WebSocket side: SUBSCRIBE/UNSUBSCRIBE handling (reference §6 and §12
 * rules 16-22) and the public and private streams, fed by the engine. The
 * hub coordinates; the pieces live in `streams/`: subscription bookkeeping
 * in `subscriptions.ts`, the requests in `subscribe.ts`, connections and
 * the heartbeat in `connections.ts`, the frame payloads in `frames.ts`, the
 * throttled depth streams in `depthAgg.ts`, the live candles in `klines.ts`.
 *
 * @internal
 */
import type { Server } from 'node:http'
import { WebSocketServer } from 'ws'
import type { Engine } from './engine/engine.js'
import type {
  EngineListener,
  EngineOrder,
  FillRecord,
  OrderEventType,
  TradeRecord,
} from './engine/types.js'
import { INTERVALS, type MarketData } from './marketdata.js'
import type { Market } from './markets.js'
import { Connections } from './streams/connections.js'
import { DEPTH_THROTTLES, DepthAggregates } from './streams/depthAgg.js'
import {
  bookTickerPayload,
  depthPayload,
  tickerPayload,
  tradePayload,
} from './streams/frames.js'
import { pushKline } from './streams/klines.js'
import { onMessage } from './streams/subscribe.js'
import { Subscriptions } from './streams/subscriptions.js'
import { orderUpdateJson } from './wire.js'

export interface StreamHubOptions {
  engine: Engine
  data: Map<string, MarketData>
  now: () => number
  allowed: ReadonlySet<string> | undefined
  pingIntervalMs: number
  log: (level: 'debug' | 'warn', message: string) => void
}

/** Subscriptions and fan-out. */
export class StreamHub implements EngineListener {
  readonly wss: WebSocketServer
  private readonly subs = new Subscriptions()
  private readonly conns: Connections
  private readonly aggs = new DepthAggregates()
  private readonly lastTop = new Map<string, string>()
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    server: Server,
    private readonly o: StreamHubOptions,
  ) {
    this.conns = new Connections(
      (c, text) => onMessage(c, text, this.subs, o),
      (c) => this.subs.drop(c),
    )
    this.wss = new WebSocketServer({ server })
    this.wss.on('connection', (ws) => this.conns.connect(ws))
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms)
      t.unref()
      this.timers.push(t)
    }
    every(50, () => this.flushAggs())
    every(1000, () => this.pushTickers())
    every(o.pingIntervalMs, () => this.conns.ping())
  }

  /** Closes every connection abruptly (fault injection). */
  dropAll(): void {
    this.conns.dropAll()
  }

  /** Stream name → number of connections subscribed to it. */
  subscriptions(): Record<string, number> {
    return this.subs.counts()
  }

  /** Connected clients. */
  get size(): number {
    return this.conns.size
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.dropAll()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
  }

  private micros(): number {
    return this.o.now() * 1000
  }

  // ------------------------------------------------------------ engine events

  orderEvent(
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void {
    const key = order.account.key
    const streams = [
      'account.orderUpdate',
      `account.orderUpdate.${order.market.symbol}`,
    ]
    for (const stream of streams) {
      this.subs.publishFor(stream, key, () =>
        orderUpdateJson(order, event, fill, this.micros()),
      )
    }
  }

  trade(t: TradeRecord): void {
    const m = t.market
    this.subs.publish(`trade.${m.symbol}`, tradePayload(m, t, this.micros()))
    for (const interval of Object.keys(INTERVALS)) {
      const stream = `kline.${interval}.${m.symbol}`
      if (!this.subs.has(stream)) continue
      const data = this.o.data.get(m.symbol)
      pushKline(this.subs, stream, interval, m, t, data, () => this.micros())
    }
  }

  depth(
    m: Market,
    bids: [bigint, bigint][],
    asks: [bigint, bigint][],
    updateId: number,
  ): void {
    const E = this.micros()
    this.subs.publish(
      `depth.${m.symbol}`,
      depthPayload(m, bids, asks, updateId, updateId, E),
    )
    for (const ms of DEPTH_THROTTLES) {
      const stream = `depth.${ms}ms.${m.symbol}`
      if (!this.subs.has(stream)) continue
      this.aggs.add(stream, bids, asks, updateId, this.o.now() + ms)
    }
    this.pushBookTicker(m, updateId)
  }

  private flushAggs(): void {
    this.aggs.flush(
      this.o.now(),
      this.o.engine.markets,
      () => this.micros(),
      (stream, data) => this.subs.publish(stream, data),
    )
  }

  private pushBookTicker(m: Market, updateId: number): void {
    const stream = `bookTicker.${m.symbol}`
    if (!this.subs.has(stream)) return
    const { bids, asks } = this.o.engine.levels(m.symbol, 1)
    const b = bids[0]
    const a = asks[0]
    // Every client parses both sides as required decimals: no frame for a
    // one-sided (or empty) book.
    if (!a || !b) return
    const top = `${b?.[0]}:${b?.[1]}:${a?.[0]}:${a?.[1]}`
    if (this.lastTop.get(m.symbol) === top) return
    this.lastTop.set(m.symbol, top)
    this.subs.publish(
      stream,
      bookTickerPayload(m, b, a, updateId, this.micros()),
    )
  }

  private pushTickers(): void {
    for (const m of this.o.engine.markets.values()) {
      const stream = `ticker.${m.symbol}`
      if (!this.subs.has(stream)) continue
      const s = this.o.data.get(m.symbol)?.stats(this.o.now(), 86_400_000)
      if (!s) continue
      this.subs.publish(stream, tickerPayload(m, s, this.micros()))
    }
  }
}
