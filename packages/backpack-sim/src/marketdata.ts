/**
 * Public market data derived from the engine's trades: recent trades,
 * candles (1 s and 1 m bases, aggregated to every kline interval) and
 * 24 h / 7 d ticker statistics.
 *
 * @internal
 */
import { KLINE_INTERVAL_SECONDS } from '@rung/backpack-sdk'
import type { TradeRecord } from './engine/types.js'

/** Kline intervals in seconds: the SDK's table (`1month` as 30 days). */
export const INTERVALS: Readonly<Record<string, number>> =
  KLINE_INTERVAL_SECONDS

export interface CandleAgg {
  /** Start, ms. */
  start: number
  /** End (exclusive), ms. */
  end: number
  open: bigint
  high: bigint
  low: bigint
  close: bigint
  volume: bigint
  quoteVolume: bigint
  trades: number
}

const MAX_TRADES = 10_000
const MAX_SECONDS = 3_600
const MAX_MINUTES = 60 * 24 * 45

/** Start (ms) of the interval bucket holding `ms`. */
export function bucketStart(ms: number, interval: string): number {
  if (interval === '1month') {
    const d = new Date(ms)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
  if (interval === '1w') {
    // Weeks start on Monday 00:00 UTC (1970-01-05 was a Monday).
    const w = 7 * 86_400_000
    const monday = 4 * 86_400_000
    return Math.floor((ms - monday) / w) * w + monday
  }
  const size = (INTERVALS[interval] ?? 60) * 1000
  return Math.floor(ms / size) * size
}

/** End (exclusive, ms) of the bucket starting at `start`. */
export function bucketEnd(start: number, interval: string): number {
  if (interval === '1month') {
    const d = new Date(start)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  return start + (INTERVALS[interval] ?? 60) * 1000
}

/** A candle with one more trade: a new one (from `start` to `end`) when `c` is undefined. */
export function addTrade(
  c: CandleAgg | undefined,
  t: TradeRecord,
  start: number,
  end: number,
): CandleAgg {
  if (!c) {
    return {
      start,
      end,
      open: t.price,
      high: t.price,
      low: t.price,
      close: t.price,
      volume: t.quantity,
      quoteVolume: t.quote,
      trades: 1,
    }
  }
  if (t.price > c.high) c.high = t.price
  if (t.price < c.low) c.low = t.price
  c.close = t.price
  c.volume += t.quantity
  c.quoteVolume += t.quote
  c.trades += 1
  return c
}

function merge(
  into: CandleAgg | undefined,
  c: CandleAgg,
  start: number,
  end: number,
): CandleAgg {
  if (!into) return { ...c, start, end }
  if (c.high > into.high) into.high = c.high
  if (c.low < into.low) into.low = c.low
  into.close = c.close
  into.volume += c.volume
  into.quoteVolume += c.quoteVolume
  into.trades += c.trades
  return into
}

/** Trades and candles of one market. */
export class MarketData {
  readonly trades: TradeRecord[] = []
  private readonly seconds: CandleAgg[] = []
  private readonly minutes: CandleAgg[] = []
  /** Live candles per subscribed interval (for WS kline streams). */
  readonly live = new Map<string, CandleAgg>()

  /** Records a trade. Returns the candles that closed for each live interval. */
  record(t: TradeRecord): void {
    this.trades.push(t)
    if (this.trades.length > MAX_TRADES * 1.5) {
      this.trades.splice(0, this.trades.length - MAX_TRADES)
    }
    this.bump(this.seconds, t, '1s', MAX_SECONDS)
    this.bump(this.minutes, t, '1m', MAX_MINUTES)
  }

  private bump(
    list: CandleAgg[],
    t: TradeRecord,
    interval: string,
    cap: number,
  ): void {
    const start = bucketStart(t.time, interval)
    const last = list[list.length - 1]
    if (last && last.start === start) addTrade(last, t, start, 0)
    else if (last && last.start > start) addTrade(last, t, last.start, last.end)
    else list.push(addTrade(undefined, t, start, bucketEnd(start, interval)))
    if (list.length > cap * 1.2) list.splice(0, list.length - cap)
  }

  /** Candles of `interval` overlapping [fromMs, toMs), oldest first. */
  klines(interval: string, fromMs: number, toMs: number): CandleAgg[] {
    const base = interval === '1s' ? this.seconds : this.minutes
    const out: CandleAgg[] = []
    for (const c of base) {
      if (c.start < bucketStart(fromMs, interval) || c.start >= toMs) continue
      const start = bucketStart(c.start, interval)
      const last = out[out.length - 1]
      if (last && last.start === start) merge(last, c, start, last.end)
      else out.push(merge(undefined, c, start, bucketEnd(start, interval)))
    }
    return out
  }

  /** Statistics over the trailing window (ms) ending now. */
  stats(now: number, windowMs: number): CandleAgg | undefined {
    let acc: CandleAgg | undefined
    for (const c of this.minutes) {
      if (c.start + 60_000 <= now - windowMs) continue
      acc = merge(acc, c, c.start, now)
    }
    return acc
  }

  /** Most recent trades, newest first. */
  recent(limit: number, offset = 0): TradeRecord[] {
    const n = this.trades.length
    const out: TradeRecord[] = []
    for (let i = n - 1 - offset; i >= 0 && out.length < limit; i--) {
      out.push(this.trades[i]!)
    }
    return out
  }
}
