/**
 * The `notify` section of the config: webhooks (generic JSON, Slack, Discord)
 * and a Telegram bot, each with the events it wants. The shape is checked
 * with the rest of the config (before anything is sent); the secrets (the
 * Telegram token and chat id, webhook URLs kept in the environment) are read
 * from the environment variables the config names, at the start of a run.
 * A secret value never appears in a message: webhook URLs are shown as their
 * host only, and every secret is registered with the redactor.
 */

import {
  fail,
  integer,
  isObject,
  type Json,
  positiveNumber,
} from '../config/fields.js'
import { ConfigError } from '../errors.js'
import type { Redactor } from '../redact.js'

/**
 * What a channel can subscribe to.
 *
 * - `fill`: a buy filled (or a sell that is not a take profit, e.g. a stop loss).
 * - `takeProfit`: the position was sold at the take-profit (or trailing) target.
 * - `cycle`: a cycle completed (profit, fees, what was carried).
 * - `daily`: the day's realised profit (UTC days), sent after midnight.
 * - `warning` / `error`: the bot's warning and error log lines.
 * - `critical`: the stream down for longer than `notify.streamDownMinutes`,
 *   an order rejected, a key refused, the bot stopped.
 */
export type NotifyEvent =
  | 'fill'
  | 'takeProfit'
  | 'cycle'
  | 'daily'
  | 'warning'
  | 'error'
  | 'critical'

/** Every event name, in the order the docs list them. */
export const NOTIFY_EVENTS: readonly NotifyEvent[] = [
  'fill',
  'takeProfit',
  'cycle',
  'daily',
  'warning',
  'error',
  'critical',
]

/** The events of a channel that does not list its own. */
export const DEFAULT_NOTIFY_EVENTS: readonly NotifyEvent[] = [
  'takeProfit',
  'cycle',
  'daily',
  'error',
  'critical',
]

/** The payload shape a webhook receives. */
export type WebhookFormat = 'json' | 'slack' | 'discord'

/** One webhook as the config describes it. */
export interface WebhookConfig {
  /** The URL itself (`url`), or undefined when it comes from `urlEnv`. */
  url: string | undefined
  /** The environment variable holding the URL (`urlEnv`). */
  urlEnv: string | undefined
  /** Payload shape. */
  format: WebhookFormat
  /** Events sent to it. */
  events: readonly NotifyEvent[]
}

/** The Telegram bot as the config describes it (names of variables, never values). */
export interface TelegramConfig {
  /** Variable holding the bot token. */
  tokenEnv: string
  /** Variable holding the chat id. */
  chatIdEnv: string
  /** Bot API origin (tests: a local server). */
  apiUrl: string
  /** Events sent to it. */
  events: readonly NotifyEvent[]
}

/** The validated `notify` section. */
export interface NotifySettings {
  /** Webhooks, in config order. */
  webhooks: readonly WebhookConfig[]
  /** The Telegram bot, if configured. */
  telegram: TelegramConfig | undefined
  /** Minutes the stream may be down before a critical alert. */
  streamDownMinutes: number
  /** Messages each channel holds before the oldest is dropped. */
  queueSize: number
  /** Attempts per message (the first one included). */
  maxAttempts: number
}

/** Defaults of the `notify` section. */
export const NOTIFY_DEFAULTS = {
  /** `notify.streamDownMinutes`. */
  streamDownMinutes: 5,
  /** `notify.queueSize`. */
  queueSize: 100,
  /** `notify.maxAttempts`. */
  maxAttempts: 5,
  /** `notify.telegram.tokenEnv`. */
  telegramTokenEnv: 'RUNG_TELEGRAM_TOKEN',
  /** `notify.telegram.chatIdEnv`. */
  telegramChatIdEnv: 'RUNG_TELEGRAM_CHAT_ID',
  /** `notify.telegram.apiUrl`. */
  telegramApiUrl: 'https://api.telegram.org',
} as const

