/**
 * The mirror's hands in the local book: an internal maker account that
 * shows the upstream levels (post-only, so they never take a paper order),
 * and an internal taker account that meets the paper orders an upstream
 * trade crossed. {@link Mirror} decides when (live data only); this file
 * does the placing.
 *
 * @internal
 */
import type { OrderBook } from '@rung/backpack-sdk'
import { dec, formatDecimal, ONE, roundToStep } from '../decimal.js'
import type { Engine } from '../engine/engine.js'
import type { Account, EngineOrder } from '../engine/types.js'
import type { Market } from '../markets.js'
import { type MirrorFillModel, PaperFills } from './fills.js'

/** Places the mirrored quotes and the counter-orders of one local market. */
export class MirrorQuoter {
  /** Paper fills the upstream trades caused. */
  paperFills = 0
  private readonly maker: Account
  private readonly taker: Account
  private readonly fills: PaperFills

  constructor(
    private readonly engine: Engine,
    private readonly market: Market,
    private readonly options: {
      readonly fillModel?: MirrorFillModel | undefined
      readonly levels?: number | undefined
    },
    private readonly log: (level: 'info' | 'warn', message: string) => void,
  ) {
    this.fills = new PaperFills(options.fillModel ?? 'trade', market.step)
    this.maker = engine.account('sim:mirror-maker', true)
    this.taker = engine.account('sim:mirror-taker', true)
    for (const acc of [this.maker, this.taker])
      for (const asset of [market.base, market.quote])
        engine.credit(acc, asset, 1_000_000_000n * ONE, 'credit')
  }

  /** Re-places the upstream levels (post-only: they never take a paper order). */
  quote(upstream: OrderBook): void {
    const m = this.market
    const n = this.options.levels ?? 10
    const bids = upstream.bids(n)
    const asks = upstream.asks(n)
    const book = this.engine.book(m.symbol)
    const bestBid = bids[0]?.[0]
    const bestAsk = asks[0]?.[0]
    if (bestBid !== undefined) book.referencePrice = dec(bestBid)
    else if (bestAsk !== undefined) book.referencePrice = dec(bestAsk)
    this.engine.batch(() => {
      this.engine.cancelAll(this.maker, m.symbol)
      for (const [side, levels] of [
        ['Bid', bids],
        ['Ask', asks],
      ] as const) {
        for (const [price, quantity] of levels) {
          const qty = roundToStep(dec(quantity), m.step, 'down')
          if (qty < m.minQty) continue
          // Would cross a paper order, or outside the price band: skipped.
          this.engine.tryPlaceOrder(this.maker, {
            symbol: m.symbol,
            side,
            orderType: 'Limit',
            price,
            quantity: formatDecimal(qty),
            postOnly: true,
          })
        }
      }
    })
  }

  /** Follows an engine order event of this market (the queue positions). */
  onOrderEvent(order: EngineOrder, event: string, upstream: OrderBook): void {
    if (order.market.symbol !== this.market.symbol) return
    this.fills.onOrderEvent(order, event, upstream)
  }

  /**
   * Fills the paper orders an upstream trade at `price` for `volume`
   * crossed, each by a counter-order of the taker, then quotes again.
   */
  onTrade(price: bigint, volume: bigint, upstream: OrderBook): void {
    const book = this.engine.book(this.market.symbol)
    const fills = this.fills.crossed(book.bids, book.asks, price, volume)
    if (fills.length === 0) return
    this.engine.batch(() => {
      // The upstream quotes step aside: the counter-order meets the paper order only.
      this.engine.cancelAll(this.maker, this.market.symbol)
      for (const [order, q] of fills) {
        try {
          this.engine.placeOrder(this.taker, {
            symbol: this.market.symbol,
            side: order.side === 'Bid' ? 'Ask' : 'Bid',
            orderType: 'Limit',
            price: formatDecimal(order.price ?? 0n),
            quantity: formatDecimal(q),
            timeInForce: 'IOC',
          })
          this.paperFills++
        } catch (error) {
          this.log(
            'warn',
            `mirror: could not fill paper order ${order.id}: ${(error as Error).message}`,
          )
        }
      }
      this.quote(upstream)
    })
  }
}
