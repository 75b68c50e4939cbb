/**
 * Public types of the ladder machine: configuration, market rules and
 * state (the events it takes are in machine/events.ts, the commands it
 * returns in machine/commands.ts). Everything here is plain, JSON-serializable data:
 * money is a decimal string, time is a number of milliseconds since the epoch.
 */

/**
 * A non-negative decimal number written as a string (`"42000.5"`, `"0.00001"`).
 * No exponent, no sign, no thousands separator. Money, prices, quantities and
 * percentages always travel as decimal strings, never as JS numbers.
 */
export type DecimalString = string

/**
 * The one market a ladder trades on, and the rules its orders must fit, as
 * plain data (for example built from Backpack's `GET /api/v1/markets`
 * `filters`). All values are decimal strings. Not the SDK's `MarketRule` /
 * `MarketRules` (a table of every market's precision): this is one market,
 * as the strategy needs it.
 */
export interface LadderMarket {
  /** Market symbol, e.g. `BTC_USDC`. */
  symbol: string
  /** Price increment (`filters.price.tickSize`); every price is a multiple of it. */
  tickSize: DecimalString
  /** Quantity increment (`filters.quantity.stepSize`); every quantity is a multiple of it. */
  stepSize: DecimalString
  /** Smallest quantity of one order (`filters.quantity.minQuantity`). */
  minQuantity: DecimalString
  /**
   * Smallest notional (price x quantity) of one order, in quote currency,
   * when the exchange has one. The ladder uses the larger of this and
   * `minOrderAmount`.
   * @default no market minimum (only `minOrderAmount` applies)
   */
  minNotional?: DecimalString | undefined
  /**
   * Largest quantity of one order, when the exchange has one. Rungs above it
   * are dropped with reason `aboveMaxQuantity`.
   * @default no maximum
   */
  maxQuantity?: DecimalString | undefined
}

/**
 * The former name of {@link LadderMarket}, kept for one release.
 * @deprecated Use {@link LadderMarket}: `MarketRules` is also the name of
 *   the SDK's table of every market's rules, a different thing.
 */
export type MarketRules = LadderMarket

/** How the take-profit sell is sent. */
export type TakeProfitOrderType = 'market' | 'limit'

/**
 * The normalized strategy configuration returned by `validateConfig` (and
 * accepted by `planLadder` and `initialState`). Names follow the classic
 * bot's config file and LADDER-SPEC.md; extensions are opt-in and their
 * defaults reproduce the classic bot.
 */
