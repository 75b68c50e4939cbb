/**
 * All of the bot's I/O: REST calls through `@rung/backpack-sdk`, the
 * WebSocket feed, and the dry-run stand-in. `bot.ts` never touches the
 * network; it hands commands here and gets events back.
 *
 *   placeOrders   → one POST /api/v1/order per rung (GTC limit bid), in order,
 *                   each with the strategy's client id. The SDK resolves an
 *                   ambiguous failure by looking the client id up; if even
 *                   that fails, the remaining rungs are not sent and the loop
 *                   reconciles (and re-sends what the exchange never saw).
 *   cancelOrders  → DELETE /api/v1/order by client id ("not found" means the
 *                   order closed on its own: a reconcile finds out how);
 *                   `'all'` → DELETE /api/v1/orders for the symbol.
 *   sellPosition  → market (or GTC limit) ask with the strategy's client id.
 */
import {
  addDecimals,
  compareDecimals,
  type ExecuteOrderParameters,
  isApiError,
  isHttpError,
  isNetworkError,
  isTimeoutError,
  isWebSocketError,
  multiplyDecimals,
  normalizeDecimal,
  roundToIncrement,
  type StreamClient,
  subtractDecimals,
} from '@rung/backpack-sdk'
import type {
  ExchangeFill,
  ExchangeOrder,
  LadderCommand,
  LadderEvent,
  LadderState,
  ReconciledEvent,
} from '@rung/ladder-strategy'
import { isZero } from '../decimal.js'
import { EXIT, ExitError } from '../errors.js'
import { errorFields, type Logger } from '../ui/logger.js'
import type { LeftoverSale } from './historyStore.js'
import { baseAsset, orderUpdateToEvent } from './orderEvents.js'
import type { Executor, FeedHandlers, MarketFeed } from './ports.js'

/** Client ids of leftover sells: below 1024, i.e. cycle 0, never the strategy's. */
const LEFTOVER_CLIENT_ID0 = 900

/** The order fields the executor reads from SDK answers (the SDK's `Order`). */
export interface ExchangeOrderLike {
  /** Exchange order id. */
  id: string
  /** Client id, when set. */
  clientId?: number | null | undefined
  /** `Bid` or `Ask`. */
  side: string
  /** `Limit` or `Market`. */
  orderType: string
  /** Limit price. */
  price?: string | null | undefined
  /** Ordered quantity. */
  quantity?: string | null | undefined
  /** Filled so far. */
  executedQuantity: string
  /** What the fills so far cost or received (quote), when reported. */
  executedQuoteQuantity?: string | null | undefined
  /** `New`, `PartiallyFilled`, `Filled`, `Cancelled`... */
  status: string
}

/** The fill fields the executor reads (the SDK's `Fill`). */
export interface ExchangeFillLike {
  /** Exchange order id. */
  orderId: string
  /** Client id (a string in fill history). */
  clientId?: string | null | undefined
  /** `Bid` or `Ask`. */
  side: string
  /** Fill price. */
  price: string
  /** Fill quantity. */
  quantity: string
  /** Fee amount. */
  fee: string
  /** Fee asset. */
  feeSymbol: string
}

/**
 * The subset of the SDK client (`createBackpackClient`) the executor uses;
 * tests may pass a stub with the same shape.
 */
export interface ExchangeClient {
  /** POST /api/v1/order. */
  executeOrder(params: ExecuteOrderParameters): Promise<ExchangeOrderLike>
  /** GET /api/v1/orders. */
  getOpenOrders(params?: { symbol?: string }): Promise<ExchangeOrderLike[]>
  /** DELETE /api/v1/order. */
  cancelOrder(params: {
    symbol: string
    clientId: number
  }): Promise<ExchangeOrderLike>
  /** DELETE /api/v1/orders. */
  cancelOpenOrders(params: { symbol: string }): Promise<ExchangeOrderLike[]>
  /** GET /wapi/v1/history/fills. */
  getFillHistory(params?: {
    symbol?: string
    from?: number
    limit?: number
    offset?: number
    fillType?: 'User'
  }): Promise<ExchangeFillLike[]>
  /** GET /api/v1/capital. */
  getBalances(): Promise<
    Record<
      string,
      {
        /** Free balance. */
        available: string
        /** Held by open orders. */
        locked: string
      }
    >
  >
  /** GET /api/v1/depth. */
  getDepth(params: { symbol: string; limit?: 5 }): Promise<{
    /** Bid levels `[price, quantity]`. */
    bids: [string, string][]
    /** Ask levels `[price, quantity]`. */
    asks: [string, string][]
  }>
  /** GET /api/v1/ticker. */
  getTicker(params: { symbol: string }): Promise<{
    /** Last traded price. */
    lastPrice: string
  } | null>
}

