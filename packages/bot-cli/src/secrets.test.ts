import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigError } from './errors.js'
import { createRedactor } from './redact.js'
import { resolveCredentials } from './secrets.js'

const API = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY='
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYz0='
const dir = mkdtempSync(join(tmpdir(), 'rung-secrets-'))

describe('resolveCredentials', () => {
  test('default: nothing configured gives undefined', () => {
    expect(
      resolveCredentials({ env: {}, redactor: createRedactor() }),
    ).toBeUndefined()
  })

  test('args: env wins and registers both values for scrubbing', () => {
    const redactor = createRedactor()
    const creds = resolveCredentials({
      env: { BACKPACK_API_KEY: API, BACKPACK_API_SECRET: SECRET },
      configApi: {
        publicKey: 'other-public-key',
        privateKey: 'other-private-key',
      },
      redactor,
    })
    expect(creds?.source).toBe('env')
    expect(redactor.redact(`k=${API} s=${SECRET}`)).toBe(
      'k=QUJDREVG… s=[redacted]',
    )
  })

  test.skipIf(process.platform === 'win32')(
    'args: keyFile with mode 0600 is read',
    () => {
      const path = join(dir, 'keys.json')
      writeFileSync(path, JSON.stringify({ apiKey: API, secretKey: SECRET }), {
        mode: 0o600,
      })
      chmodSync(path, 0o600)
      expect(
        resolveCredentials({
          env: {},
          keyFile: path,
          redactor: createRedactor(),
        }),
      ).toEqual({ apiKey: API, secretKey: SECRET, source: 'keyFile' })
    },
  )

  test.skipIf(process.platform === 'win32')(
    'error: a group-readable key file is refused with the chmod fix',
    () => {
      const path = join(dir, 'open.json')
      writeFileSync(path, JSON.stringify({ apiKey: API, secretKey: SECRET }))
      chmodSync(path, 0o640)
      expect(() =>
        resolveCredentials({
          env: {},
          keyFile: path,
          redactor: createRedactor(),
        }),
      ).toThrow(`chmod 600 ${path}`)
    },
  )

  test.skipIf(process.platform === 'win32')(
    'error: a key file with a syntax error names the spot, never its content',
    () => {
      const path = join(dir, 'broken-keys.json')
      writeFileSync(path, `{"apiKey": "${API}", "secretKey": ${SECRET}}`, {
        mode: 0o600,
      })
      chmodSync(path, 0o600)
      let message = ''
      try {
        resolveCredentials({
          env: {},
          keyFile: path,
          redactor: createRedactor(),
        })
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toContain(
        `The key file ${path} is not valid JSON (expected a value at line 1, column 73).`,
      )
      expect(message).not.toContain(SECRET.slice(0, 4))
    },
  )

  test('args: the classic api keys of the config are used last', () => {
    const redactor = createRedactor()
    const creds = resolveCredentials({
      env: {},
      configApi: { publicKey: API, privateKey: SECRET },
      redactor,
    })
    expect(creds).toEqual({ apiKey: API, secretKey: SECRET, source: 'config' })
    expect(redactor.redact(SECRET)).toBe('[redacted]')
  })

  test('error: half an env pair names the missing variable, never the value', () => {
    try {
      resolveCredentials({
        env: { BACKPACK_API_SECRET: SECRET },
        redactor: createRedactor(),
      })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field).toBe('BACKPACK_API_KEY')
      expect((error as Error).message).not.toContain(SECRET)
    }
  })
})
