/**
 * One HTTP exchange: fetch + body read under a single AbortController.
 *
 * ```
 * caller signal ─┐
 *                ├─► AbortController ─► fetch(url) ─► response.text()
 * timeout timer ─┘          │
 *                           └─ finally: clear timer, drop listener
 * failures:  timer fired  → TimeoutError
 *            caller abort → NetworkError { aborted: true }
 *            fetch threw  → NetworkError (cause kept)
 * ```
 *
 * Status codes are not judged here; request.ts maps them to errors.
 *
 * @internal
 * @module
 */
import { NetworkError, TimeoutError } from '../errors/httpErrors.js'

/** What the SDK passes to `fetch`. */
export interface FetchInit {
  /** HTTP method. */
  method: string
  /** Request headers. */
  headers: Record<string, string>
  /** JSON body text, for POST/DELETE/PATCH. */
  body?: string | undefined
  /** Aborts the request (caller signal + timeout). */
  signal: AbortSignal
}

/** The part of a fetch `Response` the SDK reads. */
export interface FetchResponse {
  /** HTTP status. */
  status: number
  /** Response headers (only `Retry-After` is read). */
  headers: {
    /** Reads one header, case-insensitively. */
    get(name: string): string | null
  }
  /** Reads the body as text. */
  text(): Promise<string>
}

/**
 * The `fetch` shape the SDK needs: global `fetch`, cross-fetch, undici and
 * node-fetch all fit.
 */
export type FetchFn = (input: string, init: FetchInit) => Promise<FetchResponse>

/** A raw answer. @internal */
export interface RawResponse {
  status: number
  headers: { get(name: string): string | null }
  text: string
}

/** @internal */
export interface SendArgs {
  fetch: FetchFn
  url: string
  method: string
  path: string
  headers: Record<string, string>
  body?: string | undefined
  timeoutMs: number | false
  signal?: AbortSignal | undefined
}

/** Sends one request and reads its body. @internal */
export async function send(args: SendArgs): Promise<RawResponse> {
  const { method, path } = args
  if (args.signal?.aborted) {
    throw new NetworkError({
      method,
      path,
      aborted: true,
      cause: args.signal.reason,
    })
  }
  const controller = new AbortController()
  let timedOut = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const onAbort = () => controller.abort(args.signal?.reason)
  args.signal?.addEventListener('abort', onAbort, { once: true })
  if (args.timeoutMs !== false) {
    timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, args.timeoutMs)
  }
  try {
    const response = await args.fetch(args.url, {
      method,
      headers: args.headers,
      body: args.body,
      signal: controller.signal,
    })
    // The body read stays under the same controller: a server that sends
    // headers and then stalls still times out.
    const text = await response.text()
    return { status: response.status, headers: response.headers, text }
  } catch (cause) {
    if (timedOut && args.timeoutMs !== false) {
      throw new TimeoutError({ method, path, timeoutMs: args.timeoutMs, cause })
    }
    throw new NetworkError({
      method,
      path,
      aborted: args.signal?.aborted ?? false,
      cause: cause instanceof Error ? cause : new Error(String(cause)),
    })
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    args.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Waits `ms`, or rejects with `NetworkError { aborted: true }` when the
 * signal aborts first. @internal
 */
export function sleep(
  ms: number,
  summary: { method: string; path: string },
  signal?: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () =>
      reject(
        new NetworkError({ ...summary, aborted: true, cause: signal?.reason }),
      )
    if (signal?.aborted) return abort()
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      abort()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
