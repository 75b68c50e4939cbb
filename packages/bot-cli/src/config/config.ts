/**
 * Configuration: the classic `backpack_trading_config.json` layout, accepted
 * as is (JSON or JSONC), plus the bot's own new sections. The strategy fields
 * (`trading.*`, `actions.restartAfterTakeProfit/autoRestartNoFill`,
 * `advanced.minOrderAmount/priceTickSize/noFillRestartMinutes`) are validated
 * by `@rung/ladder-strategy`; everything else is validated here, before any
 * network call, so a bad config never places an order.
 *
 * Precedence: command-line flags > environment > config file > defaults.
 */
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { parseNotifySettings } from '../notify/notifyConfig.js'
import { checkOwnerOnly, HAS_MODES } from '../ownerOnly.js'
import {
  bool,
  decimal,
  describeJson,
  fail,
  flagOrField,
  integer,
  isObject,
  type Json,
  type KeyTypo,
  KNOWN,
  oneOf,
  positiveNumber,
  section,
  sortUnknownKeys,
  typoError,
  url,
} from './fields.js'
import { JsoncSyntaxError, parseJsonc } from './jsonc.js'
import {
  type BotSettings,
  type ConfigOverrides,
  DEFAULTS,
  type PaperSettings,
} from './settings.js'

/** What {@link parseBotSettings} returns. */
export interface ParsedSettings {
  /** The validated settings. */
  settings: BotSettings
  /** Non-fatal findings, such as unknown fields (likely typos). */
  warnings: string[]
}

/**
 * Validates the bot's own sections of a parsed config object (`api`,
 * `websocket`, `actions.cancelAllOrders/sellNonUsdcAssets`,
 * `advanced.monitorIntervalSeconds/checkOrdersIntervalMinutes/sellNonUsdcMinValue`,
 * `bot`, `paper`, `notify`) and applies the overrides. Nothing touches the network.
 *
 * @param raw - The parsed config file (`{}` for all defaults).
 * @param overrides - Flags and environment, which win over the file.
 * @param cwd - Directory that relative paths (`bot.dataDir`) are resolved against.
 * @returns The settings and the warnings (unknown keys far from any known one).
 * @throws {ConfigError} naming the field, the value and the fix; for unknown
 *   keys within two edits of a known one, naming the key meant.
 * @example
 * ```ts
 * import { parseBotSettings } from '@rung/bot-cli'
 * const { settings } = parseBotSettings({ bot: { onStop: 'leave' } }, { dataDir: '/tmp/rung' })
 * console.log(settings.onStop, settings.monitorIntervalMs) // 'leave' 15000
 * ```
 */
export function parseBotSettings(
  raw: unknown,
  overrides: ConfigOverrides = {},
  cwd = process.cwd(),
): ParsedSettings {
  if (!isObject(raw))
    // The value itself is not shown: it may hold a key.
    throw new ConfigError(
      '(root)',
      `Invalid config: the config is ${describeJson(raw)}, not a JSON object.\nFix: the config file must hold one object: { "trading": { ... }, ... }`,
    )
  const warnings = checkKeys(raw)
  const actions = section(raw, 'actions')
  const advanced = section(raw, 'advanced')
  const websocket = section(raw, 'websocket')
  const wsOptions = websocketOptions(websocket)
  const bot = section(raw, 'bot')
  const paper = section(raw, 'paper')
  const { wsUrl, baseUrl } = endpoints(websocket, bot, overrides)
  const settings: BotSettings = {
    dataDir: dataDirOf(bot, overrides, cwd),
    baseUrl,
    wsUrl,
    logFormat: oneOf(
      ...flagOrField(
        overrides.logFormat,
        '--log-format',
        bot.logFormat,
        'bot.logFormat',
      ),
      ['plain', 'json'] as const,
      DEFAULTS.logFormat,
    ),
    logLevel: oneOf(
      bot.logLevel,
      'bot.logLevel',
      ['debug', 'info', 'warn', 'error'] as const,
      DEFAULTS.logLevel,
    ),
    onStop: oneOf(
      // The classic actions.cancelOrdersOnExit: false means "leave them".
      bot.onStop ??
        (actions.cancelOrdersOnExit === false ? 'leave' : undefined),
      'bot.onStop',
      ['cancel', 'leave'] as const,
      DEFAULTS.onStop,
    ),
    cancelAllOrders: bool(
      actions,
      'actions',
      'cancelAllOrders',
      DEFAULTS.cancelAllOrders,
    ),
    sellNonUsdcAssets: bool(
      actions,
      'actions',
      'sellNonUsdcAssets',
      DEFAULTS.sellNonUsdcAssets,
    ),
    sellNonUsdcMinValue: decimal(
      advanced,
      'advanced',
      'sellNonUsdcMinValue',
      DEFAULTS.sellNonUsdcMinValue,
    ) as string,
    monitorIntervalMs:
      positiveNumber(
        advanced,
        'advanced',
        'monitorIntervalSeconds',
        DEFAULTS.monitorIntervalSeconds,
        'seconds',
      ) * 1000,
    checkOrdersIntervalMs:
      positiveNumber(
        advanced,
        'advanced',
        'checkOrdersIntervalMinutes',
        DEFAULTS.checkOrdersIntervalMinutes,
        'minutes',
      ) * 60_000,
    websocket: websocketSettings(wsOptions),
    paper: paperSettings(paper, overrides),
    notify: parseNotifySettings(section(raw, 'notify')),
  }
  return { settings, warnings }
}