/** Market facts the executor needs. */
export interface ExecutorMarket {
  /** e.g. `BTC_USDC`. */
  symbol: string
  /** Quantity step. */
  stepSize: string
  /** Smallest quantity. */
  minQuantity: string
}

/** Options of {@link createLiveExecutor}. */
export interface LiveExecutorOptions {
  /** The SDK client (with credentials). */
  client: ExchangeClient
  /** The bot's market. */
  market: ExecutorMarket
  /** Other markets, for selling leftovers (`<ASSET>_USDC`). */
  markets: readonly ExecutorMarket[]
  /** Cancel everything on the symbol for the strategy's start `cancelOrders('all')`. */
  cancelAllOrders: boolean
  /** Logger. */
  logger: Logger
  /** Clock (ms). */
  now: () => number
}

/** A leftover balance a start with `sellNonUsdcAssets` would sell. */
export interface LeftoverPlan {
  /** The asset, e.g. `SOL`. */
  asset: string
  /** The market it is sold on, e.g. `SOL_USDC`. */
  market: string
  /** Quantity (on the market's step, rounded down). */
  quantity: string
  /** Its value at the last price (quote). */
  value: string
}

/** The live executor: an {@link Executor} that can also list leftover sales without making them. */
export interface LiveExecutor extends Executor {
  /**
   * The leftover sales `sellLeftovers` would make now.
   * @param minValue - Smallest value worth selling (quote).
   * @param keep - Quantities per asset that are the bot's own and stay.
   */
  planLeftovers(
    minValue: string,
    keep?: Readonly<Record<string, string>>,
  ): Promise<LeftoverPlan[]>
}

/** Where the bot's keys come from, for the `Fix:` line of an auth failure. */
const KEY_FIX =
  'check that BACKPACK_API_KEY and BACKPACK_API_SECRET (or the --key-file, or the api keys of the config) are the pair the exchange issued for this account, and that --base-url / BACKPACK_BASE_URL points at the exchange that issued them'

/** Text that marks a refused private stream subscription as an auth failure. */
const WS_AUTH_TEXT = /signature|unauthori[sz]ed|expired|api.?key|auth/i

/**
 * Classifies an error as the exchange rejecting the API key itself: retrying
 * cannot help, so the bot stops at once (exit 2) instead of treating it as
 * "no answer" and reconciling forever. Caught are a 401 on any REST call
 * (`INVALID_SIGNATURE`: an unknown key or a bad signature; `UNAUTHORIZED`:
 * still expired after the SDK re-read the exchange's clock), an
 * `INVALID_SIGNATURE` / `UNAUTHORIZED` code whatever the status, and a
 * private (`account.*`) stream subscription refused for its signature.
 *
 * @param error - Anything an SDK call threw or reported.
 * @returns An `ExitError` (exit code 2) naming the cause and the fix, or `undefined` for any other error.
 * @example
 * ```ts
 * import { authFailure } from './executor.js'
 * try { await client.getOpenOrders({ symbol: 'BTC_USDC' }) } catch (e) { throw authFailure(e) ?? e }
 * ```
 */
