/**
 * The precision table: per market, the increments and limits an order must
 * respect. A plain JSON-serializable object (decimal strings only), so it can
 * be stored as a snapshot and loaded in tests or offline tools.
 */

import {
  compareDecimals,
  type DecimalString,
  isDecimalString,
} from '../decimal/decimal.js'
import { getMarkets } from '../endpoints/public/getMarkets.js'
import { ValidationError } from '../errors/inputErrors.js'
import { describeValue } from '../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../rest/request.js'
import type { RequestOptions } from '../types/common.js'
import type { GetMarketsParameters, Market } from '../types/public.js'

/** One market's precision and size rules. All values are decimal strings. */
export interface MarketRule {
  /** Market symbol, e.g. `SOL_USDC`. */
  symbol: string
  /** Base asset, e.g. `SOL`. */
  baseSymbol: string
  /** Quote asset, e.g. `USDC`. */
  quoteSymbol: string
  /** Price increment (`filters.price.tickSize`). */
  tickSize: DecimalString
  /** Quantity increment (`filters.quantity.stepSize`). */
  stepSize: DecimalString
  /** Smallest quantity (`filters.quantity.minQuantity`). */
  minQuantity: DecimalString
  /** Smallest price (`filters.price.minPrice`). */
  minPrice: DecimalString
  /** Largest price, if capped. */
  maxPrice?: DecimalString | undefined
  /** Largest quantity, if capped. */
  maxQuantity?: DecimalString | undefined
  /**
   * Smallest notional (price × quantity). Backpack's markets endpoint has no
   * such field; set it yourself in a snapshot if you know one.
   */
  minNotional?: DecimalString | undefined
}

/** Precision rules keyed by market symbol. JSON-serializable. */
export type MarketRules = Readonly<Record<string, MarketRule>>

/** The errors {@link marketRulesFromMarkets} can throw (bad input). */
export type MarketRulesFromMarketsErrorType = ValidationError

/**
 * Builds the precision table from `getMarkets` (or `getMarket`) results.
 *
 * @param markets - Market objects as returned by the API.
 * @returns Rules keyed by symbol.
 * @throws {MarketRulesFromMarketsErrorType} one of the errors listed here.
 * @throws {ValidationError} when a market lacks a positive `tickSize` /
 *   `stepSize` or has a malformed decimal.
 * @example
 * ```ts
 * import { createBackpackClient, getMarkets, marketRulesFromMarkets } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient()
 * const rules = marketRulesFromMarkets(await getMarkets(client))
 * ```
 */
export function marketRulesFromMarkets(
  markets: readonly Market[],
): MarketRules {
  if (!Array.isArray(markets)) {
    throw new ValidationError(
      `\`markets\` must be an array of markets from getMarkets(); got ${describeValue(markets)}.`,
      { field: 'markets' },
    )
  }
  const rules: Record<string, MarketRule> = {}
  for (const [i, market] of markets.entries()) {
    const m = market as Partial<Market> | null
    const price = m?.filters?.price
    const quantity = m?.filters?.quantity
    rules[String(m?.symbol)] = parseRule(
      {
        symbol: m?.symbol,
        baseSymbol: m?.baseSymbol,
        quoteSymbol: m?.quoteSymbol,
        tickSize: price?.tickSize,
        stepSize: quantity?.stepSize,
        minQuantity: quantity?.minQuantity,
        minPrice: price?.minPrice,
        maxPrice: price?.maxPrice ?? undefined,
        maxQuantity: quantity?.maxQuantity ?? undefined,
      },
      `markets[${i}]`,
    )
  }
  return Object.freeze(rules)
}

/** The errors {@link loadMarketRules} can throw (those of the `getMarkets` request it makes). */
export type LoadMarketRulesErrorType = RequestErrorType

/**
 * Loads the precision table from the exchange (`GET /api/v1/markets`).
 *
 * @param client - A client from `createBackpackClient`.
 * @param params - Optional market-type filter.
 * @param options - Abort signal and timeout.
 * @returns Rules keyed by symbol.
 * @throws {LoadMarketRulesErrorType} one of the errors listed here.
 * @throws {ValidationError} when a market's filters are malformed.
 * @throws {ApiError} / {HttpError} / {TimeoutError} / {NetworkError} as
 *   `getMarkets` does.
 * @example
 * ```ts
 * import { createBackpackClient, formatPrice, loadMarketRules } from '@rung/backpack-sdk'
 *
 * const rules = await loadMarketRules(createBackpackClient())
 * formatPrice(rules, 'SOL_USDC', '141.537', 'down')
 * ```
 */
