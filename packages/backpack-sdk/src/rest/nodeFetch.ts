/**
 * A {@link FetchFn} for Node on `node:http` / `node:https`, keeping its
 * connections open for every method.
 *
 * Why it exists: Node's built-in `fetch` (undici) closes a connection after
 * any request that has a body on a method that does not expect one, and
 * Backpack's cancels are exactly that (`DELETE /api/v1/order` with a JSON
 * body). So with the default fetch, every cancel costs the next request a
 * new connection: a TCP and TLS handshake against the exchange, at the
 * moment a take profit sends its sell and cancels together. Node's own HTTP
 * client keeps the connection for DELETE as for any other method, and does
 * less work per request than the WHATWG layer of `fetch`.
 *
 * Node's modules are looked up with `process.getBuiltinModule` (Node ≥ 20.16)
 * when the first transport is made, never imported, so browser bundles of
 * the SDK carry nothing of them.
 *
 * @module
 */
import type { Agent as HttpAgent, IncomingMessage } from 'node:http'
import { ValidationError } from '../errors/inputErrors.js'
import type { FetchFn, FetchInit, FetchResponse } from './transport.js'

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * Idle connections are closed after this many ms. Keep it below the
   * server's keep-alive timeout, so a request never goes out on a
   * connection the server is closing. @default 4000
   */
  idleTimeoutMs?: number | undefined
  /** Connections per host, busy and idle together. @default Infinity */
  maxSockets?: number | undefined
}

/** The transport {@link createNodeFetch} returns: a fetch, and its connections. */
export interface NodeFetch extends FetchFn {
  /** Closes every connection, idle or busy (requests in flight fail). */
  close(): void
}

/**
 * Makes a {@link FetchFn} for Node with keep-alive connections (one pool for
 * `http:`, one for `https:`), for `createBackpackClient({ fetch })`. Use it
 * in Node bots: with it a cancel does not close its connection (see this
 * module's note), so the requests after it do not pay for a new one.
 * Response bodies with a `Content-Encoding` (gzip, deflate, br) are decoded,
 * as `fetch` does.
 *
 * @param options - Idle timeout and pool size.
 * @returns The transport; `close()` ends its connections.
 * @throws {ValidationError} outside Node (no `process.getBuiltinModule`).
 * @example
 * ```ts
 * import { createBackpackClient, createNodeFetch } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({
 *   secretKey: process.env.BACKPACK_API_SECRET,
 *   fetch: createNodeFetch(),
 * })
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const builtin = (
    globalThis as {
      process?: { getBuiltinModule?: (id: string) => unknown }
    }
  ).process?.getBuiltinModule
  if (typeof builtin !== 'function')
    throw new ValidationError(
      'createNodeFetch needs Node 20.16 or later (process.getBuiltinModule); elsewhere, leave the `fetch` option out to use the platform fetch',
      { field: 'fetch' },
    )
  const http = builtin('node:http') as typeof import('node:http')
  const https = builtin('node:https') as typeof import('node:https')
  const zlib = builtin('node:zlib') as typeof import('node:zlib')
  const pool = {
    keepAlive: true,
    // The most recently used connection first: a bot's bursts reuse the
    // same few, and the rest reach the idle timeout and close.
    scheduling: 'lifo' as const,
    timeout: options.idleTimeoutMs ?? 4000,
    maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY,
  }
  const agents = {
    'http:': new http.Agent(pool),
    'https:': new https.Agent(pool),
  }
  const decoders: Record<string, () => NodeJS.ReadWriteStream> = {
    gzip: () => zlib.createGunzip(),
    'x-gzip': () => zlib.createGunzip(),
    deflate: () => zlib.createInflate(),
    br: () => zlib.createBrotliDecompress(),
  }
  const nodeFetch = (input: string, init: FetchInit) => {
    const url = new URL(input)
    const agent: HttpAgent | undefined =
      agents[url.protocol as keyof typeof agents]
    if (agent === undefined)
      return Promise.reject(
        new ValidationError(
          `createNodeFetch sends http: and https: URLs only, not ${url.protocol}`,
          { field: 'baseUrl' },
        ),
      )
    const send = url.protocol === 'https:' ? https.request : http.request
    return new Promise<FetchResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers }
      if (init.body !== undefined)
        headers['content-length'] = Buffer.byteLength(init.body)
      const request = send(
        url,
        { method: init.method, headers, agent, signal: init.signal },
        (response) => resolve(answer(response, decoders)),
      )
      request.on('error', reject)
      request.end(init.body)
    })
  }
  return Object.assign(nodeFetch, {
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  })
}

/** The response's status, headers and (decoded) body text. */
function answer(
  response: IncomingMessage,
  decoders: Record<string, () => NodeJS.ReadWriteStream>,
): FetchResponse {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  const decoder = decoders[encoding]
  const body: NodeJS.ReadableStream = decoder
    ? response.pipe(decoder())
    : response
  // Read at once (the SDK always reads the body), so a body that ends with
  // an error rejects `text()` rather than going unhandled.
  const text = new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    body.on('data', (chunk: Buffer) => chunks.push(chunk))
    body.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    body.on('error', reject)
    response.on('error', reject)
    response.on('close', () => {
      if (!response.complete)
        reject(new Error('the connection closed before the response ended'))
    })
  })
  text.catch(() => {})
  return {
    status: response.statusCode ?? 0,
    headers: {
      get(name: string) {
        const value = response.headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      },
    },
    text: () => text,
  }
}