export interface LadderConfig {
  /**
   * Market symbol, e.g. `BTC_USDC`.
   * @default 'BTC_USDC'
   */
  symbol: string
  /**
   * The lowest rung sits this many percent below the reference price (d).
   * @default '7'
   */
  maxDropPercentage: DecimalString
  /**
   * Quote currency spent if every rung fills (T).
   * @default '2000'
   */
  totalAmount: DecimalString
  /**
   * Number of rungs (n), an integer from 1 to {@link MAX_ORDER_COUNT}.
   * @default 8
   */
  orderCount: number
  /**
   * Each rung's quote amount is (1 + g/100) times the previous one (g).
   * @default '50'
   */
  incrementPercentage: DecimalString
  /**
   * Sell everything when the price reaches average entry x (1 + tp/100).
   * @default '0.25'
   */
  takeProfitPercentage: DecimalString
  /**
   * Smallest quote amount of one order (m); the market's `minNotional` wins
   * when larger.
   * @default '10'
   */
  minOrderAmount: DecimalString
  /**
   * Start a new cycle after a take-profit; otherwise stop.
   * @default true
   */
  restartAfterTakeProfit: boolean
  /**
   * Cancel and re-ladder when nothing filled `noFillRestartMinutes` after placement.
   * @default true
   */
  autoRestartNoFill: boolean
  /**
   * Minutes without any fill before a no-fill restart (w), a number > 0.
   * @default 1
   */
  noFillRestartMinutes: number
  /**
   * Extension: rung spacing grows geometrically by this factor from one gap
   * to the next (`'1'` = the classic equal spacing; `'1.5'` = each gap 1.5x
   * the previous, deeper rungs further apart). Must be > 0.
   * @default '1'
   */
  stepScale: DecimalString
  /**
   * Extension: rung 0 sits this many percent below the reference price
   * instead of at it. Must be smaller than `maxDropPercentage` when
   * `orderCount` > 1.
   * @default '0'
   */
  firstRungOffsetPercentage: DecimalString
  /**
   * Extension: the take-profit average includes the buy fees paid in quote
   * currency (and base-asset fees reduce the sellable quantity).
   * @default false
   */
  feeAwareTakeProfit: boolean
  /**
   * How the take-profit sell is sent: `'market'` (classic: a market sell
   * once the price reaches the target) or `'limit'` (a resting limit sell at
   * the target price rounded UP to the tick, replaced after every buy fill).
   * @default 'market'
   */
  takeProfitOrder: TakeProfitOrderType
  /**
   * Extension: place the ladder's bids post-only.
   * @default false
   */
  postOnly: boolean
  /**
   * Extension: trailing take profit. Once the target is reached, follow the
   * price up and sell when it falls this many percent from its peak (never
   * below the target). `false` disables it. Ignored when `takeProfitOrder`
   * is `'limit'`.
   * @default false
   */
  trailingTakeProfitPercentage: DecimalString | false
  /**
   * Extension: stop loss. Sell the position at market when the price falls
   * this many percent below the average entry. `false` disables it.
   * @default false
   */
  stopLossPercentage: DecimalString | false
  /**
   * Extension: minutes to wait after a take-profit (or stop loss) before the
   * next cycle starts. `0` starts at once, like the classic bot.
   * @default 0
   */
  coolDownMinutes: number
  /**
   * Extension: stop after this many completed cycles. `false` = no cap.
   * @default false
   */
  maxCycles: number | false
  /**
   * Extension: price band, lower end. No new cycle starts while the
   * reference price is below it (the machine waits, and logs so once), and
   * rungs priced below it are not placed (dropped as `belowMinPrice`).
   * Absent or `false`: no lower end.
   * @default false
   */
  minPrice?: DecimalString | false
  /**
   * Extension: price band, upper end. No new cycle starts while the
   * reference price is above it (the machine waits, and logs so once).
   * Absent or `false`: no upper end.
   * @default false
   */
  maxPrice?: DecimalString | false
  /**
   * Extension: rolling rungs (3Commas' "active safety orders"). Only the
   * `activeOrderCount` highest unfilled rungs rest on the book; when one of
   * them closes (fills completely, or is rejected or canceled by the
   * exchange), the next lower rung of the same ladder is placed, so fewer
   * orders are open and less quote is locked, along the same average entry
   * path as the full ladder. An integer from 1 to `orderCount`. Absent or
   * `false`: every rung rests at once (classic).
   * @default false
   */
  activeOrderCount?: number | false
  /**
   * Extension: multi-step take profit (3Commas' take-profit steps), 1 to
   * {@link MAX_TAKE_PROFIT_STEPS} steps in increasing `profitPercent`, whose
   * `share`s add up to exactly 1. Each step sells its share of the position
   * at average entry x (1 + profitPercent/100), rounded UP to the tick; the
   * last step sells whatever is left. Sent the way `takeProfitOrder` says:
   * resting limit sells (`'limit'`) or market sells triggered by the price
   * (`'market'`, where `trailingTakeProfitPercentage` applies to the last
   * step). Once a step sells, the unfilled rungs are canceled and the rest of
   * the position keeps its average cost. Replaces `takeProfitPercentage`.
   * Absent or `false`: the single take profit (classic).
   * @default false
   */
  takeProfitSteps?: TakeProfitStep[] | false
}

