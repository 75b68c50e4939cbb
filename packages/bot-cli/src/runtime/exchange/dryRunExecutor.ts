/**
 * The `--dry-run` executor: every command logged instead of sent, answered
 * as by an exchange that accepts everything and fills nothing. Prices (and
 * the leftovers a live start would sell) still come from the real market.
 */
import type { LadderEvent } from '@rung/ladder-strategy'
import { errorFields, type Logger } from '../../ui/logger.js'
import type { Executor } from '../ports.js'
import type { ExchangeClient, ExecutorMarket } from './exchange.js'
import type { LeftoverPlan } from './leftovers.js'
import { createLiveExecutor } from './liveExecutor.js'

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
