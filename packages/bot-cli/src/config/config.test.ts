import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../errors.js'
import { parseBotSettings, readConfigFile } from './config.js'
import { DEFAULTS } from './settings.js'

const classic = {
  api: { privateKey: '', publicKey: '' },
  trading: {
    tradingCoin: 'BTC',
    maxDropPercentage: 7,
    totalAmount: 2000,
    orderCount: 8,
    incrementPercentage: 50,
    takeProfitPercentage: 0.25,
  },
  actions: {
    sellNonUsdcAssets: true,
    cancelAllOrders: true,
    restartAfterTakeProfit: true,
    autoRestartNoFill: true,
  },
  advanced: {
    minOrderAmount: 10,
    priceTickSize: 0.01,
    checkOrdersIntervalMinutes: 10,
    monitorIntervalSeconds: 15,
    sellNonUsdcMinValue: 10,
    noFillRestartMinutes: 1,
  },
  websocket: {
    url: 'wss://ws.backpack.exchange',
    options: {
      reconnect: true,
      reconnectInterval: 5000,
      maxReconnectAttempts: 5,
    },
  },
}

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseBotSettings', () => {
  test('default: no leftover is sold unless the config says so; a classic true keeps its meaning', () => {
    expect(parseBotSettings({}, {}, '/home/u').settings.sellNonUsdcAssets).toBe(
      false,
    )
    expect(
      parseBotSettings({ actions: { sellNonUsdcAssets: true } }, {}, '/home/u')
        .settings.sellNonUsdcAssets,
    ).toBe(true)
  })

  test('default: the classic file is accepted with no warnings', () => {
    const { settings, warnings } = parseBotSettings(classic, {}, '/home/u')
    expect(warnings).toEqual([])
    expect(settings).toMatchObject({
      dataDir: '/home/u/.rung',
      wsUrl: 'wss://ws.backpack.exchange',
      baseUrl: DEFAULTS.baseUrl,
      cancelAllOrders: true,
      sellNonUsdcAssets: true,
      sellNonUsdcMinValue: '10',
      monitorIntervalMs: 15_000,
      checkOrdersIntervalMs: 600_000,
      onStop: 'cancel',
      websocket: {
        reconnect: true,
        reconnectIntervalMs: 5000,
        maxReconnectAttempts: 5,
      },
    })
  })

  test('args: the classic actions.cancelOrdersOnExit false means leave', () => {
    const { settings } = parseBotSettings({
      actions: { cancelOrdersOnExit: false },
    })
    expect(settings.onStop).toBe('leave')
  })

  test('default: an empty object gets every default; paper has its own data dir', () => {
    expect(parseBotSettings({}, { paper: true }, '/w').settings.dataDir).toBe(
      '/w/.rung/paper',
    )
  })

  test('args: overrides win over the file', () => {
    const { settings } = parseBotSettings(
      { ...classic, bot: { dataDir: 'a', logFormat: 'plain' } },
      {
        dataDir: 'b',
        baseUrl: 'http://127.0.0.1:9/',
        wsUrl: 'ws://127.0.0.1:9',
        logFormat: 'json',
      },
      '/w',
    )
    expect(settings).toMatchObject({
      dataDir: '/w/b',
      baseUrl: 'http://127.0.0.1:9',
      wsUrl: 'ws://127.0.0.1:9',
      logFormat: 'json',
    })
  })

  test('behavior: unknown fields far from any known one draw a warning naming them', () => {
    const { warnings } = parseBotSettings({
      ...classic,
      bot: { colour: 'blue', _comment: 'skipped' },
      websocket: { ...classic.websocket, options: { pingEvery: 3 } },
    })
    expect(warnings).toEqual([
      'Unknown config field websocket.options.pingEvery is ignored (check the spelling in docs/configuration.md).',
      'Unknown config field bot.colour is ignored (check the spelling in docs/configuration.md).',
    ])
  })

  test('error: unknown fields close to a known one are one error with the suggestions', () => {
    const error = errorOf(() =>
      parseBotSettings({
        ...classic,
        bot: { onstop: 'leave', colour: 'blue' },
        paper: { sed: 2 },
        api: { privatKey: 'x' },
        websocket: { url: 'wss://x', options: { reconectInterval: 5 } },
      }),
    )
    expect(error.field).toBe('api.privatKey')
    expect(error.message).toBe(
      [
        'Unknown key api.privatKey: did you mean privateKey?',
        'Unknown key websocket.options.reconectInterval: did you mean reconnectInterval?',
        'Unknown key bot.onstop: did you mean onStop?',
        'Unknown key paper.sed: did you mean seed?',
        'Fix: correct the spelling (the keys are listed in docs/configuration.md); nothing was sent to the exchange.',
      ].join('\n'),
    )
  })

  test('error: messages name the field, the value and the fix', () => {
    expect(
      errorOf(() => parseBotSettings({ actions: { cancelAllOrders: 'yes' } }))
        .message,
    ).toMatchInlineSnapshot(`
      "Invalid config: actions.cancelAllOrders = "yes" is not a boolean.
      Fix: write true or false (no quotes)"
    `)
    expect(
      errorOf(() => parseBotSettings({ websocket: { url: 'https://x' } }))
        .field,
    ).toBe('websocket.url')
    expect(
      errorOf(() =>
        parseBotSettings({ advanced: { monitorIntervalSeconds: 0 } }),
      ).message,
    ).toContain('advanced.monitorIntervalSeconds = 0')
    expect(
      errorOf(() =>
        parseBotSettings({ advanced: { sellNonUsdcMinValue: '1e3' } }),
      ).field,
    ).toBe('advanced.sellNonUsdcMinValue')
    expect(
      errorOf(() => parseBotSettings({ bot: { onStop: 'keep' } })).message,
    ).toContain('"cancel", "leave"')
    expect(
      errorOf(() =>
        parseBotSettings({
          websocket: { options: { maxReconnectAttempts: -1 } },
        }),
      ).field,
    ).toBe('websocket.options.maxReconnectAttempts')
    expect(errorOf(() => parseBotSettings([])).field).toBe('(root)')
  })

  test('error: a non-string key is reported without its value', () => {
    const error = errorOf(() =>
      parseBotSettings({ api: { privateKey: 123456789 } }),
    )
    expect(error.field).toBe('api.privateKey')
    expect(error.message).not.toContain('123456789')
  })
})

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rung-config-'))

  test('default: reads JSONC', () => {
    const path = join(dir, 'a.jsonc')
    writeFileSync(path, '{ // comment\n "trading": { "orderCount": 3, }, }')
    expect(readConfigFile(path).raw).toEqual({ trading: { orderCount: 3 } })
  })

  test.skipIf(process.platform === 'win32')(
    'error: a readable config with a private key is refused with the chmod fix',
    () => {
      const path = join(dir, 'keys.json')
      writeFileSync(
        path,
        JSON.stringify({
          api: {
            privateKey: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYz0=',
            publicKey: 'x',
          },
        }),
      )
      chmodSync(path, 0o644)
      const error = errorOf(() => readConfigFile(path))
      expect(error.message).toContain(`chmod 600 ${path}`)
      expect(error.message).not.toContain('c2VjcmV0')
      chmodSync(path, 0o600)
      expect(readConfigFile(path).mode).toBe(0o600)
    },
  )

  test('error: a syntax error at a key shows the spot, never a fragment of the key', () => {
    const secret = 'iU9lFhWV22xQ7bPz0kT4mN8rS1vY6cE3aD5gJ2hL0oI='
    const path = join(dir, 'broken.json')
    writeFileSync(
      path,
      `{\n  "api": {\n    "privateKey": ${secret},\n    "publicKey": "x"\n  }\n}\n`,
      { mode: 0o600 },
    )
    const message = errorOf(() => readConfigFile(path)).message
    expect(message).toContain(
      `${path} is not valid JSON: expected a value at line 3, column 19:`,
    )
    expect(message).toContain('"privateKey****')
    for (let i = 0; i + 4 <= secret.length; i += 1)
      expect(message).not.toContain(secret.slice(i, i + 4))
  })

  test('error: a key where an object belongs is not echoed', () => {
    const secret = 'iU9lFhWV22xQ7bPz0kT4mN8rS1vY6cE3aD5gJ2hL0oI='
    const api = errorOf(() => parseBotSettings({ api: secret }))
    expect(api.field).toBe('api')
    expect(api.message).toContain('api is a string, not an object')
    expect(api.message).not.toContain(secret.slice(0, 8))
    const root = errorOf(() => parseBotSettings([{ privateKey: secret }]))
    expect(root.message).toContain('the config is an array, not a JSON object')
    expect(root.message).not.toContain(secret.slice(0, 8))
    const path = join(dir, 'array.json')
    writeFileSync(path, JSON.stringify([{ privateKey: secret }]), {
      mode: 0o600,
    })
    const file = errorOf(() => readConfigFile(path))
    expect(file.message).toContain('holds an array, not a JSON object')
    expect(file.message).not.toContain(secret.slice(0, 8))
  })

  test.skipIf(process.platform === 'win32')(
    'error: a config with a private key is refused unless it is 0600 or stricter (0620, 0602 too)',
    () => {
      const path = join(dir, 'writable.json')
      writeFileSync(
        path,
        JSON.stringify({
          api: { privateKey: 'c2VjcmV0LXNlY3JldA==', publicKey: 'x' },
        }),
      )
      for (const mode of [0o620, 0o602, 0o610, 0o601]) {
        chmodSync(path, mode)
        const error = errorOf(() => readConfigFile(path))
        expect(error.message).toContain(
          `Refusing to use the config file ${path}, which holds api.privateKey: its mode is 0${mode.toString(8)}, so other users can read or change it.`,
        )
        expect(error.message).toContain(`Fix: \`chmod 600 ${path}\``)
        expect(error.exitCode).toBe(2)
      }
      chmodSync(path, 0o400)
      expect(readConfigFile(path).mode).toBe(0o400)
    },
  )

  test('error: a missing file and bad JSON name the fix', () => {
    expect(
      errorOf(() => readConfigFile(join(dir, 'nope.json'))).message,
    ).toContain('rung init')
    const path = join(dir, 'bad.json')
    writeFileSync(path, '{"a": }')
    expect(errorOf(() => readConfigFile(path)).message).toContain(
      'not valid JSON',
    )
  })
})

describe('parseBotSettings (paper market data)', () => {
  test('default: a generated market, trade-through fills', () => {
    const { paper } = parseBotSettings({}, {}, '/tmp').settings
    expect([paper.marketData, paper.fillModel]).toEqual(['generated', 'trade'])
  })

  test('args: paper.marketData / paper.fillModel, and the flags over them', () => {
    const raw = { paper: { marketData: 'live', fillModel: 'queue' } }
    const { paper } = parseBotSettings(raw, {}, '/tmp').settings
    expect([paper.marketData, paper.fillModel]).toEqual(['live', 'queue'])
    const flagged = parseBotSettings(
      raw,
      { fillModel: 'trade' },
      '/tmp',
    ).settings
    expect(flagged.paper.fillModel).toBe('trade')
  })

  test('error: a fill model that does not exist names where it came from', () => {
    expect(() =>
      parseBotSettings({ paper: { fillModel: 'fifo' } }, {}, '/tmp'),
    ).toThrow('paper.fillModel = "fifo" is not one of "trade", "queue"')
    expect(() => parseBotSettings({}, { marketData: 'real' }, '/tmp')).toThrow(
      '--market-data = "real" is not one of "generated", "live"',
    )
  })
})
