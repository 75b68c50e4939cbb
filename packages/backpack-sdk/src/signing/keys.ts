import { SigningError } from '../errors/inputErrors.js'
import { decodeBase64, encodeBase64 } from '../internal/base64.js'
import { getBackend, type SigningBackend } from './backends.js'

/** Options shared by the key and signer functions. */
export interface SigningBackendOptions {
  /**
   * Which Ed25519 implementation to use. `'auto'` picks Node's built-in
   * crypto when the runtime has it and `@noble/ed25519` otherwise.
   * Asking for `'node-crypto'` where it is unavailable throws
   * {@link SigningError}.
   * @default 'auto'
   */
  backend?: SigningBackend | 'auto' | undefined
}

/** A parsed secret: the 32-byte seed and its public key. @internal */
export interface ParsedSecret {
  seed: Uint8Array
  publicKey: Uint8Array
}

/** @internal */
export function resolveBackend(options: SigningBackendOptions | undefined) {
  const choice = options?.backend ?? 'auto'
  if (choice !== 'auto' && choice !== 'node-crypto' && choice !== 'noble') {
    throw new SigningError(
      '`backend` must be "auto", "node-crypto" or "noble".',
      { argument: 'backend' },
    )
  }
  const backend = getBackend(choice)
  if (!backend) {
    throw new SigningError(
      'The "node-crypto" backend is not available in this runtime; use backend "noble" or "auto".',
      { argument: 'backend' },
    )
  }
  return backend
}

/**
 * Decodes and checks a secret key: standard base64 of either the 32-byte
 * seed (what Backpack issues) or 64 bytes seed‖public (ccxt/solomeowl form),
 * whose public half must match the seed. Never echoes the key.
 * @internal
 */
export function parseSecretKey(
  secretKey: unknown,
  backend: ReturnType<typeof resolveBackend>,
  argument = 'secretKey',
): ParsedSecret {
  const expected =
    'expected standard base64 (with padding) of a 32-byte Ed25519 seed (44 characters) or of 64 bytes seed+public key (88 characters)'
  if (typeof secretKey !== 'string') {
    throw new SigningError(
      `\`${argument}\` must be a string, got ${describeType(secretKey)}; ${expected}.`,
      { argument },
    )
  }
  const bytes = decodeBase64(secretKey)
  if (bytes === undefined) {
    throw new SigningError(
      `\`${argument}\` is not valid base64 (${secretKey.length} characters); ${expected}.`,
      { argument },
    )
  }
  if (bytes.length !== 32 && bytes.length !== 64) {
    throw new SigningError(
      `\`${argument}\` decodes to ${bytes.length} bytes; ${expected}.`,
      { argument },
    )
  }
  const seed = bytes.slice(0, 32)
  const publicKey = backend.publicKey(seed)
  if (bytes.length === 64 && !equalBytes(bytes.subarray(32), publicKey)) {
    throw new SigningError(
      `\`${argument}\` is 64 bytes but its last 32 bytes are not the public key of its first 32 (the seed); pass the 32-byte seed alone.`,
      { argument },
    )
  }
  return { seed, publicKey }
}

// derivePublicKey's docs read like createSigner's (sign.ts) on purpose: both
// take the same secret key and options, each documented on its own page.
/** The errors {@link derivePublicKey} can throw (bad input). */
export type DerivePublicKeyErrorType = SigningError

/**
 * Derives the base64 public key (the `X-API-Key` value) from a secret key.
 *
 * @param secretKey - Base64 of the 32-byte seed, or of 64 bytes seed‖public.
 * @param options - Backend choice (default `'auto'`).
 * @returns The standard base64 of the 32-byte public key (44 characters).
 * @throws {DerivePublicKeyErrorType} one of the errors listed here.
 * @throws {SigningError} when the key is not a string, not canonical base64,
 *   not 32 or 64 bytes, or (64 bytes) its public half does not match.
 * @example
 * ```ts
 * import { derivePublicKey } from '@rung/backpack-sdk/signing'
 *
 * derivePublicKey('TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams=')
 * // '5+yQgwU0ZdJ/9s+GXfuPFfo7yQQpl9CgvQedJXne30o='
 * ```
 */
export function derivePublicKey(
  secretKey: string,
  options?: SigningBackendOptions,
): string {
  const backend = resolveBackend(options)
  return encodeBase64(parseSecretKey(secretKey, backend).publicKey)
}

/** A freshly generated Backpack-style key pair, both base64. */
export interface KeyPair {
  /** Base64 of the 32-byte public key: the API key. */
  publicKey: string
  /** Base64 of the 32-byte seed: the secret key. */
  secretKey: string
}

/** The errors {@link generateKeyPair} can throw (bad input). */
export type GenerateKeyPairErrorType = SigningError

/**
 * Generates a new Ed25519 key pair in Backpack's format, from the runtime's
 * CSPRNG (`crypto.getRandomValues`). Used by paper trading and tests to create
 * accounts; real Backpack keys come from the exchange's UI.
 *
 * @param options - Backend choice (default `'auto'`).
 * @returns `{ publicKey, secretKey }`, both standard base64 (44 characters).
 * @throws {GenerateKeyPairErrorType} one of the errors listed here.
 * @throws {SigningError} when the runtime has no `crypto.getRandomValues`.
 * @example
 * ```ts
 * import { generateKeyPair } from '@rung/backpack-sdk/signing'
 *
 * const { publicKey, secretKey } = generateKeyPair()
 * ```
 */
export function generateKeyPair(options?: SigningBackendOptions): KeyPair {
  const backend = resolveBackend(options)
  const random = (globalThis as { crypto?: Crypto }).crypto
  if (typeof random?.getRandomValues !== 'function') {
    throw new SigningError(
      'generateKeyPair needs crypto.getRandomValues, which this runtime lacks.',
      { argument: 'crypto' },
    )
  }
  const seed = random.getRandomValues(new Uint8Array(32))
  return {
    publicKey: encodeBase64(backend.publicKey(seed)),
    secretKey: encodeBase64(seed),
  }
}

/** @internal */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
