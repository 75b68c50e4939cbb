/**
 * The markets of a config: the classic single-coin layout (`trading` +
 * `strategy`), or a `markets` list of ladders run by one process, each entry
 * holding the `trading` section's keys (`tradingCoin` or `symbol`,
 * `totalAmount`, ...) and its own `strategy` options over the top-level ones.
 * The classic layout becomes a one-entry list, so the rest of the bot sees
 * one shape. A top-level `maxTotalAmount` caps the quote committed across
 * every ladder; a config whose budgets add up to more is refused here,
 * before any network call.
 *
 * How one entry becomes a strategy config (later wins):
 * top-level sections (`trading`, `actions`, `advanced`, `strategy`)
 * → the entry's `trading` keys → the entry's `strategy`.
 */
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import {
  isLadderConfigError,
  type LadderConfig,
  suggestKey,
  validateConfig,
} from '@rung/ladder-strategy'
import { ConfigError } from '../errors.js'
import {
  DECIMAL,
  isObject,
  type Json,
  type KeyTypo,
  show,
  sortUnknownKeys,
  typoError,
} from './fields.js'

/** Keys one `markets` entry may hold (besides `_comments`). */
export const MARKET_ENTRY_KEYS: readonly string[] = [
  'symbol',
  'tradingCoin',
  'maxDropPercentage',
  'totalAmount',
  'orderCount',
  'incrementPercentage',
  'takeProfitPercentage',
  'strategy',
]

/** One ladder of the config: a market and its validated strategy config. */
export interface MarketEntry {
  /** The market, e.g. `SOL_USDC` (the same as `config.symbol`). */
  symbol: string
  /** The validated strategy config of this ladder. */
  config: LadderConfig
  /**
   * The entry as a classic single-coin config object (top-level sections
   * merged with the entry's keys, `markets` and `maxTotalAmount` removed):
   * what code written for one market reads as its `raw` config.
   */
  raw: Record<string, unknown>
  /** Where it came from in the file: `markets[2]`, or `trading` for the classic layout. */
  field: string
}

/** The validated markets of a config (see {@link validateMarkets}). */
export interface MarketsConfig {
  /** `classic` (one `trading` section) or `markets` (a `markets` list). */
  layout: 'classic' | 'markets'
  /** The ladders, in file order; one entry for the classic layout. */
  markets: MarketEntry[]
  /**
   * Most quote (decimal string) committed across all ladders at once, or
   * undefined when the config sets no cap (each ladder is still held to its
   * own `totalAmount`).
   */
  maxTotalAmount: string | undefined
  /** Sum of every ladder's `totalAmount` (decimal string). */
  totalAmount: string
  /** Non-fatal findings (unknown keys far from any known one, ...). */
  warnings: string[]
}

/**
 * Validates the markets of a parsed config: either layout, each ladder's
 * strategy fields, duplicate markets and the budget cap. Nothing touches the
 * network (whether each market is listed is {@link checkMarketsListed}'s job,
 * once the exchange's markets are loaded).
 *
 * @param raw - The parsed config file.
 * @returns The ladders, the cap, the summed budgets and the warnings.
 * @throws {ConfigError} naming the entry and field, and the fix: a bad field
 *   of any entry (all of them in one message), a misspelt key, an entry
 *   naming no market, the same market twice, or budgets whose sum exceeds
 *   `maxTotalAmount`.
 * @example
 * ```ts
 * import { validateMarkets } from '@rung/bot-cli'
 * const { markets } = validateMarkets({
 *   maxTotalAmount: '3000',
 *   markets: [
 *     { tradingCoin: 'BTC', totalAmount: '2000' },
 *     { symbol: 'SOL_USDC', totalAmount: '500', strategy: { orderCount: 4 } },
 *   ],
 * })
 * console.log(markets.map((m) => m.symbol)) // ['BTC_USDC', 'SOL_USDC']
 * ```
 */
