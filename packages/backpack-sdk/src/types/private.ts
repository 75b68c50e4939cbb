/**
 * Wire types of the private (signed) REST endpoints (reference §4). Decimals
 * are strings; optional fields may be missing or `null` on the wire.
 */
import type { DecimalString } from '../decimal/decimal.js'
import type {
  MarketType,
  OrderStatus,
  SelfTradePrevention,
  Side,
  SortDirection,
  TimeInForce,
  TriggerBy,
} from './common.js'

// ── capital and account ─────────────────────────────────────────────────────

/** One asset's balance. Total = available + locked + staked. */
export interface Balance {
  /** Free to trade or withdraw. */
  available: DecimalString
  /** Held by open orders. */
  locked: DecimalString
  /** Staked. */
  staked: DecimalString
}

/** Return type of `getBalances`: balances keyed by asset symbol. */
export type GetBalancesReturnType = Record<string, Balance>

/** One collateral asset in {@link Collateral}. */
export interface CollateralAsset {
  /** Asset symbol. */
  symbol: string
  /** Mark price of the asset. */
  assetMarkPrice: DecimalString
  /** Total quantity held. */
  totalQuantity: DecimalString
  /** Notional value. */
  balanceNotional: DecimalString
  /** Collateral weight. */
  collateralWeight: DecimalString
  /** Collateral value. */
  collateralValue: DecimalString
  /** Quantity in open orders. */
  openOrderQuantity: DecimalString
  /** Quantity lent. */
  lendQuantity: DecimalString
  /** Quantity available. */
  availableQuantity: DecimalString
}

/** `GET /api/v1/capital/collateral`. */
export interface Collateral {
  /** Value of all assets. */
  assetsValue: DecimalString
  /** Borrow liability. */
  borrowLiability: DecimalString
  /** Initial margin fraction. */
  imf: DecimalString
  /** Maintenance margin fraction. */
  mmf: DecimalString
  /** Margin fraction, if any position. */
  marginFraction?: DecimalString | null
  /** Unsettled equity. */
  unsettledEquity: DecimalString
  /** Liabilities value. */
  liabilitiesValue: DecimalString
  /** Net equity. */
  netEquity: DecimalString
  /** Net equity available. */
  netEquityAvailable: DecimalString
  /** Net equity locked. */
  netEquityLocked: DecimalString
  /** Net futures exposure. */
  netExposureFutures: DecimalString
  /** Unrealised PnL. */
  pnlUnrealized: DecimalString
  /** Per-asset collateral. */
  collateral: CollateralAsset[]
}

/** Parameters of `getCollateral`. */
export interface GetCollateralParameters {
  /** Subaccount id. */
  subaccountId?: number | undefined
}

/** Return type of `getCollateral`. */
export type GetCollateralReturnType = Collateral

/** `GET /api/v1/account`. Fees are decimal strings in basis points. */
export interface Account {
  /** Auto-borrow on settlement. */
  autoBorrowSettlements: boolean
  /** Auto-lend idle balances. */
  autoLend: boolean
  /** Auto-realise PnL. */
  autoRealizePnl: boolean
  /** Auto-repay borrows. */
  autoRepayBorrows: boolean
  /** Whether the account is being liquidated. */
  liquidating: boolean
  /** Borrow limit. */
  borrowLimit: DecimalString
  /** Leverage limit. */
  leverageLimit: DecimalString
  /** Position limit. */
  positionLimit: DecimalString
  /** Futures maker fee (bps; negative is a rebate). */
  futuresMakerFee: DecimalString
  /** Futures taker fee (bps). */
  futuresTakerFee: DecimalString
  /** Spot maker fee (bps). */
  spotMakerFee: DecimalString
  /** Spot taker fee (bps). */
  spotTakerFee: DecimalString
  /** Number of open limit orders. */
  limitOrders: number
  /** Number of open trigger orders. */
  triggerOrders: number
}

/** Return type of `getAccount`. */
export type GetAccountReturnType = Account

// ── orders: requests ────────────────────────────────────────────────────────

