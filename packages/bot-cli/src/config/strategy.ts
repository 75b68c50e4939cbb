/**
 * The strategy's part of the config: validated by `@rung/ladder-strategy`,
 * with misspelt keys made errors, and the SDK's market rules converted to
 * the strategy's.
 */
import type { MarketRule } from '@rung/backpack-sdk'
import {
  isLadderConfigError,
  type LadderConfig,
  type LadderMarket,
  validateConfig,
} from '@rung/ladder-strategy'
import { ConfigError } from '../errors.js'
import { typoError } from './fields.js'

/**
 * Validates the strategy fields of the config.
 * @throws {ConfigError} with every bad field, or every misspelt key (an
 *   unknown key within two edits of a known one), before any network call.
 */
export function validateStrategy(raw: Record<string, unknown>): {
  config: LadderConfig
  warnings: string[]
} {
  try {
    const { config, warnings } = validateConfig(raw)
    // An unknown key close to a known one is a typo: an error, not a warning.
    const typos = warnings.flatMap((w) =>
      w.suggestion === undefined
        ? []
        : [{ path: w.path, suggestion: w.suggestion }],
    )
    if (typos.length > 0) throw typoError(typos)
    return {
      config,
      // The bot's own sections (api, websocket, bot, paper) are passed over
      // by the strategy and validated by the bot.
      warnings: warnings.map((w) => `${w.path}: ${w.message}`),
    }
  } catch (error) {
    if (isLadderConfigError(error)) {
      throw new ConfigError(
        error.issues[0]?.path ?? 'trading',
        `Invalid config: ${error.message}\nFix: correct the fields above (see docs/configuration.md); nothing was sent to the exchange.`,
        { cause: error },
      )
    }
    throw error
  }
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