export function validateMarkets(raw: Record<string, unknown>): MarketsConfig {
  const { markets: list, maxTotalAmount: capRaw, ...base } = raw
  const maxTotalAmount = readCap(capRaw)
  const warnings: string[] = []
  let markets: MarketEntry[]
  if (list === undefined) {
    const checked = checkOne(base, 'trading', undefined)
    if (!checked.ok) throw checked.error
    warnings.push(...checked.warnings)
    const { config } = checked
    markets = [{ symbol: config.symbol, config, raw: base, field: 'trading' }]
  } else {
    markets = validateList(list, base, warnings)
  }
  checkDuplicates(markets)
  const totalAmount = markets.reduce(
    (sum, m) => addDecimals(sum, m.config.totalAmount),
    '0',
  )
  if (
    maxTotalAmount !== undefined &&
    compareDecimals(totalAmount, maxTotalAmount) > 0
  )
    throw new ConfigError(
      'maxTotalAmount',
      `Invalid config: the ladders' budgets add up to ${totalAmount}, more than maxTotalAmount = ${show(capRaw)}:\n${markets
        .map(
          (m) =>
            `- ${m.field} (${m.symbol}): totalAmount ${m.config.totalAmount}`,
        )
        .join(
          '\n',
        )}\nFix: lower the entries' totalAmount so they add up to at most ${maxTotalAmount}, or raise maxTotalAmount to ${totalAmount} if the account holds that much; nothing was sent to the exchange.`,
    )
  return {
    layout: list === undefined ? 'classic' : 'markets',
    markets,
    maxTotalAmount,
    totalAmount,
    warnings,
  }
}

/** `maxTotalAmount`: a positive decimal (string or plain JSON number), or absent. */
function readCap(value: unknown): string | undefined {
  if (value === undefined) return undefined
  const text = typeof value === 'number' ? String(value) : value
  if (
    typeof text !== 'string' ||
    !DECIMAL.test(text) ||
    compareDecimals(text, '0') <= 0
  )
    throw new ConfigError(
      'maxTotalAmount',
      `Invalid config: maxTotalAmount = ${show(value)} is not a positive decimal.\nFix: write the most quote (e.g. USDC) all ladders may commit together, such as "3000", or remove it for no cap.`,
    )
  return text
}

/** The `markets` list: each entry validated, every bad entry in one error. */
function validateList(
  list: unknown,
  base: Json,
  warnings: string[],
): MarketEntry[] {
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(
      'markets',
      `Invalid config: markets = ${show(list)} is not a non-empty list.\nFix: write "markets": [{ "tradingCoin": "BTC", "totalAmount": "1000" }, ...], or remove it and use the classic "trading" section for one market.`,
    )
  checkSharedKeys(base)
  const problems: string[] = []
  const typos: KeyTypo[] = []
  const entries: MarketEntry[] = []
  list.forEach((entry: unknown, index) => {
    const field = `markets[${index}]`
    if (!isObject(entry)) {
      problems.push(`- ${field}: is ${show(entry)}, not an object`)
      return
    }
    sortUnknownKeys(
      entry,
      MARKET_ENTRY_KEYS,
      field,
      `an entry takes ${MARKET_ENTRY_KEYS.join(', ')}`,
      { typos, warnings },
    )
    const strategy = entry.strategy ?? {}
    if (!isObject(strategy)) {
      problems.push(
        `- ${field}.strategy: is ${show(strategy)}, not an object (make it { ... } or remove it)`,
      )
      return
    }
    if (
      entry.symbol === undefined &&
      entry.tradingCoin === undefined &&
      strategy.symbol === undefined
    ) {
      problems.push(
        `- ${field}: names no market (add "tradingCoin": "SOL" or "symbol": "SOL_USDC")`,
      )
      return
    }
    // Only the known keys go on: an unknown one was reported above.
    const { symbol } = entry
    const trading = Object.fromEntries(
      Object.entries(entry).filter(
        ([key]) =>
          MARKET_ENTRY_KEYS.includes(key) &&
          key !== 'symbol' &&
          key !== 'strategy',
      ),
    )
    const merged: Json = {
      ...base,
      trading: { ...(isObject(base.trading) ? base.trading : {}), ...trading },
      strategy: {
        ...(isObject(base.strategy) ? base.strategy : {}),
        ...(symbol === undefined ? {} : { symbol }),
        ...strategy,
      },
    }
    const checked = checkOne(merged, field, entry)
    if (!checked.ok) {
      problems.push(...checked.lines)
      return
    }
    const { config } = checked
    warnings.push(...checked.warnings)
    entries.push({ symbol: config.symbol, config, raw: merged, field })
  })
  if (typos.length > 0) throw typoError(typos)
  if (problems.length > 0)
    throw new ConfigError(
      'markets',
      `Invalid config: ${problems.length === 1 ? 'a market entry is' : 'market entries are'} invalid:\n${problems.join('\n')}\nFix: correct the fields above (see docs/configuration.md, "Several markets"); nothing was sent to the exchange.`,
    )
  return entries
}

