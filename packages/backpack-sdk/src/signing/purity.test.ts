import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { SigningError } from '../errors/inputErrors.js'

const SECRET = 'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams='
const dir = fileURLToPath(new URL('.', import.meta.url))

describe('signing subpath', () => {
  test('behavior: imports nothing that fetches, opens sockets or needs node:crypto statically', () => {
    const allowed = new Set([
      '@noble/ed25519',
      '@noble/hashes/sha2.js',
      '../errors/backpackError.js',
      '../errors/inputErrors.js',
      '../internal/base64.js',
      './backends.js',
      './buildSigningPayload.js',
      './instructions.js',
      './keys.js',
      './sign.js',
    ])
    const files = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.includes('.test'),
    )
    expect(files.length).toBeGreaterThan(4)
    for (const file of files) {
      const source = readFileSync(`${dir}/${file}`, 'utf8')
      // Value imports and re-exports only; `import type` is erased.
      for (const match of source.matchAll(
        /^(?:import|export)\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm,
      )) {
        expect(allowed, `${file} imports ${match[1]}`).toContain(match[1])
      }
      // Only type positions (`typeof import('node:…')`) may name node modules.
      expect(source).not.toMatch(/(?<!typeof )\bimport\(\s*['"]node:/)
    }
  })
})

describe('backend selection', () => {
  const original = process.getBuiltinModule
  afterEach(() => {
    process.getBuiltinModule = original
    vi.resetModules()
  })

  test('behavior: auto falls back to noble where process.getBuiltinModule is missing', async () => {
    vi.resetModules()
    process.getBuiltinModule = undefined as unknown as typeof original
    const fresh = await import('./sign.js')
    const signer = fresh.createSigner(SECRET)
    expect(signer.backend).toBe('noble')
    expect(signer.publicKey).toBe(
      '5+yQgwU0ZdJ/9s+GXfuPFfo7yQQpl9CgvQedJXne30o=',
    )
  })

  test('error: node-crypto requested where it is unavailable', async () => {
    vi.resetModules()
    process.getBuiltinModule = undefined as unknown as typeof original
    const fresh = await import('./sign.js')
    const errors = await import('../errors/inputErrors.js')
    expect(() =>
      fresh.createSigner(SECRET, { backend: 'node-crypto' }),
    ).toThrow(errors.SigningError)
    expect(SigningError).toBeDefined()
  })
})
