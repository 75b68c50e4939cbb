/**
 * `@rung/backpack-sdk`: a typed SDK for the Backpack exchange.
 *
 * What lives where:
 * - **Client**: `createBackpackClient` binds every endpoint function
 *   (`getMarkets`, `executeOrder`, …); each is also importable on its own as
 *   `fn(client, params, options)`.
 * - **Signing** (also on the `@rung/backpack-sdk/signing` subpath):
 *   `buildSigningPayload`, `createSigner`, `verifySignature`, key helpers.
 * - **Decimals & precision**: `DecimalString` helpers, `MarketRules`,
 *   `formatPrice` / `formatQuantity` with explicit rounding.
 * - **Errors**: the `BackpackError` tree and name-based type guards.
 * - **Types**: wire types of every request and response (`<Fn>Parameters`,
 *   `<Fn>ReturnType`, `Order`, `Market`, …).
 *
 * ```ts
 * import { createBackpackClient, formatPrice, formatQuantity, loadMarketRules } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const rules = await loadMarketRules(client)
 * const ticker = await client.getTicker({ symbol: 'SOL_USDC' })
 * const price = formatPrice(rules, 'SOL_USDC', ticker?.lastPrice ?? '0', 'down')
 * const quantity = formatQuantity(rules, 'SOL_USDC', '0.5', 'down', { price })
 * const order = await client.executeOrder({ symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price, quantity })
 * console.log(order.id, order.clientId)
 * ```
 *
 * @module
 */

