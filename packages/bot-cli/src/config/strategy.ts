/**
 * The strategy's part of the config: validated by `@rung/ladder-strategy`,
 * with misspelt keys made errors, and the SDK's market rules converted to
 * the strategy's.
 */
import type { MarketRule } from '@rung/backpack-sdk'
import type { LadderConfig, LadderMarket } from '@rung/ladder-strategy'
import { ConfigError } from '../errors.js'
import { validateMarkets } from './markets.js'

/**
 * Validates the strategy fields of a config that runs one ladder: the
 * classic layout, or a `markets` list of one entry (or, with `market`, the
 * entry trading that market).
 * @param raw - The parsed config.
 * @param market - With a `markets` list: the symbol of the entry to use.
 * @throws {ConfigError} with every bad field, or every misspelt key (an
 *   unknown key within two edits of a known one), before any network call;
 *   or when the config lists several markets and `market` names none of them.
 */
export function validateStrategy(
  raw: Record<string, unknown>,
  market?: string | undefined,
): {
  config: LadderConfig
  warnings: string[]
} {
  const { markets, warnings } = validateMarkets(raw)
  const chosen =
    market === undefined
      ? markets.length === 1
        ? markets[0]
        : undefined
      : markets.find((m) => m.symbol === market.toUpperCase())
  if (chosen === undefined)
    throw new ConfigError(
      'markets',
      `This command runs one ladder, and the config lists ${markets.map((m) => m.symbol).join(', ')}${market === undefined ? '' : `, not ${market}`}.\nFix: pass --market <symbol> with one of them.`,
    )
  return { config: chosen.config, warnings }
}

/** Converts the SDK's market rule into the strategy's plain rules. */
export function toStrategyRules(rule: MarketRule): LadderMarket {
  return {
    symbol: rule.symbol,
    tickSize: rule.tickSize,
    stepSize: rule.stepSize,
    minQuantity: rule.minQuantity,
    ...(rule.minNotional === undefined
      ? {}
      : { minNotional: rule.minNotional }),
    ...(rule.maxQuantity === undefined
      ? {}
      : { maxQuantity: rule.maxQuantity }),
  }
}
