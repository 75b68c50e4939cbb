/**
 * The request pipeline every endpoint function goes through.
 *
 * ```
 * request(args, options)
 *   ├─ check options; private call without a signer → ValidationError
 *   ├─ dry-build the signing string (bad values → ValidationError, no I/O yet)
 *   ├─ private: clock.sync() if due (first private call, then every interval)
 *   └─ loop
 *        ├─ headers (+ X-API-Key / X-Signature / X-Timestamp / X-Window)
 *        ├─ send() ─► 2xx → parse JSON (or text) → return
 *        │           non-2xx → ApiError (JSON {code,message}) | HttpError (text)
 *        └─ on error:
 *             401 "expired" on a private call, first time → resync clock, resend
 *             429 / 503 (any method)                     → wait Retry-After or backoff
 *             GET: timeout, network error, 500/502/504   → wait backoff
 *             otherwise (incl. every ambiguous POST)     → throw
 * ```
 *
 * Backoff: min(maxDelayMs, baseDelayMs · 2^attempt) scaled by a jitter factor
 * in [0.5, 1). A `Retry-After` larger than `maxDelayMs` is not waited out: the
 * error is thrown with `retryAfterMs` so the caller decides.
 *
 * Order placement is never retried blindly: a POST is only resent after a
 * 429/503 (the exchange refused it, nothing executed) or an "expired" 401
 * (same). Ambiguous failures are resolved by `executeOrder` itself.
 *
 * @internal
 * @module
 */
import { BackpackError } from '../errors/backpackError.js'
import {
  ApiError,
  HttpError,
  NetworkError,
  TimeoutError,
} from '../errors/httpErrors.js'
import { SigningError, ValidationError } from '../errors/inputErrors.js'
import { buildSigningPayload } from '../signing/buildSigningPayload.js'
import { instructionFor } from '../signing/instructions.js'
import type { Signer } from '../signing/sign.js'
import type { RequestOptions } from '../types/common.js'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import { type FetchFn, type RawResponse, send, sleep } from './transport.js'

/** HTTP methods the REST API uses. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PATCH'

/** One REST call as an endpoint function describes it. */
export interface RequestArgs {
  /** HTTP method. */
  method: HttpMethod
  /** Path such as `/api/v1/order`, without the query string. */
  path: string
  /** Query parameters (GET). Arrays are sent comma-separated. */
  query?: Record<string, unknown> | undefined
  /** JSON body (POST, DELETE, PATCH); an array for batch orders. */
  body?:
    | Record<string, unknown>
    | readonly Record<string, unknown>[]
    | undefined
  /** Whether the call is signed. @default false */
  auth?: boolean | undefined
  /** Instruction to sign. @default instructionFor(method, path) */
  instruction?: string | undefined
  /** How to read a 2xx body. @default 'json' */
  responseType?: 'json' | 'text' | undefined
  /**
   * Whether timeouts, network errors and 5xx may be retried.
   * @default true for GET, false otherwise
   */
  idempotent?: boolean | undefined
  /** Set `false` to never retry (clock sync, order lookups). @default true */
  retry?: boolean | undefined
}

/**
 * Every error one REST call can end with, whichever endpoint it is: bad
 * parameters or a private call without keys ({@link ValidationError}), a
 * custom signer that failed ({@link SigningError}), a non-2xx answer
 * ({@link HttpError}, {@link ApiError} with Backpack's code), or no answer
 * ({@link TimeoutError}, {@link NetworkError}). The endpoint functions'
 * `<Fn>ErrorType` unions are built from it.
 */
export type RequestErrorType =
  | ValidationError
  | SigningError
  | HttpError
  | ApiError
  | TimeoutError
  | NetworkError

/** Sends one REST call through the client's pipeline. */
export type RequestFn = <T>(
  args: RequestArgs,
  options?: RequestOptions | undefined,
) => Promise<T>

/**
 * What an endpoint function needs from a client: `request`, plus an optional
 * logger. {@link createBackpackClient} returns one; tests can pass a stub.
 */
export interface BackpackRequester {
  /** Sends one REST call. */
  request: RequestFn
  /** Where endpoint functions report recoverable events. */
  readonly logger?: Logger | undefined
  /**
   * The signing window (in ms); `executeOrder` waits it out before looking
   * up an ambiguous order.
   * @default 5000
   */
  readonly windowMs?: number | undefined
}

/** Retry policy. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  limit?: number | undefined
  /** First backoff delay (in ms). @default 250 */
  baseDelayMs?: number | undefined
  /**
   * Longest backoff delay and longest `Retry-After` honoured (in ms).
   * @default 5000
   */
  maxDelayMs?: number | undefined
}

