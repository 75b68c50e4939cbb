/**
 * The trade record: what one step of the strategy did with money, as plain
 * records (orders placed, canceled, rejected, fills, cycles). They are
 * derived from the step alone (the state before, the event, the state after
 * and the commands), so the same function feeds the log lines and the trade
 * history live, and rebuilds the history from the journal later
 * (`rung history --rebuild`) with identical rows.
 */
import { multiplyDecimals } from '@rung/backpack-sdk'
import type {
  ExitReason,
  FillBookedCommand,
  LadderCommand,
  LadderEvent,
  LadderState,
  OrderRecord,
} from '@rung/ladder-strategy'

/** Fields every record carries. */
interface RecordBase {
  /** Time of the event that caused it (ms). */
  at: number
  /** Market, e.g. `BTC_USDC`. */
  market: string
  /** Cycle number. */
  cycle: number
}

/** Fields of a record about one order. */
interface OrderFields extends RecordBase {
  /** The order's client id. */
  clientId: number
  /** `'buy'` (a rung) or `'sell'` (an exit). */
  side: 'buy' | 'sell'
  /** Rung index for buys; -1 for sells. */
  rung: number
  /** Limit price (market sells: the trigger price). */
  price: string
  /** Ordered quantity. */
  quantity: string
}

/** An order the strategy sent (before the exchange answered). */
export interface OrderPlacedRecord extends OrderFields {
  /** Discriminant. */
  kind: 'orderPlaced'
  /** `'limit'` or `'market'`. */
  orderType: 'limit' | 'market'
  /** Why a sell was placed (`takeProfit`, `stopLoss`...); absent for rungs. */
  reason?: ExitReason | undefined
}

/** An order that left the book unfilled (or partly filled). */
export interface OrderClosedRecord extends OrderFields {
  /** Discriminant: canceled (by the bot or the exchange) or rejected on placement. */
  kind: 'orderCanceled' | 'orderRejected'
  /** Quantity filled before it closed. */
  filledQuantity: string
  /** The exchange's reason (rejections). */
  reason?: string | undefined
}

/** A fill the strategy booked. */
export interface FillRecord extends RecordBase {
  /** Discriminant. */
  kind: 'fill'
  /** The order's client id. */
  clientId: number
  /** `'buy'` or `'sell'`. */
  side: 'buy' | 'sell'
  /** Rung index for buys; -1 for sells. */
  rung: number
  /** Fill price. */
  price: string
  /** Fill quantity. */
  quantity: string
  /** Fee, in `feeAsset`. */
  fee: string
  /** `'quote'` or `'base'`. */
  feeAsset: 'quote' | 'base'
  /** The order's filled quantity after this fill: with the client id, the fill's identity. */
  cumulativeQuantity: string
  /** True when the order is now completely filled. */
  orderFilled: boolean
  /** True when learned from a reconcile (missed on the stream). */
  adopted: boolean
  /** For a sell: why it was sold. */
  reason?: ExitReason | undefined
  /** Base asset the cycle holds after the fill. */
  held: string
  /** Average entry after the fill (null before any buy). */
  averageEntry: string | null
  /** Take-profit target after the fill (null before any buy). */
  takeProfitPrice: string | null
}

/** A cycle placed its first ladder. */
export interface CycleStartedRecord extends RecordBase {
  /** Discriminant. */
  kind: 'cycleStarted'
  /** The reference price the ladder was planned from, when known. */
  price?: string | undefined
}

/** A cycle ended. */
export interface CycleCompletedRecord extends RecordBase {
  /** Discriminant. */
  kind: 'cycleCompleted'
  /** How it ended. */
  reason: ExitReason
  /** Profit after fees (quote). */
  profit: string
  /** Fees (quote). */
  fees: string
  /** Base asset left unsold, carried into the next cycle. */
  carriedQuantity: string
  /** Its cost basis (quote). */
  carriedCost: string
}

/** One entry of the trade record. */
export type TradeRecord =
  | OrderPlacedRecord
  | OrderClosedRecord
  | FillRecord
  | CycleStartedRecord
  | CycleCompletedRecord

const isLive = (o: OrderRecord) =>
  o.status === 'pending' || o.status === 'open' || o.status === 'canceling'

/**
 * The records of one step, in the order things happened.
 *
 * @param prev - The state the event was applied to.
 * @param event - The event.
 * @param next - The state `step` returned.
 * @param commands - The commands `step` returned.
 * @returns The orders placed, closed and filled and the cycles started and completed by this step.
 * @example
 * ```ts
 * import { tradeRecords } from '@rung/bot-cli'
 * import { initialState, step, validateConfig } from '@rung/ladder-strategy'
 *
 * const market = { symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001' }
 * const before = initialState(validateConfig({}).config, market)
 * const event = { type: 'started', at: Date.now(), price: '60000' } as const
 * const [after, commands] = step(before, event)
 * for (const r of tradeRecords(before, event, after, commands)) console.log(r.kind) // cycleStarted, orderPlaced x 8
 * ```
 */