// The lists below repeat the names their modules declare (`duplicates` pairs
// some with those modules' own import lists): re-exports by name, not copies.
// ── client and REST ─────────────────────────────────────────────────────────
export type {
  BackpackClientOptions,
  CreateBackpackClientErrorType,
} from './client.js'
export {
  BACKPACK_API_URL,
  createBackpackClient,
  DEFAULT_CLOCK_SYNC_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WINDOW_MS,
} from './client.js'
export type {
  BackpackClient,
  BackpackClientConfig,
  Bound,
} from './clientMethods.js'
// ── decimals and precision ──────────────────────────────────────────────────
export type {
  AddDecimalsErrorType,
  CompareDecimalsErrorType,
  DecimalString,
  DivideDecimalsErrorType,
  DivideOptions,
  MultiplyDecimalsErrorType,
  NormalizeDecimalErrorType,
  Rounding,
  RoundToIncrementErrorType,
  SubtractDecimalsErrorType,
} from './decimal/decimal.js'
export {
  addDecimals,
  compareDecimals,
  divideDecimals,
  isDecimalString,
  multiplyDecimals,
  normalizeDecimal,
  roundToIncrement,
  subtractDecimals,
} from './decimal/decimal.js'
// ── endpoints: account, orders, history (signed) ────────────────────────────
export type { GetAccountErrorType } from './endpoints/account/getAccount.js'
export { getAccount } from './endpoints/account/getAccount.js'
export type { GetBalancesErrorType } from './endpoints/account/getBalances.js'
export { getBalances } from './endpoints/account/getBalances.js'
export type { GetCollateralErrorType } from './endpoints/account/getCollateral.js'
export { getCollateral } from './endpoints/account/getCollateral.js'
export type { GetFillHistoryErrorType } from './endpoints/history/getFillHistory.js'
export { getFillHistory } from './endpoints/history/getFillHistory.js'
export type { GetOrderHistoryErrorType } from './endpoints/history/getOrderHistory.js'
export { getOrderHistory } from './endpoints/history/getOrderHistory.js'
export type { CancelOpenOrdersErrorType } from './endpoints/orders/cancelOpenOrders.js'
export { cancelOpenOrders } from './endpoints/orders/cancelOpenOrders.js'
export type { CancelOrderErrorType } from './endpoints/orders/cancelOrder.js'
export { cancelOrder } from './endpoints/orders/cancelOrder.js'
export type { ExecuteOrderErrorType } from './endpoints/orders/executeOrder.js'
export {
  AMBIGUOUS_ORDER_MARGIN_MS,
  executeOrder,
} from './endpoints/orders/executeOrder.js'
export type { ExecuteOrdersErrorType } from './endpoints/orders/executeOrders.js'
export { executeOrders } from './endpoints/orders/executeOrders.js'
export type {
  FindOrderByClientIdErrorType,
  FindOrderByClientIdParameters,
  FindOrderByClientIdReturnType,
} from './endpoints/orders/findOrderByClientId.js'
export { findOrderByClientId } from './endpoints/orders/findOrderByClientId.js'
export type { GetOpenOrdersErrorType } from './endpoints/orders/getOpenOrders.js'
export { getOpenOrders } from './endpoints/orders/getOpenOrders.js'
export type { GetOrderErrorType } from './endpoints/orders/getOrder.js'
export { getOrder } from './endpoints/orders/getOrder.js'
export { generateClientId } from './endpoints/orders/orderBody.js'
// ── endpoints: public ───────────────────────────────────────────────────────
export type { GetAssetsErrorType } from './endpoints/public/getAssets.js'
export { getAssets } from './endpoints/public/getAssets.js'
export type { GetDepthErrorType } from './endpoints/public/getDepth.js'
export { getDepth } from './endpoints/public/getDepth.js'
export type { GetHistoricalTradesErrorType } from './endpoints/public/getHistoricalTrades.js'
export { getHistoricalTrades } from './endpoints/public/getHistoricalTrades.js'
export type { GetKlinesErrorType } from './endpoints/public/getKlines.js'
export { getKlines } from './endpoints/public/getKlines.js'
export type { GetMarketErrorType } from './endpoints/public/getMarket.js'
export { getMarket } from './endpoints/public/getMarket.js'
export type { GetMarketsErrorType } from './endpoints/public/getMarkets.js'
export { getMarkets } from './endpoints/public/getMarkets.js'
export type { GetRecentTradesErrorType } from './endpoints/public/getRecentTrades.js'
export { getRecentTrades } from './endpoints/public/getRecentTrades.js'
export type { GetServerTimeErrorType } from './endpoints/public/getServerTime.js'
export { getServerTime } from './endpoints/public/getServerTime.js'
export type { GetStatusErrorType } from './endpoints/public/getStatus.js'
export { getStatus } from './endpoints/public/getStatus.js'
export type { GetTickerErrorType } from './endpoints/public/getTicker.js'
export { getTicker } from './endpoints/public/getTicker.js'
export type { GetTickersErrorType } from './endpoints/public/getTickers.js'
export { getTickers } from './endpoints/public/getTickers.js'
export type { PingErrorType } from './endpoints/public/ping.js'
export { ping } from './endpoints/public/ping.js'
// ── errors ──────────────────────────────────────────────────────────────────
export type {
  BackpackErrorName,
  BackpackErrorOptions,
} from './errors/backpackError.js'
export { BackpackError } from './errors/backpackError.js'
export {
  isApiError,
  isBackpackError,
  isHttpError,
  isNetworkError,
  isPrecisionError,
  isSigningError,
  isTimeoutError,
  isValidationError,
  isWebSocketError,
} from './errors/guards.js'
export type { ApiErrorCode, RequestSummary } from './errors/httpErrors.js'
export {
  ApiError,
  HttpError,
  MAX_ERROR_BODY_LENGTH,
  NetworkError,
  TimeoutError,
} from './errors/httpErrors.js'
export {
  PrecisionError,
  SigningError,
  ValidationError,
} from './errors/inputErrors.js'
export type { OrderLookup } from './errors/orderStateUnknownError.js'
export {
  isOrderStateUnknownError,
  OrderStateUnknownError,
} from './errors/orderStateUnknownError.js'
export { WebSocketError } from './errors/webSocketError.js'
export type {
  FormatPriceErrorType,
  FormatQuantityErrorType,
  FormatQuantityOptions,
} from './markets/format.js'
export { formatPrice, formatQuantity } from './markets/format.js'
export {
  isKlineInterval,
  KLINE_INTERVAL_SECONDS,
} from './markets/klineIntervals.js'
export type {
  LoadMarketRulesErrorType,
  MarketRule,
  MarketRules,
  MarketRulesFromMarketsErrorType,
  ParseMarketRulesErrorType,
} from './markets/marketRules.js'
export {
  loadMarketRules,
  marketRulesFromMarkets,
  parseMarketRules,
} from './markets/marketRules.js'
export type { Logger } from './rest/logger.js'
export type { NodeFetch, NodeFetchOptions } from './rest/nodeFetch.js'
export { createNodeFetch } from './rest/nodeFetch.js'
export type {
  BackpackRequester,
  HttpMethod,
  RequestArgs,
  RequestErrorType,
  RequestFn,
  RetryOptions,
} from './rest/request.js'
export type {
  FetchFn,
  FetchInit,
  FetchResponse,
} from './rest/transport.js'
// ── signing (same exports as the `./signing` subpath) ───────────────────────
export type { SigningBackend } from './signing/backends.js'
export type {
  BuildSigningPayloadArgs,
  BuildSigningPayloadErrorType,
  SigningParams,
} from './signing/buildSigningPayload.js'
export {
  buildSigningPayload,
  MAX_WINDOW_MS,
} from './signing/buildSigningPayload.js'
export type { Instruction, SignedRoute } from './signing/instructions.js'
export { INSTRUCTIONS, instructionFor } from './signing/instructions.js'
export type {
  DerivePublicKeyErrorType,
  GenerateKeyPairErrorType,
  KeyPair,
  SigningBackendOptions,
} from './signing/keys.js'
export { derivePublicKey, generateKeyPair } from './signing/keys.js'
export type {
  CreateSignerErrorType,
  Signer,
  SignSubscriptionArgs,
  SignSubscriptionErrorType,
  VerifySignatureArgs,
} from './signing/sign.js'
export {
  createSigner,
  signSubscription,
  verifySignature,
} from './signing/sign.js'
// ── wire types (REST) ───────────────────────────────────────────────────────
export type {
  MarketType,
  OrderStatus,
  OrderType,
  RequestOptions,
  SelfTradePrevention,
  Side,
  SortDirection,
  TimeInForce,
  TriggerBy,
} from './types/common.js'
export type {
  Account,
  Balance,
  BatchOrderError,
  BatchOrderOk,
  BatchOrderResult,
  CancelOpenOrdersParameters,
  CancelOpenOrdersReturnType,
  CancelOrderParameters,
  CancelOrderReturnType,
  Collateral,
  CollateralAsset,
  ExecuteLimitOrderParameters,
  ExecuteMarketOrderBaseParameters,
  ExecuteMarketOrderByQuantityParameters,
  ExecuteMarketOrderByQuoteParameters,
  ExecuteMarketOrderParameters,
  ExecuteMarketTriggerOrderParameters,
  ExecuteOrderBaseParameters,
  ExecuteOrderParameters,
  ExecuteOrderReturnType,
  ExecuteOrdersParameters,
  ExecuteOrdersReturnType,
  Fill,
  FillType,
  GetAccountReturnType,
  GetBalancesReturnType,
  GetCollateralParameters,
  GetCollateralReturnType,
  GetFillHistoryParameters,
  GetFillHistoryReturnType,
  GetOpenOrdersParameters,
  GetOpenOrdersReturnType,
  GetOrderHistoryParameters,
  GetOrderHistoryReturnType,
  GetOrderParameters,
  GetOrderReturnType,
  HistoryPaging,
  LimitOrder,
  MarketOrder,
  Order,
  OrderBase,
  OrderHistoryEntry,
  OrderIdentifier,
  WithClientId,
} from './types/private.js'
export type {
  Asset,
  AssetToken,
  Depth,
  DepthLevel,
  DepthLimit,
  GetAssetsParameters,
  GetAssetsReturnType,
  GetDepthParameters,
  GetDepthReturnType,
  GetHistoricalTradesParameters,
  GetHistoricalTradesReturnType,
  GetKlinesParameters,
  GetKlinesReturnType,
  GetMarketParameters,
  GetMarketReturnType,
  GetMarketsParameters,
  GetMarketsReturnType,
  GetRecentTradesParameters,
  GetRecentTradesReturnType,
  GetServerTimeReturnType,
  GetStatusReturnType,
  GetTickerParameters,
  GetTickerReturnType,
  GetTickersParameters,
  GetTickersReturnType,
  Kline,
  MarginFunction,
  Market,
  MarketPriceFilter,
  MarketQuantityFilter,
  PingReturnType,
  SystemStatus,
  Ticker,
  TickerInterval,
  Trade,
} from './types/public.js'

