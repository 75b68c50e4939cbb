/**
 * The WebSocket side: SUBSCRIBE/UNSUBSCRIBE handling (reference §6 and §12
 * rules 16-22) and the public and private streams, fed by the engine.
 *
 * @internal
 */
import type { Server } from 'node:http'
import { type WebSocket, WebSocketServer } from 'ws'
import { verifySubscription } from './auth.js'
import type { Engine } from './engine/engine.js'
import type {
  EngineListener,
  EngineOrder,
  FillRecord,
  OrderEventType,
  TradeRecord,
} from './engine/types.js'
import { ApiFailure } from './errors.js'
import {
  addTrade,
  bucketEnd,
  bucketStart,
  type CandleAgg,
  INTERVALS,
  type MarketData,
} from './marketdata.js'
import type { Market } from './markets.js'
import { amt, naiveIsoSeconds, orderUpdateJson, px, qty } from './wire.js'

interface Client {
  ws: WebSocket
  streams: Set<string>
  /** Private stream → account key it was authorised for. */
  accounts: Map<string, string>
  alive: boolean
}

interface DepthAgg {
  U: number
  u: number
  bids: Map<bigint, bigint>
  asks: Map<bigint, bigint>
  due: number
}

const PUBLIC_RE =
  /^(bookTicker|depth\.(?:200ms|600ms|1000ms)|depth|trade|ticker|markPrice|openInterest|kline\.([0-9a-z]+))\.([A-Za-z0-9._]+)$/
const PRIVATE_RE =
  /^account\.(orderUpdate|positionUpdate|rfqUpdate)(?:\.([A-Za-z0-9._]+))?$/

