/**
 * The commands the machine returns (intentions, imperative; the caller
 * performs them in order), and the step result that carries them.
 */

import type {
  DecimalString,
  ExitReason,
  LadderState,
  StopReason,
} from '../types.js'
import type { LadderEvent, TimerName } from './events.js'

/** One limit bid to place. */
export interface OrderToPlace {
  /** The client id to send. */
  clientId: number
  /** Rung index. */
  rung: number
  /** Limit price (decimal string on the tick). */
  price: DecimalString
  /** Quantity (decimal string on the step). */
  quantity: DecimalString
}

/** Place the ladder's rungs as GTC limit bids. */
export interface PlaceOrdersCommand {
  /** Discriminant. */
  type: 'placeOrders'
  /** Market symbol. */
  symbol: string
  /** Always `'buy'`. */
  side: 'buy'
  /** Always `'GTC'`. */
  timeInForce: 'GTC'
  /** Post-only bids (config `postOnly`). */
  postOnly: boolean
  /** The orders, highest price first. */
  orders: OrderToPlace[]
}

/** Cancel orders: the listed client ids, or every open order on the symbol. */
export interface CancelOrdersCommand {
  /** Discriminant. */
  type: 'cancelOrders'
  /** Market symbol. */
  symbol: string
  /** Client ids to cancel, or `'all'` for every open order on the symbol. */
  clientIds: number[] | 'all'
}

/** Sell (part of) the position. */
export interface SellPositionCommand {
  /** Discriminant. */
  type: 'sellPosition'
  /** Market symbol. */
  symbol: string
  /** The client id to send. */
  clientId: number
  /** `'market'`, or `'limit'` for a resting GTC limit sell at `price`. */
  orderType: 'market' | 'limit'
  /** Quantity (on the step). */
  quantity: DecimalString
  /**
   * For a limit sell: the limit price (take-profit rounded UP to the tick).
   * For a market sell: the price that triggered it (the backtester fills there).
   */
  price: DecimalString
  /** Why. */
  reason: ExitReason
  /**
   * Multi-step take profit: the index (0-based) of the step this sell
   * belongs to. Absent for other sells.
   */
  step?: number
}

/** Schedule a timer: deliver `timerFired` at (or after) `at`. Replaces a timer of the same name. */
export interface ScheduleTimerCommand {
  /** Discriminant. */
  type: 'scheduleTimer'
  /** Which timer. */
  timer: TimerName
  /** Deadline (ms). */
  at: number
}

/** Cancel a scheduled timer. */
export interface CancelTimerCommand {
  /** Discriminant. */
  type: 'cancelTimer'
  /** Which timer. */
  timer: TimerName
}

/** An informational line for the log. */
export interface LogCommand {
  /** Discriminant. */
  type: 'log'
  /** The message. */
  message: string
}

/** Something unexpected that changed nothing (or was handled conservatively). */
export interface WarningCommand {
  /** Discriminant. */
  type: 'warning'
  /** The message. */
  message: string
  /** The event type that caused it. */
  event: LadderEvent['type']
}

/** A cycle ended; its result. */
export interface CycleCompletedCommand {
  /** Discriminant. */
  type: 'cycleCompleted'
  /** Cycle number. */
  cycle: number
  /** How it ended. */
  reason: ExitReason
  /**
   * Profit of the cycle in quote currency: what the sells received - the
   * cost of what was sold (average cost over the carried-in remainder and
   * this cycle's buys) - quote fees. The cost of the base asset that could
   * not be sold is not booked: it is carried into the next cycle.
   */
  profit: DecimalString
  /** Fees of the cycle in quote currency. */
  fees: DecimalString
  /**
   * Base asset still held after the exit (not sold: below the step or the
   * market minimum, or left by base-asset fees), carried into the next cycle.
   */
  carriedQuantity: DecimalString
  /** Cost basis of `carriedQuantity` in quote currency (average cost). */
  carriedCost: DecimalString
}

/** The machine stopped; no further orders will be placed. */
export interface StoppedCommand {
  /** Discriminant. */
  type: 'stopped'
  /** Why. */
  reason: StopReason
  /**
   * Base asset the strategy still holds as it stops (an unsold position, or
   * the remainder carried from the last cycle), exact (not rounded to the
   * step).
   */
  heldQuantity: DecimalString
  /** Cost basis of `heldQuantity` in quote currency (average cost). */
  heldCost: DecimalString
}

/**
 * A fill the machine booked (from an `orderFilled` event, or adopted from a
 * `reconciled` event): informational, for the trade record. Emitted right
 * after the fill is applied, before the commands it causes (a take-profit
 * fill comes before its `cycleCompleted`).
 */
export interface FillBookedCommand {
  /** Discriminant. */
  type: 'fillBooked'
  /** Cycle of the order that filled. */
  cycle: number
  /** The order's client id. */
  clientId: number
  /** `'buy'` (a rung) or `'sell'` (an exit). */
  side: 'buy' | 'sell'
  /** Rung index for buys; -1 for sells. */
  rung: number
  /**
   * Price of this fill. A fill adopted from a reconcile that covers several
   * exchange fills carries their average, rounded toward the machine
   * (buys UP, sells DOWN) to the tick.
   */
  price: DecimalString
  /** Quantity booked. */
  quantity: DecimalString
  /** Fee booked, in `feeAsset`. */
  fee: DecimalString
  /** Asset of the fee: `'quote'` or `'base'`. */
  feeAsset: 'quote' | 'base'
  /** True when the order is now completely filled. */
  orderFilled: boolean
  /** True when the fill was learned from a `reconciled` event (missed live). */
  adopted: boolean
  /** Base asset the cycle holds after the fill (exact). */
  held: DecimalString
  /** Average entry of the cycle's buys after the fill (cost / bought, to the tick UP), or `null` before any buy. */
  averageEntry: DecimalString | null
  /** Take-profit target after the fill (rounded UP to the tick), or `null` before any buy. */
  takeProfitPrice: DecimalString | null
  /**
   * Multi-step take profit: the index (0-based) of the step of the sell that
   * filled. Absent for other fills.
   */
  step?: number
}

/** Everything the machine can ask for. */
export type LadderCommand =
  | PlaceOrdersCommand
  | CancelOrdersCommand
  | SellPositionCommand
  | ScheduleTimerCommand
  | CancelTimerCommand
  | LogCommand
  | WarningCommand
  | CycleCompletedCommand
  | StoppedCommand
  | FillBookedCommand

/** What {@link step} returns: the next state and the commands to perform, in order. */
export type StepResult = [next: LadderState, commands: readonly LadderCommand[]]
