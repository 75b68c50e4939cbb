import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { captureIo, tempDir, writeConfig } from '../../test/e2e.js'
import { ConfigError } from '../errors.js'
import { main } from '../main.js'
import { createRedactor } from '../redact.js'
import { resolveCredentials } from './secrets.js'

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYz0='
/** The public key of SECRET. */
const API = 'jUv0b7O3AUqiUT25upzsEOv2gNYUHNFgVHkppaaSN7s='
/** A valid public key of another key pair. */
const OTHER = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY='
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
      configApi: { publicKey: 'other-public-key', privateKey: 'other-private' },
      redactor,
    })
    expect(creds?.source).toBe('env')
    expect(redactor.redact(`k=${API} s=${SECRET}`)).toBe(
      'k=jUv0b7O3… s=[redacted]',
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

  /** The ConfigError `fn` throws. */
  const configErrorOf = (fn: () => unknown): ConfigError => {
    try {
      fn()
    } catch (error) {
      if (error instanceof ConfigError) return error
      throw error
    }
    throw new Error('expected a ConfigError')
  }

  test.skipIf(process.platform === 'win32')(
    'args: a key file with only secretKey gets its public key derived',
    () => {
      const path = join(dir, 'secret-only.json')
      writeFileSync(path, JSON.stringify({ secretKey: SECRET }), {
        mode: 0o600,
      })
      chmodSync(path, 0o600)
      const redactor = createRedactor()
      expect(resolveCredentials({ env: {}, keyFile: path, redactor })).toEqual({
        apiKey: API,
        secretKey: SECRET,
        source: 'keyFile',
      })
      expect(redactor.redact(SECRET)).toBe('[redacted]')
    },
  )

  test.skipIf(process.platform === 'win32')(
    "error: a key file whose public key is not its secret key's names the file and the fix",
    () => {
      const path = join(dir, 'mismatch.json')
      writeFileSync(
        path,
        JSON.stringify({ apiKey: OTHER, secretKey: SECRET }),
        {
          mode: 0o600,
        },
      )
      chmodSync(path, 0o600)
      const error = configErrorOf(() =>
        resolveCredentials({
          env: {},
          keyFile: path,
          redactor: createRedactor(),
        }),
      )
      expect(error.field).toBe('keyFile')
      expect(error.message).toBe(
        `The key file ${path}: its apiKey is not the public key of its secretKey (they belong to different key pairs).\nFix: copy both from the same API key, or remove "apiKey" from ${path}: it is derived from the secret key.`,
      )
    },
  )

  test('error: env vars from different key pairs are one error naming both', () => {
    const error = configErrorOf(() =>
      resolveCredentials({
        env: { BACKPACK_API_KEY: OTHER, BACKPACK_API_SECRET: SECRET },
        redactor: createRedactor(),
      }),
    )
    expect(error.field).toBe('BACKPACK_API_KEY')
    expect(error.message).toContain(
      'BACKPACK_API_KEY is not the public key of BACKPACK_API_SECRET (they belong to different key pairs).',
    )
    expect(error.message).not.toContain(SECRET.slice(0, 8))
  })

  test('error: the classic config keys from different key pairs', () => {
    const error = configErrorOf(() =>
      resolveCredentials({
        env: {},
        configApi: { publicKey: OTHER, privateKey: SECRET },
        redactor: createRedactor(),
      }),
    )
    expect(error.field).toBe('api.publicKey')
    expect(error.message).toContain(
      'api.publicKey is not the public key of api.privateKey',
    )
  })

  test('error: a secret that is not an ED25519 key says so without echoing it', () => {
    const bad = 'not-a-base64-key-at-all-but-long-enough'
    const error = configErrorOf(() =>
      resolveCredentials({
        env: { BACKPACK_API_KEY: API, BACKPACK_API_SECRET: bad },
        redactor: createRedactor(),
      }),
    )
    expect(error.field).toBe('BACKPACK_API_SECRET')
    expect(error.message).toContain(
      'BACKPACK_API_SECRET is not a Backpack secret key',
    )
    expect(error.message).not.toContain(bad)
  })

  test.skipIf(process.platform === 'win32')(
    'error: a key file whose secret is not an ED25519 key names the file',
    () => {
      const path = join(dir, 'bad-secret.json')
      writeFileSync(path, JSON.stringify({ secretKey: 'abc' }), { mode: 0o600 })
      chmodSync(path, 0o600)
      expect(
        configErrorOf(() =>
          resolveCredentials({
            env: {},
            keyFile: path,
            redactor: createRedactor(),
          }),
        ).message,
      ).toContain(
        `The key file ${path}: its secretKey is not a Backpack secret key`,
      )
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

describe('main (credentials)', () => {
  test('error: rung run with keys from different pairs exits 2 with one message, before anything is sent', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    const { io, stderr, stdout } = captureIo(
      { BACKPACK_API_KEY: OTHER, BACKPACK_API_SECRET: SECRET },
      dir,
    )
    const data = join(dir, 'data')
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
    expect(stderr().match(/rung: /g)).toHaveLength(1)
    expect(stderr()).toContain(
      'BACKPACK_API_KEY is not the public key of BACKPACK_API_SECRET',
    )
    expect(stdout()).toBe('')
    expect(existsSync(data)).toBe(false)
  })

  test('error: rung run without any key exits 2 with one message, before anything is sent', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    const { io, stderr, stdout } = captureIo({}, dir)
    const data = join(dir, 'data')
    expect(
      await main(
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
      'rung: No API credentials found.\nFix: set BACKPACK_API_KEY and BACKPACK_API_SECRET, or pass --key-file <file> (mode 0600), or try `rung paper` / --dry-run first.\n',
    )
    expect(stdout()).toBe('')
    expect(existsSync(data)).toBe(false)
  })
})
