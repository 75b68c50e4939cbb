/**
 * The events the machine takes (facts, past tense, each with its time `at`
 * in ms): what the exchange, the clock and the caller report.
 */
import type { DecimalString } from '../types.js'

/** The bot starts the strategy. */
export interface StartedEvent {
  /** Discriminant. */
  type: 'started'
  /** Time (ms since the epoch). */
  at: number
  /** Reference price, if already known (else the next `priceUpdated` is used). */
  price?: DecimalString | undefined
}

/** A new market price (last trade, or best bid when the book is known). */
export interface PriceUpdatedEvent {
  /** Discriminant. */
  type: 'priceUpdated'
  /** Time (ms). */
  at: number
  /** The price. */
  price: DecimalString
}

/** The exchange accepted an order. */
export interface OrderAcceptedEvent {
  /** Discriminant. */
  type: 'orderAccepted'
  /** Time (ms). */
  at: number
  /** The order's client id. */
  clientId: number
  /** The exchange's order id. */
  orderId: string
}

/** The exchange rejected an order placement. */
export interface OrderRejectedEvent {
  /** Discriminant. */
  type: 'orderRejected'
  /** Time (ms). */
  at: number
  /** The order's client id. */
  clientId: number
  /** The exchange's reason, for the log. */
  reason: string
}

/** An order filled, partly or completely. */
export interface OrderFilledEvent {
  /** Discriminant. */
  type: 'orderFilled'
  /** Time (ms). */
  at: number
  /** The order's client id. */
  clientId: number
  /** This fill's price. */
  price: DecimalString
  /** This fill's quantity. */
  quantity: DecimalString
  /** This fill's fee. */
  fee: DecimalString
  /**
   * Asset the fee was charged in: `'quote'` (USDC) or `'base'` (the coin).
   * @default 'quote'
   */
  feeAsset?: 'quote' | 'base' | undefined
  /**
   * The order's cumulative filled quantity after this fill, when known; used
   * to ignore duplicates and to adopt missed fills.
   */
  cumulativeQuantity?: DecimalString | undefined
}

/** An order was canceled (or expired) on the exchange. */
export interface OrderCanceledEvent {
  /** Discriminant. */
  type: 'orderCanceled'
  /** Time (ms). */
  at: number
  /** The order's client id. */
  clientId: number
}

/**
 * Several orders were canceled at once: the list a cancel-all (or a batch
 * cancel) returns, acknowledged in one event. Equivalent to one
 * `orderCanceled` per client id, in order, in one step (one copy of the
 * order list instead of one per order).
 */
export interface OrdersCanceledEvent {
  /** Discriminant. */
  type: 'ordersCanceled'
  /** Time (ms). */
  at: number
  /** The canceled orders' client ids. */
  clientIds: readonly number[]
}

/** A timer the machine scheduled has fired. */
export interface TimerFiredEvent {
  /** Discriminant. */
  type: 'timerFired'
  /** Time (ms). */
  at: number
  /** Which timer. */
  timer: TimerName
}

/** An order as the exchange reports it in a reconcile. */
export interface ExchangeOrder {
  /** The client id (orders without one are not the machine's and are ignored). */
  clientId: number
  /** The exchange's order id. */
  orderId: string
  /** Side. */
  side: 'buy' | 'sell'
  /** Limit price. */
  price: DecimalString
  /** Ordered quantity. */
  quantity: DecimalString
  /** Quantity filled so far. */
  filledQuantity: DecimalString
}

/** A fill as the exchange reports it in a reconcile. */
export interface ExchangeFill {
  /** The order's client id. */
  clientId: number
  /** Side. */
  side: 'buy' | 'sell'
  /** Fill price. */
  price: DecimalString
  /** Fill quantity. */
  quantity: DecimalString
  /** Fee. */
  fee: DecimalString
  /**
   * Fee asset.
   * @default 'quote'
   */
  feeAsset?: 'quote' | 'base' | undefined
}

/**
 * The exchange's truth after a restart or reconnect: the open orders on the
 * symbol and the fills of the machine's orders (for example since the state
 * was saved).
 */
export interface ReconciledEvent {
  /** Discriminant. */
  type: 'reconciled'
  /** Time (ms). */
  at: number
  /** Open orders on the symbol. */
  openOrders: ExchangeOrder[]
  /** Fills of the machine's client ids (every fill of each order, not only new ones). */
  fills: ExchangeFill[]
}

/** The user asked to stop. */
export interface StopRequestedEvent {
  /** Discriminant. */
  type: 'stopRequested'
  /** Time (ms). */
  at: number
  /**
   * Sell the open position at market before stopping (else it is kept).
   * @default false
   */
  sellPosition?: boolean | undefined
}

/** Everything that can happen to the machine. */
export type LadderEvent =
  | StartedEvent
  | PriceUpdatedEvent
  | OrderAcceptedEvent
  | OrderRejectedEvent
  | OrderFilledEvent
  | OrderCanceledEvent
  | OrdersCanceledEvent
  | TimerFiredEvent
  | ReconciledEvent
  | StopRequestedEvent

/** Names of the machine's timers. */
export type TimerName = 'noFill' | 'coolDown'
