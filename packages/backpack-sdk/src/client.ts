import {
  type BackpackClient,
  type BackpackClientConfig,
  bindEndpoints,
} from './clientMethods.js'
import { getServerTime } from './endpoints/public/getServerTime.js'
import { SigningError, ValidationError } from './errors/inputErrors.js'
import { createClock } from './rest/clock.js'
import { defaultFetch } from './rest/defaultFetch.js'
import type { Logger } from './rest/logger.js'
import {
  type BackpackRequester,
  createRequestFn,
  type RequestFn,
  type RetryOptions,
} from './rest/request.js'
import type { FetchFn } from './rest/transport.js'
import type { SigningBackend } from './signing/backends.js'
import { checkWindow } from './signing/buildSigningPayload.js'
import { createSigner, isSigner, type Signer } from './signing/sign.js'

/** Backpack's REST origin. */
export const BACKPACK_API_URL = 'https://api.backpack.exchange'

/** Default signing window (in ms): Backpack's own default. */
export const DEFAULT_WINDOW_MS = 5000

/** Default per-request timeout (in ms). */
export const DEFAULT_TIMEOUT_MS = 10_000

/** Default interval between clock syncs (in ms). */
export const DEFAULT_CLOCK_SYNC_INTERVAL_MS = 600_000

/** Options of {@link createBackpackClient}. */
export interface BackpackClientOptions {
  /**
   * Base64 public key (`X-API-Key`). Optional: derived from `secretKey`. When
   * both are given they must match.
   */
  apiKey?: string | undefined
  /**
   * Base64 secret: the 32-byte seed (or 64 bytes seed‖public). Needed for
   * private endpoints only. Never logged or put in errors.
   */
  secretKey?: string | undefined
  /**
   * A custom {@link Signer} (e.g. backed by an HSM) instead of `secretKey`.
   * Give one or the other.
   */
  signer?: Signer | undefined
  /** REST origin, e.g. a local simulator. @default BACKPACK_API_URL */
  baseUrl?: string | undefined
  /** Signing window (in ms), 1 to 60000. @default 5000 */
  windowMs?: number | undefined
  /** Per-request timeout (in ms); `false` disables it. @default 10000 */
  timeoutMs?: number | false | undefined
  /**
   * The `fetch` to use. By default the platform's `globalThis.fetch`; only
   * where there is none, cross-fetch, loaded on the first request.
   * @default globalThis.fetch (cross-fetch where there is none)
   */
  fetch?: FetchFn | undefined
  /** Clock (ms since the epoch) used for `X-Timestamp`. @default Date.now */
  now?: (() => number) | undefined
  /** Where to report retries, clock syncs and order lookups. @default none (silent) */
  logger?: Logger | undefined
  /** Retry policy; `false` disables retries. @default { limit: 2, baseDelayMs: 250, maxDelayMs: 5000 } */
  retry?: RetryOptions | false | undefined
  /**
   * How often to resync the clock offset with `GET /api/v1/time` (in ms);
   * `false` signs with the raw local clock. @default 600000
   */
  clockSyncIntervalMs?: number | false | undefined
  /** Ed25519 implementation. @default 'auto' */
  signingBackend?: SigningBackend | 'auto' | undefined
  /** Random source in [0, 1) for backoff jitter (tests inject one). @default Math.random */
  random?: (() => number) | undefined
}

/** The errors {@link createBackpackClient} can throw: bad options or keys. */
export type CreateBackpackClientErrorType = ValidationError | SigningError

/**
 * Creates a REST client. Public endpoints work without keys; private ones
 * need `secretKey`.
 *
 * Defaults are applied by destructuring and the resolved config is frozen.
 * The secret is decoded once into a {@link Signer}; the client keeps no
 * other copy of it.
 *
 * @param options - Keys, endpoint, timing, injected I/O.
 * @returns A client whose methods mirror the endpoint functions.
 * @throws {CreateBackpackClientErrorType} one of the errors listed here.
 * @throws {SigningError} when `secretKey` is malformed, or `apiKey` does not
 *   match it.
 * @throws {ValidationError} when an option has the wrong type or range.
 * @example
 * ```ts
 * import { createBackpackClient } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({
 *   secretKey: process.env.BACKPACK_API_SECRET,
 *   baseUrl: process.env.BACKPACK_BASE_URL, // e.g. a local simulator
 * })
 * const ticker = await client.getTicker({ symbol: 'SOL_USDC' })
 * ```
 */
