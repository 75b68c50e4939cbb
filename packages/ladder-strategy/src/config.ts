/**
 * `validateConfig`: reads the classic bot's `backpack_trading_config.json`
 * as is (and the new options), and returns a normalized {@link LadderConfig}
 * plus warnings, or throws one {@link LadderConfigError} listing every bad
 * field.
 *
 * Where each key is read from, in order of precedence (later wins):
 * 1. the classic sections `trading`, `actions`, `advanced`;
 * 2. flat top-level keys with the spec's names (`symbol`, `orderCount`, ...),
 *    so a normalized config validates to itself;
 * 3. a `strategy` section with the spec's names (the place for new options).
 */

import { checkCrossFields } from './config/crossField.js'
import {
  type FieldReaders,
  type Found,
  fieldReaders,
  gt0,
  type Key,
  pct,
} from './config/fields.js'
import { readSymbol } from './config/symbol.js'
import { readTakeProfitSteps } from './config/takeProfitSteps.js'
import { compareTo } from './decimal.js'
import { type ConfigIssue, LadderConfigError } from './errors.js'
import type { ConfigWarning, LadderConfig, ValidatedConfig } from './types.js'

/** Largest `orderCount` accepted (client ids reserve 512 rung slots per cycle). */
export const MAX_ORDER_COUNT = 500

/** Largest number of take-profit steps accepted (`takeProfitSteps`). */
export const MAX_TAKE_PROFIT_STEPS = 4

/**
 * The classic bot's values (LADDER-SPEC.md's table); every extension off.
 *
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG } from '@rung/ladder-strategy'
 * const config = { ...DEFAULT_LADDER_CONFIG, symbol: 'SOL_USDC' }
 * ```
 */
export const DEFAULT_LADDER_CONFIG: Readonly<LadderConfig> = Object.freeze({
  symbol: 'BTC_USDC',
  maxDropPercentage: '7',
  totalAmount: '2000',
  orderCount: 8,
  incrementPercentage: '50',
  takeProfitPercentage: '0.25',
  minOrderAmount: '10',
  restartAfterTakeProfit: true,
  autoRestartNoFill: true,
  noFillRestartMinutes: 1,
  stepScale: '1',
  firstRungOffsetPercentage: '0',
  feeAwareTakeProfit: false,
  takeProfitOrder: 'market',
  postOnly: false,
  trailingTakeProfitPercentage: false,
  stopLossPercentage: false,
  coolDownMinutes: 0,
  maxCycles: false,
})

/** Keys of the classic sections that the strategy reads, mapped to its names. */
const CLASSIC: Record<
  string,
  Record<string, Key | 'tradingCoin' | 'baseCurrency'>
> = {
  trading: {
    tradingCoin: 'tradingCoin',
    maxDropPercentage: 'maxDropPercentage',
    totalAmount: 'totalAmount',
    orderCount: 'orderCount',
    incrementPercentage: 'incrementPercentage',
    takeProfitPercentage: 'takeProfitPercentage',
  },
  actions: {
    restartAfterTakeProfit: 'restartAfterTakeProfit',
    autoRestartNoFill: 'autoRestartNoFill',
  },
  advanced: {
    minOrderAmount: 'minOrderAmount',
    noFillRestartMinutes: 'noFillRestartMinutes',
    baseCurrency: 'baseCurrency',
  },
}

/** Keys that belong to the bot (validated by the CLI): passed over silently. */
const BOT_KEYS: Record<string, readonly string[]> = {
  actions: ['sellNonUsdcAssets', 'cancelAllOrders', 'cancelOrdersOnExit'],
  advanced: [
    'monitorIntervalSeconds',
    'checkOrdersIntervalMinutes',
    'sellNonUsdcMinValue',
  ],
}
const BOT_SECTIONS = ['api', 'websocket', 'bot', 'paper', 'notify']
const LEGACY_TABLES = ['quantityPrecisions', 'pricePrecisions', 'minQuantities']
/**
 * Options that are absent from {@link DEFAULT_LADDER_CONFIG} (absent = off),
 * so a config without them validates to exactly what it did before they
 * existed.
 */
const OPTIONAL_KEYS: readonly Key[] = [
  'minPrice',
  'maxPrice',
  'activeOrderCount',
  'takeProfitSteps',
]
const CONFIG_KEYS = [
  ...(Object.keys(DEFAULT_LADDER_CONFIG) as Key[]),
  ...OPTIONAL_KEYS,
]
/** Every key valid at the top level. */
const TOP_LEVEL_KEYS: readonly string[] = [
  ...Object.keys(CLASSIC),
  'strategy',
  ...BOT_SECTIONS,
  ...LEGACY_TABLES,
  ...CONFIG_KEYS,
]

/** Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours is one edit. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1
  const d = new Array<number>((a.length + 1) * width)
  for (let i = 0; i <= a.length; i += 1) {
    for (let j = 0; j <= b.length; j += 1) {
      if (i === 0 || j === 0) {
        d[i * width + j] = i + j
        continue
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        (d[(i - 1) * width + j] as number) + 1,
        (d[i * width + j - 1] as number) + 1,
        (d[(i - 1) * width + j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (d[(i - 2) * width + j - 2] as number) + 1)
      d[i * width + j] = best
    }
  }
  return d[a.length * width + b.length] as number
}

/**
 * The known key an unknown one is most likely a typo of: the closest by
 * Damerau-Levenshtein distance, ignoring case, within 2 edits (1 edit for a
 * key of 4 characters or fewer, where 2 would match unrelated words). On a
 * tie the first in `known` wins. `validateConfig` uses it for its warnings'
 * `suggestion`; the bot uses it for its own sections.
 *
 * @param key - The unknown key, as written.
 * @param known - The keys valid at that place.
 * @returns The suggested key, or `undefined` when none is close.
 * @example
 * ```ts
 * import { suggestKey } from '@rung/ladder-strategy'
 * suggestKey('takeProfitPercentag', ['takeProfitPercentage', 'orderCount']) // 'takeProfitPercentage'
 * suggestKey('colour', ['takeProfitPercentage', 'orderCount']) // undefined
 * ```
 */
