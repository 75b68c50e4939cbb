import { describe, expect, test } from 'vitest'
import { parseBotSettings } from '../config/config.js'
import { ConfigError } from '../errors.js'
import { createRedactor } from '../redact.js'
import {
  DEFAULT_NOTIFY_EVENTS,
  parseNotifySettings,
  resolveNotifyChannels,
} from './notifyConfig.js'

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseNotifySettings', () => {
  test('default: no section, no channel', () => {
    const { notify } = parseBotSettings({}, {}, '/tmp').settings
    expect(notify).toEqual({
      webhooks: [],
      telegram: undefined,
      streamDownMinutes: 5,
      queueSize: 100,
      maxAttempts: 5,
    })
  })

  test('args: webhooks and Telegram with their events', () => {
    const notify = parseNotifySettings({
      webhooks: [
        { urlEnv: 'SLACK_URL', format: 'slack', events: ['fill', 'cycle'] },
        { url: 'https://example.com/hook' },
      ],
      telegram: { events: ['critical'], apiUrl: 'http://127.0.0.1:9/' },
      streamDownMinutes: 2,
    })
    expect(notify.webhooks).toEqual([
      {
        url: undefined,
        urlEnv: 'SLACK_URL',
        format: 'slack',
        events: ['fill', 'cycle'],
      },
      {
        url: 'https://example.com/hook',
        urlEnv: undefined,
        format: 'json',
        events: DEFAULT_NOTIFY_EVENTS,
      },
    ])
    expect(notify.telegram).toEqual({
      tokenEnv: 'RUNG_TELEGRAM_TOKEN',
      chatIdEnv: 'RUNG_TELEGRAM_CHAT_ID',
      apiUrl: 'http://127.0.0.1:9',
      events: ['critical'],
    })
    expect(notify.streamDownMinutes).toBe(2)
  })

  test('error: a Telegram token in the config file is refused without showing it', () => {
    const e = errorOf(() =>
      parseBotSettings({
        notify: { telegram: { token: '123456:ABCDEFsecret' } },
      }),
    )
    expect(e.field).toBe('notify.telegram.token')
    expect(e.message).toContain('tokenEnv')
    expect(e.message).not.toContain('ABCDEFsecret')
  })

  test('error: a bad webhook names the field and never shows the URL', () => {
    const e = errorOf(() =>
      parseNotifySettings({
        webhooks: [{ url: 'ftp://hooks.example/T0/SECRET' }],
      }),
    )
    expect(e.field).toBe('notify.webhooks[0].url')
    expect(e.message).not.toContain('SECRET')
    expect(e.message).toContain('Fix:')
    expect(errorOf(() => parseNotifySettings({ webhooks: [{}] })).field).toBe(
      'notify.webhooks[0]',
    )
    expect(
      errorOf(() =>
        parseNotifySettings({
          webhooks: [{ url: 'https://x.test', events: ['fills'] }],
        }),
      ).message,
    ).toContain('"takeProfit"')
    expect(
      errorOf(() =>
        parseNotifySettings({
          webhooks: [{ url: 'https://x.test', colour: 1 }],
        }),
      ).field,
    ).toBe('notify.webhooks[0].colour')
  })

  test('error: a misspelt notify key suggests the right one', () => {
    expect(
      errorOf(() => parseBotSettings({ notify: { queueSise: 3 } })).message,
    ).toContain('did you mean queueSize?')
  })
})

describe('resolveNotifyChannels', () => {
  test('behavior: reads the secrets from the environment and registers them with the redactor', () => {
    const redactor = createRedactor()
    const settings = parseNotifySettings({
      webhooks: [{ urlEnv: 'HOOK', format: 'discord', events: ['critical'] }],
      telegram: { apiUrl: 'http://127.0.0.1:1' },
    })
    const channels = resolveNotifyChannels(
      settings,
      {
        HOOK: 'https://discord.com/api/webhooks/1/SECRETPART',
        RUNG_TELEGRAM_TOKEN: '123456:TOKENVALUE',
        RUNG_TELEGRAM_CHAT_ID: '-1001',
      },
      redactor,
    )
    expect(channels.map((c) => [c.name, c.format, c.url, c.chatId])).toEqual([
      [
        'webhook 1 (discord.com)',
        'discord',
        'https://discord.com/api/webhooks/1/SECRETPART',
        undefined,
      ],
      [
        'telegram',
        'telegram',
        'http://127.0.0.1:1/bot123456:TOKENVALUE/sendMessage',
        '-1001',
      ],
    ])
    expect(
      redactor.redact(
        'posting to https://discord.com/api/webhooks/1/SECRETPART with 123456:TOKENVALUE',
      ),
    ).toBe('posting to [redacted] with [redacted]')
  })

  test('error: a missing variable is named, with the field that names it', () => {
    const settings = parseNotifySettings({ telegram: {} })
    const e = errorOf(() =>
      resolveNotifyChannels(
        settings,
        { RUNG_TELEGRAM_TOKEN: 'x' },
        createRedactor(),
      ),
    )
    expect(e.field).toBe('RUNG_TELEGRAM_CHAT_ID')
    expect(e.message).toContain('notify.telegram.chatIdEnv')
  })
})
