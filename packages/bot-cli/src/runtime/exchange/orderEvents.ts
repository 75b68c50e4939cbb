/**
 * Pure translation of exchange order updates (WS `account.orderUpdate`) into
 * strategy events. Orders without a client id are not the bot's and are
 * ignored; `executedQuantity` is passed as `cumulativeQuantity` so the
 * strategy can drop duplicates (the same fill seen on the stream and in a
 * reconcile) and adopt fills it missed.
 */
import type { LadderEvent } from '@rung/ladder-strategy'

/** The fields of an order update the bot reads (the SDK's `OrderUpdateEvent`). */
export interface OrderUpdateLike {
  /** `orderAccepted`, `orderFill`, `orderCancelled`, `orderExpired`... */
  eventType: string
  /** µs since the epoch. */
  eventTimeUs: number
  /** Market. */
  symbol: string
  /** Exchange order id. */
  orderId: string
  /** Client id, when set. */
  clientId?: number | undefined
  /** Fill quantity (orderFill). */
  fillQuantity?: string | undefined
  /** Fill price (orderFill). */
  fillPrice?: string | undefined
  /** Fee of the fill. */
  fee?: string | undefined
  /** Fee asset symbol. */
  feeAsset?: string | undefined
  /** Cumulative executed quantity. */
  executedQuantity?: string | undefined
}

/** The base asset of a symbol (`BTC_USDC` → `BTC`). */
export const baseAsset = (symbol: string) => symbol.split('_')[0] ?? symbol

/**
 * Turns an order update into a strategy event, or `undefined` when the update
 * is not one the strategy needs.
 */
export function orderUpdateToEvent(
  update: OrderUpdateLike,
  symbol: string,
  at: number,
): LadderEvent | undefined {
  if (
    update.symbol !== symbol ||
    update.clientId === undefined ||
    update.clientId === null
  )
    return undefined
  const clientId = update.clientId
  switch (update.eventType) {
    case 'orderAccepted':
      return { type: 'orderAccepted', at, clientId, orderId: update.orderId }
    case 'orderFill':
      if (update.fillQuantity === undefined || update.fillPrice === undefined)
        return undefined
      return {
        type: 'orderFilled',
        at,
        clientId,
        price: update.fillPrice,
        quantity: update.fillQuantity,
        fee: update.fee ?? '0',
        feeAsset: update.feeAsset === baseAsset(symbol) ? 'base' : 'quote',
        ...(update.executedQuantity === undefined
          ? {}
          : { cumulativeQuantity: update.executedQuantity }),
      }
    case 'orderCancelled':
    case 'orderExpired':
      return { type: 'orderCanceled', at, clientId }
    default:
      return undefined
  }
}
