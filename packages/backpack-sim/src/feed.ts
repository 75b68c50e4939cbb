/**
 * The market feed: a price path per market (generated or replayed), a
 * market-maker account quoting several levels around it, and a taker flow
 * that trades against those quotes so trades, tickers and klines happen.
 *
 * @internal
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import {
  dec,
  formatDecimal as formatUnits,
  fromFloat,
  roundToStep,
  toFloat,
} from './decimal.js'
import type { Engine } from './engine/engine.js'
import type { Account } from './engine/types.js'
import { SimError } from './errors.js'
import type { Market } from './markets.js'
import type { SimFeedOptions, SimLiquidityOptions } from './options.js'
import { createRng, type Rng } from './random.js'

/** A source of fair prices, advanced in simulated seconds. */
export interface PricePath {
  /** Current fair price (a float: feed maths only, never balances). */
  readonly price: number
  /** Advances the path by `dt` simulated seconds and returns the new price. */
  step(dt: number): number
  /** Moves the path to a given price (manual control). */
  set(price: number): void
}

/** Volatility regimes: per-√second log-return standard deviation. */
const REGIMES = [0.0004, 0.0008, 0.0013, 0.002] as const

/**
 * A random walk with changing volatility regimes and trends, gently pulled
 * back toward where it started so a long run stays in a plausible range.
 */
export class GeneratedPath implements PricePath {
  private logP: number
  private readonly anchor: number
  private vol: number = REGIMES[1]
  private drift = 0
  private regimeLeft = 0
  private readonly rng: Rng

  constructor(
    start: number,
    seed: number,
    stream: string,
    private readonly scale = 1,
  ) {
    this.logP = Math.log(start)
    this.anchor = this.logP
    this.rng = createRng(seed, stream)
  }

  get price(): number {
    return Math.exp(this.logP)
  }

  step(dt: number): number {
    let t = dt
    while (t > 0) {
      const h = Math.min(t, 1)
      if (this.regimeLeft <= 0) this.newRegime()
      this.regimeLeft -= h
      const pull = -(this.logP - this.anchor) / 1800
      this.logP +=
        (this.drift + pull) * h +
        this.vol * this.scale * Math.sqrt(h) * this.rng.normal()
      t -= h
    }
    return this.price
  }

  set(price: number): void {
    this.logP = Math.log(price)
  }

  private newRegime(): void {
    const r = this.rng.next()
    this.vol = REGIMES[Math.min(3, Math.floor(r * r * 4))] ?? REGIMES[1]
    // A third of regimes trend: up to ±0.6% per minute.
    const trend = this.rng.next()
    this.drift =
      trend < 0.33 ? ((this.rng.next() * 2 - 1) * 0.006 * this.scale) / 60 : 0
    this.regimeLeft = 30 + this.rng.next() * 150
  }
}

/** One candle of a replay file. */
export interface Candle {
  time: number
  open: number
  high: number
  low: number
  close: number
}

/** Reads a candle CSV (`open_time,open,high,low,close,volume`; gzipped or not). */
export function readCandles(file: string): Candle[] {
  let raw: Buffer
  try {
    raw = readFileSync(file)
  } catch (cause) {
    throw new SimError(
      `Cannot read the replay file ${file}: check \`feed.file\``,
      { cause },
    )
  }
  const text = (
    raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw
  ).toString('utf8')
  const out: Candle[] = []
  for (const line of text.split('\n')) {
    const cols = line.trim().split(',')
    if (cols.length < 5) continue
    const time = Number(cols[0])
    if (!Number.isFinite(time)) continue // header
    out.push({
      time,
      open: Number(cols[1]),
      high: Number(cols[2]),
      low: Number(cols[3]),
      close: Number(cols[4]),
    })
  }
  if (out.length === 0) {
    throw new SimError(
      `The replay file ${file} holds no candles: expected rows of open_time,open,high,low,close,volume`,
    )
  }
  return out
}

