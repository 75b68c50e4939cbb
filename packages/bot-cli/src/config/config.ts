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
import { suggestKey } from '@rung/ladder-strategy'
import { ConfigError } from '../errors.js'
import { checkOwnerOnly, HAS_MODES } from '../ownerOnly.js'
import { JsoncSyntaxError, parseJsonc } from './jsonc.js'

/** Console log format (files are always JSON lines). */
export type LogFormatOption = 'plain' | 'json'

/** What to do with open orders when the bot is stopped by a signal. */
export type OnStop = 'cancel' | 'leave'

/** The validated, non-strategy settings of the bot. All durations in ms. */
export interface BotSettings {
  /** Absolute data directory (journal, pid file, logs, status). */
  dataDir: string
  /** REST origin. */
  baseUrl: string
  /** WebSocket URL. */
  wsUrl: string
  /** Console log format. */
  logFormat: LogFormatOption
  /** Lowest console/file log level. */
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  /** Open orders on a graceful stop. */
  onStop: OnStop
  /** Cancel the bot's symbol's open orders before the first cycle. */
  cancelAllOrders: boolean
  /** Sell leftover non-USDC balances worth at least `sellNonUsdcMinValue` at start. */
  sellNonUsdcAssets: boolean
  /** Minimum USDC value of a leftover balance worth selling (decimal string). */
  sellNonUsdcMinValue: string
  /** REST polling period while the stream is down, in ms. */
  monitorIntervalMs: number
  /** Full reconciliation period (open orders + fills over REST), in ms. */
  checkOrdersIntervalMs: number
  /** Stream reconnect behaviour. */
  websocket: {
    /** Reconnect after a drop. */
    reconnect: boolean
    /** First reconnect delay in ms. */
    reconnectIntervalMs: number
    /** Attempts before falling back to REST polling only (0 = unlimited). */
    maxReconnectAttempts: number
  }
  /** Paper-mode simulator settings. */
  paper: PaperSettings
}

/** Settings of `rung paper` (the in-process simulator). */
export interface PaperSettings {
  /** Feed seed: the same seed gives the same prices. */
  seed: number
  /** Simulated seconds per real second of the generated feed. */
  timeScale: number
  /** Quote balance of the paper account (decimal string). */
  quoteBalance: string
  /** Starting price of the generated feed (decimal string), or undefined for the sim default. */
  startPrice: string | undefined
}

/**
 * Defaults of every bot option: the classic bot's shipped values, plus the
 * new options.
 *
 * @example
 * ```ts
 * import { DEFAULTS } from '@rung/bot-cli'
 * console.log(DEFAULTS.monitorIntervalSeconds) // 15
 * ```
 */
export const DEFAULTS = {
  /** REST origin. */
  baseUrl: 'https://api.backpack.exchange',
  /** WebSocket URL (`websocket.url`). */
  wsUrl: 'wss://ws.backpack.exchange',
  /** Data directory of `rung run`. */
  dataDir: '.rung',
  /** Data directory of `rung paper`. */
  paperDataDir: '.rung/paper',
  /** Console log format. */
  logFormat: 'plain' as LogFormatOption,
  /** Log level. */
  logLevel: 'info' as const,
  /** Open orders on a graceful stop. */
  onStop: 'cancel' as OnStop,
  /** `actions.cancelAllOrders`. */
  cancelAllOrders: true,
  /** `actions.sellNonUsdcAssets` (off unless the config says so: a sale of coins the user holds is never implied). */
  sellNonUsdcAssets: false,
  /** `advanced.sellNonUsdcMinValue` (USDC). */
  sellNonUsdcMinValue: '10',
  /** `advanced.monitorIntervalSeconds`. */
  monitorIntervalSeconds: 15,
  /** `advanced.checkOrdersIntervalMinutes`. */
  checkOrdersIntervalMinutes: 10,
  /** `websocket.options.reconnect`. */
  reconnect: true,
  /** `websocket.options.reconnectInterval` (ms). */
  reconnectIntervalMs: 5000,
  /** `websocket.options.maxReconnectAttempts`. */
  maxReconnectAttempts: 5,
  /** `paper.seed`. */
  paperSeed: 1,
  /** `paper.timeScale` (simulated seconds per second). */
  paperTimeScale: 60,
  /** `paper.quoteBalance` (USDC). */
  paperQuoteBalance: '10000',
} as const

