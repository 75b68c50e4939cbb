/**
 * The executor that trades for real: REST calls through
 * `@rung/backpack-sdk`. the loop (`runtime/loop/`) never touches the network; it hands
 * commands here and gets events back.
 *
 *   placeOrders   → one POST /api/v1/order per rung (GTC limit bid), in order,
 *                   each with the strategy's client id. The SDK resolves an
 *                   ambiguous failure by looking the client id up; if even
 *                   that fails, the remaining rungs are not sent and the loop
 *                   reconciles (and re-sends what the exchange never saw).
 *   cancelOrders  → DELETE /api/v1/order by client id ("not found" means the
 *                   order closed on its own: a reconcile finds out how);
 *                   `'all'` → DELETE /api/v1/orders for the symbol, whose
 *                   answer (the canceled list) becomes one `ordersCanceled`.
 *   sellPosition  → market (or GTC limit) ask with the strategy's client id.
 *
 * Concurrency (issue 17): an exit's cancels of resting buy rungs and its
 * market sell are in flight together (one round trip instead of one per
 * request, the sell started first); a cancel of a sell is never in flight
 * with a market sell. The answers come back in command order. See
 * {@link groupCommands}.
 */
import {
  addDecimals,
  compareDecimals,
  isApiError,
  isHttpError,
} from '@rung/backpack-sdk'
import type {
  ExchangeFill,
  ExchangeOrder,
  LadderCommand,
  LadderEvent,
  LadderState,
  ReconciledEvent,
} from '@rung/ladder-strategy'
import { errorFields, type Logger } from '../../ui/logger.js'
import type { Executor } from '../ports.js'
import type { ExchangeClient, ExecutorMarket } from './exchange.js'
import {
  authFailure,
  isApiRefusal,
  isNotFound,
  refusal,
} from './exchangeErrors.js'
import { type LeftoverPlan, planLeftovers, sellLeftovers } from './leftovers.js'
import { baseAsset } from './orderEvents.js'

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

/** What one batch of commands shares: the options, and whether a reconcile is due. */
interface Batch {
  readonly options: LiveExecutorOptions
  /** Set when an answer leaves the exchange's truth unknown. */
  reconcile: boolean
}

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
  const { client, market, logger } = options
  const leftovers = {
    client,
    market,
    markets: options.markets,
    logger,
    now: options.now,
  }
  // A rejected key on a read (reconcile, balances) is as fatal as on an order.
  const rethrow = (error: unknown): never => rethrowAuthFailure(logger, error)
  return {
    run: (commands, state) => runBatch(options, commands, state),
    reconcile: (state, sinceMs) =>
      reconcileOrders(options, state, sinceMs).catch(rethrow),
    price: () => bestBid(client, market.symbol).catch(rethrow),
    sellLeftovers: (minValue, keep = {}) =>
      sellLeftovers(leftovers, minValue, keep).catch(rethrow),
    async holdings(asset) {
      try {
        const balance = (await client.getBalances())[asset]
        return balance === undefined
          ? '0'
          : addDecimals(balance.available, balance.locked)
      } catch (error) {
        return rethrow(error)
      }
    },
    planLeftovers: (minValue, keep = {}) =>
      planLeftovers(leftovers, minValue, keep).catch(rethrow),
  }
}