export function createBackpackClient(
  options: BackpackClientOptions = {},
): BackpackClient {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'createBackpackClient expects an options object.',
      {
        field: 'options',
      },
    )
  }
  const {
    apiKey,
    secretKey,
    signer: customSigner,
    baseUrl = BACKPACK_API_URL,
    windowMs = DEFAULT_WINDOW_MS,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    fetch = defaultFetch,
    now = Date.now,
    logger,
    retry = {},
    clockSyncIntervalMs = DEFAULT_CLOCK_SYNC_INTERVAL_MS,
    signingBackend = 'auto',
    random = Math.random,
  } = options

  if (typeof baseUrl !== 'string' || !/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    throw new ValidationError(
      '`baseUrl` must be an http(s) URL such as "https://api.backpack.exchange".',
      { field: 'baseUrl' },
    )
  }
  checkWindow(windowMs)
  checkMs(timeoutMs, 'timeoutMs')
  checkMs(clockSyncIntervalMs, 'clockSyncIntervalMs')
  for (const [field, fn] of [
    ['fetch', fetch],
    ['now', now],
    ['random', random],
  ] as const) {
    if (typeof fn !== 'function') {
      throw new ValidationError(`\`${field}\` must be a function.`, { field })
    }
  }
  if (logger !== undefined && (typeof logger !== 'object' || logger === null)) {
    throw new ValidationError(
      '`logger` must be an object with optional debug/info/warn/error methods.',
      { field: 'logger' },
    )
  }
  const resolvedRetry = resolveRetry(retry)

  let signer: Signer | undefined
  if (customSigner !== undefined) {
    if (secretKey !== undefined) {
      throw new ValidationError('Give `secretKey` or `signer`, not both.', {
        field: 'signer',
      })
    }
    if (!isSigner(customSigner)) {
      throw new ValidationError(
        '`signer` must be an object { publicKey, sign(payload) } such as createSigner() returns.',
        { field: 'signer' },
      )
    }
    signer = customSigner
  } else if (secretKey !== undefined) {
    signer = createSigner(secretKey, { backend: signingBackend })
  }
  if (signer && apiKey !== undefined && apiKey !== signer.publicKey) {
    throw new SigningError(
      '`apiKey` is not the public key of `secretKey`; every request would be rejected. Pass the matching pair, or omit `apiKey` (it is derived).',
      { argument: 'apiKey' },
    )
  }

  const config: BackpackClientConfig = Object.freeze({
    apiKey: signer?.publicKey,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    windowMs,
    timeoutMs,
    retry: resolvedRetry,
    clockSyncIntervalMs,
  })

  // The clock fetches /time through the same pipeline (unsigned, never
  // retried: a failed sync must not delay the request waiting on it), so it
  // shares fetch, timeout and base URL.
  let request: RequestFn
  const clock = createClock({
    now,
    syncIntervalMs: clockSyncIntervalMs,
    logger,
    fetchServerTime: () =>
      getServerTime({
        request: (args, callOptions) =>
          request({ ...args, retry: false }, callOptions),
      }),
  })
  request = createRequestFn({
    fetch,
    baseUrl: config.baseUrl,
    windowMs,
    timeoutMs,
    retry: resolvedRetry,
    signer,
    clock,
    logger,
    now,
    random,
  })

  const base: BackpackRequester = { request, logger, windowMs }
  const client: BackpackClient = {
    ...base,
    config,
    signer,
    ...bindEndpoints(base),
  }
  return Object.freeze(client)
}

function checkMs(value: unknown, field: string): void {
  if (
    value !== false &&
    (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
  ) {
    throw new ValidationError(
      `\`${field}\` must be a positive number of milliseconds, or false to disable.`,
      { field },
    )
  }
}

function resolveRetry(retry: RetryOptions | false) {
  if (retry === false) return false as const
  if (typeof retry !== 'object' || retry === null) {
    throw new ValidationError(
      '`retry` must be an object { limit, baseDelayMs, maxDelayMs } or false.',
      { field: 'retry' },
    )
  }
  const { limit = 2, baseDelayMs = 250, maxDelayMs = 5000 } = retry
  if (!Number.isInteger(limit) || limit < 0 || limit > 10) {
    throw new ValidationError(
      '`retry.limit` must be an integer from 0 to 10.',
      {
        field: 'retry.limit',
      },
    )
  }
  checkMs(baseDelayMs, 'retry.baseDelayMs')
  checkMs(maxDelayMs, 'retry.maxDelayMs')
  return Object.freeze({ limit, baseDelayMs, maxDelayMs })
}