export function authFailure(error: unknown): ExitError | undefined {
  if (isHttpError(error)) {
    const code = isApiError(error) ? error.code : undefined
    const text = (isApiError(error) ? error.apiMessage : error.body) ?? ''
    if (
      error.status !== 401 &&
      code !== 'INVALID_SIGNATURE' &&
      code !== 'UNAUTHORIZED'
    )
      return undefined
    const request = `${error.method} ${error.path}`
    if (code === 'UNAUTHORIZED' && /expired/i.test(text)) {
      return new ExitError(
        EXIT.usage,
        `The exchange refused a signed request as expired (UNAUTHORIZED on ${request}: ${text}), even after re-reading the exchange's clock.\nFix: set this machine's clock right (enable NTP time sync), then start again.`,
        { cause: error },
      )
    }
    const what = code ?? `HTTP ${error.status}`
    return new ExitError(
      EXIT.usage,
      `The exchange rejected the API key (${what} on ${request}): the key is unknown there, or the secret does not belong to it.\nFix: ${KEY_FIX}. Orders already on the book (if any) stay there: cancel them with \`rung cancel-all\` once the keys work.`,
      { cause: error },
    )
  }
  if (
    isWebSocketError(error) &&
    error.stream?.startsWith('account.') &&
    WS_AUTH_TEXT.test(error.details ?? error.message)
  ) {
    const detail = error.details ?? error.shortMessage
    return new ExitError(
      EXIT.usage,
      /expired/i.test(detail)
        ? `The exchange refused the private stream ${error.stream} as expired (${detail}): this machine's clock is off.\nFix: set this machine's clock right (enable NTP time sync), then start again.`
        : `The exchange refused the private stream ${error.stream} (${detail}): it rejects the API key's signature.\nFix: ${KEY_FIX}.`,
      { cause: error },
    )
  }
  return undefined
}

/**
 * Classifies an error of the bot's first call to the exchange as "nothing
 * answers there" (connection refused, DNS failure, timeout): a setup
 * problem, so it is reported once with its fix (exit 2), not as an
 * unexpected failure.
 *
 * @param error - What the first call threw.
 * @param baseUrl - The REST origin the bot was given.
 * @returns An `ExitError` (exit code 2) naming the URL and the fix, or `undefined` for any other error.
 * @example
 * ```ts
 * import { unreachable } from './executor.js'
 * const rules = await loadMarketRules(client).catch((e) => { throw unreachable(e, baseUrl) ?? e })
 * ```
 */
export function unreachable(
  error: unknown,
  baseUrl: string,
): ExitError | undefined {
  if (!(isNetworkError(error) && !error.aborted) && !isTimeoutError(error))
    return undefined
  const reason = isTimeoutError(error)
    ? `no answer within ${error.timeoutMs} ms`
    : networkReason(error)
  return new ExitError(
    EXIT.usage,
    `Cannot reach the exchange at ${baseUrl} (${reason}).\nFix: check --base-url / BACKPACK_BASE_URL and this machine's network; for a local simulator, start it first (\`npm run sim\`) and pass the URL it prints.`,
    { cause: error },
  )
}

/** The innermost system error code of a failed fetch (`ECONNREFUSED`...). */
function networkReason(error: Error): string {
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code
    cause = cause.cause
  }
  return 'no connection'
}

/**
 * The exchange looked at the request and refused it (a 4xx with an error
 * code). A 5xx, even with a JSON body, is not a refusal: the order may exist,
 * so it is resolved by client id, never reported as rejected. A rejected key
 * is not a refusal of one request either: see `authFailure`.
 */
const isApiRefusal = (error: unknown): error is Error & { code: string } =>
  error instanceof Error &&
  error.name === 'ApiError' &&
  ((error as { status?: number }).status ?? 400) < 500 &&
  (error as { orderLookups?: unknown }).orderLookups === undefined &&
  authFailure(error) === undefined

const isNotFound = (error: unknown) =>
  error instanceof Error &&
  ((error as { code?: string }).code === 'RESOURCE_NOT_FOUND' ||
    (error as { status?: number }).status === 404)

const refusal = (error: Error & { code: string }) =>
  `${error.code}: ${(error as { apiMessage?: string }).apiMessage ?? error.message}`

