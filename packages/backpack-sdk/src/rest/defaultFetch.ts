/**
 * The `fetch` a client uses when none is injected: the platform's own
 * (`globalThis.fetch`: Node 18+, browsers, workers, Deno, Bun), looked up on
 * each request so a fetch installed later (a test interceptor, a polyfill)
 * is honoured. Only where there is none is `cross-fetch` loaded, once, on
 * the first request, by a dynamic `import()`: runtimes with a native fetch
 * never evaluate it.
 *
 * @internal
 * @module
 */
import type { FetchFn, FetchInit } from './transport.js'

type PlatformFetch = typeof globalThis.fetch

let fallback: Promise<PlatformFetch> | undefined

/** Sends with `globalThis.fetch`, or with cross-fetch where there is none. @internal */
export const defaultFetch: FetchFn = (input, init) => {
  const native: PlatformFetch | undefined = globalThis.fetch
  if (typeof native === 'function') return native(input, requestInit(init))
  fallback ??= import('cross-fetch').then((module) => module.default)
  return fallback.then((fetch) => fetch(input, requestInit(init)))
}

/** A `RequestInit` has no `body: undefined` (exactOptionalPropertyTypes). */
function requestInit({ body, ...init }: FetchInit): RequestInit {
  return body === undefined ? init : { ...init, body }
}