/** WS error codes (only 4006 is confirmed by a capture). */
const INVALID_STREAM = 4006

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
  private readonly clients = new Set<Client>()
  private readonly subs = new Map<string, Set<Client>>()
  private readonly aggs = new Map<string, DepthAgg>()
  private readonly lastTop = new Map<string, string>()
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    server: Server,
    private readonly o: StreamHubOptions,
  ) {
    this.wss = new WebSocketServer({ server })
    this.wss.on('connection', (ws) => this.connect(ws))
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms)
      t.unref()
      this.timers.push(t)
    }
    every(50, () => this.flushAggs())
    every(1000, () => this.pushTickers())
    every(o.pingIntervalMs, () => {
      for (const c of this.clients) {
        if (!c.alive) {
          c.ws.terminate()
          continue
        }
        c.alive = false
        c.ws.ping()
      }
    })
  }

  /** Closes every connection abruptly (fault injection). */
  dropAll(): void {
    for (const c of this.clients) c.ws.terminate()
  }

  /** Stream name → number of connections subscribed to it. */
  subscriptions(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [stream, set] of this.subs)
      if (set.size > 0) out[stream] = set.size
    return out
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.dropAll()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
  }

  private connect(ws: WebSocket): void {
    const c: Client = {
      ws,
      streams: new Set(),
      accounts: new Map(),
      alive: true,
    }
    this.clients.add(c)
    ws.on('pong', () => {
      c.alive = true
    })
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return
      this.onMessage(c, raw.toString())
    })
    ws.on('close', () => {
      this.clients.delete(c)
      for (const s of c.streams) this.subs.get(s)?.delete(c)
    })
    ws.on('error', () => {
      // The close handler cleans up.
    })
  }

  private onMessage(c: Client, text: string): void {
    let msg: unknown
    try {
      msg = JSON.parse(text)
    } catch {
      return // not JSON: ignored, like any other harmless noise
    }
    if (typeof msg !== 'object' || msg === null) return
    const m = msg as {
      method?: unknown
      params?: unknown
      id?: unknown
      signature?: unknown
    }
    const id = m.id ?? null
    const method = typeof m.method === 'string' ? m.method.toUpperCase() : ''
    if (method !== 'SUBSCRIBE' && method !== 'UNSUBSCRIBE') return
    const params = Array.isArray(m.params) ? m.params : []
    if (method === 'UNSUBSCRIBE') {
      for (const s of params) {
        if (typeof s !== 'string') continue
        c.streams.delete(s)
        c.accounts.delete(s)
        this.subs.get(s)?.delete(c)
      }
      return
    }
    const names: string[] = []
    for (const s of params) {
      if (typeof s !== 'string' || !this.validStream(s)) {
        this.sendError(c, id, INVALID_STREAM, 'Invalid stream')
        return
      }
      names.push(s)
    }
    let account: string | undefined
    if (names.some((s) => s.startsWith('account.'))) {
      try {
        account = verifySubscription(m.signature, this.o.now(), this.o.allowed)
      } catch (e) {
        const reason = e instanceof ApiFailure ? e.message : 'Invalid signature'
        this.sendError(c, id, INVALID_STREAM, reason)
        return
      }
    }
    this.o.log('debug', `ws: subscribe ${names.join(', ')}`)
    for (const s of names) {
      c.streams.add(s)
      if (s.startsWith('account.') && account !== undefined) {
        c.accounts.set(s, account)
        this.o.engine.account(account)
      }
      let set = this.subs.get(s)
      if (!set) {
        set = new Set()
        this.subs.set(s, set)
      }
      set.add(c)
    }
  }

  private validStream(s: string): boolean {
    const pub = PUBLIC_RE.exec(s)
    if (pub) {
      const interval = pub[2]
      if (interval !== undefined && INTERVALS[interval] === undefined) {
        return false
      }
      return this.o.engine.markets.has(pub[3]!)
    }
    const priv = PRIVATE_RE.exec(s)
    if (priv) return priv[2] === undefined || this.o.engine.markets.has(priv[2])
    return false
  }

  private sendError(c: Client, id: unknown, code: number, message: string) {
    this.o.log('warn', `ws: answered an error frame: ${message}`)
    this.send(c, JSON.stringify({ id, error: { code, message } }))
  }

  private send(c: Client, text: string): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(text)
  }

  private publish(stream: string, data: unknown): void {
    const set = this.subs.get(stream)
    if (!set || set.size === 0) return
    const text = JSON.stringify({ stream, data })
    for (const c of set) this.send(c, text)
  }

  private has(stream: string): boolean {
    return (this.subs.get(stream)?.size ?? 0) > 0
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
      const set = this.subs.get(stream)
      if (!set) continue
      let text: string | undefined
      for (const c of set) {
        if (c.accounts.get(stream) !== key) continue
        text ??= JSON.stringify({
          stream,
          data: orderUpdateJson(order, event, fill, this.micros()),
        })
        this.send(c, text)
      }
    }
  }

  trade(t: TradeRecord): void {
    const m = t.market
    const E = this.micros()
    this.publish(`trade.${m.symbol}`, {
      e: 'trade',
      E,
      s: m.symbol,
      p: px(m, t.price),
      q: qty(m, t.quantity),
      b: t.buyerOrderId,
      a: t.sellerOrderId,
      t: t.id,
      T: t.time * 1000,
      m: t.isBuyerMaker,
    })
    for (const interval of Object.keys(INTERVALS)) {
      const stream = `kline.${interval}.${m.symbol}`
      if (this.has(stream)) this.pushKline(stream, interval, m, t)
    }
  }

  private pushKline(
    stream: string,
    interval: string,
    m: Market,
    t: TradeRecord,
  ): void {
    const data = this.o.data.get(m.symbol)
    if (!data) return
    const start = bucketStart(t.time, interval)
    let c = data.live.get(interval)
    if (c && c.start !== start) {
      this.publish(stream, this.klinePayload(m, c, true))
      c = undefined
    }
    c = addTrade(c, t, start, bucketEnd(start, interval))
    data.live.set(interval, c)
    this.publish(stream, this.klinePayload(m, c, false))
  }

  private klinePayload(m: Market, c: CandleAgg, closed: boolean) {
    return {
      e: 'kline',
      E: this.micros(),
      s: m.symbol,
      t: naiveIsoSeconds(c.start),
      T: naiveIsoSeconds(c.end),
      o: px(m, c.open),
      c: px(m, c.close),
      h: px(m, c.high),
      l: px(m, c.low),
      v: qty(m, c.volume),
      n: c.trades,
      X: closed,
    }
  }

  depth(
    m: Market,
    bids: [bigint, bigint][],
    asks: [bigint, bigint][],
    updateId: number,
  ): void {
    const E = this.micros()
    const level = ([p, q]: [bigint, bigint]) => [px(m, p), qty(m, q)]
    this.publish(`depth.${m.symbol}`, {
      e: 'depth',
      E,
      s: m.symbol,
      a: asks.map(level),
      b: bids.map(level),
      U: updateId,
      u: updateId,
      T: E,
    })
    for (const ms of [200, 600, 1000]) {
      const stream = `depth.${ms}ms.${m.symbol}`
      if (!this.has(stream)) continue
      let agg = this.aggs.get(stream)
      if (!agg) {
        agg = {
          U: updateId,
          u: updateId,
          bids: new Map(),
          asks: new Map(),
          due: this.o.now() + ms,
        }
        this.aggs.set(stream, agg)
      }
      agg.u = updateId
      for (const [p, q] of bids) agg.bids.set(p, q)
      for (const [p, q] of asks) agg.asks.set(p, q)
    }
    this.pushBookTicker(m, updateId)
  }

  private flushAggs(): void {
    const now = this.o.now()
    for (const [stream, agg] of this.aggs) {
      if (agg.due > now) continue
      this.aggs.delete(stream)
      const symbol = stream.slice(stream.indexOf('ms.') + 3)
      const m = this.o.engine.markets.get(symbol)
      if (!m) continue
      const level = ([p, q]: [bigint, bigint]) => [px(m, p), qty(m, q)]
      const E = this.micros()
      this.publish(stream, {
        e: 'depth',
        E,
        s: symbol,
        a: [...agg.asks].map(level),
        b: [...agg.bids].map(level),
        U: agg.U,
        u: agg.u,
        T: E,
      })
    }
  }

  private pushBookTicker(m: Market, updateId: number): void {
    const stream = `bookTicker.${m.symbol}`
    if (!this.has(stream)) return
    const { bids, asks } = this.o.engine.levels(m.symbol, 1)
    const b = bids[0]
    const a = asks[0]
    // Every client parses both sides as required decimals: no frame for a
    // one-sided (or empty) book.
    if (!a || !b) return
    const top = `${b?.[0]}:${b?.[1]}:${a?.[0]}:${a?.[1]}`
    if (this.lastTop.get(m.symbol) === top) return
    this.lastTop.set(m.symbol, top)
    const E = this.micros()
    this.publish(stream, {
      e: 'bookTicker',
      E,
      s: m.symbol,
      a: px(m, a[0]),
      A: qty(m, a[1]),
      b: px(m, b[0]),
      B: qty(m, b[1]),
      // A number: the official Rust client reads `u` as u64 (ccxt and the
      // SDK accept either).
      u: updateId,
      T: E,
    })
  }

  private pushTickers(): void {
    for (const m of this.o.engine.markets.values()) {
      const stream = `ticker.${m.symbol}`
      if (!this.has(stream)) continue
      const s = this.o.data.get(m.symbol)?.stats(this.o.now(), 86_400_000)
      if (!s) continue
      this.publish(stream, {
        e: 'ticker',
        E: this.micros(),
        s: m.symbol,
        o: px(m, s.open),
        c: px(m, s.close),
        h: px(m, s.high),
        l: px(m, s.low),
        v: qty(m, s.volume),
        V: amt(s.quoteVolume),
        n: s.trades,
      })
    }
  }
}
