import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createRedactor } from '../redact.js'
import { createLogger, formatPlain } from './logger.js'

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYz0='

describe('createLogger', () => {
  test('default: plain console lines and a daily JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-log-'))
    const lines: string[] = []
    const logger = createLogger({
      format: 'plain',
      write: (l) => lines.push(l),
      dir,
      redactor: createRedactor(),
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    })
    logger.info('order placed', { clientId: 5, price: '100.10' })
    logger.debug('hidden')
    expect(lines).toEqual([
      '2026-01-02T03:04:05.000Z INFO  order placed clientId=5 price=100.10',
    ])
    expect(readdirSync(dir)).toEqual(['rung-2026-01-02.log'])
    expect(
      JSON.parse(readFileSync(join(dir, 'rung-2026-01-02.log'), 'utf8')),
    ).toMatchObject({
      level: 'info',
      msg: 'order placed',
      fields: { price: '100.10' },
    })
  })

  test.skipIf(process.platform === 'win32')(
    'behavior: the log directory is 0700 and each daily file 0600, also one an older version left open',
    () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'rung-log-')), 'logs')
      let now = Date.UTC(2026, 0, 2)
      const logger = createLogger({
        format: 'plain',
        write: false,
        dir,
        redactor: createRedactor(),
        now: () => now,
      })
      logger.info('first day')
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      expect(statSync(join(dir, 'rung-2026-01-02.log')).mode & 0o777).toBe(
        0o600,
      )
      const old = join(dir, 'rung-2026-01-03.log')
      writeFileSync(old, '')
      chmodSync(old, 0o644)
      now = Date.UTC(2026, 0, 3)
      logger.info('second day')
      expect(statSync(old).mode & 0o777).toBe(0o600)
    },
  )

  test('args: json format and level', () => {
    const lines: string[] = []
    const logger = createLogger({
      format: 'json',
      level: 'debug',
      write: (l) => lines.push(l),
      dir: false,
      redactor: createRedactor(),
    })
    logger.debug('d')
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'debug',
      msg: 'd',
    })
  })

  test('behavior: secrets are scrubbed from messages and nested fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-log-'))
    const redactor = createRedactor()
    redactor.addSecret(SECRET)
    const lines: string[] = []
    const logger = createLogger({
      format: 'plain',
      write: (l) => lines.push(l),
      dir,
      redactor,
    })
    logger.error(`failed with ${SECRET}`, { nested: { header: SECRET } })
    const file = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('')
    expect(lines.join('\n')).not.toContain(SECRET)
    expect(file).not.toContain(SECRET)
    expect(file).toContain('[redacted]')
  })

  test('behavior: a console sink that throws is dropped; the file keeps every line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-log-'))
    let calls = 0
    const logger = createLogger({
      format: 'plain',
      write: () => {
        calls++
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
      },
      dir,
      redactor: createRedactor(),
      now: () => Date.UTC(2026, 0, 2),
    })
    expect(() => logger.info('one')).not.toThrow()
    expect(() => logger.info('two')).not.toThrow()
    expect(calls).toBe(1)
    const file = readFileSync(join(dir, 'rung-2026-01-02.log'), 'utf8')
    expect(
      file
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).msg),
    ).toEqual(['one', 'two'])
  })

  test('behavior: a log file that cannot be written never throws; the console says so once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-log-'))
    // A directory where the day's file should be: every append fails (EISDIR).
    mkdirSync(join(dir, 'rung-2026-01-02.log'))
    const lines: string[] = []
    const logger = createLogger({
      format: 'plain',
      write: (l) => lines.push(l),
      dir,
      redactor: createRedactor(),
      now: () => Date.UTC(2026, 0, 2),
    })
    expect(() => logger.info('one')).not.toThrow()
    expect(() => logger.info('two')).not.toThrow()
    expect(
      lines.filter((l) => l.includes('cannot write the log file')),
    ).toHaveLength(1)
    expect(lines.filter((l) => / INFO {2}(one|two)$/.test(l))).toHaveLength(2)
  })
})

describe('formatPlain', () => {
  test('default', () => {
    expect(
      formatPlain({ time: 't', level: 'warn', msg: 'm', fields: { a: [1] } }),
    ).toBe('t WARN  m a=[1]')
  })
})