/**
 * The executor that trades for real (against Backpack or the simulator).
 * Refusals become `orderRejected` events, and a missing answer ends the
 * batch with `reconcile: true`. Only a rejected API key throws, from any
 * method: a 401 on a signed call (`INVALID_SIGNATURE`, `UNAUTHORIZED`)
 * becomes an `ExitError` with exit code 2 that names the cause and the fix.
 *
 * @param options - The SDK client (with keys), the market, the cancel-all policy, a logger and a clock.
 * @returns The executor.
 * @example
 * ```ts
 * import { createBackpackClient, loadMarketRules } from '@rung/backpack-sdk'
 * import { createLiveExecutor, createLogger, createRedactor } from '@rung/bot-cli'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const market = (await loadMarketRules(client)).BTC_USDC!
 * const logger = createLogger({ format: 'plain', write: console.log, dir: false, redactor: createRedactor() })
 * const executor = createLiveExecutor({
 *   client, market, markets: [market],
 *   cancelAllOrders: true, logger, now: Date.now,
 * })
 * ```
 */
export function createLiveExecutor(options: LiveExecutorOptions): LiveExecutor {
  const { client, market, logger, now } = options
  const { symbol } = market
  let reconcileRequested = false

  /** Rethrows a rejected key as the fatal `ExitError` (logged), anything else as it is. */
  const rethrow = (error: unknown): never => {
    const fatal = authFailure(error)
    if (fatal === undefined) throw error
    logger.error("stopping: the exchange rejects this bot's signed requests", {
      ...(isHttpError(error)
        ? { request: `${error.method} ${error.path}`, status: error.status }
        : {}),
      ...(isApiError(error) ? { code: error.code } : {}),
    })
    throw fatal
  }

  const place = async (
    params: Parameters<ExchangeClient['executeOrder']>[0] & {
      clientId: number
    },
  ): Promise<LadderEvent> => {
    try {
      const order = await client.executeOrder(params)
      return {
        type: 'orderAccepted',
        at: now(),
        clientId: params.clientId,
        orderId: order.id,
      }
    } catch (error) {
      if (isApiRefusal(error)) {
        if (/already exists/i.test(error.message + refusal(error))) {
          // Sent before (a retry after a crash): the reconcile adopts it.
          reconcileRequested = true
          return {
            type: 'orderAccepted',
            at: now(),
            clientId: params.clientId,
            orderId: '',
          }
        }
        logger.warn('order rejected', {
          clientId: params.clientId,
          reason: refusal(error),
        })
        return {
          type: 'orderRejected',
          at: now(),
          clientId: params.clientId,
          reason: refusal(error),
        }
      }
      throw error
    }
  }

  const runOne = async (
    command: LadderCommand,
    state: LadderState,
    out: LadderEvent[],
  ) => {
    switch (command.type) {
      case 'placeOrders':
        for (const o of command.orders) {
          out.push(
            await place({
              symbol,
              side: 'Bid',
              orderType: 'Limit',
              price: o.price,
              quantity: o.quantity,
              clientId: o.clientId,
              timeInForce: command.timeInForce,
              ...(command.postOnly ? { postOnly: true } : {}),
            }),
          )
        }
        return
      case 'sellPosition':
        out.push(
          await place(
            command.orderType === 'market'
              ? {
                  symbol,
                  side: 'Ask',
                  orderType: 'Market',
                  quantity: command.quantity,
                  clientId: command.clientId,
                }
              : {
                  symbol,
                  side: 'Ask',
                  orderType: 'Limit',
                  price: command.price,
                  quantity: command.quantity,
                  clientId: command.clientId,
                  timeInForce: 'GTC',
                },
          ),
        )
        return
      case 'cancelOrders': {
        if (command.clientIds === 'all') {
          if (!options.cancelAllOrders) {
            logger.info(
              'left the open orders on the market alone (actions.cancelAllOrders: false)',
            )
            return
          }
          const canceled = await client.cancelOpenOrders({ symbol })
          logger.info('canceled the open orders on the market', {
            count: canceled.length,
          })
          const known = new Set(state.orders.map((o) => o.clientId))
          for (const o of canceled) {
            if (typeof o.clientId === 'number' && known.has(o.clientId))
              out.push({
                type: 'orderCanceled',
                at: now(),
                clientId: o.clientId,
              })
          }
          return
        }
        for (const clientId of command.clientIds) {
          try {
            await client.cancelOrder({ symbol, clientId })
            out.push({ type: 'orderCanceled', at: now(), clientId })
          } catch (error) {
            if (!isNotFound(error) && !isApiRefusal(error)) throw error
            // Not open any more (filled, or never placed): ask the exchange.
            reconcileRequested = true
          }
        }
        return
      }
      default:
        return
    }
  }

  const ownSide = (side: string): 'buy' | 'sell' =>
    side === 'Ask' ? 'sell' : 'buy'

  const executor: LiveExecutor = {
    async run(commands, state) {
      const events: LadderEvent[] = []
      reconcileRequested = false
      for (const command of commands) {
        try {
          await runOne(command, state, events)
        } catch (error) {
          // A rejected key ends the bot: no retry can succeed.
          if (authFailure(error)) rethrow(error)
          // The rest of the batch is not sent: the loop reconciles and sends
          // again only what the exchange never received.
          logger.warn('no answer from the exchange; reconciling', {
            command: command.type,
            ...errorFields(error),
          })
          return { events, reconcile: true }
        }
      }
      return { events, reconcile: reconcileRequested }
    },

    async reconcile(state, sinceMs): Promise<ReconciledEvent> {
      // Only the bot's own orders (client ids in its journal) are reported:
      // a manual order or a previous run's order is never adopted or canceled.
      const known = new Map(state.orders.map((o) => [o.clientId, o]))
      const byOrderId = new Map(
        state.orders
          .filter((o) => o.orderId)
          .map((o) => [o.orderId as string, o.clientId]),
      )
      const open = await client.getOpenOrders({ symbol })
      const openOrders: ExchangeOrder[] = []
      for (const o of open) {
        if (typeof o.clientId !== 'number' || !known.has(o.clientId)) continue
        openOrders.push({
          clientId: o.clientId,
          orderId: o.id,
          side: ownSide(o.side),
          price: o.price ?? known.get(o.clientId)?.price ?? '0',
          quantity: o.quantity ?? known.get(o.clientId)?.quantity ?? '0',
          filledQuantity: o.executedQuantity,
        })
      }
      const fills: ExchangeFill[] = []
      const base = baseAsset(symbol)
      const pageSize = 1000
      for (let offset = 0; ; offset += pageSize) {
        const page = await client.getFillHistory({
          symbol,
          from: Math.max(0, sinceMs),
          limit: pageSize,
          offset,
          fillType: 'User',
        })
        for (const f of page) {
          const fromId =
            f.clientId === null || f.clientId === undefined
              ? Number.NaN
              : Number(f.clientId)
          const clientId = Number.isSafeInteger(fromId)
            ? fromId
            : byOrderId.get(f.orderId)
          if (clientId === undefined || !known.has(clientId)) continue
          fills.push({
            clientId,
            side: ownSide(f.side),
            price: f.price,
            quantity: f.quantity,
            fee: f.fee,
            feeAsset: f.feeSymbol === base ? 'base' : 'quote',
          })
        }
        if (page.length < pageSize) break
      }
      return { type: 'reconciled', at: now(), openOrders, fills }
    },

    async price() {
      const depth = await client.getDepth({ symbol, limit: 5 })
      // The REST depth sort order is UNCONFIRMED (reference §9): take the max.
      let best: string | undefined
      for (const [price] of depth.bids)
        if (best === undefined || compareDecimals(price, best) > 0) best = price
      if (best !== undefined) return best
      const ticker = await client.getTicker({ symbol })
      if (!ticker)
        throw new Error(`no price for ${symbol}: empty book and no ticker`)
      return ticker.lastPrice
    },

    sellLeftovers: async (minValue, keep = {}) => {
      const sales: LeftoverSale[] = []
      let clientId = LEFTOVER_CLIENT_ID0
      for (const plan of await planLeftovers(minValue, keep)) {
        // Logged before the order is sent: what is about to be sold, and why.
        logger.info('selling leftover balance (sellNonUsdcAssets)', {
          asset: plan.asset,
          market: plan.market,
          quantity: plan.quantity,
          approxValue: plan.value,
        })
        const id = clientId++
        try {
          const order = await client.executeOrder({
            symbol: plan.market,
            side: 'Ask',
            orderType: 'Market',
            quantity: plan.quantity,
            clientId: id,
          })
          const fee = await leftoverFee(order.id, plan.market)
          const sale: LeftoverSale = {
            clientId: id,
            market: plan.market,
            asset: plan.asset,
            at: now(),
            quantity: normalizeDecimal(order.executedQuantity),
            proceeds: normalizeDecimal(order.executedQuoteQuantity ?? '0'),
            fee: fee.fee,
            feeAsset: fee.feeAsset,
            orderId: order.id,
          }
          logger.info('sold leftover balance', { ...sale })
          sales.push(sale)
        } catch (error) {
          if (authFailure(error)) throw error
          logger.warn('could not sell a leftover balance', {
            asset: plan.asset,
            quantity: plan.quantity,
            ...errorFields(error),
          })
        }
      }
      return sales
    },

    async holdings(asset) {
      const balance = (await client.getBalances())[asset]
      return balance === undefined
        ? '0'
        : addDecimals(balance.available, balance.locked)
    },
    planLeftovers: (minValue, keep = {}) => planLeftovers(minValue, keep),
  }

  /** The fee of a leftover sale, from the fill history (best effort). */
  async function leftoverFee(
    orderId: string,
    market: string,
  ): Promise<{ fee: string; feeAsset: string }> {
    const quote = market.split('_')[1] ?? 'USDC'
    try {
      const fills = await client.getFillHistory({ symbol: market, limit: 100 })
      let fee = '0'
      let feeAsset = quote
      for (const f of fills)
        if (f.orderId === orderId) {
          fee = addDecimals(fee, f.fee)
          feeAsset = f.feeSymbol
        }
      return { fee, feeAsset: feeAsset === quote ? 'quote' : 'base' }
    } catch {
      return { fee: '0', feeAsset: 'quote' }
    }
  }

  /**
   * What a leftover sale would sell: each non-quote balance with a market
   * to sell it on, less what the bot keeps (its own position), rounded DOWN
   * to the step, worth at least `minValue`.
   */
  async function planLeftovers(
    minValue: string,
    keep: Readonly<Record<string, string>>,
  ): Promise<LeftoverPlan[]> {
    const balances = await client.getBalances()
    const quote = symbol.split('_')[1] ?? 'USDC'
    const plans: LeftoverPlan[] = []
    for (const [asset, balance] of Object.entries(balances)) {
      if (asset === quote) continue
      const kept = keep[asset] ?? '0'
      const available = subtractDecimals(balance.available, kept)
      if (compareDecimals(available, '0') <= 0) {
        if (!isZero(kept))
          logger.info("leftover kept: it is the bot's own position", {
            asset,
            available: balance.available,
            kept,
          })
        continue
      }
      const m = [market, ...options.markets].find(
        (x) => x.symbol === `${asset}_${quote}`,
      )
      if (!m) {
        logger.info('leftover kept: no market to sell it on', {
          asset,
          available,
        })
        continue
      }
      const ticker = await client.getTicker({ symbol: m.symbol })
      if (!ticker) continue
      const value = multiplyDecimals(available, ticker.lastPrice)
      // Down: never sell more than is held.
      const quantity = roundToIncrement(available, m.stepSize, 'down')
      if (compareDecimals(value, minValue) < 0) {
        logger.info('leftover kept: worth less than sellNonUsdcMinValue', {
          asset,
          available,
          value,
        })
        continue
      }
      if (compareDecimals(quantity, m.minQuantity) < 0 || isZero(quantity)) {
        logger.info("leftover kept: below the market's minimum quantity", {
          asset,
          available,
          minQuantity: m.minQuantity,
        })
        continue
      }
      plans.push({ asset, market: m.symbol, quantity, value })
    }
    return plans
  }
  // A rejected key on a read (reconcile, balances) is as fatal as on an order.
  return {
    run: executor.run,
    reconcile: (state, sinceMs) =>
      executor.reconcile(state, sinceMs).catch(rethrow),
    price: () => executor.price().catch(rethrow),
    sellLeftovers: (minValue, keep) =>
      executor.sellLeftovers(minValue, keep).catch(rethrow),
    holdings: (asset) => executor.holdings(asset).catch(rethrow),
    planLeftovers: (minValue, keep) =>
      executor.planLeftovers(minValue, keep).catch(rethrow),
  }
}

