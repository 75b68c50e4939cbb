import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  writeCandleFile as candleFile,
  captureIo,
  tempDir,
} from '../test/e2e.js'
import { parseBotSettings, readConfigFile } from './config/config.js'
import { STARTER_CONFIG_NAME } from './config/starterConfig.js'
import { validateStrategy } from './config/strategy.js'
import { main } from './main.js'
import { acquireLock, isAlive, PID_FILE } from './runtime/lock.js'

describe('main', () => {
  test('default: --help lists every command', async () => {
    const { io, stdout } = captureIo({}, tempDir())
    expect(await main(['--help'], io)).toBe(0)
    for (const command of [
      'paper',
      'run',
      'backtest',
      'sweep',
      'status',
      'stop',
      'cancel-all',
      'price',
      'markets',
      'init',
    ]) {
      expect(stdout()).toContain(`  ${command}`)
    }
  })

  test('args: each command has its own --help', async () => {
    const { io, stdout } = captureIo({}, tempDir())
    expect(await main(['backtest', '--help'], io)).toBe(0)
    expect(stdout()).toContain('--data <file>')
    expect(stdout()).toContain('Global Options')
  })

  test('args: init writes a commented starter config that validates', async () => {
    const dir = tempDir()
    const { io, stdout } = captureIo({}, dir)
    expect(await main(['init'], io)).toBe(0)
    const path = join(dir, STARTER_CONFIG_NAME)
    expect(stdout()).toContain(path)
    expect(readFileSync(path, 'utf8')).toContain('// ')
    const file = readConfigFile(path)
    expect(parseBotSettings(file.raw).warnings).toEqual([])
    // Selling the coins a user holds is never implied: off, with the reason beside it.
    expect(parseBotSettings(file.raw).settings.sellNonUsdcAssets).toBe(false)
    expect(readFileSync(path, 'utf8')).toMatch(
      /\/\/ .*never the bot's own position[^\n]*\n(.*\n)*\s*"sellNonUsdcAssets": false,/,
    )
    expect(validateStrategy(file.raw).config).toMatchObject({
      symbol: 'BTC_USDC',
      orderCount: 8,
    })
  })

  test('error: init refuses to overwrite without --force', async () => {
    const dir = tempDir()
    const { io, stderr } = captureIo({}, dir)
    expect(await main(['init'], io)).toBe(0)
    expect(await main(['init'], io)).toBe(2)
    expect(stderr()).toContain('--force')
    expect(await main(['init', '--force'], io)).toBe(0)
  })

  test('behavior: status with no bot running', async () => {
    const dir = tempDir()
    const { io, stdout } = captureIo({}, dir)
    expect(await main(['status', '--json', '--data-dir', dir], io)).toBe(0)
    expect(JSON.parse(stdout())).toEqual({
      running: false,
      pid: null,
      status: null,
    })
  })

  test('error: stop with no bot running names the fix', async () => {
    const dir = tempDir()
    const { io, stderr } = captureIo({}, dir)
    expect(await main(['stop', '--data-dir', dir], io)).toBe(1)
    expect(stderr()).toContain('--data-dir')
  })

  test.runIf(process.platform === 'linux')(
    'error: stop refuses to signal a pid that is not the bot, and offers to remove the stale file',
    async () => {
      const dir = tempDir()
      // A live process that is not a rung bot, with the pid of the dead bot.
      const other = spawn('sleep', ['30'], { stdio: 'ignore' })
      try {
        const pid = other.pid as number
        writeFileSync(
          join(dir, PID_FILE),
          `${pid}\n${JSON.stringify({ token: 'f'.repeat(32), startTime: '1', cmdline: '0'.repeat(64) })}\n`,
        )
        const first = captureIo({}, dir)
        expect(await main(['stop', '--data-dir', dir], first.io)).toBe(1)
        expect(first.stderr()).toContain(`${PID_FILE} is stale`)
        expect(first.stderr()).toContain(`pid ${pid} was not signalled`)
        expect(first.stderr()).toContain('rung stop --remove-stale')
        expect(isAlive(pid)).toBe(true)
        expect(existsSync(join(dir, PID_FILE))).toBe(true)

        const status = captureIo({}, dir)
        await main(['status', '--json', '--data-dir', dir], status.io)
        expect(JSON.parse(status.stdout())).toMatchObject({ running: false })

        const second = captureIo({}, dir)
        expect(
          await main(['stop', '--remove-stale', '--data-dir', dir], second.io),
        ).toBe(0)
        expect(second.stdout()).toContain('Removed the stale pid file')
        expect(existsSync(join(dir, PID_FILE))).toBe(false)
        expect(isAlive(pid)).toBe(true)
      } finally {
        other.kill('SIGKILL')
      }
    },
  )

  test('behavior: stop signals the bot that holds the lock', async () => {
    const dir = tempDir()
    // This process plays the bot: it holds the lock and catches SIGTERM.
    const lock = acquireLock(dir)
    const received = new Promise<string>((resolve) =>
      process.once('SIGTERM', resolve),
    )
    try {
      const { io, stdout } = captureIo({}, dir)
      expect(await main(['stop', '--no-wait', '--data-dir', dir], io)).toBe(0)
      expect(stdout()).toContain(`Sent SIGTERM to pid ${process.pid}`)
      expect(await received).toBe('SIGTERM')
    } finally {
      lock.release()
    }
  })

  test('error: an unknown command or flag exits 2', async () => {
    const { io, stderr } = captureIo({}, tempDir())
    expect(await main(['fly'], io)).toBe(2)
    expect(stderr()).toContain("unknown command 'fly'")
  })

  test('error: a config key pasted into another field is not printed', async () => {
    const dir = tempDir()
    const secret = 'iU9lFhWV22xQ7bPz0kT4mN8rS1vY6cE3aD5gJ2hL0oI='
    const config = join(dir, 'keys.json')
    writeFileSync(
      config,
      JSON.stringify({
        api: { privateKey: secret, publicKey: 'x' },
        bot: { onStop: secret },
      }),
      { mode: 0o600 },
    )
    const { io, stderr } = captureIo({}, dir)
    expect(await main(['status', '--config', config], io)).toBe(2)
    expect(stderr()).toContain('bot.onStop = "[redacted]"')
    expect(stderr()).not.toContain(secret.slice(0, 8))
  })

  test.skipIf(process.platform === 'win32')(
    'error: a group-writable config holding a key exits 2 with the chmod fix, once',
    async () => {
      const dir = tempDir()
      const config = join(dir, 'keys.json')
      writeFileSync(
        config,
        JSON.stringify({
          api: {
            privateKey: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYz0=',
            publicKey: 'x',
          },
        }),
      )
      chmodSync(config, 0o620)
      const { io, stderr, stdout } = captureIo({}, dir)
      expect(
        await main(
          ['run', '--config', config, '--data-dir', join(dir, 'd')],
          io,
        ),
      ).toBe(2)
      expect(stderr()).toBe(
        `rung: Refusing to use the config file ${config}, which holds api.privateKey: its mode is 0620, so other users can read or change it.\nFix: \`chmod 600 ${config}\`, or better, move the keys to BACKPACK_API_KEY / BACKPACK_API_SECRET or a 0600 key file.\n`,
      )
      expect(stdout()).toBe('')
      expect(existsSync(join(dir, 'd'))).toBe(false)
    },
  )

  test('error: a misspelt strategy key exits 2 with the suggestion, before anything is sent', async () => {
    const dir = tempDir()
    const config = join(dir, 'typo.json')
    writeFileSync(
      config,
      JSON.stringify({ strategy: { takeProfitPercentag: 1, colour: 'x' } }),
    )
    const data = join(dir, 'd')
    const { io, stderr, stdout } = captureIo(
      { BACKPACK_API_KEY: 'x', BACKPACK_API_SECRET: 'y' },
      dir,
    )
    expect(
      await main(
        // A port nothing listens on: a request would fail with exit 1.
        [
          'run',
          '--config',
          config,
          '--data-dir',
          data,
          '--base-url',
          'http://127.0.0.1:9',
        ],
        io,
      ),
    ).toBe(2)
    expect(stderr()).toBe(
      'rung: Unknown key strategy.takeProfitPercentag: did you mean takeProfitPercentage?\nFix: correct the spelling (the keys are listed in docs/configuration.md); nothing was sent to the exchange.\n',
    )
    expect(stdout()).toBe('')
    expect(existsSync(data)).toBe(false)
  })

  test('behavior: a strategy key far from any known one stays a warning', async () => {
    const dir = tempDir()
    const config = join(dir, 'far.json')
    writeFileSync(config, JSON.stringify({ strategy: { colour: 'x' } }))
    const data = candleFile(dir, 100)
    const { io, stderr } = captureIo({}, dir)
    expect(
      await main(
        ['backtest', '--config', config, '--data', data, '--no-chart'],
        io,
      ),
    ).toBe(0)
    expect(stderr()).toContain(
      'warning: strategy.colour: unknown key, ignored\n',
    )
  })

  test('error: run without a config file refuses to start', async () => {
    const dir = tempDir()
    const { io, stderr } = captureIo({}, dir)
    expect(await main(['run', '--data-dir', dir], io)).toBe(2)
    expect(stderr()).toContain('rung init')
  })

  test('error: run without credentials names the variables', async () => {
    const dir = tempDir()
    const { io, stderr } = captureIo({}, dir)
    await main(['init'], io)
    expect(await main(['run', '--data-dir', join(dir, 'data')], io)).toBe(2)
    expect(stderr()).toContain('BACKPACK_API_KEY')
    expect(existsSync(join(dir, 'data', 'rung.pid'))).toBe(false)
  })

  test('behavior: backtest prints a report and writes an SVG chart', async () => {
    const dir = tempDir()
    const data = candleFile(dir)
    const { io, stdout, stderr } = captureIo({}, dir)
    expect(
      await main(['backtest', '--data', data, '--chart', 'eq.svg'], io),
    ).toBe(0)
    expect(stdout()).toMatch(/cycles \(take profits\)\s+\d+/)
    expect(stdout()).toContain('max drawdown')
    expect(stderr()).toContain('loading candles.csv 100%')
    const svg = readFileSync(join(dir, 'eq.svg'), 'utf8')
    expect(svg).toMatch(/^<\?xml/)
    expect(svg).toContain('<path d="M')
  })

  test('args: backtest --json', async () => {
    const dir = tempDir()
    const data = candleFile(dir)
    const { io, stdout } = captureIo({}, dir)
    expect(
      await main(['backtest', '--data', data, '--json', '--no-chart'], io),
    ).toBe(0)
    const report = JSON.parse(stdout())
    expect(report).toMatchObject({ candles: 600, chart: null })
    expect(report.cycles).toBeGreaterThan(0)
    expect(typeof report.realisedProfit).toBe('string')
  })

  test('behavior: sweep ranks a grid', async () => {
    const dir = tempDir()
    const data = candleFile(dir, 300)
    const { io, stdout } = captureIo({}, dir)
    expect(
      await main(
        [
          'sweep',
          '--data',
          data,
          '--workers',
          '0',
          '--json',
          '--grid',
          'takeProfitPercentage=0.25,1',
          '--grid',
          'orderCount=4,8',
        ],
        io,
      ),
    ).toBe(0)
    const ranked = JSON.parse(stdout()) as {
      rank: number
      params: Record<string, unknown>
    }[]
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4])
    expect(ranked.map((r) => r.params.orderCount).sort()).toEqual([4, 4, 8, 8])
  })

  test('error: sweep with a worker count that is not a whole number names the flag', async () => {
    const dir = tempDir()
    const data = candleFile(dir, 300)
    const { io, stderr, stdout } = captureIo({}, dir)
    expect(
      await main(
        [
          'sweep',
          '--data',
          data,
          '--workers',
          'two',
          '--grid',
          'orderCount=4,8',
        ],
        io,
      ),
    ).toBe(2)
    expect(stderr()).toContain(
      'Invalid option: --workers "two" is not a whole number >= 0.\nFix: pass --workers 0 or more, digits only.',
    )
    expect(stdout()).toBe('')
  })

  test('error: backtest of a missing file', async () => {
    const dir = tempDir()
    const { io, stderr } = captureIo({}, dir)
    expect(await main(['backtest', '--data', 'nope.csv'], io)).toBe(2)
    expect(stderr()).toContain('Cannot read the candle file')
  })
})