export function suggestKey(
  key: string,
  known: readonly string[],
): string | undefined {
  const limit = key.length <= 4 ? 1 : 2
  const lower = key.toLowerCase()
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of known) {
    if (candidate === key) continue
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** The warning for an unknown key, with a suggestion when one is close. */
function unknownKey(
  path: string,
  key: string,
  known: readonly string[],
): ConfigWarning {
  const suggestion = suggestKey(key, known)
  return suggestion === undefined
    ? { path, message: 'unknown key, ignored' }
    : {
        path,
        message: `unknown key, ignored; did you mean ${suggestion}?`,
        suggestion,
      }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Collects the strategy's values from the input's sections (classic
 * sections, flat keys, `strategy`; later wins), keyed by the spec's names.
 * A section that is not an object is an issue; an unknown key, a legacy
 * table or `advanced.priceTickSize` is a warning.
 */
function collectFields(
  input: Record<string, unknown>,
  issues: ConfigIssue[],
  warnings: ConfigWarning[],
): Map<string, Found> {
  const found = new Map<string, Found>()
  const put = (key: string, path: string, value: unknown) => {
    found.set(key, { path, value })
  }

  for (const [key, value] of Object.entries(input)) {
    if (key in CLASSIC) {
      if (!isRecord(value)) {
        issues.push({ path: key, value, message: 'must be an object' })
        continue
      }
      const known = CLASSIC[key] as Record<string, string>
      const bot = BOT_KEYS[key] ?? []
      for (const [inner, innerValue] of Object.entries(value)) {
        const target = known[inner]
        if (target !== undefined) put(target, `${key}.${inner}`, innerValue)
        else if (inner === 'priceTickSize' && key === 'advanced')
          warnings.push({
            path: 'advanced.priceTickSize',
            message:
              'ignored: the tick size comes from the exchange market rules',
          })
        else if (!bot.includes(inner))
          warnings.push(
            unknownKey(`${key}.${inner}`, inner, [
              ...Object.keys(known),
              ...bot,
              ...(key === 'advanced' ? ['priceTickSize'] : []),
            ]),
          )
      }
    } else if (key === 'strategy') {
      if (!isRecord(value)) {
        issues.push({ path: key, value, message: 'must be an object' })
        continue
      }
      for (const [inner, innerValue] of Object.entries(value)) {
        if ((CONFIG_KEYS as string[]).includes(inner))
          put(inner, `strategy.${inner}`, innerValue)
        else warnings.push(unknownKey(`strategy.${inner}`, inner, CONFIG_KEYS))
      }
    } else if ((CONFIG_KEYS as string[]).includes(key)) {
      // Flat keys lose to the `strategy` section when both are given.
      const existing = found.get(key)
      if (!existing?.path.startsWith('strategy.')) put(key, key, value)
    } else if (BOT_SECTIONS.includes(key)) {
      // The bot's own sections: validated by the CLI.
    } else if (LEGACY_TABLES.includes(key)) {
      warnings.push({
        path: key,
        message:
          'ignored: quantity and price precision come from the exchange market rules',
      })
    } else {
      warnings.push(unknownKey(key, key, TOP_LEVEL_KEYS))
    }
  }
  return found
}

/**
 * Checks every field on its own, in the order of the issues it reports
 * (the spec's table order, then the extensions).
 */
function checkFields(
  { decimal, optionalDecimal, boolean, number }: FieldReaders,
  found: ReadonlyMap<string, Found>,
  out: Record<string, unknown>,
  issues: ConfigIssue[],
): void {
  decimal('maxDropPercentage', (v) =>
    compareTo(v, '100') < 0 ? null : 'must be a percentage >= 0 and < 100',
  )
  decimal('totalAmount', gt0)
  number('orderCount', (v) =>
    Number.isInteger(v) && v >= 1 && v <= MAX_ORDER_COUNT
      ? null
      : `must be an integer >= 1 and <= ${MAX_ORDER_COUNT}`,
  )
  decimal('incrementPercentage', (v) =>
    compareTo(v, '1000') <= 0 ? null : 'must be >= 0 and <= 1000',
  )
  decimal('takeProfitPercentage', gt0)
  decimal('minOrderAmount', () => null)
  boolean('restartAfterTakeProfit')
  boolean('autoRestartNoFill')
  number('noFillRestartMinutes', (v) =>
    v > 0 ? null : 'must be a number of minutes > 0',
  )
  decimal('stepScale', (v) =>
    compareTo(v, '0') > 0 && compareTo(v, '10') <= 0
      ? null
      : 'must be > 0 and <= 10 (1 = equal spacing)',
  )
  decimal('firstRungOffsetPercentage', (v) =>
    compareTo(v, '100') < 0 ? null : 'must be a percentage >= 0 and < 100',
  )
  boolean('feeAwareTakeProfit')
  {
    const f = found.get('takeProfitOrder')
    if (f) {
      if (f.value === 'market' || f.value === 'limit')
        out.takeProfitOrder = f.value
      else issues.push({ ...f, message: `must be 'market' or 'limit'` })
    }
  }
  boolean('postOnly')
  optionalDecimal('trailingTakeProfitPercentage', pct)
  optionalDecimal('stopLossPercentage', pct)
  number('coolDownMinutes', (v) =>
    v >= 0 ? null : 'must be a number of minutes >= 0',
  )
  number(
    'maxCycles',
    (v) =>
      Number.isInteger(v) && v >= 1 ? null : 'must be an integer >= 1 or false',
    true,
  )

  optionalDecimal('minPrice', (v) =>
    compareTo(v, '0') > 0
      ? null
      : 'must be a price > 0, or false for no lower end',
  )
  optionalDecimal('maxPrice', (v) =>
    compareTo(v, '0') > 0
      ? null
      : 'must be a price > 0, or false for no upper end',
  )
  number(
    'activeOrderCount',
    (v) =>
      Number.isInteger(v) && v >= 1
        ? null
        : 'must be an integer >= 1 (how many rungs rest at once), or false for every rung',
    true,
  )
}

/**
 * Validates and normalizes a strategy configuration: the classic bot's
 * config file as is, flat keys with the spec's names, or a `strategy`
 * section with them. Sections that belong to the bot (`api`, `websocket`,
 * `actions.sellNonUsdcAssets`, ...) are passed over silently; legacy
 * precision tables are ignored with a warning (market rules come from the
 * exchange); unknown keys give a warning, with a `suggestion` when one is
 * within two edits of a known key (see {@link suggestKey}); the bot treats
 * those as errors. JSON numbers are converted to
 * decimal strings through their shortest JSON text.
 *
 * @param input - The parsed JSON (anything; it is checked).
 * @returns The normalized config and the warnings.
 * @throws {LadderConfigError} listing every bad field with its path, the
 *   value and the fix (also as `error.issues`).
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { validateConfig } from '@rung/ladder-strategy'
 * const { config, warnings } = validateConfig(
 *   JSON.parse(readFileSync('backpack_trading_config.json', 'utf8')),
 * )
 * console.log(config.symbol, config.orderCount, warnings)
 * ```
 */
export function validateConfig(input: unknown): ValidatedConfig {
  const issues: ConfigIssue[] = []
  const warnings: ConfigWarning[] = []
  if (!isRecord(input)) {
    throw new LadderConfigError('The ladder config is not valid.', [
      {
        path: '(root)',
        value: input,
        message: 'must be a JSON object (the contents of the config file)',
      },
    ])
  }
  const found = collectFields(input, issues, warnings)

  const out: Record<string, unknown> = { ...DEFAULT_LADDER_CONFIG }
  checkFields(fieldReaders(found, out, issues), found, out, issues)
  readSymbol(found, out, issues, warnings)

  readTakeProfitSteps(
    found.get('takeProfitSteps'),
    out,
    issues,
    MAX_TAKE_PROFIT_STEPS,
  )

  const config = out as unknown as LadderConfig
  checkCrossFields(config, found, issues)

  if (issues.length > 0)
    throw new LadderConfigError(
      `The ladder config has ${issues.length} invalid field${issues.length === 1 ? '' : 's'}.`,
      issues,
    )
  return { config: Object.freeze(config) as LadderConfig, warnings }
}