/** Options of {@link createDryRunExecutor}. */
export interface DryRunExecutorOptions {
  /** A client for the public price endpoints (no keys needed). */
  client: Pick<ExchangeClient, 'getDepth' | 'getTicker'>
  /** Market. */
  symbol: string
  /**
   * The market and the others (`<ASSET>_USDC`), to list the leftovers a
   * live start would sell (needs a client with keys).
   */
  market?: ExecutorMarket | undefined
  /** Other markets, for listing leftovers. @default [] */
  markets?: readonly ExecutorMarket[] | undefined
  /** Where the would-be commands are logged. */
  logger: Logger
  /** Clock (ms). */
  now: () => number
}

/**
 * The `--dry-run` executor: logs every command instead of sending it and
 * answers as an exchange that accepts everything and fills nothing. Prices
 * still come from the real market (read-only).
 *
 * @param options - A public client, the symbol, a logger and a clock.
 * @returns An executor that sends nothing.
 * @example
 * ```ts
 * import { createBackpackClient } from '@rung/backpack-sdk'
 * import { createDryRunExecutor, createLogger, createRedactor } from '@rung/bot-cli'
 *
 * const logger = createLogger({ format: 'plain', write: console.log, dir: false, redactor: createRedactor() })
 * const executor = createDryRunExecutor({ client: createBackpackClient(), symbol: 'BTC_USDC', logger, now: Date.now })
 * ```
 */
