/**
 * The SDK in a browser: bundle the public entry points the way a browser
 * bundler would (esbuild, platform `browser`, `browser` export conditions),
 * then run the bundle in a fresh V8 context that has only what a browser page
 * has (no `process`, no `require`, no Node builtins). Signing must go through
 * the noble backend there and still produce the reference vectors; the REST
 * client must use the page's `fetch`, the stream client the page's
 * `WebSocket`.
 */
import { readFileSync } from 'node:fs'
import { createContext, runInContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, test } from 'vitest'

const vectors = JSON.parse(
  readFileSync(
    new URL('../test/fixtures/signing-vectors.json', import.meta.url),
    'utf8',
  ),
) as {
  secretKey: string
  publicKey: string
  vectors: { id: string; payload: string; signature: string }[]
}

/** Bundles `code` (which imports the SDK) for the browser, as an IIFE. */
async function bundleForBrowser(code: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: code,
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  })
  const out = result.outputFiles[0]
  if (!out) throw new Error('esbuild produced no output')
  return out.text
}

/** A context with a browser page's globals and nothing of Node's. */
function browserContext(extra: Record<string, unknown>) {
  const context = createContext({
    console,
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    Headers,
    Request,
    Response,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    Event,
    EventTarget,
    ...extra,
  })
  runInContext(
    'globalThis.window = globalThis; globalThis.self = globalThis',
    context,
  )
  return context
}

describe('browser bundle', { timeout: 30_000 }, () => {
  test('behavior: no Node builtin or `ws` reaches a browser bundle', async () => {
    const text = await bundleForBrowser(
      "export * from './index.ts'; export * from './signing/index.ts'",
    )
    expect(text).not.toMatch(
      /require\(["'](node:)?(crypto|buffer|http|https|net|tls|stream|zlib)["']\)/,
    )
    expect(text).not.toMatch(/from ["']node:/)
    // `ws` maps its browser condition to a stub; its real implementation
    // (the HTTP upgrade handshake) must not be in the bundle.
    expect(text).not.toContain('Sec-WebSocket-Accept')
    expect(text).toContain('ws does not work in the browser')
  })

  test('behavior: signing in a page uses noble and matches the vectors', async () => {
    const code = await bundleForBrowser(`
      import { createSigner, verifySignature } from './signing/index.ts'
      globalThis.__sign = (secret, payload) => createSigner(secret).sign(payload)
      globalThis.__verify = (args) => verifySignature(args)
    `)
    const context = browserContext({})
    expect(runInContext('typeof process', context)).toBe('undefined')
    runInContext(code, context)
    const sign = context.__sign as (secret: string, payload: string) => string
    const verify = context.__verify as (args: object) => boolean
    const { secretKey, publicKey } = vectors
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(12)
    for (const v of vectors.vectors) {
      expect(sign(secretKey, v.payload), v.id).toBe(v.signature)
      expect(
        verify({ publicKey, payload: v.payload, signature: v.signature }),
      ).toBe(true)
    }
  })

  test('behavior: the REST client in a page uses the page fetch and signs', async () => {
    const code = await bundleForBrowser(`
      import { createBackpackClient } from './index.ts'
      globalThis.__balances = (secretKey) =>
        createBackpackClient({ secretKey, baseUrl: 'https://api.test' }).getBalances()
    `)
    const seen: { url: string; headers: Headers }[] = []
    const fetch = async (input: string | URL, init?: RequestInit) => {
      const url = String(input)
      seen.push({ url, headers: new Headers(init?.headers) })
      if (url.endsWith('/api/v1/time')) return new Response(String(Date.now()))
      return Response.json({
        USDC: { available: '10', locked: '0', staked: '0' },
      })
    }
    const context = browserContext({ fetch })
    runInContext(code, context)
    const balances = await (
      context.__balances as (s: string) => Promise<unknown>
    )(vectors.secretKey)
    expect(balances).toEqual({
      USDC: { available: '10', locked: '0', staked: '0' },
    })
    const signed = seen.find((r) => r.url.includes('/api/v1/capital'))
    expect(signed?.headers.get('X-API-Key')).toBe(vectors.publicKey)
    expect(signed?.headers.get('X-Signature')).toMatch(/^[A-Za-z0-9+/]{86}==$/)
  })
  test('behavior: the stream client in a page uses the page WebSocket', async () => {
    const code = await bundleForBrowser(`
      import { createStreamClient } from './index.ts'
      globalThis.__subscribe = (url, onEvent) => {
        const client = createStreamClient({ url })
        client.subscribe('bookTicker.SOL_USDC', onEvent)
        return client
      }
    `)
    const sockets: FakeSocket[] = []
    class FakeSocket extends EventTarget {
      readyState = 0
      sent: string[] = []
      constructor(readonly url: string) {
        super()
        sockets.push(this)
        setTimeout(() => {
          this.readyState = 1
          this.dispatchEvent(new Event('open'))
        }, 0)
      }
      send(data: string) {
        this.sent.push(data)
      }
      close() {
        this.readyState = 3
      }
      deliver(data: string) {
        const event = new Event('message') as Event & { data: string }
        event.data = data
        this.dispatchEvent(event)
      }
    }
    const context = browserContext({ WebSocket: FakeSocket })
    runInContext(code, context)
    const events: { bestBidPrice?: string }[] = []
    const client = (
      context.__subscribe as (
        url: string,
        onEvent: (e: { bestBidPrice?: string }) => void,
      ) => { close(): Promise<void> | void }
    )('wss://ws.test', (e) => events.push(e))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const socket = sockets[0]
    expect(socket?.url).toBe('wss://ws.test')
    expect(socket?.sent.map((f) => JSON.parse(f).params)).toContainEqual([
      'bookTicker.SOL_USDC',
    ])
    socket?.deliver(
      JSON.stringify({
        stream: 'bookTicker.SOL_USDC',
        data: {
          e: 'bookTicker',
          E: 1,
          s: 'SOL_USDC',
          a: '141.6',
          A: '2',
          b: '141.5',
          B: '3',
          u: 7,
          T: 1,
        },
      }),
    )
    expect(events.map((e) => e.bestBidPrice)).toEqual(['141.5'])
    await client.close()
  })
})
