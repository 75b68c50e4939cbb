/**
 * The kline streams: each trade updates the market's live candle of the
 * interval and publishes it (closing the previous candle first when the
 * trade opens a new one).
 *
 * @internal
 */
import type { TradeRecord } from '../engine/types.js'
import {
  addTrade,
  bucketEnd,
  bucketStart,
  type MarketData,
} from '../marketdata.js'
import type { Market } from '../markets.js'
import { klinePayload } from './frames.js'
import type { Subscriptions } from './subscriptions.js'

/** Adds a trade to the live candle and publishes the kline frame(s). */
export function pushKline(
  subs: Subscriptions,
  stream: string,
  interval: string,
  m: Market,
  t: TradeRecord,
  data: MarketData | undefined,
  micros: () => number,
): void {
  if (!data) return
  const start = bucketStart(t.time, interval)
  let c = data.live.get(interval)
  if (c && c.start !== start) {
    subs.publish(stream, klinePayload(m, c, true, micros()))
    c = undefined
  }
  c = addTrade(c, t, start, bucketEnd(start, interval))
  data.live.set(interval, c)
  subs.publish(stream, klinePayload(m, c, false, micros()))
}
