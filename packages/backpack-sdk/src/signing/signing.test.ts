import { describe, expect, test } from 'vitest'
import vectors from '../../test/fixtures/signing-vectors.json' with {
  type: 'json',
}
import { BackpackError } from '../errors/backpackError.js'
import { SigningError, ValidationError } from '../errors/inputErrors.js'
import {
  buildSigningPayload,
  createSigner,
  derivePublicKey,
  generateKeyPair,
  INSTRUCTIONS,
  instructionFor,
  type SigningBackend,
  type SigningParams,
  signSubscription,
  verifySignature,
} from './index.js'

const BACKENDS: SigningBackend[] = ['node-crypto', 'noble']

const base64ToBytes = (text: string) =>
  Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const bytesToBase64 = (bytes: Iterable<number>) =>
  btoa(String.fromCharCode(...bytes))

describe('buildSigningPayload', () => {
  test.each(vectors.vectors)('behavior: vector $id', (v) => {
    expect(
      buildSigningPayload({
        instruction: v.instruction,
        params: (v as { params?: SigningParams | SigningParams[] }).params,
        timestamp: v.timestamp,
        windowMs: v.windowMs,
      }),
    ).toBe(v.payload)
  })

  test('behavior: drops undefined and null, renders booleans and bigint', () => {
    expect(
      buildSigningPayload({
        instruction: 'orderExecute',
        params: {
          symbol: 'SOL_USDC',
          price: undefined,
          reduceOnly: null,
          postOnly: false,
          clientId: 4294967295n,
        },
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toMatchInlineSnapshot(
      `"instruction=orderExecute&clientId=4294967295&postOnly=false&symbol=SOL_USDC&timestamp=1&window=5000"`,
    )
  })

  test('behavior: sorts by code units, not locale', () => {
    expect(
      buildSigningPayload({
        instruction: 'x',
        params: { b: '1', B: '2', a: '3', Z: '4', _: '5' },
        timestamp: 0,
        windowMs: 1,
      }),
    ).toBe('instruction=x&B=2&Z=4&_=5&a=3&b=1&timestamp=0&window=1')
  })

  test('behavior: strings are signed raw, not URL-encoded', () => {
    expect(
      buildSigningPayload({
        instruction: 'orderExecute',
        params: { triggerQuantity: '50%', memo: 'a,b c&d' },
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toBe(
      'instruction=orderExecute&memo=a,b c&d&triggerQuantity=50%&timestamp=1&window=5000',
    )
  })

  test('behavior: nested values sign as compact JSON (UNCONFIRMED, Rust rule)', () => {
    expect(
      buildSigningPayload({
        instruction: 'withdraw',
        params: { recipientInformation: { name: 'A', tags: [1, 'x'] } },
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toBe(
      'instruction=withdraw&recipientInformation={"name":"A","tags":[1,"x"]}&timestamp=1&window=5000',
    )
  })

  test('behavior: empty params object equals no params', () => {
    const none = buildSigningPayload({
      instruction: 'balanceQuery',
      timestamp: 1,
      windowMs: 5000,
    })
    expect(
      buildSigningPayload({
        instruction: 'balanceQuery',
        params: {},
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toBe(none)
    expect(none).toBe('instruction=balanceQuery&timestamp=1&window=5000')
  })

  test('error: non-integer number', () => {
    expect(() =>
      buildSigningPayload({
        instruction: 'orderExecute',
        params: { price: 0.1 },
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`params.price\` is the number 0.1; send decimals as strings (e.g. "0.1") and integers as safe integers.]`,
    )
  })

  test('error: empty batch', () => {
    expect(() =>
      buildSigningPayload({
        instruction: 'orderExecute',
        params: [],
        timestamp: 1,
        windowMs: 5000,
      }),
    ).toThrow(ValidationError)
  })

  test('error: wrong-typed arguments', () => {
    const good = { instruction: 'x', timestamp: 1, windowMs: 5000 }
    const bad: unknown[] = [
      undefined,
      null,
      'x',
      { ...good, instruction: '' },
      { ...good, instruction: 'a=b' },
      { ...good, instruction: 1 },
      { ...good, timestamp: -1 },
      { ...good, timestamp: 1.5 },
      { ...good, timestamp: '1' },
      { ...good, timestamp: Number.NaN },
      { ...good, windowMs: 0 },
      { ...good, windowMs: 60_001 },
      { ...good, windowMs: '5000' },
      { ...good, params: 'a=b' },
      { ...good, params: [1] },
      { ...good, params: { a: Symbol('s') } },
      { ...good, params: { a: () => 1 } },
      { ...good, params: { a: Number.POSITIVE_INFINITY } },
      { ...good, params: { a: { b: 1n } } },
    ]
    for (const args of bad) {
      expect(() =>
        buildSigningPayload(args as Parameters<typeof buildSigningPayload>[0]),
      ).toThrow(ValidationError)
    }
  })
})

describe.each(BACKENDS)('createSigner (%s)', (backend) => {
  const signer = createSigner(vectors.secretKey, { backend })

  test('default', () => {
    expect(signer.publicKey).toBe(vectors.publicKey)
    expect(signer.backend).toBe(backend)
    expect(Object.isFrozen(signer)).toBe(true)
  })

  test.each(vectors.vectors)('behavior: vector $id signature', (v) => {
    expect(signer.sign(v.payload)).toBe(v.signature)
  })

  test('behavior: RFC 8032 §7.1 test 1', () => {
    const rfc = createSigner(vectors.rfc8032Test1.secretKey, { backend })
    expect(rfc.publicKey).toBe(vectors.rfc8032Test1.publicKey)
    expect(rfc.sign(vectors.rfc8032Test1.message)).toBe(
      vectors.rfc8032Test1.signature,
    )
  })

  test('behavior: second guide key pair', () => {
    expect(
      createSigner(vectors.secondKeyPair.secretKey, { backend }).publicKey,
    ).toBe(vectors.secondKeyPair.publicKey)
  })

  test('args: 64-byte seed+public secret', () => {
    const full = bytesToBase64([
      ...base64ToBytes(vectors.secretKey),
      ...base64ToBytes(vectors.publicKey),
    ])
    expect(full).toHaveLength(88)
    const s = createSigner(full, { backend })
    expect(s.publicKey).toBe(vectors.publicKey)
    expect(s.sign(vectors.vectors[0]!.payload)).toBe(
      vectors.vectors[0]!.signature,
    )
  })

  test('behavior: signs non-ASCII payloads as UTF-8', () => {
    const payload = 'instruction=x&memo=é€😀&timestamp=1&window=1'
    const sig = signer.sign(payload)
    expect(
      verifySignature({ publicKey: signer.publicKey, payload, signature: sig }),
    ).toBe(true)
    expect(
      createSigner(vectors.secretKey, {
        backend: backend === 'noble' ? 'node-crypto' : 'noble',
      }).sign(payload),
    ).toBe(sig)
  })

  test('error: 64-byte secret whose public half does not match', () => {
    // ccxt's fixed test secret is such a pair.
    expect(() =>
      createSigner(vectors.ccxt64ByteSecret.secretKey, { backend }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[SigningError: \`secretKey\` is 64 bytes but its last 32 bytes are not the public key of its first 32 (the seed); pass the 32-byte seed alone.]`,
    )
  })

  test('error: malformed keys never echo the key', () => {
    const bad: unknown[] = [
      '',
      'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams', // no padding
      'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/amt=', // non-zero trailing bits
      'TDSkv44jf_iD_QCKkyCdixO-p1sfLXxk-PZH7mW_ams=', // base64url
      ' TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams=',
      'AAAA', // 3 bytes
      btoa('x'.repeat(33)),
      undefined,
      null,
      32,
      new Uint8Array(32),
      ['a'],
    ]
    for (const key of bad) {
      let caught: unknown
      try {
        createSigner(key as string, { backend })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(SigningError)
      expect(caught).toBeInstanceOf(BackpackError)
      const error = caught as SigningError
      expect(error.argument).toBe('secretKey')
      if (typeof key === 'string' && key.length > 4) {
        expect(error.message).not.toContain(key.trim())
        expect(error.message).not.toContain(key.trim().slice(0, 12))
      }
    }
  })

  test('error: sign with a non-string payload', () => {
    expect(() => signer.sign(1 as unknown as string)).toThrow(TypeError)
  })
})

describe('createSigner', () => {
  test('error: messages name the argument and expected form', () => {
    expect(() => createSigner('AAAA')).toThrowErrorMatchingInlineSnapshot(
      `[SigningError: \`secretKey\` decodes to 3 bytes; expected standard base64 (with padding) of a 32-byte Ed25519 seed (44 characters) or of 64 bytes seed+public key (88 characters).]`,
    )
    expect(() =>
      createSigner(42 as unknown as string),
    ).toThrowErrorMatchingInlineSnapshot(
      `[SigningError: \`secretKey\` must be a string, got number; expected standard base64 (with padding) of a 32-byte Ed25519 seed (44 characters) or of 64 bytes seed+public key (88 characters).]`,
    )
  })

  test('args: backend auto picks node-crypto in Node', () => {
    expect(createSigner(vectors.secretKey).backend).toBe('node-crypto')
  })

  test('error: unknown backend', () => {
    expect(() =>
      createSigner(vectors.secretKey, {
        backend: 'openssl' as unknown as SigningBackend,
      }),
    ).toThrow(SigningError)
  })
})

describe.each(BACKENDS)('verifySignature (%s)', (backend) => {
  test.each(vectors.vectors)('behavior: vector $id verifies', (v) => {
    expect(
      verifySignature(
        {
          publicKey: vectors.publicKey,
          payload: v.payload,
          signature: v.signature,
        },
        { backend },
      ),
    ).toBe(true)
  })

  test('behavior: rejects tampered payload, signature and key', () => {
    const v = vectors.vectors[2]!
    const ok = {
      publicKey: vectors.publicKey,
      payload: v.payload,
      signature: v.signature,
    }
    expect(
      verifySignature({ ...ok, payload: `${v.payload} ` }, { backend }),
    ).toBe(false)
    expect(
      verifySignature(
        { ...ok, publicKey: vectors.secondKeyPair.publicKey },
        { backend },
      ),
    ).toBe(false)
    const sig = base64ToBytes(v.signature)
    sig[10] = (sig[10]! ^ 0x40) & 0xff
    expect(
      verifySignature({ ...ok, signature: bytesToBase64(sig) }, { backend }),
    ).toBe(false)
  })

  test('error: garbage input returns false, never throws', () => {
    const v = vectors.vectors[0]!
    const garbage: unknown[] = [
      undefined,
      null,
      'x',
      {},
      { publicKey: 1, payload: v.payload, signature: v.signature },
      { publicKey: vectors.publicKey, payload: null, signature: v.signature },
      { publicKey: vectors.publicKey, payload: v.payload, signature: '' },
      { publicKey: vectors.publicKey, payload: v.payload, signature: '!!!!' },
      { publicKey: 'AAAA', payload: v.payload, signature: v.signature },
      {
        publicKey: btoa('\xff'.repeat(32)),
        payload: v.payload,
        signature: v.signature,
      },
      {
        publicKey: vectors.publicKey,
        payload: v.payload,
        signature: btoa('\xff'.repeat(64)),
      },
    ]
    for (const args of garbage) {
      expect(
        verifySignature(args as Parameters<typeof verifySignature>[0], {
          backend,
        }),
      ).toBe(false)
    }
  })
})

describe('derivePublicKey', () => {
  test.each(BACKENDS)('default (%s)', (backend) => {
    expect(derivePublicKey(vectors.secretKey, { backend })).toBe(
      vectors.publicKey,
    )
    expect(derivePublicKey(vectors.rfc8032Test1.secretKey, { backend })).toBe(
      vectors.rfc8032Test1.publicKey,
    )
  })

  test('error: malformed key', () => {
    expect(() => derivePublicKey('nope')).toThrow(SigningError)
  })
})

describe('generateKeyPair', () => {
  test.each(BACKENDS)('default (%s)', (backend) => {
    const a = generateKeyPair({ backend })
    const b = generateKeyPair({ backend })
    expect(a.secretKey).not.toBe(b.secretKey)
    expect(a.secretKey).toHaveLength(44)
    expect(derivePublicKey(a.secretKey)).toBe(a.publicKey)
    const signer = createSigner(a.secretKey, { backend })
    const signature = signer.sign('hello')
    expect(
      verifySignature({ publicKey: a.publicKey, payload: 'hello', signature }),
    ).toBe(true)
  })
})

describe('signSubscription', () => {
  test.each(BACKENDS)('default (%s): vector V9', (backend) => {
    const v9 = vectors.vectors.find((v) => v.id === 'V9')!
    expect(
      signSubscription(createSigner(vectors.secretKey, { backend }), {
        timestamp: v9.timestamp,
        windowMs: v9.windowMs,
      }),
    ).toEqual([vectors.publicKey, v9.signature, '1700000000000', '5000'])
  })

  test('error: bad signer or timing', () => {
    const signer = createSigner(vectors.secretKey)
    expect(() =>
      signSubscription({} as never, { timestamp: 1, windowMs: 5000 }),
    ).toThrow(TypeError)
    expect(() => signSubscription(signer, null as never)).toThrow(
      ValidationError,
    )
    expect(() =>
      signSubscription(signer, { timestamp: 1, windowMs: 0 }),
    ).toThrow(ValidationError)
    expect(() =>
      signSubscription(signer, { timestamp: Number.NaN, windowMs: 5000 }),
    ).toThrow(ValidationError)
  })
})

describe('instructionFor', () => {
  test('default', () => {
    for (const v of vectors.vectors) {
      if (v.method === 'WS') continue
      expect(instructionFor(v.method, v.path)).toBe(v.instruction)
    }
  })

  test('args: method case, query string, trailing slash', () => {
    expect(instructionFor('post', '/api/v1/order')).toBe('orderExecute')
    expect(instructionFor('GET', '/api/v1/orders?symbol=SOL_USDC')).toBe(
      'orderQueryAll',
    )
    expect(instructionFor('GET', '/api/v1/capital/')).toBe('balanceQuery')
  })

  test('behavior: public and unknown routes have none', () => {
    expect(instructionFor('GET', '/api/v1/depth')).toBeUndefined()
    expect(instructionFor('PUT', '/api/v1/order')).toBeUndefined()
    expect(instructionFor('GET', 'toString')).toBeUndefined()
    expect(instructionFor(1 as never, 2 as never)).toBeUndefined()
  })

  test('behavior: table is frozen and every instruction is alphanumeric', () => {
    expect(Object.isFrozen(INSTRUCTIONS)).toBe(true)
    for (const value of Object.values(INSTRUCTIONS)) {
      expect(value).toMatch(/^[A-Za-z0-9]+$/)
    }
  })
})
