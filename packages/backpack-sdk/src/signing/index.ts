/**
 * `@rung/backpack-sdk/signing`: Backpack's request signing on its own, for
 * auditors, simulators and other runtimes. Pure functions, no `fetch`, no
 * WebSocket.
 *
 * - {@link buildSigningPayload}: the canonical signing string (reference
 *   §2.3 / §2.4), kept separate from the key.
 * - {@link createSigner}: Ed25519 over that string → base64 `X-Signature`.
 *   Node's built-in crypto where available, `@noble/ed25519` elsewhere.
 * - {@link verifySignature}, {@link derivePublicKey},
 *   {@link generateKeyPair}, {@link signSubscription}.
 * - {@link instructionFor} / {@link INSTRUCTIONS}: the endpoint → instruction
 *   table (reference §2.8).
 *
 * ```ts
 * import { buildSigningPayload, createSigner, instructionFor } from '@rung/backpack-sdk/signing'
 *
 * const signer = createSigner(process.env.BACKPACK_API_SECRET!)
 * const timestamp = Date.now()
 * const payload = buildSigningPayload({
 *   instruction: instructionFor('GET', '/api/v1/capital')!,
 *   timestamp,
 *   windowMs: 5000,
 * })
 * const headers = {
 *   'X-API-Key': signer.publicKey,
 *   'X-Signature': signer.sign(payload),
 *   'X-Timestamp': String(timestamp),
 *   'X-Window': '5000',
 * }
 * ```
 *
 * @module
 */

export type {
  BackpackErrorName,
  BackpackErrorOptions,
} from '../errors/backpackError.js'
export { BackpackError } from '../errors/backpackError.js'
export { SigningError, ValidationError } from '../errors/inputErrors.js'
export type { SigningBackend } from './backends.js'
export type {
  BuildSigningPayloadArgs,
  BuildSigningPayloadErrorType,
  SigningParams,
} from './buildSigningPayload.js'
export { buildSigningPayload, MAX_WINDOW_MS } from './buildSigningPayload.js'
export type { Instruction, SignedRoute } from './instructions.js'
export { INSTRUCTIONS, instructionFor } from './instructions.js'
export type {
  DerivePublicKeyErrorType,
  GenerateKeyPairErrorType,
  KeyPair,
  SigningBackendOptions,
} from './keys.js'
export { derivePublicKey, generateKeyPair } from './keys.js'
export type {
  CreateSignerErrorType,
  Signer,
  SignSubscriptionArgs,
  SignSubscriptionErrorType,
  VerifySignatureArgs,
} from './sign.js'
export { createSigner, signSubscription, verifySignature } from './sign.js'
