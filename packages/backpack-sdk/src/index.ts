/**
 * `@rung/backpack-sdk`: a typed SDK for the Backpack exchange.
 *
 * What lives where:
 * - **Signing** (also on the `@rung/backpack-sdk/signing` subpath):
 *   `buildSigningPayload`, `createSigner`, `verifySignature`, key helpers.
 * - **Errors**: the `BackpackError` tree and name-based type guards.
 *
 * ```ts
 * import { createSigner, buildSigningPayload } from '@rung/backpack-sdk'
 *
 * const signer = createSigner(process.env.BACKPACK_SECRET_KEY!)
 * const payload = buildSigningPayload({ instruction: 'balanceQuery', timestamp: Date.now(), windowMs: 5000 })
 * signer.sign(payload)
 * ```
 *
 * @module
 */

// ── errors ──────────────────────────────────────────────────────────────────
export type {
  ApiErrorCode,
  BackpackErrorName,
  BackpackErrorOptions,
  RequestSummary,
} from './errors.js'
export {
  ApiError,
  BackpackError,
  HttpError,
  isApiError,
  isBackpackError,
  isHttpError,
  isNetworkError,
  isPrecisionError,
  isSigningError,
  isTimeoutError,
  isValidationError,
  isWebSocketError,
  MAX_ERROR_BODY_LENGTH,
  NetworkError,
  PrecisionError,
  SigningError,
  TimeoutError,
  ValidationError,
  WebSocketError,
} from './errors.js'

// ── signing (same exports as the `./signing` subpath) ───────────────────────
export type { SigningBackend } from './signing/backends.js'
export type {
  BuildSigningPayloadArgs,
  SigningParams,
} from './signing/buildSigningPayload.js'
export {
  buildSigningPayload,
  MAX_WINDOW_MS,
} from './signing/buildSigningPayload.js'
export type { Instruction, SignedRoute } from './signing/instructions.js'
export { INSTRUCTIONS, instructionFor } from './signing/instructions.js'
export type { KeyPair, SigningBackendOptions } from './signing/keys.js'
export { derivePublicKey, generateKeyPair } from './signing/keys.js'
export type {
  Signer,
  SignSubscriptionArgs,
  VerifySignatureArgs,
} from './signing/sign.js'
export {
  createSigner,
  signSubscription,
  verifySignature,
} from './signing/sign.js'
