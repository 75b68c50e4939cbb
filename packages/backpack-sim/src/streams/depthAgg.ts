/**
 * The throttled depth streams (`depth.200ms`, `depth.600ms`,
 * `depth.1000ms`): deltas merged per stream until the stream's interval has
 * passed, then sent as one frame covering `U`..`u`.
 *
 * @internal
 */
import type { Market } from '../markets.js'
import { depthPayload } from './frames.js'

interface DepthAgg {
  U: number
  u: number
  bids: Map<bigint, bigint>
  asks: Map<bigint, bigint>
  due: number
}

/** The throttled intervals, ms. */
export const DEPTH_THROTTLES = [200, 600, 1000] as const

/** Pending merged deltas, one per throttled depth stream. */
export class DepthAggregates {
  private readonly aggs = new Map<string, DepthAgg>()

  /** Merges a delta into the stream's pending frame (due `ms` after its first). */
  add(
    stream: string,
    bids: [bigint, bigint][],
    asks: [bigint, bigint][],
    updateId: number,
    due: number,
  ): void {
    let agg = this.aggs.get(stream)
    if (!agg) {
      agg = {
        U: updateId,
        u: updateId,
        bids: new Map(),
        asks: new Map(),
        due,
      }
      this.aggs.set(stream, agg)
    }
    agg.u = updateId
    for (const [p, q] of bids) agg.bids.set(p, q)
    for (const [p, q] of asks) agg.asks.set(p, q)
  }

  /** Publishes every pending frame that is due. */
  flush(
    now: number,
    markets: ReadonlyMap<string, Market>,
    E: () => number,
    publish: (stream: string, data: unknown) => void,
  ): void {
    for (const [stream, agg] of this.aggs) {
      if (agg.due > now) continue
      this.aggs.delete(stream)
      const symbol = stream.slice(stream.indexOf('ms.') + 3)
      const m = markets.get(symbol)
      if (!m) continue
      publish(stream, depthPayload(m, agg.bids, agg.asks, agg.U, agg.u, E()))
    }
  }
}