export function tradeRecords(
  prev: LadderState,
  event: LadderEvent,
  next: LadderState,
  commands: readonly LadderCommand[],
): TradeRecord[] {
  const market = next.setup.market.symbol
  const { at } = event
  const out: TradeRecord[] = []
  if (next === prev && commands.length === 0) return out
  const before = new Map(prev.orders.map((o) => [o.clientId, o]))
  const after = new Map(next.orders.map((o) => [o.clientId, o]))
  for (const c of commands) {
    switch (c.type) {
      case 'placeOrders':
        if (next.cycle !== prev.cycle)
          out.push({
            kind: 'cycleStarted',
            at,
            market,
            cycle: next.cycle,
            ...('price' in event && event.price !== undefined
              ? { price: event.price }
              : {}),
          })
        for (const o of c.orders)
          out.push({
            kind: 'orderPlaced',
            at,
            market,
            cycle: next.cycle,
            clientId: o.clientId,
            side: 'buy',
            rung: o.rung,
            price: o.price,
            quantity: o.quantity,
            orderType: 'limit',
          })
        break
      case 'sellPosition':
        out.push({
          kind: 'orderPlaced',
          at,
          market,
          cycle: next.cycle,
          clientId: c.clientId,
          side: 'sell',
          rung: -1,
          price: c.price,
          quantity: c.quantity,
          orderType: c.orderType,
          reason: c.reason,
        })
        break
      case 'fillBooked':
        out.push(fillRecord(c, prev, after.get(c.clientId), market, at))
        break
      case 'cycleCompleted':
        out.push({
          kind: 'cycleCompleted',
          at,
          market,
          cycle: c.cycle,
          reason: c.reason,
          profit: c.profit,
          fees: c.fees,
          carriedQuantity: c.carriedQuantity,
          carriedCost: c.carriedCost,
        })
        break
      default:
        break
    }
  }
  // Orders that were live and are now closed without a complete fill.
  for (const [clientId, o] of before) {
    if (!isLive(o)) continue
    const now = after.get(clientId)
    if (now === undefined || isLive(now) || now.status === 'filled') continue
    const rejected =
      now.status === 'rejected' ||
      (event.type === 'orderRejected' && event.clientId === clientId)
    out.push({
      kind: rejected ? 'orderRejected' : 'orderCanceled',
      at,
      market,
      cycle: now.cycle,
      clientId,
      side: now.side,
      rung: now.rung,
      price: now.price,
      quantity: now.quantity,
      filledQuantity: multiplyDecimals(
        String(now.filledLots),
        next.setup.market.stepSize,
      ),
      ...(event.type === 'orderRejected' && event.clientId === clientId
        ? { reason: event.reason }
        : {}),
    })
  }
  return out
}

function fillRecord(
  c: FillBookedCommand,
  prev: LadderState,
  order: OrderRecord | undefined,
  market: string,
  at: number,
): FillRecord {
  // A fill on an order the state does not know (adopted in a reconcile) has
  // no cumulative figure of its own: its quantity stands in.
  const cumulativeQuantity =
    order === undefined
      ? c.quantity
      : multiplyDecimals(String(order.filledLots), prev.setup.market.stepSize)
  const reason: ExitReason | undefined =
    c.side === 'buy'
      ? undefined
      : prev.status === 'exiting'
        ? prev.reason
        : 'takeProfit'
  return {
    kind: 'fill',
    at,
    market,
    cycle: c.cycle,
    clientId: c.clientId,
    side: c.side,
    rung: c.rung,
    price: c.price,
    quantity: c.quantity,
    fee: c.fee,
    feeAsset: c.feeAsset,
    cumulativeQuantity,
    orderFilled: c.orderFilled,
    adopted: c.adopted,
    ...(reason === undefined ? {} : { reason }),
    held: c.held,
    averageEntry: c.averageEntry,
    takeProfitPrice: c.takeProfitPrice,
  }
}

/** The human words for an exit reason. */
export const EXIT_WORDS: Record<ExitReason, string> = {
  takeProfit: 'take profit',
  trailingTakeProfit: 'trailing take profit',
  stopLoss: 'stop loss',
  stopRequested: 'stop (position sold)',
}

/**
 * A record as a log line: the message and its fields (every figure exact).
 *
 * @param record - A trade record.
 * @returns The log message and the fields to log with it.
 */
export function describeRecord(record: TradeRecord): {
  message: string
  fields: Record<string, unknown>
} {
  const { kind: _kind, at: _at, market, ...rest } = record
  switch (record.kind) {
    case 'orderPlaced':
      return { message: 'order placed', fields: { ...rest, market } }
    case 'orderCanceled':
      return { message: 'order canceled', fields: { ...rest, market } }
    case 'orderRejected':
      return { message: 'order rejected', fields: { ...rest, market } }
    case 'fill':
      return {
        message:
          record.side === 'buy'
            ? 'filled'
            : `filled (${EXIT_WORDS[record.reason ?? 'takeProfit']})`,
        fields: { ...rest, market },
      }
    case 'cycleStarted':
      return { message: 'cycle started', fields: { ...rest, market } }
    case 'cycleCompleted':
      return { message: 'cycle completed', fields: { ...rest, market } }
  }
}