/**
 * Checks the keys of the bot's own sections: a misspelt one (within two
 * edits of a known one) is an error, any other unknown one a warning; the
 * `api` keys must be strings (their values are never shown).
 * @returns The warnings.
 * @throws {ConfigError} naming the misspelt keys, or a non-string api key.
 */
function checkKeys(raw: Json): string[] {
  const found = { typos: [] as KeyTypo[], warnings: [] as string[] }
  for (const [name, keys] of Object.entries(KNOWN)) {
    let obj: unknown = raw
    for (const part of name.split('.'))
      obj = isObject(obj) ? obj[part] : undefined
    if (!isObject(obj)) continue
    sortUnknownKeys(
      obj,
      keys,
      name,
      'check the spelling in docs/configuration.md',
      found,
    )
  }
  if (found.typos.length > 0) throw typoError(found.typos)

  const api = section(raw, 'api')
  for (const key of ['privateKey', 'publicKey', 'keyFile']) {
    const value = api[key]
    // Never echo a key's value, even a malformed one.
    if (value !== undefined && typeof value !== 'string')
      throw new ConfigError(
        `api.${key}`,
        `Invalid config: api.${key} is not a string.\nFix: write it as a string, or better, remove it and set BACKPACK_API_KEY / BACKPACK_API_SECRET.`,
      )
  }
  return found.warnings
}

/** `websocket.options` (`{}` when absent), or an error when it is not an object. */
function websocketOptions(websocket: Json): Json {
  const wsOptions = websocket.options === undefined ? {} : websocket.options
  if (!isObject(wsOptions))
    fail(
      'websocket.options',
      wsOptions,
      'is not an object',
      'make it an object or remove it',
    )
  return wsOptions
}

/** The WebSocket URL and the REST origin: flag, then config, then default. */
function endpoints(
  websocket: Json,
  bot: Json,
  overrides: ConfigOverrides,
): { wsUrl: string; baseUrl: string } {
  const ws = ['ws:', 'wss:']
  const http = ['http:', 'https:']
  return {
    wsUrl: endpoint(
      overrides.wsUrl,
      '--ws-url',
      websocket.url,
      'websocket.url',
      DEFAULTS.wsUrl,
      ws,
    ),
    baseUrl: endpoint(
      overrides.baseUrl,
      '--base-url',
      bot.baseUrl,
      'bot.baseUrl',
      DEFAULTS.baseUrl,
      http,
    ),
  }
}

/** One URL: the flag's value, else the config's, else the default; the field named is where the value came from. */
function endpoint(
  flagValue: string | undefined,
  flag: string,
  configValue: unknown,
  field: string,
  fallback: string,
  protocols: readonly string[],
): string {
  if (flagValue !== undefined) return url(flagValue, flag, protocols)
  return configValue === undefined
    ? fallback
    : url(configValue, field, protocols)
}

/** The data directory, absolute: flag, then `bot.dataDir`, then the default (paper has its own). */
function dataDirOf(bot: Json, overrides: ConfigOverrides, cwd: string): string {
  const dataDirRaw = overrides.dataDir ?? bot.dataDir
  if (
    dataDirRaw !== undefined &&
    (typeof dataDirRaw !== 'string' || dataDirRaw === '')
  )
    fail(
      'bot.dataDir',
      dataDirRaw,
      'is not a directory path',
      'write a path such as ".rung"',
    )
  return resolve(
    cwd,
    (dataDirRaw as string | undefined) ??
      (overrides.paper ? DEFAULTS.paperDataDir : DEFAULTS.dataDir),
  )
}