/** Fields every order request may carry (reference §4.3). */
export interface ExecuteOrderBaseParameters {
  /** Market symbol, e.g. `SOL_USDC`. */
  symbol: string
  /** `Bid` (buy) or `Ask` (sell). */
  side: Side
  /**
   * Your id for the order, a uint32 (0 to 4294967295). Generated when
   * omitted; the SDK always sends one so an ambiguous failure can be
   * resolved by looking the order up.
   */
  clientId?: number | undefined
  /** Self-trade prevention. @default 'RejectTaker' (exchange default) */
  selfTradePrevention?: SelfTradePrevention | undefined
  /** Futures only: never increase the position. */
  reduceOnly?: boolean | undefined
  /** Spot margin: lend proceeds. */
  autoLend?: boolean | undefined
  /** Spot margin: redeem lent funds to fill. */
  autoLendRedeem?: boolean | undefined
  /** Spot margin: borrow to fill. */
  autoBorrow?: boolean | undefined
  /** Spot margin: repay borrows with proceeds. */
  autoBorrowRepay?: boolean | undefined
  /** Makes this a trigger order; needs `triggerQuantity` too. */
  triggerPrice?: DecimalString | undefined
  /** Trigger quantity: an amount (`"0.01"`) or a position share (`"50%"`). */
  triggerQuantity?: string | undefined
  /** Reference price for the trigger. */
  triggerBy?: TriggerBy | undefined
  /** Attached stop-loss trigger price. */
  stopLossTriggerPrice?: DecimalString | undefined
  /** Attached stop-loss limit price (market stop when omitted). */
  stopLossLimitPrice?: DecimalString | undefined
  /** Stop-loss reference price. */
  stopLossTriggerBy?: TriggerBy | undefined
  /** Attached take-profit trigger price. */
  takeProfitTriggerPrice?: DecimalString | undefined
  /** Attached take-profit limit price (market when omitted). */
  takeProfitLimitPrice?: DecimalString | undefined
  /** Take-profit reference price. */
  takeProfitTriggerBy?: TriggerBy | undefined
  /** Broker id (uint16). */
  brokerId?: number | undefined
}

/** A limit order: `price` and `quantity` required. */
export interface ExecuteLimitOrderParameters
  extends ExecuteOrderBaseParameters {
  /** Discriminator. */
  orderType: 'Limit'
  /** Limit price; a multiple of the market's tick size. */
  price: DecimalString
  /** Base quantity; a multiple of the market's step size. */
  quantity: DecimalString
  /** Time in force. @default 'GTC' */
  timeInForce?: TimeInForce | undefined
  /** Maker only: rejected instead of taking liquidity. */
  postOnly?: boolean | undefined
  /** Not allowed on limit orders. */
  quoteQuantity?: never
}

/** Fields of a market order other than its size. */
export interface ExecuteMarketOrderBaseParameters
  extends ExecuteOrderBaseParameters {
  /** Discriminator. */
  orderType: 'Market'
  /** Time in force. */
  timeInForce?: TimeInForce | undefined
  /** Slippage tolerance. */
  slippageTolerance?: DecimalString | undefined
  /** Unit of `slippageTolerance`. */
  slippageToleranceType?: 'TickSize' | 'Percent' | undefined
  /** Not allowed on market orders. */
  price?: never
  /** Not allowed on market orders. */
  postOnly?: never
}

/** A market order sized in base units. */
export interface ExecuteMarketOrderByQuantityParameters
  extends ExecuteMarketOrderBaseParameters {
  /** Base quantity. */
  quantity: DecimalString
  /** Give either `quantity` or `quoteQuantity`, not both. */
  quoteQuantity?: never
}

/** A market order sized in quote units ("reverse market order"). */
export interface ExecuteMarketOrderByQuoteParameters
  extends ExecuteMarketOrderBaseParameters {
  /** Quote notional to spend or receive. */
  quoteQuantity: DecimalString
  /** Give either `quantity` or `quoteQuantity`, not both. */
  quantity?: never
}

/** A market trigger order sized only by `triggerQuantity` (ccxt style). */
export interface ExecuteMarketTriggerOrderParameters
  extends ExecuteMarketOrderBaseParameters {
  /** Trigger price. */
  triggerPrice: DecimalString
  /** Amount or position share (`"50%"`). */
  triggerQuantity: string
  /** Not used with `triggerQuantity` sizing. */
  quantity?: never
  /** Not used with `triggerQuantity` sizing. */
  quoteQuantity?: never
}

/** Any market order. */
export type ExecuteMarketOrderParameters =
  | ExecuteMarketOrderByQuantityParameters
  | ExecuteMarketOrderByQuoteParameters
  | ExecuteMarketTriggerOrderParameters

/**
 * Parameters of `executeOrder`: a union discriminated by `orderType`.
 * Limit orders need `price` and `quantity`; market orders need exactly one of
 * `quantity`, `quoteQuantity` or (`triggerPrice` + `triggerQuantity`).
 */
export type ExecuteOrderParameters =
  | ExecuteLimitOrderParameters
  | ExecuteMarketOrderParameters

// ── orders: responses ───────────────────────────────────────────────────────