/** Rethrows a rejected key as the fatal `ExitError` (logged), anything else as it is. */
function rethrowAuthFailure(logger: Logger, error: unknown): never {
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

/**
 * Performs the commands. Consecutive commands that are safe to have in
 * flight together (see {@link groupCommands}) are sent concurrently; the
 * groups run one after another, in command order. Whatever the order the
 * answers arrive in, the events come back in command order (and, within a
 * command, in the order of its client ids), so the journal and the
 * strategy see a deterministic sequence. A request without an answer ends
 * the batch with a reconcile once its group has settled: the answers its
 * group did get are kept, later groups are not sent.
 */
async function runBatch(
  options: LiveExecutorOptions,
  commands: readonly LadderCommand[],
  state: LadderState,
): Promise<{ events: LadderEvent[]; reconcile: boolean }> {
  const events: LadderEvent[] = []
  const batch: Batch = { options, reconcile: false }
  for (const group of groupCommands(commands, state)) {
    const requests = group.flatMap((command) =>
      requestsOf(batch, command, state),
    )
    // Every request of the group in flight at once, each with its own
    // events, read back in command order once all have settled. Market
    // sells are started first: the exit's sell is what the latency is
    // about, the cancels of rungs far below the price are not.
    const started = new Map<Request, Promise<LadderEvent[]>>()
    const [head, ...rest] = [...requests].sort(
      (a, b) => Number(isMarketSell(b)) - Number(isMarketSell(a)),
    )
    if (head !== undefined) started.set(head, attempt(head))
    // The rest wait one turn of the event loop, so a market sell is handed
    // to the transport first and, unless the journal's fsync holds it
    // (then they are built while it runs, and leave after it), written to
    // its socket (node:http writes on the next tick) before their signing
    // and requests are built: about 0.3 ms each, which the sell waited for
    // when all were started in one go.
    if (head !== undefined && rest.length > 0 && isMarketSell(head))
      await nextTurn()
    for (const request of rest) started.set(request, attempt(request))
    const settled = await Promise.allSettled(
      requests.map((request) => started.get(request) as Promise<LadderEvent[]>),
    )
    let failure: RequestFailure | undefined
    for (const result of settled) {
      if (result.status === 'fulfilled') events.push(...result.value)
      else {
        const reason = result.reason as RequestFailure
        events.push(...reason.events)
        // A rejected key ends the bot: no retry can succeed.
        if (authFailure(reason.cause))
          rethrowAuthFailure(options.logger, reason.cause)
        failure ??= reason
      }
    }
    if (failure !== undefined) {
      // The rest of the batch is not sent: the loop reconciles and sends
      // again only what the exchange never received.
      options.logger.warn('no answer from the exchange; reconciling', {
        command: failure.command.type,
        ...errorFields(failure.cause),
      })
      return { events, reconcile: true }
    }
  }
  return { events, reconcile: batch.reconcile }
}

/** Sends one request: its events, or a {@link RequestFailure} holding those it got before failing. */
async function attempt(request: Request): Promise<LadderEvent[]> {
  const out: LadderEvent[] = []
  try {
    await request.send(out)
    return out
  } catch (error) {
    throw new RequestFailure(request.command, out, error)
  }
}

/** Resolves after the ticks and I/O already queued (`setImmediate`). */
const nextTurn = () =>
  new Promise<void>((resolve) => {
    setImmediate(resolve)
  })

/** Whether a request is a market sell (started first in its group). */
const isMarketSell = (request: Request) =>
  request.command.type === 'sellPosition' &&
  request.command.orderType === 'market'

/** A request that got no answer, with the events its command produced before it. */
class RequestFailure extends Error {
  constructor(
    readonly command: LadderCommand,
    readonly events: LadderEvent[],
    override readonly cause: unknown,
  ) {
    super('no answer from the exchange')
  }
}

/** One request (or a sequence that must stay in order) of a command. */
interface Request {
  /** The command it belongs to. */
  readonly command: LadderCommand
  /** Sends it, pushing the events of its answers onto `out`. */
  send(out: LadderEvent[]): Promise<void>
}

/**
 * Splits the commands into groups that may be in flight together, in
 * order. Cancels of the bot's own resting BUY orders and market sells may
 * share a group (a rung that fills while its cancel is on the way is sold
 * with the exit by the strategy). A cancel of any other order (a resting
 * take-profit sell, a step's sell, an order the state does not know) never
 * shares a group with a market sell: that sell could otherwise sell what
 * the canceled sell is filling. Cancels may always share a group with
 * other cancels. Ladders (`placeOrders`, sent rung by rung), limit sells
 * and cancel-all stand alone.
 *
 * @param commands - The step's I/O commands, in order.
 * @param state - The state the commands came with (the orders' sides).
 * @returns The groups, in command order; each command in exactly one.
 */
export function groupCommands(
  commands: readonly LadderCommand[],
  state: LadderState,
): LadderCommand[][] {
  const side = new Map(state.orders.map((o) => [o.clientId, o.side]))
  const kindOf = (
    command: LadderCommand,
  ): 'buyCancel' | 'otherCancel' | 'marketSell' | 'alone' => {
    if (command.type === 'sellPosition')
      return command.orderType === 'market' ? 'marketSell' : 'alone'
    if (command.type !== 'cancelOrders' || command.clientIds === 'all')
      return 'alone'
    return command.clientIds.every((id) => side.get(id) === 'buy')
      ? 'buyCancel'
      : 'otherCancel'
  }
  const groups: LadderCommand[][] = []
  let current: LadderCommand[] = []
  let hasSell = false
  let hasOtherCancel = false
  const close = () => {
    if (current.length > 0) groups.push(current)
    current = []
    hasSell = false
    hasOtherCancel = false
  }
  for (const command of commands) {
    const kind = kindOf(command)
    if (
      kind === 'alone' ||
      (kind === 'marketSell' && hasOtherCancel) ||
      (kind === 'otherCancel' && hasSell)
    )
      close()
    current.push(command)
    if (kind === 'alone') close()
    else if (kind === 'marketSell') hasSell = true
    else if (kind === 'otherCancel') hasOtherCancel = true
  }
  close()
  return groups
}

/** The requests of one command: one per cancel and per sell; a ladder is one sequence. */
function requestsOf(
  batch: Batch,
  command: LadderCommand,
  state: LadderState,
): Request[] {
  if (command.type === 'cancelOrders' && command.clientIds !== 'all')
    return command.clientIds.map((clientId) => ({
      command,
      send: (out) => cancelOne(batch, clientId, out),
    }))
  return [{ command, send: (out) => runCommand(batch, command, state, out) }]
}

/** Places one order; a refusal becomes `orderRejected`, "already exists" an acceptance to reconcile. */
async function place(
  batch: Batch,
  params: Parameters<ExchangeClient['executeOrder']>[0] & {
    clientId: number
  },
): Promise<LadderEvent> {
  const { client, logger, now } = batch.options
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
        batch.reconcile = true
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

/** Performs one strategy command, pushing the events it produced onto `out`. */
async function runCommand(
  batch: Batch,
  command: LadderCommand,
  state: LadderState,
  out: LadderEvent[],
): Promise<void> {
  const { symbol } = batch.options.market
  switch (command.type) {
    case 'placeOrders':
      for (const o of command.orders) {
        out.push(
          await place(batch, {
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
          batch,
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
    case 'cancelOrders':
      if (command.clientIds === 'all')
        return cancelAll(batch.options, state, out)
      for (const clientId of command.clientIds)
        await cancelOne(batch, clientId, out)
      return
    default:
      return
  }
}

/** The strategy's start `cancelOrders('all')`: cancels the market's open orders (unless told not to). */
async function cancelAll(
  options: LiveExecutorOptions,
  state: LadderState,
  out: LadderEvent[],
): Promise<void> {
  const { client, logger, now } = options
  if (!options.cancelAllOrders) {
    logger.info(
      'left the open orders on the market alone (actions.cancelAllOrders: false)',
    )
    return
  }
  const canceled = await client.cancelOpenOrders({
    symbol: options.market.symbol,
  })
  logger.info('canceled the open orders on the market', {
    count: canceled.length,
  })
  const known = new Set(state.orders.map((o) => o.clientId))
  // One acknowledgement for the whole list the exchange returned.
  const clientIds: number[] = []
  for (const o of canceled)
    if (typeof o.clientId === 'number' && known.has(o.clientId))
      clientIds.push(o.clientId)
  if (clientIds.length > 0)
    out.push({ type: 'ordersCanceled', at: now(), clientIds })
}

/** Cancels one order by client id; one that is not open any more asks for a reconcile. */
async function cancelOne(
  batch: Batch,
  clientId: number,
  out: LadderEvent[],
): Promise<void> {
  const { client, market, now } = batch.options
  try {
    await client.cancelOrder({ symbol: market.symbol, clientId })
    out.push({ type: 'orderCanceled', at: now(), clientId })
  } catch (error) {
    if (!isNotFound(error) && !isApiRefusal(error)) throw error
    // Not open any more (filled, or never placed): ask the exchange.
    batch.reconcile = true
  }
}

const ownSide = (side: string): 'buy' | 'sell' =>
  side === 'Ask' ? 'sell' : 'buy'

/**
 * The exchange's truth about the bot's own orders: the open ones and the
 * fills since `sinceMs`. Only client ids in the state are reported: a manual
 * order or a previous run's order is never adopted or canceled.
 */
async function reconcileOrders(
  options: LiveExecutorOptions,
  state: LadderState,
  sinceMs: number,
): Promise<ReconciledEvent> {
  const { client, now } = options
  const { symbol } = options.market
  const known = new Map(state.orders.map((o) => [o.clientId, o]))
  const open = await client.getOpenOrders({ symbol })
  const openOrders: ExchangeOrder[] = []
  for (const o of open) {
    if (typeof o.clientId !== 'number' || !known.has(o.clientId)) continue
    openOrders.push({
      clientId: o.clientId,
      orderId: o.id,
      side: ownSide(o.side),
      price:
        ('price' in o ? o.price : undefined) ??
        known.get(o.clientId)?.price ??
        '0',
      quantity: o.quantity ?? known.get(o.clientId)?.quantity ?? '0',
      filledQuantity: o.executedQuantity,
    })
  }
  const fills = await fillsSince(options, state, sinceMs)
  return { type: 'reconciled', at: now(), openOrders, fills }
}

/** The bot's own fills since `sinceMs`, every page of the fill history. */
async function fillsSince(
  options: LiveExecutorOptions,
  state: LadderState,
  sinceMs: number,
): Promise<ExchangeFill[]> {
  const { client } = options
  const { symbol } = options.market
  const known = new Set(state.orders.map((o) => o.clientId))
  const byOrderId = new Map(
    state.orders
      .filter((o) => o.orderId)
      .map((o) => [o.orderId as string, o.clientId]),
  )
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
  return fills
}

/** The best bid of the market, or the last price when the book has no bid. */
async function bestBid(client: ExchangeClient, symbol: string) {
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
}
