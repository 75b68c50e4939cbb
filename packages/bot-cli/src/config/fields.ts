/**
 * Field checks of the config: each reads one value, applies its default and
 * throws a `ConfigError` naming the field, the value and the fix. The known
 * keys of the bot's own sections and the misspelt-key error live here too.
 * The checkers look alike on purpose: one small function per value type.
 */
import { suggestKey } from '@rung/ladder-strategy'
import { ConfigError } from '../errors.js'

/** A parsed JSON object. */
export type Json = Record<string, unknown>

/** Whether the value is a JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Shows a value in an error message (quoted strings, JSON otherwise). */
export const show = (value: unknown) =>
  typeof value === 'string' ? `"${value}"` : JSON.stringify(value)

/** Throws the `ConfigError` of a bad field: its name, its value, the problem and the fix. */
export function fail(
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
export const describeJson = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'string'
        ? 'a string'
        : `a ${typeof value}`

/** A section of the config (`{}` when absent), or an error when it is not an object. */
export function section(raw: Json, name: string): Json {
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

/** A boolean field, or its default. */
export function bool(
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

/** A positive number field, or its default. */
export function positiveNumber(
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

/** A whole number field >= `min`, or its default. */
export function integer(
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

export const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/

/** Accepts a non-negative decimal as a string, or a JSON number written in plain notation. */
export function decimal(
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

/**
 * A command-line flag wins over its config field: the value to validate and
 * the name an error should give (the flag's, when it was passed).
 */
export function flagOrField(
  flag: unknown,
  flagName: string,
  value: unknown,
  field: string,
): [value: unknown, field: string] {
  return flag === undefined ? [value, field] : [flag, flagName]
}

/** A field that must be one of `choices`, or its default. */
export function oneOf<T extends string>(
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

/** A URL field whose protocol is one of `protocols`. */
export function url(
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
export const KNOWN: Record<string, readonly string[]> = {
  api: ['privateKey', 'publicKey', 'keyFile'],
  websocket: ['url', 'options'],
  'websocket.options': [
    'reconnect',
    'reconnectInterval',
    'maxReconnectAttempts',
  ],
  bot: ['dataDir', 'baseUrl', 'logFormat', 'logLevel', 'onStop'],
  paper: [
    'seed',
    'timeScale',
    'quoteBalance',
    'startPrice',
    'marketData',
    'fillModel',
  ],
  notify: [
    'webhooks',
    'telegram',
    'streamDownMinutes',
    'queueSize',
    'maxAttempts',
  ],
  'notify.telegram': ['tokenEnv', 'chatIdEnv', 'apiUrl', 'events'],
}

/** An unknown key that is probably a typo of a known one. */
export interface KeyTypo {
  /** Dotted path of the unknown key, e.g. `strategy.takeProfitPercentag`. */
  path: string
  /** The known key it is probably a typo of. */
  suggestion: string
}

/**
 * Sorts the unknown keys of one object: a key within two edits of a known
 * one goes to `typos` (an error, with the suggestion), any other unknown key
 * to `warnings`. Keys starting with `_` are comments and are skipped.
 *
 * @param obj - The object whose keys are checked.
 * @param known - Its known keys.
 * @param path - Its dotted path in the config, e.g. `notify` or `markets[1]`.
 * @param hint - What the warning adds in parentheses, e.g. where the keys are listed.
 * @param out - Where the typos and warnings go.
 */
export function sortUnknownKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  path: string,
  hint: string,
  out: { typos: KeyTypo[]; warnings: string[] },
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key) || key.startsWith('_')) continue
    const suggestion = suggestKey(key, known)
    if (suggestion !== undefined)
      out.typos.push({ path: `${path}.${key}`, suggestion })
    else
      out.warnings.push(
        `Unknown config field ${path}.${key} is ignored (${hint}).`,
      )
  }
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