/**
 * Replays candles: each candle lasts 60 simulated seconds and visits
 * open, then the nearer extreme, then the other, then close.
 */
export class ReplayPath implements PricePath {
  private readonly points: number[] = []
  private t = 0
  private override: number | undefined

  constructor(
    candles: Candle[],
    private readonly loop: boolean,
  ) {
    for (const c of candles) {
      const up = c.close >= c.open
      this.points.push(
        c.open,
        up ? c.low : c.high,
        up ? c.high : c.low,
        c.close,
      )
    }
  }

  get price(): number {
    if (this.override !== undefined) return this.override
    const pos = this.t / 15
    const i = Math.floor(pos)
    const n = this.points.length
    if (i >= n - 1) return this.points[n - 1]!
    const a = this.points[i]!
    const b = this.points[i + 1]!
    return a + (b - a) * (pos - i)
  }

  /** True once the replay reached its last candle (and does not loop). */
  get ended(): boolean {
    return !this.loop && this.t / 15 >= this.points.length - 1
  }

  step(dt: number): number {
    this.override = undefined
    this.t += dt
    const span = (this.points.length - 1) * 15
    if (this.loop && this.t >= span) this.t %= span
    return this.price
  }

  set(price: number): void {
    this.override = price
  }
}

/** Market-making and taker-flow settings. */
export interface LiquidityOptions {
  levels: number
  spreadBps: number
  levelGapBps: number
  levelNotional: number
  takerPerSecond: number
  takerNotional: number
}

/** Drives the market maker and the taker flow for every market. */
export class Feed {
  readonly paths = new Map<string, PricePath>()
  private readonly maker: Account
  private readonly taker: Account
  private readonly rng: Rng

  constructor(
    private readonly engine: Engine,
    private readonly liquidity: LiquidityOptions,
    seed: number,
  ) {
    this.rng = createRng(seed, 'liquidity')
    this.maker = engine.account('sim:maker', true)
    this.taker = engine.account('sim:taker', true)
    // Internal accounts get deep pockets, recorded in their ledgers.
    for (const m of engine.markets.values()) {
      for (const acc of [this.maker, this.taker]) {
        for (const asset of [m.base, m.quote]) {
          if (!acc.balances.has(asset)) {
            const units = asset === m.quote ? '1000000000' : '1000000'
            engine.credit(acc, asset, BigInt(units) * 10n ** 18n, 'credit')
          }
        }
      }
    }
  }

  /** Sets a market's fair price and re-quotes around it. */
  quote(m: Market): void {
    const path = this.paths.get(m.symbol)
    if (!path) return
    const fair = path.price
    const book = this.engine.book(m.symbol)
    book.referencePrice = fromFloat(fair, m.tick, 'down')
    const L = this.liquidity
    this.engine.batch(() => {
      this.engine.cancelAll(this.maker, m.symbol)
      for (let i = 0; i < L.levels; i++) {
        const off = (L.spreadBps / 2 + i * L.levelGapBps) / 10_000
        const jitter = 0.6 + this.rng.next() * 0.8
        const qtyFloat = (L.levelNotional * jitter) / fair
        const qty = roundToStep(
          fromFloat(qtyFloat, m.step, 'down'),
          m.step,
          'down',
        )
        if (qty < m.minQty) continue
        const bid = fromFloat(fair * (1 - off), m.tick, 'down')
        const ask = fromFloat(fair * (1 + off), m.tick, 'up')
        for (const [side, price] of [
          ['Ask', ask],
          ['Bid', bid],
        ] as const) {
          if (price <= 0n) continue
          // A level that cannot be placed (e.g. below minPrice) is skipped.
          this.engine.tryPlaceOrder(this.maker, {
            symbol: m.symbol,
            side,
            orderType: 'Limit',
            price: formatUnits(price),
            quantity: formatUnits(qty),
          })
        }
      }
    })
  }