/** Known keys of a webhook entry (the other `notify` keys are in the config's `KNOWN`). */
const WEBHOOK_KEYS = ['url', 'urlEnv', 'format', 'events'] as const

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Checks the `notify` section (`{}` when absent: no channel).
 * @param notify - The section.
 * @returns The settings.
 * @throws {ConfigError} naming the field and the fix (never a secret's value).
 */
export function parseNotifySettings(notify: Json): NotifySettings {
  const webhooksRaw = notify.webhooks ?? []
  if (!Array.isArray(webhooksRaw))
    fail(
      'notify.webhooks',
      webhooksRaw,
      'is not a list',
      'write a list of webhooks: [{ "urlEnv": "RUNG_WEBHOOK_URL", "format": "slack" }]',
    )
  const webhooks = webhooksRaw.map((w: unknown, i) =>
    webhookConfig(w, `notify.webhooks[${i}]`),
  )
  const telegramRaw = notify.telegram
  let telegram: TelegramConfig | undefined
  if (telegramRaw !== undefined) {
    if (!isObject(telegramRaw))
      fail(
        'notify.telegram',
        telegramRaw,
        'is not an object',
        'write "telegram": { "tokenEnv": "RUNG_TELEGRAM_TOKEN", "chatIdEnv": "RUNG_TELEGRAM_CHAT_ID" }',
      )
    telegram = telegramConfig(telegramRaw)
  }
  return {
    webhooks,
    telegram,
    streamDownMinutes: positiveNumber(
      notify,
      'notify',
      'streamDownMinutes',
      NOTIFY_DEFAULTS.streamDownMinutes,
      'minutes',
    ),
    queueSize: integer(
      notify,
      'notify',
      'queueSize',
      NOTIFY_DEFAULTS.queueSize,
      1,
    ),
    maxAttempts: integer(
      notify,
      'notify',
      'maxAttempts',
      NOTIFY_DEFAULTS.maxAttempts,
      1,
    ),
  }
}

function webhookConfig(raw: unknown, field: string): WebhookConfig {
  if (!isObject(raw))
    throw new ConfigError(
      field,
      `Invalid config: ${field} is not an object.\nFix: write { "urlEnv": "RUNG_WEBHOOK_URL", "format": "json" }.`,
    )
  unknownKeys(raw, field, WEBHOOK_KEYS)
  const { url, urlEnv } = raw
  if ((url === undefined) === (urlEnv === undefined))
    throw new ConfigError(
      field,
      `Invalid config: ${field} needs exactly one of "url" and "urlEnv".\nFix: set "urlEnv" to the name of an environment variable holding the URL (a Slack or Discord URL is a secret), or "url" to the URL.`,
    )
  if (url !== undefined) checkUrl(url, `${field}.url`)
  if (urlEnv !== undefined) envName(urlEnv, `${field}.urlEnv`)
  const format = raw.format ?? 'json'
  if (format !== 'json' && format !== 'slack' && format !== 'discord')
    fail(
      `${field}.format`,
      format,
      'is not one of "json", "slack", "discord"',
      'use one of json | slack | discord',
    )
  return {
    url: url as string | undefined,
    urlEnv: urlEnv as string | undefined,
    format,
    events: eventList(raw.events, `${field}.events`),
  }
}

function telegramConfig(raw: Json): TelegramConfig {
  for (const key of ['token', 'botToken', 'chatId', 'chat_id'])
    if (raw[key] !== undefined)
      // The value is not shown: it is a secret.
      throw new ConfigError(
        `notify.telegram.${key}`,
        `Invalid config: notify.telegram.${key} puts a secret in the config file.\nFix: remove it, put the value in an environment variable and name the variable in notify.telegram.${key.startsWith('chat') ? 'chatIdEnv' : 'tokenEnv'} (default ${key.startsWith('chat') ? NOTIFY_DEFAULTS.telegramChatIdEnv : NOTIFY_DEFAULTS.telegramTokenEnv}).`,
      )
  const apiUrl =
    raw.apiUrl === undefined
      ? NOTIFY_DEFAULTS.telegramApiUrl
      : checkUrl(raw.apiUrl, 'notify.telegram.apiUrl')
  return {
    tokenEnv:
      raw.tokenEnv === undefined
        ? NOTIFY_DEFAULTS.telegramTokenEnv
        : envName(raw.tokenEnv, 'notify.telegram.tokenEnv'),
    chatIdEnv:
      raw.chatIdEnv === undefined
        ? NOTIFY_DEFAULTS.telegramChatIdEnv
        : envName(raw.chatIdEnv, 'notify.telegram.chatIdEnv'),
    apiUrl: apiUrl.replace(/\/+$/, ''),
    events: eventList(raw.events, 'notify.telegram.events'),
  }
}

function unknownKeys(raw: Json, field: string, known: readonly string[]) {
  for (const key of Object.keys(raw))
    if (!known.includes(key) && !key.startsWith('_'))
      throw new ConfigError(
        `${field}.${key}`,
        `Invalid config: ${field}.${key} is not a known field.\nFix: use only ${known.join(', ')} (see docs/configuration.md).`,
      )
}

function envName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value))
    throw new ConfigError(
      field,
      `Invalid config: ${field} is not an environment variable name.\nFix: write the variable's name (letters, digits, _), e.g. "RUNG_WEBHOOK_URL", and put the secret in that variable.`,
    )
  return value
}

