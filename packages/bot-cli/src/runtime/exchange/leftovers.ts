/**
 * `sellNonUsdcAssets`: what is left over in the account at a fresh start
 * (each non-quote balance that is not the bot's own position) and its sale
 * at market, each sale recorded with its proceeds and fee.
 */
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
  normalizeDecimal,
  roundToIncrement,
  subtractDecimals,
} from '@rung/backpack-sdk'
import { isZero } from '../../decimal.js'
import { errorFields, type Logger } from '../../ui/logger.js'
import type { LeftoverSale } from '../history/historyTypes.js'
import type { ExchangeClient, ExecutorMarket } from './exchange.js'
import { authFailure } from './exchangeErrors.js'

/** Client ids of leftover sells: below 1024, i.e. cycle 0, never the strategy's. */
const LEFTOVER_CLIENT_ID0 = 900

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

/** What the leftover functions need: the client, the bot's market and the others, a logger, a clock. */
export interface LeftoverContext {
  /** The SDK client (with keys: balances and orders are private). */
  client: ExchangeClient
  /** The bot's market (its quote asset is never a leftover). */
  market: ExecutorMarket
  /** Other markets, to sell leftovers on (`<ASSET>_USDC`). */
  markets: readonly ExecutorMarket[]
  /** Logger. */
  logger: Logger
  /** Clock (ms). */
  now: () => number
}

/**
 * Sells the leftovers `planLeftovers` finds, at market, each logged before it
 * is sent; a sale that fails is logged and skipped (a rejected key throws).
 *
 * @param ctx - Client, markets, logger and clock.
 * @param minValue - Smallest value worth selling (quote).
 * @param keep - Quantities per asset that are the bot's own and stay.
 * @returns The sales made.
 */
export async function sellLeftovers(
  ctx: LeftoverContext,
  minValue: string,
  keep: Readonly<Record<string, string>>,
): Promise<LeftoverSale[]> {
  const { client, logger, now } = ctx
  const sales: LeftoverSale[] = []
  let clientId = LEFTOVER_CLIENT_ID0
  for (const plan of await planLeftovers(ctx, minValue, keep)) {
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
      const fee = await leftoverFee(client, order.id, plan.market)
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
}

/** The fee of a leftover sale, from the fill history (best effort). */
async function leftoverFee(
  client: ExchangeClient,
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

// Same parameters as sellLeftovers on purpose: it plans what that sells.
/**
 * What a leftover sale would sell: each non-quote balance with a market
 * to sell it on, less what the bot keeps (its own position), rounded DOWN
 * to the step, worth at least `minValue`.
 *
 * @param ctx - Client, markets and logger (each balance kept is logged with why).
 * @param minValue - Smallest value worth selling (quote).
 * @param keep - Quantities per asset that are the bot's own and stay.
 * @returns One plan per balance worth selling.
 */
export async function planLeftovers(
  ctx: LeftoverContext,
  minValue: string,
  keep: Readonly<Record<string, string>>,
): Promise<LeftoverPlan[]> {
  const { client, market, logger } = ctx
  const balances = await client.getBalances()
  const quote = market.symbol.split('_')[1] ?? 'USDC'
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
    const m = [market, ...ctx.markets].find(
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
