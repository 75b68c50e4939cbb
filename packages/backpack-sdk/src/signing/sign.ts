import { type SigningError, ValidationError } from '../errors/inputErrors.js'
import { decodeBase64, encodeBase64 } from '../internal/base64.js'
import type { SigningBackend } from './backends.js'
import { buildSigningPayload, checkWindow } from './buildSigningPayload.js'
import {
  describeType,
  parseSecretKey,
  resolveBackend,
  type SigningBackendOptions,
} from './keys.js'

/**
 * Signs Backpack signing strings with one secret key. Create it once with
 * {@link createSigner}: the key is decoded, checked and imported a single
 * time, and the secret is not reachable from the object.
 */
export interface Signer {
  /** Base64 public key: the `X-API-Key` header value. */
  readonly publicKey: string
  /**
   * The Ed25519 implementation in use; undefined for custom signers (an HSM,
   * a remote signing service) that implement this interface themselves.
   */
  readonly backend?: SigningBackend | undefined
  /**
   * Signs the UTF-8 bytes of `payload` (pure RFC 8032 Ed25519, no
   * pre-hash).
   *
   * @param payload - A string from {@link buildSigningPayload}.
   * @returns The 64-byte signature as standard base64 (88 characters).
   */
  sign(payload: string): string
}

/**
 * Whether `value` has a {@link Signer}'s shape (`publicKey` string, `sign`
 * function): the one check behind `signSubscription` and the client's
 * `signer` option.
 * @internal
 */
export function isSigner(value: unknown): value is Signer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Signer).sign === 'function' &&
    typeof (value as Signer).publicKey === 'string'
  )
}

/** The errors {@link createSigner} can throw (bad input). */
export type CreateSignerErrorType = SigningError

/**
 * Creates a {@link Signer} from a Backpack secret key.
 *
 * @param secretKey - Standard base64 of the 32-byte seed (44 characters, what
 *   Backpack issues), or of 64 bytes seed‖public key (88 characters; the
 *   public half must match the seed).
 * @param options - Backend choice (default `'auto'`: Node's crypto where
 *   available, `@noble/ed25519` elsewhere).
 * @returns A signer holding the imported key.
 * @throws {CreateSignerErrorType} one of the errors listed here.
 * @throws {SigningError} when the key is not a string, not canonical base64,
 *   not 32/64 bytes, or its public half mismatches; or the backend is
 *   unavailable.
 * @example
 * ```ts
 * import { buildSigningPayload, createSigner } from '@rung/backpack-sdk/signing'
 *
 * const signer = createSigner(process.env.BACKPACK_API_SECRET!)
 * const payload = buildSigningPayload({ instruction: 'balanceQuery', timestamp: Date.now(), windowMs: 5000 })
 * const headers = { 'X-API-Key': signer.publicKey, 'X-Signature': signer.sign(payload) }
 * ```
 */
export function createSigner(
  secretKey: string,
  options?: SigningBackendOptions,
): Signer {
  const backend = resolveBackend(options)
  const { seed, publicKey } = parseSecretKey(secretKey, backend)
  const signFn = backend.signer(seed)
  seed.fill(0)
  const signer: Signer = {
    publicKey: encodeBase64(publicKey),
    backend: backend.name,
    sign(payload: string): string {
      if (typeof payload !== 'string') {
        throw new TypeError(
          `Signer.sign expects the signing string, got ${describeType(payload)}.`,
        )
      }
      return signFn(payload)
    },
  }
  return Object.freeze(signer)
}

/** Arguments of {@link verifySignature}. */
export interface VerifySignatureArgs {
  /** Base64 public key (the `X-API-Key` value). */
  publicKey: string
  /** The signing string that was signed. */
  payload: string
  /** Base64 signature (the `X-Signature` value). */
  signature: string
}

/**
 * Checks an Ed25519 signature over a signing string. Never throws: any
 * malformed input (wrong types, bad base64, wrong lengths, invalid points)
 * yields `false`.
 *
 * @param args - Public key, payload and signature, as sent in the headers.
 * @param options - Backend choice (default `'auto'`).
 * @returns Whether the signature is valid for this key and payload.
 * @example
 * ```ts
 * import { verifySignature } from '@rung/backpack-sdk/signing'
 *
 * const ok = verifySignature({
 *   publicKey: request.headers.get('X-API-Key') ?? '',
 *   payload,
 *   signature: request.headers.get('X-Signature') ?? '',
 * })
 * ```
 */
export function verifySignature(
  args: VerifySignatureArgs,
  options?: SigningBackendOptions,
): boolean {
  try {
    const { publicKey, payload, signature } = args
    if (
      typeof publicKey !== 'string' ||
      typeof payload !== 'string' ||
      typeof signature !== 'string'
    ) {
      return false
    }
    const pub = decodeBase64(publicKey)
    const sig = decodeBase64(signature)
    if (pub?.length !== 32 || sig?.length !== 64) return false
    return resolveBackend(options).verify(pub, payload, sig)
  } catch {
    return false
  }
}

/** Timing of a private WebSocket subscription. */
export interface SignSubscriptionArgs {
  /** Unix time in ms (must be fresh: checked against the window). */
  timestamp: number
  /** Validity window in ms, 1 to 60000. */
  windowMs: number
}

/** The errors {@link signSubscription} can throw (bad input). */
export type SignSubscriptionErrorType = ValidationError | TypeError

/**
 * Builds the `signature` array of a private WebSocket SUBSCRIBE frame
 * (reference §6.3): `[publicKey, signature, timestamp, window]`, all strings,
 * signing `instruction=subscribe&timestamp=<ts>&window=<w>` (vector V9).
 *
 * @param signer - From {@link createSigner}.
 * @param args - Timestamp and window.
 * @returns The four strings to put in the frame's `signature` field.
 * @throws {SignSubscriptionErrorType} one of the errors listed here.
 * @throws {ValidationError} when the timestamp or window is invalid.
 * @throws {TypeError} when `signer` is not a {@link Signer}.
 * @example
 * ```ts
 * import { createSigner, signSubscription } from '@rung/backpack-sdk/signing'
 *
 * const signer = createSigner(process.env.BACKPACK_API_SECRET!)
 * const frame = {
 *   method: 'SUBSCRIBE',
 *   params: ['account.orderUpdate'],
 *   signature: signSubscription(signer, { timestamp: Date.now(), windowMs: 5000 }),
 * }
 * ```
 */
export function signSubscription(
  signer: Signer,
  args: SignSubscriptionArgs,
): [string, string, string, string] {
  if (!isSigner(signer)) {
    throw new TypeError(
      `signSubscription expects a Signer from createSigner(), got ${describeType(signer)}.`,
    )
  }
  if (typeof args !== 'object' || args === null) {
    throw new ValidationError(
      'signSubscription expects { timestamp, windowMs } as its second argument.',
    )
  }
  checkWindow(args.windowMs)
  const payload = buildSigningPayload({
    instruction: 'subscribe',
    timestamp: args.timestamp,
    windowMs: args.windowMs,
  })
  return [
    signer.publicKey,
    signer.sign(payload),
    String(args.timestamp),
    String(args.windowMs),
  ]
}