export async function loadMarketRules(
  client: BackpackRequester,
  params?: GetMarketsParameters,
  options?: RequestOptions,
): Promise<MarketRules> {
  return marketRulesFromMarkets(await getMarkets(client, params, options))
}

/** The errors {@link parseMarketRules} can throw (bad input). */
export type ParseMarketRulesErrorType = ValidationError

/**
 * Validates a stored snapshot (e.g. `JSON.parse` of a saved table) and
 * returns it as {@link MarketRules}.
 *
 * @param snapshot - A value shaped like {@link MarketRules}.
 * @returns The same rules, checked and frozen.
 * @throws {ParseMarketRulesErrorType} one of the errors listed here.
 * @throws {ValidationError} naming the symbol and field that is missing or
 *   malformed.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { parseMarketRules } from '@rung/backpack-sdk'
 *
 * const rules = parseMarketRules(JSON.parse(readFileSync('rules.json', 'utf8')))
 * ```
 */
export function parseMarketRules(snapshot: unknown): MarketRules {
  if (
    typeof snapshot !== 'object' ||
    snapshot === null ||
    Array.isArray(snapshot)
  ) {
    throw new ValidationError(
      `A market-rules snapshot must be an object keyed by symbol; got ${describeValue(snapshot)}.`,
      { field: 'snapshot' },
    )
  }
  const rules: Record<string, MarketRule> = {}
  for (const [symbol, rule] of Object.entries(snapshot)) {
    const parsed = parseRule(rule, symbol)
    if (parsed.symbol !== symbol) {
      throw new ValidationError(
        `\`${symbol}.symbol\` is "${parsed.symbol}"; it must equal its key.`,
        { field: `${symbol}.symbol` },
      )
    }
    rules[symbol] = parsed
  }
  return Object.freeze(rules)
}

function parseRule(value: unknown, path: string): MarketRule {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(`\`${path}\` must be an object.`, { field: path })
  }
  const r = value as Record<string, unknown>
  const text = (key: string) => {
    const v = r[key]
    if (typeof v !== 'string' || v === '') {
      throw new ValidationError(
        `\`${path}.${key}\` must be a non-empty string.`,
        {
          field: `${path}.${key}`,
        },
      )
    }
    return v
  }
  const decimal = (key: string, positive: boolean) => {
    const v = r[key]
    if (!isDecimalString(v) || compareDecimals(v, '0') < (positive ? 1 : 0)) {
      throw new ValidationError(
        `\`${path}.${key}\` must be a ${positive ? 'positive' : 'non-negative'} decimal string; got ${describeValue(v)}.`,
        { field: `${path}.${key}` },
      )
    }
    return v
  }
  const optional = (key: string) =>
    r[key] === undefined || r[key] === null ? undefined : decimal(key, true)
  const rule: MarketRule = {
    symbol: text('symbol'),
    baseSymbol: text('baseSymbol'),
    quoteSymbol: text('quoteSymbol'),
    tickSize: decimal('tickSize', true),
    stepSize: decimal('stepSize', true),
    minQuantity: decimal('minQuantity', false),
    minPrice: decimal('minPrice', false),
  }
  const maxPrice = optional('maxPrice')
  const maxQuantity = optional('maxQuantity')
  const minNotional = optional('minNotional')
  if (maxPrice !== undefined) rule.maxPrice = maxPrice
  if (maxQuantity !== undefined) rule.maxQuantity = maxQuantity
  if (minNotional !== undefined) rule.minNotional = minNotional
  return Object.freeze(rule)
}

/** Looks up one market's rule. @internal */
export function ruleFor(rules: MarketRules, symbol: unknown): MarketRule {
  if (typeof rules !== 'object' || rules === null) {
    throw new ValidationError(
      '`rules` must be a MarketRules table (from loadMarketRules or parseMarketRules).',
      { field: 'rules' },
    )
  }
  if (typeof symbol !== 'string' || !Object.hasOwn(rules, symbol)) {
    throw new ValidationError(
      `No market rules for symbol ${describeValue(symbol)}; reload the rules or check the symbol (e.g. "SOL_USDC").`,
      { field: 'symbol' },
    )
  }
  return rules[symbol]!
}