// ── streams (WebSocket client, wire types, local order book) ────────────────
// Owned by the streams work (docs/streams.md); keep this block together.

export type { CreateOrderBookErrorType } from './orderbook/createOrderBook.js'
export { createOrderBook } from './orderbook/createOrderBook.js'
export type {
  BookUpdate,
  DepthSnapshot,
  DepthSnapshotSource,
  FetchDepthSnapshot,
  FillEstimate,
  OrderBook,
  OrderBookEvents,
  OrderBookOptions,
  OrderBookState,
  OrderBookStats,
  SnapshotLimit,
} from './orderbook/types.js'
export type {
  BookTickerEvent,
  DepthEvent,
  DepthStreamKind,
  KlineEvent,
  KlineInterval,
  LiquidationEvent,
  MarkPriceEvent,
  OpenInterestEvent,
  OrderUpdateEvent,
  OrderUpdateEventType,
  PositionUpdateEvent,
  RfqUpdateEvent,
  StreamEventOf,
  TickerEvent,
  TradeEvent,
  WsDecimal,
  WsLevel,
  WsSide,
} from './types/ws.js'
export type { CreateStreamClientErrorType } from './ws/createStreamClient.js'
export { createStreamClient } from './ws/createStreamClient.js'
export type { OverflowPolicy, StreamIterator } from './ws/iterator.js'
export { BACKPACK_WS_URL } from './ws/options.js'
export type { WebSocketConstructor, WebSocketLike } from './ws/socket.js'
export type {
  HeartbeatOptions,
  IterateOptions,
  MalformedFrame,
  ReconnectOptions,
  StreamClient,
  StreamClientEvents,
  StreamClientOptions,
  StreamGap,
  StreamLogger,
  StreamMessage,
  StreamState,
  StreamStats,
  SubscribeOptions,
  Subscription,
} from './ws/types.js'