/** @internal */
export interface RequesterConfig {
  fetch: FetchFn
  baseUrl: string
  windowMs: number
  timeoutMs: number | false
  retry: { limit: number; baseDelayMs: number; maxDelayMs: number } | false
  signer: Signer | undefined
  clock: Clock
  logger: Logger | undefined
  now: () => number
  random: () => number
}

const RETRYABLE_READ_STATUSES = new Set([500, 502, 504])
const RETRYABLE_ANY_STATUSES = new Set([429, 503])

/** Builds the pipeline. @internal */
export function createRequestFn(config: RequesterConfig): RequestFn {
  const { baseUrl, windowMs, signer, clock, logger } = config

  return async function request<T>(
    args: RequestArgs,
    options: RequestOptions = {},
  ): Promise<T> {
    const { method, path } = args
    const summary = { method, path }
    const timeoutMs = resolveTimeout(options, config.timeoutMs)
    const signal = resolveSignal(options)
    const query = normalizeQuery(args.query)
    const queryString = encodeQuery(query)
    const url = `${baseUrl}${path}${queryString ? `?${queryString}` : ''}`
    const bodyText =
      args.body === undefined ? undefined : JSON.stringify(args.body)
    const signingParams = args.body ?? query

    let instruction: string | undefined
    if (args.auth) {
      if (!signer) {
        throw new ValidationError(
          `${method} ${path} is a private endpoint: create the client with \`secretKey\` (and optionally \`apiKey\`).`,
          { field: 'secretKey' },
        )
      }
      instruction = args.instruction ?? instructionFor(method, path)
      if (!instruction) {
        throw new ValidationError(
          `No signing instruction is known for ${method} ${path}; pass \`instruction\`.`,
          { field: 'instruction' },
        )
      }
      // Dry run: malformed values fail here, before the clock sync's I/O.
      buildSigningPayload({
        instruction,
        params: signingParams,
        timestamp: 0,
        windowMs,
      })
      await clock.sync()
    }

    const idempotent = args.idempotent ?? method === 'GET'
    let attempt = 0
    let resynced = false
    for (;;) {
      const headers: Record<string, string> = {}
      if (bodyText !== undefined) {
        headers['Content-Type'] = 'application/json; charset=utf-8'
      }
      if (signer && instruction) {
        try {
          addSignedHeaders(headers, {
            signer,
            instruction,
            params: signingParams,
            timestamp: clock.timestamp(),
            windowMs,
          })
        } catch (cause) {
          if (cause instanceof BackpackError) throw cause
          // A custom signer failed: wrap whatever it threw (never echo keys).
          throw new SigningError('The signer failed to sign the request.', {
            argument: 'signer',
            cause,
            details:
              cause instanceof Error ? cause.message : 'non-Error value thrown',
          })
        }
      }
      try {
        const raw = await send({
          fetch: config.fetch,
          url,
          method,
          path,
          headers,
          body: bodyText,
          timeoutMs,
          signal,
        })
        logger?.debug?.('backpack: response', {
          method,
          path,
          status: raw.status,
          attempt,
        })
        if (raw.status >= 200 && raw.status < 300) {
          return parseBody<T>(raw, args.responseType ?? 'json', summary)
        }
        throw toHttpError(raw, summary, config.now)
      } catch (error) {
        if (!(error instanceof BackpackError)) throw error
        if (
          args.auth &&
          clock.enabled &&
          !resynced &&
          isExpiredTimestamp(error)
        ) {
          // The exchange refused the request (nothing executed), so sending
          // it again with a corrected timestamp is safe even for orders.
          resynced = true
          logger?.warn?.(
            'backpack: request expired; resyncing the clock',
            summary,
          )
          await clock.sync(true)
          continue
        }
        const delay =
          args.retry === false
            ? undefined
            : retryDelay(error, attempt, idempotent, config)
        if (delay === undefined) throw error
        logger?.warn?.('backpack: retrying', {
          ...summary,
          attempt: attempt + 1,
          delayMs: delay,
          error: error.shortMessage,
        })
        await sleep(delay, summary, signal)
        attempt++
      }
    }
  }
}

/**
 * Adds the four auth headers for one signed request: the whole per-request
 * signing cost (payload + Ed25519 + headers). @internal Exported for the
 * benchmark.
 */
export function addSignedHeaders(
  headers: Record<string, string>,
  args: {
    signer: Signer
    instruction: string
    params:
      | Record<string, unknown>
      | readonly Record<string, unknown>[]
      | undefined
    timestamp: number
    windowMs: number
  },
): Record<string, string> {
  const { signer, timestamp, windowMs } = args
  const payload = buildSigningPayload({
    instruction: args.instruction,
    params: args.params,
    timestamp,
    windowMs,
  })
  headers['X-API-Key'] = signer.publicKey
  headers['X-Signature'] = signer.sign(payload)
  headers['X-Timestamp'] = String(timestamp)
  headers['X-Window'] = String(windowMs)
  return headers
}

