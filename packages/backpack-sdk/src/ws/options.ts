/**
 * The stream client's defaults and option validation: what
 * {@link createStreamClient} accepts, checked once and resolved into the
 * {@link StreamSettings} every other part of the client reads.
 */
import { ValidationError } from '../errors/inputErrors.js'
import type { WebSocketError } from '../errors/webSocketError.js'
import { createSigner, type Signer } from '../signing/index.js'
import type { BackoffSettings } from './backoff.js'
import type { WebSocketConstructor } from './socket.js'
import type { StreamClientOptions, StreamLogger } from './types.js'

/**
 * Backpack's production WebSocket endpoint (reference §1).
 *
 * @example
 * ```ts
 * import { BACKPACK_WS_URL, createStreamClient } from '@rung/backpack-sdk'
 *
 * const stream = createStreamClient({ url: process.env.BACKPACK_WS_URL ?? BACKPACK_WS_URL })
 * ```
 */
export const BACKPACK_WS_URL = 'wss://ws.backpack.exchange'

/** The resolved, validated options of one stream client. @internal */
export interface StreamSettings {
  url: string
  WebSocket: WebSocketConstructor | undefined
  signer: Signer | undefined
  windowMs: number
  now: () => number
  random: () => number
  logger: StreamLogger | undefined
  reconnect: (BackoffSettings & { maxAttempts: number }) | false
  heartbeat:
    | { intervalMs: number; timeoutMs: number; passiveTimeoutMs: number }
    | false
  connectTimeoutMs: number
  onError: ((error: WebSocketError) => void) | undefined
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `${name} must be a positive number of milliseconds, got ${String(value)}.`,
      { field: name },
    )
  }
  return value
}

/**
 * Applies the defaults and checks every option.
 *
 * @throws {ValidationError} when an option is out of range, or `apiKey` does
 *   not match `secretKey`.
 * @throws {SigningError} when `secretKey` is malformed.
 * @internal
 */
export function resolveStreamOptions(
  options: StreamClientOptions,
): StreamSettings {
  const {
    url = BACKPACK_WS_URL,
    WebSocket,
    apiKey,
    secretKey,
    signer: givenSigner,
    windowMs = 5000,
    now = Date.now,
    logger,
    reconnect = {},
    heartbeat = {},
    connectTimeoutMs = 10_000,
    random = Math.random,
    onError,
  } = options
  if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
    throw new ValidationError(
      `url must start with ws:// or wss://, got ${JSON.stringify(url)}.`,
      { field: 'url' },
    )
  }
  if (!Number.isInteger(windowMs) || windowMs < 1 || windowMs > 60_000) {
    throw new ValidationError(
      `windowMs must be an integer from 1 to 60000, got ${String(windowMs)}.`,
      { field: 'windowMs' },
    )
  }
  const signer =
    givenSigner ??
    (secretKey === undefined ? undefined : createSigner(secretKey))
  if (apiKey !== undefined && signer && apiKey !== signer.publicKey) {
    throw new ValidationError(
      `apiKey does not match the public key of secretKey (apiKey starts with "${apiKey.slice(0, 6)}"); pass the key pair's public key or omit apiKey.`,
      { field: 'apiKey' },
    )
  }
  return {
    url,
    WebSocket,
    signer,
    windowMs,
    now,
    random,
    logger,
    onError,
    connectTimeoutMs: positive('connectTimeoutMs', connectTimeoutMs),
    reconnect: resolveReconnect(reconnect),
    heartbeat:
      heartbeat === false
        ? false
        : {
            intervalMs: positive(
              'heartbeat.intervalMs',
              heartbeat.intervalMs ?? 15_000,
            ),
            timeoutMs: positive(
              'heartbeat.timeoutMs',
              heartbeat.timeoutMs ?? 10_000,
            ),
            passiveTimeoutMs: positive(
              'heartbeat.passiveTimeoutMs',
              heartbeat.passiveTimeoutMs ?? 130_000,
            ),
          },
  }
}

function resolveReconnect(
  reconnect: NonNullable<StreamClientOptions['reconnect']>,
): StreamSettings['reconnect'] {
  if (reconnect === false) return false
  const jitter = reconnect.jitter ?? 0.5
  if (!(jitter >= 0 && jitter <= 1)) {
    throw new ValidationError(
      `reconnect.jitter must be between 0 and 1, got ${String(jitter)}.`,
      { field: 'reconnect.jitter' },
    )
  }
  const maxAttempts = reconnect.maxAttempts ?? false
  return {
    initialDelayMs: positive(
      'reconnect.initialDelayMs',
      reconnect.initialDelayMs ?? 250,
    ),
    maxDelayMs: positive(
      'reconnect.maxDelayMs',
      reconnect.maxDelayMs ?? 30_000,
    ),
    multiplier: Math.max(1, reconnect.multiplier ?? 2),
    jitter,
    maxAttempts: maxAttempts === false ? Number.POSITIVE_INFINITY : maxAttempts,
  }
}