export function createDryRunExecutor(options: DryRunExecutorOptions): Executor {
  const { logger, now, symbol } = options
  const live = createLiveExecutor({
    client: options.client as ExchangeClient,
    market: options.market ?? { symbol, stepSize: '1', minQuantity: '0' },
    markets: options.markets ?? [],
    cancelAllOrders: false,
    logger,
    now,
  })
  return {
    async run(commands) {
      const events: LadderEvent[] = []
      for (const c of commands) {
        logger.info(`dry-run: would ${c.type}`, { command: c })
        if (c.type === 'placeOrders')
          for (const o of c.orders)
            events.push({
              type: 'orderAccepted',
              at: now(),
              clientId: o.clientId,
              orderId: `dry-run-${o.clientId}`,
            })
        else if (c.type === 'sellPosition')
          events.push({
            type: 'orderAccepted',
            at: now(),
            clientId: c.clientId,
            orderId: `dry-run-${c.clientId}`,
          })
        else if (c.type === 'cancelOrders' && c.clientIds !== 'all')
          for (const clientId of c.clientIds)
            events.push({ type: 'orderCanceled', at: now(), clientId })
      }
      return { events, reconcile: false }
    },
    async reconcile(state) {
      // Nothing was sent, so the machine's own view is the truth.
      return {
        type: 'reconciled',
        at: now(),
        openOrders: state.orders
          .filter((o) => o.status === 'open' || o.status === 'pending')
          .map((o) => ({
            clientId: o.clientId,
            orderId: o.orderId ?? `dry-run-${o.clientId}`,
            side: o.side,
            price: o.price,
            quantity: o.quantity,
            filledQuantity: '0',
          })),
        fills: [],
      }
    },
    price: () => live.price(),
    async sellLeftovers(minValue, keep) {
      let plans: LeftoverPlan[]
      try {
        plans = await live.planLeftovers(minValue, keep)
      } catch (error) {
        logger.info(
          'dry-run: cannot list the leftover balances a live start would sell (reading balances needs the API keys)',
          { minValue, ...errorFields(error) },
        )
        return []
      }
      if (plans.length === 0)
        logger.info('dry-run: no leftover balance would be sold', { minValue })
      for (const plan of plans)
        logger.info('dry-run: would sell leftover balance', {
          asset: plan.asset,
          market: plan.market,
          quantity: plan.quantity,
          approxValue: plan.value,
        })
      return []
    },
    holdings: (asset) => live.holdings(asset),
  }
}