/** `websocket.options`: reconnection. */
function websocketSettings(wsOptions: Json): BotSettings['websocket'] {
  return {
    reconnect: bool(
      wsOptions,
      'websocket.options',
      'reconnect',
      DEFAULTS.reconnect,
    ),
    reconnectIntervalMs: integer(
      wsOptions,
      'websocket.options',
      'reconnectInterval',
      DEFAULTS.reconnectIntervalMs,
      1,
    ),
    maxReconnectAttempts: integer(
      wsOptions,
      'websocket.options',
      'maxReconnectAttempts',
      DEFAULTS.maxReconnectAttempts,
      0,
    ),
  }
}

/** The `paper` section: the simulator of `rung paper`. */
function paperSettings(paper: Json, overrides: ConfigOverrides): PaperSettings {
  return {
    marketData: oneOf(
      ...flagOrField(
        overrides.marketData,
        '--market-data',
        paper.marketData,
        'paper.marketData',
      ),
      ['generated', 'live'] as const,
      DEFAULTS.paperMarketData,
    ),
    fillModel: oneOf(
      ...flagOrField(
        overrides.fillModel,
        '--fill-model',
        paper.fillModel,
        'paper.fillModel',
      ),
      ['trade', 'queue'] as const,
      DEFAULTS.paperFillModel,
    ),
    seed: integer(paper, 'paper', 'seed', DEFAULTS.paperSeed, 0),
    timeScale: positiveNumber(
      paper,
      'paper',
      'timeScale',
      DEFAULTS.paperTimeScale,
      'simulated seconds per second',
    ),
    quoteBalance: decimal(
      paper,
      'paper',
      'quoteBalance',
      DEFAULTS.paperQuoteBalance,
    ) as string,
    startPrice: decimal(paper, 'paper', 'startPrice', undefined),
  }
}

/** A config file as read from disk. */
export interface ConfigFile {
  /** Absolute path, or undefined when no file was used (paper defaults). */
  path: string | undefined
  /** The parsed object. */
  raw: Record<string, unknown>
  /** Permission bits of the file (undefined on platforms without them). */
  mode: number | undefined
}

/**
 * Reads and parses a config file (JSON or JSONC: comments and trailing
 * commas allowed). A file holding `api.privateKey` must be 0600 or
 * stricter (no group or other bit, read or write); the error shows the
 * `chmod 600` fix.
 *
 * @param path - The file (relative to the working directory).
 * @returns The absolute path, the parsed object and the permission bits.
 * @throws {ConfigError} when the file is missing, unparsable or too open.
 * @example
 * ```ts
 * import { readConfigFile } from '@rung/bot-cli'
 * const file = readConfigFile('backpack_trading_config.json')
 * console.log(Object.keys(file.raw))
 * ```
 */
export function readConfigFile(path: string): ConfigFile {
  const absolute = resolve(path)
  let text: string
  let mode: number | undefined
  try {
    text = readFileSync(absolute, 'utf8')
    mode = HAS_MODES ? statSync(absolute).mode & 0o777 : undefined
  } catch (cause) {
    throw new ConfigError(
      '--config',
      `Cannot read the config file ${absolute}: ${(cause as Error).message}.\nFix: pass an existing file with --config, or create one with \`rung init\`.`,
      { cause },
    )
  }
  let raw: unknown
  try {
    raw = parseJsonc(text)
  } catch (cause) {
    // The parser's message names the spot with secret values masked; any
    // other error's message could quote the file, so it is not shown.
    const detail =
      cause instanceof JsoncSyntaxError ? cause.message : 'not valid JSON'
    throw new ConfigError(
      '--config',
      `The config file ${absolute} is not valid JSON: ${detail}\nFix: correct the syntax (comments and trailing commas are allowed).`,
      cause instanceof JsoncSyntaxError ? { cause } : undefined,
    )
  }
  if (!isObject(raw))
    throw new ConfigError(
      '(root)',
      `Invalid config: the file ${absolute} holds ${describeJson(raw)}, not a JSON object.\nFix: the config file must hold one object: { "trading": { ... }, ... }`,
    )
  const api = raw.api
  if (
    isObject(api) &&
    typeof api.privateKey === 'string' &&
    api.privateKey !== ''
  )
    checkOwnerOnly({
      path: absolute,
      mode,
      what: 'the config file',
      holds: 'api.privateKey',
      field: 'api.privateKey',
      alternative:
        ', or better, move the keys to BACKPACK_API_KEY / BACKPACK_API_SECRET or a 0600 key file',
    })
  return { path: absolute, raw, mode }
}
