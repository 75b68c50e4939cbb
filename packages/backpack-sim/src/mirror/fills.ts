/**
 * How the mirror decides which paper orders an upstream trade fills, and by
 * how much: the `trade` model fills every crossed paper order in full; the
 * `queue` model fills an order resting exactly at the trade's price only
 * once the upstream volume traded there has used up the size that was ahead
 * of it when it was placed.
 *
 * @internal
 */
import type { OrderBook } from '@rung/backpack-sdk'
import { dec, min, roundToStep } from '../decimal.js'
import type { EngineOrder, Level } from '../engine/types.js'

/** How a paper order fills from the upstream trades. */
export type MirrorFillModel = 'trade' | 'queue'

interface Tracked {
  /** Upstream size ahead at the order's price when it was placed. */
  ahead: bigint
  /** Upstream volume traded at its price since. */
  traded: bigint
}

/** The queue positions of the paper orders, and the fill sizes they allow. */
export class PaperFills {
  private readonly tracked = new Map<string, Tracked>()

  constructor(
    private readonly model: MirrorFillModel,
    private readonly step: bigint,
  ) {}

  /**
   * Follows an engine order event: a resting limit order records the
   * upstream size ahead of it; a filled or ended order is forgotten.
   */
  onOrderEvent(order: EngineOrder, event: string, upstream: OrderBook): void {
    if (event === 'orderAccepted' && order.type === 'Limit') {
      const price = order.price ?? 0n
      const side = order.side === 'Bid' ? upstream.bids() : upstream.asks()
      const level = side.find(([p]) => dec(p) === price)
      this.tracked.set(order.id, {
        ahead: level === undefined ? 0n : dec(level[1]),
        traded: 0n,
      })
    } else if (event !== 'orderFill' || order.status === 'Filled')
      this.tracked.delete(order.id)
  }

  /**
   * The paper orders an upstream trade at `price` for `volume` crosses
   * (bids at or above it, asks at or below it), each with the quantity it
   * fills. Internal accounts' orders (the mirrored quotes) are left alone.
   */
  crossed(
    bids: readonly Level[],
    asks: readonly Level[],
    price: bigint,
    volume: bigint,
  ): [EngineOrder, bigint][] {
    const fills: [EngineOrder, bigint][] = []
    const scan = (levels: readonly Level[], side: 'Bid' | 'Ask') => {
      for (const level of levels) {
        if (side === 'Bid' ? level.price < price : level.price > price) break
        for (const order of level.orders) {
          if (order.account.internal) continue
          const remaining = (order.quantity ?? 0n) - order.executedQty
          if (remaining <= 0n) continue
          const q = this.fillable(
            order,
            level.price === price,
            volume,
            remaining,
          )
          if (q > 0n) fills.push([order, q])
        }
      }
    }
    scan(bids, 'Bid')
    scan(asks, 'Ask')
    return fills
  }

  /** How much of a crossed paper order this trade fills. */
  private fillable(
    order: EngineOrder,
    atPrice: boolean,
    volume: bigint,
    remaining: bigint,
  ): bigint {
    if (this.model !== 'queue' || !atPrice) return remaining
    const t = this.tracked.get(order.id) ?? { ahead: 0n, traded: 0n }
    t.traded += volume
    this.tracked.set(order.id, t)
    const available = t.traded - t.ahead - order.executedQty
    if (available <= 0n) return 0n
    return roundToStep(min(remaining, available), this.step, 'down')
  }
}