/** The stream client's subset the feed uses (from the SDK's `createStreamClient`). */
export type StreamClientLike = Pick<StreamClient, 'on' | 'subscribe' | 'close'>

/** Options of {@link createStreamFeed}. */
export interface StreamFeedOptions {
  /** A stream client from the SDK's `createStreamClient`. */
  stream: StreamClientLike
  /** Market, e.g. `BTC_USDC`. */
  symbol: string
  /** Logger. */
  logger: Logger
  /** Clock (ms) stamped on the events. */
  now: () => number
  /**
   * Subscribe to `account.orderUpdate` (needs credentials).
   * @default true
   */
  privateStreams?: boolean | undefined
  /**
   * Called (once) when the exchange refuses the private subscription for
   * its signature or as expired, with an `ExitError` (exit code 2) naming
   * the cause and the fix: the bot should stop. Without it the refusal is
   * only logged.
   */
  onFatal?: ((error: ExitError) => void) | undefined
}

/**
 * The WebSocket feed: best bid (`bookTicker`) as the price, and the
 * account's order updates for the symbol turned into strategy events. The
 * stream client's connection states and gaps are passed on, so the loop
 * falls back to REST polling and reconciles after a reconnect.
 *
 * @param options - The stream client, the symbol, a logger and a clock.
 * @returns The feed; `start(handlers)` subscribes, `stop()` closes.
 * @example
 * ```ts
 * import { createStreamClient } from '@rung/backpack-sdk'
 * import { createStreamFeed, createLogger, createRedactor } from '@rung/bot-cli'
 *
 * const stream = createStreamClient({ url: 'ws://127.0.0.1:4000', secretKey: process.env.BACKPACK_API_SECRET })
 * const logger = createLogger({ format: 'plain', write: console.log, dir: false, redactor: createRedactor() })
 * const feed = createStreamFeed({ stream, symbol: 'BTC_USDC', logger, now: Date.now })
 * ```
 */