/** Checks an http(s) URL without ever showing it (it may hold a token). */
function checkUrl(value: unknown, field: string): string {
  let parsed: URL | undefined
  try {
    parsed = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    parsed = undefined
  }
  if (
    typeof value !== 'string' ||
    parsed === undefined ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
  )
    throw new ConfigError(
      field,
      `Invalid config: ${field} is not an http(s) URL.\nFix: write a URL starting with https:// (the value is not shown: a webhook URL is a secret).`,
    )
  return value
}

function eventList(value: unknown, field: string): readonly NotifyEvent[] {
  if (value === undefined) return DEFAULT_NOTIFY_EVENTS
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((e) => NOTIFY_EVENTS.includes(e as NotifyEvent))
  )
    fail(
      field,
      value,
      'is not a non-empty list of events',
      `list some of ${NOTIFY_EVENTS.map((e) => `"${e}"`).join(', ')}`,
    )
  return [...new Set(value as NotifyEvent[])]
}

/** A delivery target, its secrets resolved. */
export interface NotifyChannel {
  /** A name safe to log: `webhook 1 (hooks.slack.com)`, `telegram`. */
  name: string
  /** The events it wants. */
  events: ReadonlySet<NotifyEvent>
  /** The URL to POST to (a secret: never logged). */
  url: string
  /** The payload shape. */
  format: WebhookFormat | 'telegram'
  /** Telegram: the chat id. */
  chatId?: string | undefined
}

/**
 * The channels of the settings, their secrets read from `env` and
 * registered with the redactor.
 * @param settings - The `notify` settings.
 * @param env - The environment.
 * @param redactor - Learns every secret found.
 * @returns The channels (none when nothing is configured).
 * @throws {ConfigError} naming the variable that is missing, before anything is sent.
 */
export function resolveNotifyChannels(
  settings: NotifySettings,
  env: Record<string, string | undefined>,
  redactor: Redactor,
): NotifyChannel[] {
  const channels: NotifyChannel[] = []
  settings.webhooks.forEach((w, i) => {
    const field = `notify.webhooks[${i}]`
    const url = w.url ?? requireEnv(env, w.urlEnv ?? '', `${field}.urlEnv`)
    if (w.urlEnv !== undefined) checkUrl(url, `${w.urlEnv} (${field}.urlEnv)`)
    redactor.addSecret(url)
    channels.push({
      name: `webhook ${i + 1} (${new URL(url).host})`,
      events: new Set(w.events),
      url,
      format: w.format,
    })
  })
  const t = settings.telegram
  if (t !== undefined) {
    const token = requireEnv(env, t.tokenEnv, 'notify.telegram.tokenEnv')
    const chatId = requireEnv(env, t.chatIdEnv, 'notify.telegram.chatIdEnv')
    redactor.addSecret(token)
    const url = `${t.apiUrl}/bot${token}/sendMessage`
    redactor.addSecret(url)
    channels.push({
      name: 'telegram',
      events: new Set(t.events),
      url,
      format: 'telegram',
      chatId,
    })
  }
  return channels
}

function requireEnv(
  env: Record<string, string | undefined>,
  name: string,
  field: string,
): string {
  const value = env[name]
  if (value === undefined || value.trim() === '')
    throw new ConfigError(
      name,
      `The environment variable ${name} (named by ${field}) is not set.\nFix: export ${name}=<value> before starting the bot, or remove the channel from the notify section.`,
    )
  return value.trim()
}