/** Flags and environment that override the file. */
export interface ConfigOverrides {
  /** `--data-dir`. */
  dataDir?: string | undefined
  /** `--base-url` or BACKPACK_BASE_URL. */
  baseUrl?: string | undefined
  /** `--ws-url` or BACKPACK_WS_URL. */
  wsUrl?: string | undefined
  /** `--log-format` / `--json`. */
  logFormat?: string | undefined
  /** Paper mode: changes the default data directory. */
  paper?: boolean | undefined
}

/** A parsed JSON object. */
export type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Shows a value in an error message (quoted strings, JSON otherwise). */
const show = (value: unknown) =>
  typeof value === 'string' ? `"${value}"` : JSON.stringify(value)

function fail(
  field: string,
  value: unknown,
  problem: string,
  fix: string,
): never {
  throw new ConfigError(
    field,
    `Invalid config: ${field} = ${show(value)} ${problem}.\nFix: ${fix}`,
  )
}

/** What kind of JSON value this is, for a message that must not show it. */
const describeJson = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'string'
        ? 'a string'
        : `a ${typeof value}`

function section(raw: Json, name: string): Json {
  const value = raw[name]
  if (value === undefined) return {}
  if (name === 'api' && !isObject(value))
    // Never echo what is there: it is probably a key.
    throw new ConfigError(
      'api',
      `Invalid config: api is ${describeJson(value)}, not an object.\nFix: write "api": { "keyFile": "<path>" }, or better, remove it and set BACKPACK_API_KEY / BACKPACK_API_SECRET.`,
    )
  if (!isObject(value))
    fail(
      name,
      value,
      'is not an object',
      `make "${name}" an object ({ ... }) or remove it`,
    )
  return value
}

function bool(
  obj: Json,
  path: string,
  key: string,
  fallback: boolean,
): boolean {
  const value = obj[key]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    fail(
      `${path}.${key}`,
      value,
      'is not a boolean',
      `write true or false (no quotes)`,
    )
  return value
}

function positiveNumber(
  obj: Json,
  path: string,
  key: string,
  fallback: number,
  unit: string,
): number {
  const value = obj[key]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    fail(
      `${path}.${key}`,
      value,
      'is not a positive number',
      `write a number of ${unit} greater than 0, e.g. ${fallback}`,
    )
  return value
}

function integer(
  obj: Json,
  path: string,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = obj[key]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    fail(
      `${path}.${key}`,
      value,
      `is not a whole number >= ${min}`,
      `write a whole number, e.g. ${fallback}`,
    )
  return value
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/

/** Accepts a non-negative decimal as a string, or a JSON number written in plain notation. */
function decimal(
  obj: Json,
  path: string,
  key: string,
  fallback: string | undefined,
): string | undefined {
  const value = obj[key]
  if (value === undefined) return fallback
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !DECIMAL.test(text))
    fail(
      `${path}.${key}`,
      value,
      'is not a non-negative decimal',
      `write a plain decimal such as "10" or "0.5" (no exponent, no sign)`,
    )
  return text
}