/** Fields common to every order object (reference §4.3). */
export interface OrderBase {
  /** Exchange order id: a string of digits. */
  id: string
  /** Your uint32 id, if one was sent. */
  clientId?: number | null
  /** Market symbol. */
  symbol: string
  /** Side. */
  side: Side
  /** Creation time in ms. */
  createdAt: number
  /** Filled base quantity. */
  executedQuantity: DecimalString
  /** Filled quote quantity. */
  executedQuoteQuantity: DecimalString
  /** Time in force. */
  timeInForce: TimeInForce | (string & {})
  /** Self-trade prevention. */
  selfTradePrevention: SelfTradePrevention | (string & {})
  /** Status. */
  status: OrderStatus
  /** Futures reduce-only flag. */
  reduceOnly?: boolean | null
  /** Trigger price. */
  triggerPrice?: DecimalString | null
  /** Trigger quantity. */
  triggerQuantity?: string | null
  /** Trigger reference. */
  triggerBy?: TriggerBy | (string & {}) | null
  /** When the trigger fired (ms). */
  triggeredAt?: number | null
  /** Stop-loss trigger price. */
  stopLossTriggerPrice?: DecimalString | null
  /** Stop-loss limit price. */
  stopLossLimitPrice?: DecimalString | null
  /** Stop-loss reference. */
  stopLossTriggerBy?: TriggerBy | (string & {}) | null
  /** Take-profit trigger price. */
  takeProfitTriggerPrice?: DecimalString | null
  /** Take-profit limit price. */
  takeProfitLimitPrice?: DecimalString | null
  /** Take-profit reference. */
  takeProfitTriggerBy?: TriggerBy | (string & {}) | null
  /** Parent or trigger-owner order id. */
  relatedOrderId?: string | null
  /** Strategy id. */
  strategyId?: string | null
  /** Slippage tolerance. */
  slippageTolerance?: DecimalString | null
  /** Slippage tolerance unit. */
  slippageToleranceType?: 'TickSize' | 'Percent' | (string & {}) | null
}

/** A limit order. */
export interface LimitOrder extends OrderBase {
  /** Discriminator. */
  orderType: 'Limit'
  /** Limit price. */
  price: DecimalString
  /** Base quantity. */
  quantity: DecimalString
  /** Maker-only flag. */
  postOnly: boolean
}

/** A market order. */
export interface MarketOrder extends OrderBase {
  /** Discriminator. */
  orderType: 'Market'
  /** Base quantity, if sized in base. */
  quantity?: DecimalString | null
  /** Quote quantity, if sized in quote. */
  quoteQuantity?: DecimalString | null
}

/** An order as returned by execute, query and cancel endpoints. */
export type Order = LimitOrder | MarketOrder

/** The `clientId` every order placed through the SDK carries. */
export interface WithClientId {
  /** The order's uint32 client id (yours, or generated by the SDK). */
  clientId: number
}

/** Return type of `executeOrder`: the order, always with its `clientId`. */
export type ExecuteOrderReturnType = Order & WithClientId

/** A failed item of a batch (`POST /api/v1/orders`). */
export interface BatchOrderError {
  /** Backpack error code, e.g. `INSUFFICIENT_FUNDS`. */
  code: string
  /** Backpack's message. */
  message: string
  /** Always `Err`. */
  operation: 'Err'
}

/** The success tag the spec puts on batch items (presence UNCONFIRMED). */
export interface BatchOrderOk {
  /** `Ok` when present; judge items by `code`, not by this tag. */
  operation?: 'Ok'
}

/** One batch result: the order, or its error, in submission order. */
export type BatchOrderResult = (Order & BatchOrderOk) | BatchOrderError

/** Parameters of `executeOrders`: the orders, in the order to submit. */
export type ExecuteOrdersParameters = readonly ExecuteOrderParameters[]

/** Return type of `executeOrders`: one result per order, same order. */
export type ExecuteOrdersReturnType = BatchOrderResult[]

/** Identifies one order: `orderId` or `clientId`, not both. */
export type OrderIdentifier =
  | {
      /** Exchange order id. */
      orderId: string
      /** Give one of `orderId` / `clientId`. */
      clientId?: never
    }
  | {
      /** Your uint32 id. */
      clientId: number
      /** Give one of `orderId` / `clientId`. */
      orderId?: never
    }

/** Parameters of `getOrder`. Only resting orders are found (else 404). */
export type GetOrderParameters = {
  /** Market symbol. */
  symbol: string
} & OrderIdentifier

/** Return type of `getOrder`. */
export type GetOrderReturnType = Order

/** Parameters of `getOpenOrders`. */
export interface GetOpenOrdersParameters {
  /** Only this market. */
  symbol?: string | undefined
  /** Only this market type. */
  marketType?: MarketType | undefined
}

/** Return type of `getOpenOrders`. */
export type GetOpenOrdersReturnType = Order[]