function resolveTimeout(
  options: RequestOptions,
  fallback: number | false,
): number | false {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      '`options` must be an object like { signal, timeoutMs }.',
      { field: 'options' },
    )
  }
  const { timeoutMs } = options
  if (timeoutMs === undefined) return fallback
  if (timeoutMs === false) return false
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs <= 0
  ) {
    throw new ValidationError(
      '`timeoutMs` must be a positive number of milliseconds, or false to disable the timeout.',
      { field: 'timeoutMs' },
    )
  }
  return timeoutMs
}

function resolveSignal(options: RequestOptions): AbortSignal | undefined {
  const { signal } = options
  if (signal === undefined) return undefined
  if (
    typeof signal !== 'object' ||
    signal === null ||
    typeof signal.addEventListener !== 'function' ||
    typeof signal.aborted !== 'boolean'
  ) {
    throw new ValidationError('`signal` must be an AbortSignal.', {
      field: 'signal',
    })
  }
  return signal
}

/**
 * Drops absent values and joins arrays with commas, so the query that is
 * signed and the query that is sent hold the same values. @internal
 */
export function normalizeQuery(
  query: Record<string, unknown> | undefined,
): Record<string, string | number | boolean> | undefined {
  if (!query) return undefined
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    out[key] = Array.isArray(value)
      ? value.join(',')
      : (value as string | number | boolean)
  }
  return out
}

/**
 * Percent-encodes the query for the wire. The signature covers the raw
 * (decoded) values, as the official Rust client signs them (reference §2.3).
 * @internal
 */
export function encodeQuery(
  query: Record<string, string | number | boolean> | undefined,
): string {
  if (!query) return ''
  return Object.entries(query)
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    )
    .join('&')
}

function parseBody<T>(
  raw: RawResponse,
  type: 'json' | 'text',
  summary: { method: string; path: string },
): T {
  if (type === 'text') return raw.text as T
  if (raw.text === '') return null as T
  try {
    return JSON.parse(raw.text) as T
  } catch (cause) {
    throw new HttpError(
      { ...summary, status: raw.status, body: raw.text, cause },
      `Response with status ${raw.status} is not valid JSON.`,
    )
  }
}

/** Maps a non-2xx answer to ApiError (JSON body) or HttpError (anything else). @internal */
export function toHttpError(
  raw: RawResponse,
  summary: { method: string; path: string },
  now: () => number,
): HttpError {
  const retryAfterMs = parseRetryAfter(raw.headers.get('retry-after'), now)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.text)
  } catch {
    parsed = undefined
  }
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    typeof (parsed as { code?: unknown }).code === 'string'
  ) {
    const { code, message } = parsed as { code: string; message?: unknown }
    return new ApiError({
      ...summary,
      status: raw.status,
      body: raw.text,
      code,
      apiMessage: typeof message === 'string' ? message : '',
      retryAfterMs,
    })
  }
  return new HttpError({
    ...summary,
    status: raw.status,
    body: raw.text,
    retryAfterMs,
  })
}

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms. @internal */
export function parseRetryAfter(
  header: string | null,
  now: () => number,
): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now())
}

function isExpiredTimestamp(error: BackpackError): boolean {
  // Backpack's exact answer for a stale timestamp is UNCONFIRMED; the
  // simulator (reference §12.6) sends 401 UNAUTHORIZED "Request has expired".
  return (
    error instanceof ApiError &&
    error.status === 401 &&
    /expired|timestamp|window/i.test(error.apiMessage)
  )
}

function retryDelay(
  error: BackpackError,
  attempt: number,
  idempotent: boolean,
  config: RequesterConfig,
): number | undefined {
  const { retry } = config
  if (retry === false || attempt >= retry.limit) return undefined
  const backoff = Math.round(
    Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt) *
      (0.5 + config.random() * 0.5),
  )
  if (error instanceof HttpError) {
    if (RETRYABLE_ANY_STATUSES.has(error.status)) {
      if (error.retryAfterMs === undefined) return backoff
      return error.retryAfterMs <= retry.maxDelayMs
        ? error.retryAfterMs
        : undefined
    }
    return idempotent && RETRYABLE_READ_STATUSES.has(error.status)
      ? backoff
      : undefined
  }
  if (error instanceof TimeoutError) return idempotent ? backoff : undefined
  if (error instanceof NetworkError) {
    return idempotent && !error.aborted ? backoff : undefined
  }
  return undefined
}
