import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { server as msw } from '../../test/msw/server.js'
import { createBackpackClient } from '../client.js'
import { NetworkError, TimeoutError } from '../errors/httpErrors.js'
import { ValidationError } from '../errors/inputErrors.js'
import { createNodeFetch } from './nodeFetch.js'

// These tests need Node's real HTTP client on a real loopback socket (its
// connection reuse is what they test), so the package's msw interceptor,
// which replaces that client, is off for this file.
beforeAll(() => msw.close())
afterAll(() => msw.listen({ onUnhandledRequest: 'error' }))

/** A loopback server that records each request and counts connections. */
async function serve(
  handler: (
    req: IncomingMessage,
    body: string,
    res: import('node:http').ServerResponse,
  ) => void,
) {
  const seen: { method: string; url: string; body: string }[] = []
  let connections = 0
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body })
      handler(req, body, res)
    })
  })
  server.on('connection', () => {
    connections += 1
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  )
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
  }
}

const closers: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const ok = (
  _req: IncomingMessage,
  body: string,
  res: import('node:http').ServerResponse,
) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ echo: body }))
}

function transport() {
  const fetch = createNodeFetch()
  closers.push(() => fetch.close())
  return fetch
}

const init = (method: string, body?: string) => ({
  method,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
  signal: new AbortController().signal,
})

describe('createNodeFetch', () => {
  test('behavior: POST, DELETE with a JSON body and GET share one connection', async () => {
    const server = await serve(ok)
    const fetch = transport()
    for (const [method, body] of [
      ['POST', '{"symbol":"SOL_USDC"}'],
      ['DELETE', '{"orderId":"1","symbol":"SOL_USDC"}'],
      ['DELETE', '{"orderId":"2","symbol":"SOL_USDC"}'],
      ['GET', undefined],
    ] as const) {
      const res = await fetch(`${server.url}/api/v1/order`, init(method, body))
      expect(res.status).toBe(200)
      expect(JSON.parse(await res.text())).toEqual({ echo: body ?? '' })
    }
    expect(server.seen.map((r) => r.method)).toEqual([
      'POST',
      'DELETE',
      'DELETE',
      'GET',
    ])
    // Node's fetch would have opened a new connection after each DELETE.
    expect(server.connections()).toBe(1)
  })

  test('behavior: status, headers by any case, several values joined, UTF-8 split across chunks', async () => {
    const server = await serve((_req, _body, res) => {
      res.statusCode = 429
      res.setHeader('Retry-After', '2')
      res.setHeader('X-Many', ['a', 'b'])
      const bytes = Buffer.from('{"message":"€ limit"}', 'utf8')
      // The euro sign's three bytes arrive in two writes.
      res.write(bytes.subarray(0, 13))
      setTimeout(() => res.end(bytes.subarray(13)), 5)
    })
    const res = await transport()(`${server.url}/x`, init('GET'))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('2')
    expect(res.headers.get('RETRY-AFTER')).toBe('2')
    expect(res.headers.get('x-many')).toBe('a, b')
    expect(res.headers.get('absent')).toBeNull()
    expect(await res.text()).toBe('{"message":"€ limit"}')
  })

  test('behavior: a gzip body is decoded', async () => {
    const server = await serve((_req, _body, res) => {
      res.setHeader('content-encoding', 'gzip')
      res.end(gzipSync('{"status":"Ok"}'))
    })
    const res = await transport()(`${server.url}/api/v1/status`, init('GET'))
    expect(await res.text()).toBe('{"status":"Ok"}')
  })

  test('behavior: the content length is the body in bytes, not characters', async () => {
    const server = await serve((req, body, res) => {
      res.end(JSON.stringify({ length: req.headers['content-length'], body }))
    })
    const body = '{"note":"ü€"}'
    const res = await transport()(`${server.url}/y`, init('POST', body))
    expect(JSON.parse(await res.text())).toEqual({
      length: String(Buffer.byteLength(body)),
      body,
    })
  })

  test('behavior: a body cut off by the server rejects text()', async () => {
    const server = await serve((_req, _body, res) => {
      res.setHeader('content-length', '100')
      res.write('{"partial":')
      setTimeout(() => res.socket?.destroy(), 5)
    })
    const res = await transport()(`${server.url}/z`, init('GET'))
    await expect(res.text()).rejects.toThrow()
  })

  test('behavior: through the client, a timeout is a TimeoutError and a refused connection a NetworkError', async () => {
    const server = await serve(() => {
      // never answers
    })
    const fetch = transport()
    const slow = createBackpackClient({
      baseUrl: server.url,
      fetch,
      timeoutMs: 50,
      retry: false,
      clockSyncIntervalMs: false,
    })
    await expect(slow.getStatus()).rejects.toBeInstanceOf(TimeoutError)
    const refused = createBackpackClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch,
      retry: false,
      clockSyncIntervalMs: false,
    })
    await expect(refused.getStatus()).rejects.toBeInstanceOf(NetworkError)
  })

  test('behavior: an aborted signal rejects the request with an AbortError', async () => {
    const server = await serve(() => {
      // never answers
    })
    const controller = new AbortController()
    const pending = transport()(`${server.url}/w`, {
      ...init('GET'),
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  test('errors: other URL schemes, and runtimes without Node modules, are refused by name', async () => {
    const fetch = transport()
    await expect(fetch('ftp://example.test/', init('GET'))).rejects.toThrow(
      ValidationError,
    )
    const proc = globalThis.process as { getBuiltinModule?: unknown }
    const saved = proc.getBuiltinModule
    proc.getBuiltinModule = undefined
    try {
      expect(() => createNodeFetch()).toThrow(/process.getBuiltinModule/)
    } finally {
      proc.getBuiltinModule = saved
    }
  })
})