export function createStreamFeed(options: StreamFeedOptions): MarketFeed {
  const { stream, symbol, logger, now } = options
  const subs: { unsubscribe(): void }[] = []
  return {
    async start(handlers: FeedHandlers) {
      stream.on('state', (state) => handlers.onConnection(state))
      stream.on('gap', () => handlers.onGapEnd())
      let fatal = false
      const onError = (error: Error) => {
        const failure = authFailure(error)
        if (failure === undefined || options.onFatal === undefined) {
          logger.warn('stream subscription failed', errorFields(error))
          return
        }
        if (fatal) return
        fatal = true
        logger.error(
          "stopping: the exchange rejects this bot's signed stream subscription",
          { stream: (error as { stream?: string }).stream },
        )
        options.onFatal(failure)
      }
      subs.push(
        stream.subscribe(
          `bookTicker.${symbol}`,
          (event) => {
            // An empty book side is sent as "0" or an empty string.
            if (event.bestBidPrice && !isZero(event.bestBidPrice))
              handlers.onPrice(event.bestBidPrice, now())
          },
          { onError },
        ),
      )
      if (options.privateStreams !== false) {
        subs.push(
          stream.subscribe(
            `account.orderUpdate.${symbol}`,
            (update) => {
              const event = orderUpdateToEvent(update, symbol, now())
              if (event) handlers.onOrderEvent(event)
            },
            { onError },
          ),
        )
      }
    },
    async stop() {
      for (const s of subs) s.unsubscribe()
      await stream.close()
    },
  }
}