/** Parameters of `cancelOrder`. */
export type CancelOrderParameters = {
  /** Market symbol. */
  symbol: string
} & OrderIdentifier

/** Return type of `cancelOrder`: the cancelled order. */
export type CancelOrderReturnType = Order

/** Parameters of `cancelOpenOrders`. */
export interface CancelOpenOrdersParameters {
  /** Market symbol (required by Backpack). */
  symbol: string
  /** Only resting limit orders, or only conditional (trigger) orders. */
  orderType?: 'RestingLimitOrder' | 'ConditionalOrder' | undefined
}

/** Return type of `cancelOpenOrders`: the cancelled orders. */
export type CancelOpenOrdersReturnType = Order[]

// ── history ─────────────────────────────────────────────────────────────────

/** Paging shared by history endpoints. */
export interface HistoryPaging {
  /** Rows per page, 1 to 1000. @default 100 */
  limit?: number | undefined
  /** Rows to skip. @default 0 */
  offset?: number | undefined
  /** Sort direction. */
  sortDirection?: SortDirection | undefined
}

/** A row of `GET /wapi/v1/history/orders`. */
export interface OrderHistoryEntry {
  /** Order id. */
  id: string
  /** Creation time: a naive UTC datetime string (not ms). */
  createdAt: string
  /** Your uint32 id. */
  clientId?: number | null
  /** Market symbol. */
  symbol: string
  /** Side. */
  side: Side
  /** Order type. */
  orderType: 'Limit' | 'Market' | (string & {})
  /** Status. */
  status: OrderStatus
  /** Limit price. */
  price?: DecimalString | null
  /** Base quantity. */
  quantity?: DecimalString | null
  /** Quote quantity. */
  quoteQuantity?: DecimalString | null
  /** Filled base quantity. */
  executedQuantity?: DecimalString | null
  /** Filled quote quantity. */
  executedQuoteQuantity?: DecimalString | null
  /** Why the order expired, if it did. */
  expiryReason?: string | null
  /** Maker-only flag. */
  postOnly?: boolean | null
  /** Time in force. */
  timeInForce: TimeInForce | (string & {})
  /** Self-trade prevention. */
  selfTradePrevention: SelfTradePrevention | (string & {})
  /** System order type (liquidations and such). */
  systemOrderType?: string | null
  /** Strategy id. */
  strategyId?: string | null
  /** Trigger price. */
  triggerPrice?: DecimalString | null
  /** Trigger quantity. */
  triggerQuantity?: string | null
}

/** Parameters of `getOrderHistory`. */
export interface GetOrderHistoryParameters extends HistoryPaging {
  /** Only this order. */
  orderId?: string | undefined
  /** Only this strategy. */
  strategyId?: string | undefined
  /** Only this market. */
  symbol?: string | undefined
  /** Only this market type (one value; repeated keys are UNCONFIRMED). */
  marketType?: MarketType | undefined
}

/** Return type of `getOrderHistory`. */
export type GetOrderHistoryReturnType = OrderHistoryEntry[]

/** Fill type filter. */
export type FillType =
  | 'User'
  | 'BookLiquidation'
  | 'Adl'
  | 'Backstop'
  | 'Liquidation'
  | 'AllLiquidation'
  | 'CollateralConversion'
  | 'CollateralConversionAndSpotLiquidation'

/** A row of `GET /wapi/v1/history/fills`. */
export interface Fill {
  /** Trade id (int64). */
  tradeId?: number | null
  /** Order id. */
  orderId: string
  /** Your client id: a **string** in this endpoint. */
  clientId?: string | null
  /** Market symbol. */
  symbol: string
  /** Side. */
  side: Side
  /** Price. */
  price: DecimalString
  /** Base quantity. */
  quantity: DecimalString
  /** Fee. */
  fee: DecimalString
  /** Fee asset. */
  feeSymbol: string
  /** Whether this fill was a maker fill. */
  isMaker: boolean
  /** System order type, for liquidations and such. */
  systemOrderType?: string | null
  /** Naive UTC datetime string. */
  timestamp: string
}

/** Parameters of `getFillHistory`. */
export interface GetFillHistoryParameters extends HistoryPaging {
  /** Only this order. */
  orderId?: string | undefined
  /** Only this strategy. */
  strategyId?: string | undefined
  /** From this time (ms). */
  from?: number | undefined
  /** Until this time (ms). */
  to?: number | undefined
  /** Only this market. */
  symbol?: string | undefined
  /** Fill type; `User` excludes system fills (default includes them). */
  fillType?: FillType | undefined
  /** Only this market type (one value). */
  marketType?: MarketType | undefined
}

/** Return type of `getFillHistory`. */
export type GetFillHistoryReturnType = Fill[]