/** One step of a multi-step take profit (`takeProfitSteps`). */
export interface TakeProfitStep {
  /**
   * Fraction of the position this step sells, > 0 and <= 1 (`'0.5'` = half);
   * the steps' shares add up to exactly 1. Quantities are rounded DOWN to the
   * step size; the last step sells the remainder.
   */
  share: DecimalString
  /** Profit over the average entry at which this step sells, in percent (> 0). */
  profitPercent: DecimalString
}

/** Why a rung of the ladder was dropped by {@link planLadder}. */
export type DropReason =
  | 'priceRoundsToZero'
  | 'quantityRoundsToZero'
  | 'belowMinQuantity'
  | 'belowMinNotional'
  | 'aboveMaxQuantity'
  | 'samePriceAsPrevious'
  | 'belowMinPrice'

/** One rung of a planned ladder: a limit bid, ready for the exchange. */
export interface PlannedRung {
  /** Rung index, 0 = highest price. */
  index: number
  /** Limit price, a multiple of the tick size (rounded DOWN). */
  price: DecimalString
  /** Quantity, a multiple of the step size (rounded DOWN). */
  quantity: DecimalString
  /** price x quantity in quote currency (exact). */
  notional: DecimalString
}

/** A rung that {@link planLadder} dropped, with the reason. */
export interface DroppedRung {
  /** Rung index, 0 = highest price. */
  index: number
  /** The rung's price after rounding. */
  price: DecimalString
  /** The rung's quantity after rounding. */
  quantity: DecimalString
  /** Why it was dropped. */
  reason: DropReason
}

/** The result of {@link planLadder}. */
export interface LadderPlan {
  /** The reference price the ladder was built from (normalized). */
  referencePrice: DecimalString
  /** The rungs to place, highest price first (strictly decreasing prices). */
  rungs: PlannedRung[]
  /** Rungs that were dropped, with their reasons. */
  dropped: DroppedRung[]
  /** Sum of the rungs' notionals; never above `totalAmount`. */
  totalNotional: DecimalString
}

/** A non-fatal finding of {@link validateConfig}. */
export interface ConfigWarning {
  /** Dotted path of the key, e.g. `quantityPrecisions`. */
  path: string
  /** What was found and what happens. */
  message: string
  /**
   * For an unknown key within two edits of a known one (case ignored): that
   * known key, e.g. `takeProfitPercentage` for `takeProfitPercentag`.
   */
  suggestion?: string
}