/** With a `markets` list, the market must be named by each entry, not above it. */
function checkSharedKeys(base: Json): void {
  const trading = isObject(base.trading) ? base.trading : {}
  const strategy = isObject(base.strategy) ? base.strategy : {}
  const shared = [
    base.symbol === undefined ? undefined : 'symbol',
    trading.tradingCoin === undefined ? undefined : 'trading.tradingCoin',
    strategy.symbol === undefined ? undefined : 'strategy.symbol',
  ].filter((f) => f !== undefined)
  if (shared.length > 0)
    throw new ConfigError(
      shared[0] as string,
      `Invalid config: ${shared.join(', ')} names a market above the "markets" list.\nFix: remove it and name each ladder's market in its entry ("tradingCoin" or "symbol"); the top-level sections hold only what every ladder shares.`,
    )
}

/** One ladder's validation: its config and warnings, or its issue lines. */
type Checked =
  | { ok: true; config: LadderConfig; warnings: string[] }
  | { ok: false; error: ConfigError; lines: string[] }

/**
 * Validates one ladder with the strategy's `validateConfig`; misspelt keys
 * are errors. For an entry, issue paths are renamed to where the value was
 * written (`trading.totalAmount` → `markets[1].totalAmount`).
 */
function checkOne(raw: Json, field: string, entry: Json | undefined): Checked {
  const where = (path: string) => {
    if (entry === undefined) return path
    const [section, key] = path.split('.', 2)
    if (section === 'trading' && key !== undefined && key in entry)
      return `${field}.${key}`
    const own = entry.strategy
    if (section === 'strategy' && key !== undefined) {
      if (isObject(own) && key in own) return `${field}.strategy.${key}`
      if (key === 'symbol' && 'symbol' in entry) return `${field}.symbol`
    }
    return path
  }
  try {
    const { config, warnings } = validateConfig(raw)
    const typos = warnings.flatMap((w) =>
      w.suggestion === undefined
        ? []
        : [{ path: where(w.path), suggestion: w.suggestion }],
    )
    if (typos.length > 0) throw typoError(typos)
    return {
      ok: true,
      config,
      warnings: warnings.map((w) => `${where(w.path)}: ${w.message}`),
    }
  } catch (error) {
    if (!isLadderConfigError(error)) throw error
    return {
      ok: false,
      error: new ConfigError(
        where(error.issues[0]?.path ?? field),
        `Invalid config: ${error.message}\nFix: correct the fields above (see docs/configuration.md); nothing was sent to the exchange.`,
        { cause: error },
      ),
      lines: error.issues.map(
        (issue) =>
          `- ${where(issue.path)}: ${issue.message}, got ${issue.value === undefined ? 'nothing' : show(issue.value)}`,
      ),
    }
  }
}

/** The same market twice would run two ladders on one order book and one balance. */
function checkDuplicates(markets: readonly MarketEntry[]): void {
  const seen = new Map<string, string>()
  for (const m of markets) {
    const first = seen.get(m.symbol)
    if (first !== undefined)
      throw new ConfigError(
        m.field,
        `Invalid config: ${first} and ${m.field} both trade ${m.symbol}.\nFix: keep one entry per market (merge their totalAmount into one ladder).`,
      )
    seen.set(m.symbol, m.field)
  }
}

/**
 * Checks that the exchange lists every configured market, once its markets
 * are loaded.
 *
 * @param markets - The configured ladders.
 * @param listed - The exchange's market symbols.
 * @throws {ConfigError} naming every entry whose market is not listed, with
 *   a close listed symbol when there is one.
 * @example
 * ```ts
 * import { checkMarketsListed, validateMarkets } from '@rung/bot-cli'
 * const { markets } = validateMarkets({ trading: { tradingCoin: 'SOL' } })
 * checkMarketsListed(markets, ['BTC_USDC', 'SOL_USDC']) // passes
 * ```
 */
export function checkMarketsListed(
  markets: readonly MarketEntry[],
  listed: Iterable<string>,
): void {
  const known = [...listed]
  const set = new Set(known)
  const missing = markets.filter((m) => !set.has(m.symbol))
  if (missing.length === 0) return
  throw new ConfigError(
    missing[0]?.field ?? 'markets',
    `Unknown market${missing.length > 1 ? 's' : ''}: the exchange lists no ${missing
      .map((m) => {
        const near = suggestKey(m.symbol, known)
        return `${m.symbol} (${m.field}${near === undefined ? '' : `; did you mean ${near}?`})`
      })
      .join(
        ', ',
      )}.\nFix: correct the symbol (\`rung markets\` lists them) or remove the entry; nothing was sent to the exchange.`,
  )
}