  /** One random taker order against the book. */
  takerTrade(m: Market): void {
    const path = this.paths.get(m.symbol)
    if (!path) return
    const side = this.rng.next() < 0.5 ? 'Bid' : 'Ask'
    const notional =
      this.liquidity.takerNotional * (0.3 + this.rng.next() * 1.4)
    const qty = fromFloat(notional / path.price, m.step, 'down')
    if (qty < m.minQty) return
    // No liquidity at the moment: this trade is skipped.
    this.engine.tryPlaceOrder(this.taker, {
      symbol: m.symbol,
      side,
      orderType: 'Market',
      quantity: formatUnits(qty),
    })
  }

  /** Advances every path by `dt` simulated seconds, re-quotes, and maybe trades. */
  advance(dt: number): void {
    for (const m of this.engine.markets.values()) {
      const path = this.paths.get(m.symbol)
      if (!path) continue
      path.step(dt)
      this.quote(m)
      const p = 1 - Math.exp(-this.liquidity.takerPerSecond * dt)
      if (this.rng.next() < p) this.takerTrade(m)
    }
  }
}

/**
 * The feed `SimOptions.feed` asks for: a market maker quoting every
 * market around its price path (a candle replay for the replayed market, a
 * seeded walk for the others), and for `generated` and `replay` a timer
 * that advances it.
 *
 * @returns The feed, or undefined for `mode: 'off'` and `mode: 'mirror'` (the mirror drives the book).
 * @throws {SimError} for an unlisted `feed.symbol` or an unreadable candle file.
 */
export function createFeed(
  engine: Engine,
  markets: readonly Market[],
  feedOpts: SimFeedOptions,
  liquidityOptions: SimLiquidityOptions | undefined,
  seed: number,
  timers: NodeJS.Timeout[],
): Feed | undefined {
  if (feedOpts.mode === 'off' || feedOpts.mode === 'mirror') return undefined
  const L = liquidityOptions ?? {}
  const liquidity: LiquidityOptions = {
    levels: L.levels ?? 5,
    spreadBps: L.spreadBps ?? 4,
    levelGapBps: L.levelGapBps ?? 5,
    levelNotional: L.levelNotional ?? 5000,
    takerPerSecond: L.takerPerSecond ?? 1,
    takerNotional: L.takerNotional ?? 300,
  }
  const feed = new Feed(engine, liquidity, seed)
  const replaySymbol =
    feedOpts.mode === 'replay' ? (feedOpts.symbol ?? 'BTC_USDC') : undefined
  if (replaySymbol !== undefined && !engine.markets.has(replaySymbol)) {
    throw new SimError(
      `\`feed.symbol\` ${replaySymbol} is not a listed market: pick one of ${[...engine.markets.keys()].join(', ')}`,
    )
  }
  for (const m of markets) {
    let path: PricePath
    if (feedOpts.mode === 'replay' && m.symbol === replaySymbol) {
      let candles = readCandles(feedOpts.file)
      if (feedOpts.rescale) {
        const k = toFloat(dec(m.config.initialPrice)) / candles[0]!.open
        candles = candles.map((c) => ({
          time: c.time,
          open: c.open * k,
          high: c.high * k,
          low: c.low * k,
          close: c.close * k,
        }))
      }
      path = new ReplayPath(candles, feedOpts.loop ?? false)
    } else {
      path = new GeneratedPath(
        toFloat(dec(m.config.initialPrice)),
        seed,
        m.symbol,
        m.config.volatility ?? 1,
      )
    }
    feed.paths.set(m.symbol, path)
    feed.quote(m)
  }
  if (feedOpts.mode === 'generated' || feedOpts.mode === 'replay') {
    const tickMs = feedOpts.tickMs ?? 200
    const speed = feedOpts.speed ?? (feedOpts.mode === 'replay' ? 60 : 1)
    const t = setInterval(() => feed.advance((tickMs / 1000) * speed), tickMs)
    t.unref()
    timers.push(t)
  }
  return feed
}