/** The result of {@link validateConfig}. */
export interface ValidatedConfig {
  /** The normalized strategy configuration. */
  config: LadderConfig
  /** Unknown keys, ignored legacy tables and similar notes. */
  warnings: ConfigWarning[]
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/** Lifecycle of one order the machine asked for. */
export type OrderStatus =
  | 'pending'
  | 'open'
  | 'canceling'
  | 'filled'
  | 'canceled'
  | 'rejected'

/** One order the machine placed (a rung or a sell), as the machine knows it. */
export interface OrderRecord {
  /** The uint32 client id the machine derived for it. */
  clientId: number
  /** Cycle that placed it. */
  cycle: number
  /** `'buy'` for rungs, `'sell'` for exits. */
  side: 'buy' | 'sell'
  /** Rung index for buys; -1 for sells. */
  rung: number
  /** Limit price (for a market sell: the price it was expected to fill at). */
  price: DecimalString
  /** Ordered quantity. */
  quantity: DecimalString
  /** Price in ticks (price / tickSize), an exact integer. */
  priceTicks: number
  /** Quantity in lots (quantity / stepSize), an exact integer. */
  qtyLots: number
  /** Filled quantity so far, in lots. */
  filledLots: number
  /** Sum of fill price x fill quantity so far, in tick-lots (tickSize x stepSize units). */
  filledTickLots: number
  /** Quote fees of its fills so far, in money units. */
  feeUnits: number
  /** Base-asset fees of its fills so far, in base-fee units. */
  baseFeeUnits: number
  /** Where it stands. */
  status: OrderStatus
  /** The exchange's order id once accepted, else `null`. */
  orderId: string | null
  /**
   * Multi-step take profit: the index (0-based) of the take-profit step this
   * sell belongs to. Absent for rungs and for other sells.
   */
  takeProfitStep?: number
}

/** Money and fills of the current cycle's position (integers in exact units). */
export interface PositionRecord {
  /** Filled buy quantity, in lots. */
  boughtLots: number
  /** Sum of buy price x quantity, in tick-lots. */
  costTickLots: number
  /** Buy fees paid in quote currency, in money units (10^-moneyScale). */
  buyFeeUnits: number
  /** Buy fees paid in the base asset, in base-fee units (10^-(stepDecimals + 8)). */
  baseFeeUnits: number
  /** Sold quantity, in lots. */
  soldLots: number
  /** What the sells received, in tick-lots. */
  proceedsTickLots: number
  /** Sell fees, in money units. */
  sellFeeUnits: number
  /** Number of buy fills (partial fills count one each). */
  fills: number
  /**
   * Base asset carried into this cycle from earlier ones (what an exit could
   * not sell: below the step or the market minimum, or left by base-asset
   * fees), whole lots. Sold together with this cycle's fills. Missing in
   * states saved by older versions (read as 0).
   */
  carriedLots?: number
  /**
   * The part of the carried base asset below one lot, in base-fee units
   * (10^-(stepDecimals + 8)), from 0 to one lot minus one unit.
   */
  carriedFineUnits?: number
  /**
   * Cost basis of the carried base asset (average cost of the cycles it
   * came from), in money units. Moves to the cycle that sells it.
   */
  carriedCostUnits?: number
}

/** Running totals over the whole run. */
export interface RunTotals {
  /** Completed cycles (take-profits and stop-losses). */
  cycles: number
  /** Of which ended by stop loss. */
  stopLosses: number
  /** No-fill restarts. */
  noFillRestarts: number
  /** Buy fills (partial fills count one each). */
  fills: number
  /** Realised profit, in money units (can be negative). */
  realisedUnits: number
  /** All fees, in money units. */
  feeUnits: number
}

/** Scheduled timer deadlines (ms); `false` when not scheduled. */
export interface TimerDeadlines {
  /** The no-fill restart deadline. */
  noFill: number | false
  /** End of the cool-down between cycles. */
  coolDown: number | false
}

/** The configuration a machine runs with: strategy config and market rules. */
export interface LadderSetup {
  /** Normalized strategy configuration. */
  config: LadderConfig
  /** The market's rules. */
  market: LadderMarket
}

/** Fields every state carries. */
export interface StateCommon {
  /** The configuration; the same object is kept from step to step. */
  setup: LadderSetup
  /** Current cycle number (1 for the first ladder), 0 before the first one. */
  cycle: number
  /** Orders still relevant: this cycle's, and older ones waiting for a cancel acknowledgement. */
  orders: OrderRecord[]
  /** The current cycle's position. */
  position: PositionRecord
  /** Totals over the run. */
  totals: RunTotals
  /** Timer deadlines. */
  timers: TimerDeadlines
  /** Next free sell slot of this cycle (client id = cycle x 1024 + slot, slots 512..1023). */
  nextSellSlot: number
}

/**
 * A rung of the current ladder that is not on the book yet (rolling rungs,
 * `activeOrderCount`): planned with the rest of the ladder at the cycle's
 * start, placed when a higher rung closes.
 */
export interface QueuedRung {
  /** The client id it will be placed with (`clientIdFor(cycle, rung)`). */
  clientId: number
  /** Rung index, 0 = highest price. */
  rung: number
  /** Limit price, a multiple of the tick size. */
  price: DecimalString
  /** Quantity, a multiple of the step size. */
  quantity: DecimalString
  /** Price in ticks. */
  priceTicks: number
  /** Quantity in lots. */
  qtyLots: number
}

/** Created, not started yet: waits for `started`. */
export interface IdleState extends StateCommon {
  /** Discriminant. */
  status: 'idle'
}

/** Running, waiting for a reference price (and for older orders' cancels) to place the next ladder. */
export interface StartingState extends StateCommon {
  /** Discriminant. */
  status: 'starting'
  /**
   * Set while the last reference price was outside the price band
   * (`minPrice` / `maxPrice`): the machine waits for a price inside it.
   */
  waitingOutsideBand?: true
}

/** The ladder is on the book and nothing has filled in this cycle yet. */
export interface LadderingState extends StateCommon {
  /** Discriminant. */
  status: 'laddering'
  /** When the ladder was placed (ms). */
  placedAt: number
  /**
   * Rolling rungs (`activeOrderCount`): the ladder's rungs not placed yet,
   * highest first. Absent when every rung is placed.
   */
  queuedRungs?: QueuedRung[]
}

/** At least one rung filled; waiting for the take-profit (or stop loss). */
export interface InPositionState extends StateCommon {
  /** Discriminant. */
  status: 'inPosition'
  /** When the ladder was placed (ms). */
  placedAt: number
  /** Take-profit price, rounded UP to the tick. */
  takeProfitPrice: DecimalString
  /** Take-profit price in ticks. */
  takeProfitTicks: number
  /** Stop-loss price (rounded DOWN to the tick), or `null` when off. */
  stopLossPrice: DecimalString | null
  /** Highest price since the target was reached (trailing take profit), or `null`. */
  trailingPeak: DecimalString | null
  /** Trailing take profit: sell when the price falls to this (never below the target), or `null`. */
  trailingStopPrice: DecimalString | null
  /**
   * Rolling rungs (`activeOrderCount`): the ladder's rungs not placed yet,
   * highest first. Absent when every rung is placed.
   */
  queuedRungs?: QueuedRung[]
  /**
   * Multi-step take profit: how many steps have sold (market mode: been
   * triggered); `takeProfitPrice` is the target of the next one. Absent
   * without `takeProfitSteps`.
   */
  takeProfitStep?: number
  /**
   * Multi-step take profit: the position (in lots) the steps' shares are
   * taken of, fixed when the first step sells; 0 before that (the shares are
   * then of the position held).
   */
  stepBaseLots?: number
}

/** The exit is under way: rungs canceled, the position being sold. */
export interface ExitingState extends StateCommon {
  /** Discriminant. */
  status: 'exiting'
  /** Why the cycle is ending. */
  reason: ExitReason
  /** Stop the machine once the exit completes (instead of the next cycle). */
  stopAfter: boolean
  /** The price the exit was triggered at (expected fill price of market sells). */
  exitPrice: DecimalString
}

/** Between cycles: waits for the cool-down timer. */
export interface CoolingDownState extends StateCommon {
  /** Discriminant. */
  status: 'coolingDown'
  /** When the cool-down ends (ms). */
  until: number
}

/** Finished: no more orders will be placed. */
export interface StoppedState extends StateCommon {
  /** Discriminant. */
  status: 'stopped'
  /** Why it stopped. */
  reason: StopReason
  /**
   * Multi-step take profit, stopped by request while holding a position
   * whose first steps sold: the steps sold, kept for `started` to resume at
   * the next one. Absent otherwise.
   */
  takeProfitStep?: number
  /** With `takeProfitStep`: the steps' base in lots, kept for the resume. */
  stepBaseLots?: number
}

/** The machine's state: a discriminated union on `status`, JSON-serializable. */
export type LadderState =
  | IdleState
  | StartingState
  | LadderingState
  | InPositionState
  | ExitingState
  | CoolingDownState
  | StoppedState

/** Why a cycle ends. */
export type ExitReason =
  | 'takeProfit'
  | 'trailingTakeProfit'
  | 'stopLoss'
  | 'stopRequested'

/** Why the machine stopped. */
export type StopReason =
  | 'stopRequested'
  | 'takeProfitNoRestart'
  | 'maxCycles'
  | 'noRungFits'
  | 'clientIdsExhausted'