function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !allowed.includes(value as T))
    fail(
      field,
      value,
      `is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
      `use one of ${allowed.join(' | ')}`,
    )
  return value as T
}

function url(
  value: unknown,
  field: string,
  protocols: readonly string[],
): string {
  if (typeof value !== 'string')
    fail(
      field,
      value,
      'is not a URL string',
      `write a URL starting with ${protocols.join(' or ')}`,
    )
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    fail(
      field,
      value,
      'is not a valid URL',
      `write a URL starting with ${protocols.join(' or ')}`,
    )
  }
  if (!protocols.includes(parsed.protocol))
    fail(
      field,
      value,
      `does not use ${protocols.join(' or ')}`,
      `write a URL starting with ${protocols.join(' or ')}`,
    )
  return value.replace(/\/+$/, '')
}

/**
 * Known keys of the sections only the bot reads (dotted path of the section
 * → its keys). An unknown key within two edits of a known one is an error
 * with the suggestion (see {@link typoError}); any other unknown key draws a
 * warning. `trading`, `actions`, `advanced`, `strategy` and top-level keys
 * are checked by the strategy's `validateConfig`, which knows both its own
 * keys and the bot's, and uses the same `suggestKey`.
 */
const KNOWN: Record<string, readonly string[]> = {
  api: ['privateKey', 'publicKey', 'keyFile'],
  websocket: ['url', 'options'],
  'websocket.options': [
    'reconnect',
    'reconnectInterval',
    'maxReconnectAttempts',
  ],
  bot: ['dataDir', 'baseUrl', 'logFormat', 'logLevel', 'onStop'],
  paper: ['seed', 'timeScale', 'quoteBalance', 'startPrice'],
}

/** An unknown key that is probably a typo of a known one. */
export interface KeyTypo {
  /** Dotted path of the unknown key, e.g. `strategy.takeProfitPercentag`. */
  path: string
  /** The known key it is probably a typo of. */
  suggestion: string
}

/**
 * The error for misspelt keys: one line per key
 * (`Unknown key strategy.takeProfitPercentag: did you mean takeProfitPercentage?`),
 * then the fix. Exit code 2; raised before anything is sent.
 *
 * @param typos - At least one misspelt key.
 * @returns The error, naming the first key as its field.
 */
export function typoError(typos: readonly KeyTypo[]): ConfigError {
  return new ConfigError(
    typos[0]?.path ?? '(root)',
    `${typos.map((t) => `Unknown key ${t.path}: did you mean ${t.suggestion}?`).join('\n')}\nFix: correct the spelling (the keys are listed in docs/configuration.md); nothing was sent to the exchange.`,
  )
}

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
 * `bot`, `paper`) and applies the overrides. Nothing touches the network.
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
  const warnings: string[] = []
  const typos: KeyTypo[] = []
  for (const [name, keys] of Object.entries(KNOWN)) {
    let obj: unknown = raw
    for (const part of name.split('.'))
      obj = isObject(obj) ? obj[part] : undefined
    if (!isObject(obj)) continue
    for (const key of Object.keys(obj)) {
      if (keys.includes(key) || key.startsWith('_')) continue
      const suggestion = suggestKey(key, keys)
      if (suggestion !== undefined)
        typos.push({ path: `${name}.${key}`, suggestion })
      else
        warnings.push(
          `Unknown config field ${name}.${key} is ignored (check the spelling in docs/configuration.md).`,
        )
    }
  }
  if (typos.length > 0) throw typoError(typos)

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

  const actions = section(raw, 'actions')
  const advanced = section(raw, 'advanced')
  const websocket = section(raw, 'websocket')
  const wsOptions = websocket.options === undefined ? {} : websocket.options
  if (!isObject(wsOptions))
    fail(
      'websocket.options',
      wsOptions,
      'is not an object',
      'make it an object or remove it',
    )
  const bot = section(raw, 'bot')
  const paper = section(raw, 'paper')

  const wsUrl =
    overrides.wsUrl !== undefined
      ? url(overrides.wsUrl, '--ws-url', ['ws:', 'wss:'])
      : websocket.url === undefined
        ? DEFAULTS.wsUrl
        : url(websocket.url, 'websocket.url', ['ws:', 'wss:'])
  const baseUrl =
    overrides.baseUrl !== undefined
      ? url(overrides.baseUrl, '--base-url', ['http:', 'https:'])
      : bot.baseUrl === undefined
        ? DEFAULTS.baseUrl
        : url(bot.baseUrl, 'bot.baseUrl', ['http:', 'https:'])

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
  const dataDir = resolve(
    cwd,
    (dataDirRaw as string | undefined) ??
      (overrides.paper ? DEFAULTS.paperDataDir : DEFAULTS.dataDir),
  )

  const settings: BotSettings = {
    dataDir,
    baseUrl,
    wsUrl,
    logFormat: oneOf(
      overrides.logFormat ?? bot.logFormat,
      overrides.logFormat === undefined ? 'bot.logFormat' : '--log-format',
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
    websocket: {
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
    },
    paper: {
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
    },
  }
  return { settings, warnings }
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
