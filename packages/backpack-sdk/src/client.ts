import { getAccount } from './endpoints/account/getAccount.js'
import { getBalances } from './endpoints/account/getBalances.js'
import { getCollateral } from './endpoints/account/getCollateral.js'
import { getFillHistory } from './endpoints/history/getFillHistory.js'
import { getOrderHistory } from './endpoints/history/getOrderHistory.js'
import { cancelOpenOrders } from './endpoints/orders/cancelOpenOrders.js'
import { cancelOrder } from './endpoints/orders/cancelOrder.js'
import { executeOrder } from './endpoints/orders/executeOrder.js'
import { executeOrders } from './endpoints/orders/executeOrders.js'
import { findOrderByClientId } from './endpoints/orders/findOrderByClientId.js'
import { getOpenOrders } from './endpoints/orders/getOpenOrders.js'
import { getOrder } from './endpoints/orders/getOrder.js'
import { getAssets } from './endpoints/public/getAssets.js'
import { getDepth } from './endpoints/public/getDepth.js'
import { getHistoricalTrades } from './endpoints/public/getHistoricalTrades.js'
import { getKlines } from './endpoints/public/getKlines.js'
import { getMarket } from './endpoints/public/getMarket.js'
import { getMarkets } from './endpoints/public/getMarkets.js'
import { getRecentTrades } from './endpoints/public/getRecentTrades.js'
import { getServerTime } from './endpoints/public/getServerTime.js'
import { getStatus } from './endpoints/public/getStatus.js'
import { getTicker } from './endpoints/public/getTicker.js'
import { getTickers } from './endpoints/public/getTickers.js'
import { ping } from './endpoints/public/ping.js'
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
import { createSigner, type Signer } from './signing/sign.js'

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

/** The resolved, frozen configuration of a client. No secrets. */
export interface BackpackClientConfig {
  /** The public key, when the client can sign. */
  readonly apiKey: string | undefined
  /** REST origin, without a trailing slash. */
  readonly baseUrl: string
  /** Signing window (in ms). */
  readonly windowMs: number
  /** Per-request timeout (in ms), or `false`. */
  readonly timeoutMs: number | false
  /** Retry policy, or `false`. */
  readonly retry:
    | Readonly<Required<{ [K in keyof RetryOptions]: number }>>
    | false
  /** Clock sync interval (in ms), or `false`. */
  readonly clockSyncIntervalMs: number | false
}

/**
 * A Backpack REST client: `request` plus one method per endpoint function,
 * each with the same name and the same `(params, options)` (or `(options)`)
 * arguments as the standalone function minus the client.
 */
export interface BackpackClient extends BackpackRequester {
  /** The resolved configuration (frozen, no secrets). */
  readonly config: BackpackClientConfig
  /** The signer, when the client was given a `secretKey`. */
  readonly signer: Signer | undefined
  /** Same as {@link getStatus}. */
  getStatus: Bound<typeof getStatus>
  /** Same as {@link ping}. */
  ping: Bound<typeof ping>
  /** Same as {@link getServerTime}. */
  getServerTime: Bound<typeof getServerTime>
  /** Same as {@link getAssets}. */
  getAssets: Bound<typeof getAssets>
  /** Same as {@link getMarkets}. */
  getMarkets: Bound<typeof getMarkets>
  /** Same as {@link getMarket}. */
  getMarket: Bound<typeof getMarket>
  /** Same as {@link getTicker}. */
  getTicker: Bound<typeof getTicker>
  /** Same as {@link getTickers}. */
  getTickers: Bound<typeof getTickers>
  /** Same as {@link getDepth}. */
  getDepth: Bound<typeof getDepth>
  /** Same as {@link getKlines}. */
  getKlines: Bound<typeof getKlines>
  /** Same as {@link getRecentTrades}. */
  getRecentTrades: Bound<typeof getRecentTrades>
  /** Same as {@link getHistoricalTrades}. */
  getHistoricalTrades: Bound<typeof getHistoricalTrades>
  /** Same as {@link getBalances}. */
  getBalances: Bound<typeof getBalances>
  /** Same as {@link getCollateral}. */
  getCollateral: Bound<typeof getCollateral>
  /** Same as {@link getAccount}. */
  getAccount: Bound<typeof getAccount>
  /** Same as {@link executeOrder}. */
  executeOrder: Bound<typeof executeOrder>
  /** Same as {@link executeOrders}. */
  executeOrders: Bound<typeof executeOrders>
  /** Same as {@link getOrder}. */
  getOrder: Bound<typeof getOrder>
  /** Same as {@link findOrderByClientId}. */
  findOrderByClientId: Bound<typeof findOrderByClientId>
  /** Same as {@link getOpenOrders}. */
  getOpenOrders: Bound<typeof getOpenOrders>
  /** Same as {@link cancelOrder}. */
  cancelOrder: Bound<typeof cancelOrder>
  /** Same as {@link cancelOpenOrders}. */
  cancelOpenOrders: Bound<typeof cancelOpenOrders>
  /** Same as {@link getOrderHistory}. */
  getOrderHistory: Bound<typeof getOrderHistory>
  /** Same as {@link getFillHistory}. */
  getFillHistory: Bound<typeof getFillHistory>
}

/**
 * An endpoint function with its first argument (the client) bound: `(params,
 * options)` or, for endpoints without parameters, `(options)`.
 */
export type Bound<F> = F extends (
  client: BackpackRequester,
  ...args: infer A
) => infer R
  ? (...args: A) => R
  : never

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
    if (
      typeof customSigner !== 'object' ||
      customSigner === null ||
      typeof customSigner.sign !== 'function' ||
      typeof customSigner.publicKey !== 'string'
    ) {
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
    // One bound line per endpoint function, alike on purpose: the client is
    // the endpoint files with `base` given (docs/contributing.md).
    getStatus: (o) => getStatus(base, o),
    ping: (o) => ping(base, o),
    getServerTime: (o) => getServerTime(base, o),
    getAssets: (p, o) => getAssets(base, p, o),
    getMarkets: (p, o) => getMarkets(base, p, o),
    getMarket: (p, o) => getMarket(base, p, o),
    getTicker: (p, o) => getTicker(base, p, o),
    getTickers: (p, o) => getTickers(base, p, o),
    getDepth: (p, o) => getDepth(base, p, o),
    getKlines: (p, o) => getKlines(base, p, o),
    getRecentTrades: (p, o) => getRecentTrades(base, p, o),
    getHistoricalTrades: (p, o) => getHistoricalTrades(base, p, o),
    getBalances: (o) => getBalances(base, o),
    getCollateral: (p, o) => getCollateral(base, p, o),
    getAccount: (o) => getAccount(base, o),
    executeOrder: (p, o) => executeOrder(base, p, o),
    executeOrders: (p, o) => executeOrders(base, p, o),
    getOrder: (p, o) => getOrder(base, p, o),
    findOrderByClientId: (p, o) => findOrderByClientId(base, p, o),
    getOpenOrders: (p, o) => getOpenOrders(base, p, o),
    cancelOrder: (p, o) => cancelOrder(base, p, o),
    cancelOpenOrders: (p, o) => cancelOpenOrders(base, p, o),
    getOrderHistory: (p, o) => getOrderHistory(base, p, o),
    getFillHistory: (p, o) => getFillHistory(base, p, o),
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
