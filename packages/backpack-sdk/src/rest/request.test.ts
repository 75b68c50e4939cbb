import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { TEST_SECRET_KEY } from '../../test/msw/fixtures.js'
import { createBackpackClient } from '../client.js'
import {
  ApiError,
  HttpError,
  NetworkError,
  TimeoutError,
} from '../errors/httpErrors.js'
import { ValidationError } from '../errors/inputErrors.js'
import { buildSigningPayload, verifySignature } from '../signing/index.js'
import { parseRetryAfter } from './request.js'
import type { FetchFn } from './transport.js'

type Call = {
  url: string
  method: string
  headers: Record<string, string>
  body?: string | undefined
}
type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'hang'
  | Error

/** A scripted fetch: answers from a queue, records every call. */
function scriptedFetch(replies: Reply[], fallback?: (call: Call) => Reply) {
  const calls: Call[] = []
  const fetch: FetchFn = (url, init) => {
    const call = {
      url,
      method: init.method,
      headers: init.headers,
      body: init.body,
    }
    calls.push(call)
    const reply = replies.shift() ?? fallback?.(call) ?? { status: 500 }
    if (reply === 'hang') {
      return new Promise((_, reject) => {
        init.signal.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        )
      })
    }
    if (reply instanceof Error) return Promise.reject(reply)
    const headers = new Headers(reply.headers)
    return Promise.resolve({
      status: reply.status,
      headers,
      text: () => Promise.resolve(reply.body ?? ''),
    })
  }
  return { fetch, calls }
}

const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) })
const STATUS = { status: 'Ok' }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('retries', () => {
  test('behavior: GET retried on 500 with exponential backoff + jitter', async () => {
    const { fetch, calls } = scriptedFetch([
      { status: 500 },
      { status: 502 },
      ok(STATUS),
    ])
    const client = createBackpackClient({ fetch, random: () => 0.999999 })
    const result = client.getStatus()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(249) // first delay ≈ 250 ms × ~1
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(499) // second delay ≈ 500 ms
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(await result).toEqual(STATUS)
    expect(calls).toHaveLength(3)
  })

  test('behavior: jitter scales the delay into [0.5, 1)', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503 }, ok(STATUS)])
    const client = createBackpackClient({ fetch, random: () => 0 })
    const result = client.getStatus()
    await vi.advanceTimersByTimeAsync(124)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await result).toEqual(STATUS)
  })

  test('behavior: gives up after retry.limit and throws the last error', async () => {
    const { fetch, calls } = scriptedFetch([], () => ({
      status: 500,
      body: 'boom',
    }))
    const client = createBackpackClient({ fetch, retry: { limit: 3 } })
    const result = client.getStatus().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(60_000)
    const error = await result
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(500)
    expect(calls).toHaveLength(4)
  })

  test('behavior: Retry-After (seconds) is honoured on 429', async () => {
    const { fetch, calls } = scriptedFetch([
      {
        status: 429,
        body: '{"code":"TOO_MANY_REQUESTS","message":"slow down"}',
        headers: { 'Retry-After': '2' },
      },
      ok(STATUS),
    ])
    const client = createBackpackClient({ fetch })
    const result = client.getStatus()
    await vi.advanceTimersByTimeAsync(1999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await result).toEqual(STATUS)
  })

  test('behavior: Retry-After beyond maxDelayMs is not waited out', async () => {
    const { fetch, calls } = scriptedFetch([
      { status: 429, body: 'busy', headers: { 'Retry-After': '60' } },
    ])
    const error = await createBackpackClient({ fetch })
      .getStatus()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).retryAfterMs).toBe(60_000)
    expect(calls).toHaveLength(1)
  })

  test('behavior: POST order is retried on 503 (refused, nothing executed)', async () => {
    const a = scriptedFetch(
      [{ status: 503 }, ok({ id: '1', clientId: 7 })],
      () => ok(1_000),
    )
    const client = createBackpackClient({
      fetch: a.fetch,
      secretKey: TEST_SECRET_KEY,
      clockSyncIntervalMs: false,
    })
    const result = client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '1',
      quantity: '1',
      clientId: 7,
    })
    await vi.advanceTimersByTimeAsync(1000)
    expect((await result).id).toBe('1')
    expect(a.calls.filter((c) => c.method === 'POST')).toHaveLength(2)
  })

  test('args: retry false disables retries', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503 }])
    await expect(
      createBackpackClient({ fetch, retry: false }).getStatus(),
    ).rejects.toThrow(HttpError)
    expect(calls).toHaveLength(1)
  })
})

describe('timeouts and aborts', () => {
  test('error: timeout becomes TimeoutError (then retried for GET)', async () => {
    const { fetch, calls } = scriptedFetch(['hang', 'hang', 'hang'])
    const client = createBackpackClient({ fetch, timeoutMs: 1000 })
    const result = client.getStatus().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10_000)
    const error = await result
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).timeoutMs).toBe(1000)
    expect((error as TimeoutError).message).toMatchInlineSnapshot(`
      "Request timed out after 1000 ms; raise timeoutMs or check connectivity.

      Request: GET /api/v1/status

      Details: aborted"
    `)
    expect(calls).toHaveLength(3)
  })

  test('args: per-call timeoutMs overrides the client', async () => {
    const { fetch } = scriptedFetch(['hang'])
    const client = createBackpackClient({
      fetch,
      timeoutMs: 60_000,
      retry: false,
    })
    const result = client.getStatus({ timeoutMs: 50 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(50)
    expect(await result).toBeInstanceOf(TimeoutError)
  })

  test('args: timeoutMs false never times out', async () => {
    const { fetch } = scriptedFetch(['hang'])
    const client = createBackpackClient({
      fetch,
      timeoutMs: false,
      retry: false,
    })
    const controller = new AbortController()
    const result = client
      .getStatus({ signal: controller.signal })
      .catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(3_600_000)
    controller.abort()
    const error = await result
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).aborted).toBe(true)
  })

  test('behavior: caller abort during the backoff wait stops retrying', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 500 }], () => ok(STATUS))
    const controller = new AbortController()
    const result = createBackpackClient({ fetch })
      .getStatus({ signal: controller.signal })
      .catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    const error = await result
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).aborted).toBe(true)
    expect(calls).toHaveLength(1)
  })

  test('behavior: an already-aborted signal sends nothing', async () => {
    const { fetch, calls } = scriptedFetch([ok(STATUS)])
    await expect(
      createBackpackClient({ fetch }).getStatus({
        signal: AbortSignal.abort(),
      }),
    ).rejects.toThrow(NetworkError)
    expect(calls).toHaveLength(0)
  })

  test('error: network failure becomes NetworkError with the cause', async () => {
    const cause = new TypeError('fetch failed: ECONNREFUSED')
    const { fetch } = scriptedFetch([cause])
    const error = await createBackpackClient({ fetch, retry: false })
      .getStatus()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).cause).toBe(cause)
    expect((error as NetworkError).shortMessage).toBe(
      'Request failed before a response arrived.',
    )
  })

  test('error: bad per-call options', async () => {
    const { fetch, calls } = scriptedFetch([])
    const client = createBackpackClient({ fetch })
    for (const options of [
      { timeoutMs: 0 },
      { timeoutMs: 'x' },
      { signal: 'x' },
      null,
    ]) {
      await expect(
        client.getStatus(options as Parameters<typeof client.getStatus>[0]),
      ).rejects.toThrow(ValidationError)
    }
    expect(calls).toHaveLength(0)
  })
})

describe('clock sync', () => {
  test('behavior: first private request syncs; timestamp follows the server clock', async () => {
    vi.setSystemTime(1_700_000_000_000)
    const serverSkewMs = 30_000 // local clock is 30 s behind
    const { fetch, calls } = scriptedFetch([], (call) =>
      call.url.endsWith('/api/v1/time')
        ? { status: 200, body: String(Date.now() + serverSkewMs) }
        : ok({}),
    )
    const client = createBackpackClient({ fetch, secretKey: TEST_SECRET_KEY })
    await client.getBalances()
    await client.getBalances()
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/api/v1/time',
      '/api/v1/capital',
      '/api/v1/capital',
    ])
    const first = calls[1]!.headers
    const ts = Number(first['X-Timestamp'])
    expect(Math.abs(ts - (Date.now() + serverSkewMs))).toBeLessThan(5)
    // The signature covers exactly the timestamp sent.
    expect(
      verifySignature({
        publicKey: first['X-API-Key']!,
        signature: first['X-Signature']!,
        payload: buildSigningPayload({
          instruction: 'balanceQuery',
          timestamp: ts,
          windowMs: 5000,
        }),
      }),
    ).toBe(true)
    // Monotonic: the second request's timestamp is larger.
    expect(Number(calls[2]!.headers['X-Timestamp'])).toBeGreaterThan(ts)
  })

  test('behavior: resyncs after clockSyncIntervalMs (injected clock)', async () => {
    let local = 1_000_000
    const { fetch, calls } = scriptedFetch([], (call) =>
      call.url.endsWith('/api/v1/time')
        ? { status: 200, body: String(local) }
        : ok({}),
    )
    const client = createBackpackClient({
      fetch,
      secretKey: TEST_SECRET_KEY,
      now: () => local,
      clockSyncIntervalMs: 60_000,
    })
    await client.getBalances()
    local += 59_999
    await client.getBalances()
    local += 1
    await client.getBalances()
    expect(calls.filter((c) => c.url.endsWith('/time'))).toHaveLength(2)
  })

  test('behavior: an "expired" 401 resyncs and resends once (even for orders)', async () => {
    let serverOffset = 0
    const local = 1_700_000_000_000
    const { fetch, calls } = scriptedFetch([], (call) => {
      if (call.url.endsWith('/api/v1/time')) {
        return { status: 200, body: String(local + serverOffset) }
      }
      const ts = Number(call.headers['X-Timestamp'])
      if (Math.abs(ts - (local + serverOffset)) > 5000) {
        return {
          status: 401,
          body: '{"code":"UNAUTHORIZED","message":"Request has expired"}',
        }
      }
      return ok({ id: '9', clientId: 5, orderType: 'Limit' })
    })
    const client = createBackpackClient({
      fetch,
      secretKey: TEST_SECRET_KEY,
      now: () => local,
    })
    await client.getBalances() // syncs at offset 0
    serverOffset = 20_000 // the host clock drifts 20 s behind
    const order = await client.executeOrder({
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '1',
      quantity: '1',
      clientId: 5,
    })
    expect(order.id).toBe('9')
    const paths = calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)
    expect(paths).toEqual([
      'GET /api/v1/time',
      'GET /api/v1/capital',
      'POST /api/v1/order',
      'GET /api/v1/time',
      'POST /api/v1/order',
    ])
  })

  test('behavior: a persistent "expired" 401 is thrown after one resync', async () => {
    const { fetch, calls } = scriptedFetch([], (call) =>
      call.url.endsWith('/time')
        ? { status: 200, body: '1000' }
        : {
            status: 401,
            body: '{"code":"UNAUTHORIZED","message":"Request has expired"}',
          },
    )
    const error = await createBackpackClient({
      fetch,
      secretKey: TEST_SECRET_KEY,
    })
      .getBalances()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(calls.filter((c) => c.url.endsWith('/capital'))).toHaveLength(2)
  })

  test('behavior: a failed sync falls back to the local clock and warns', async () => {
    const warn = vi.fn()
    const { fetch, calls } = scriptedFetch([{ status: 500 }, ok({})])
    const client = createBackpackClient({
      fetch,
      secretKey: TEST_SECRET_KEY,
      logger: { warn },
    })
    expect(await client.getBalances()).toEqual({})
    expect(calls).toHaveLength(2)
    expect(warn).toHaveBeenCalledWith(
      'backpack: clock sync failed; using the local clock',
      expect.any(Object),
    )
    // Logs never carry keys or signatures.
    expect(JSON.stringify(warn.mock.calls)).not.toContain(TEST_SECRET_KEY)
  })

  test('behavior: concurrent private requests share one sync', async () => {
    const { fetch, calls } = scriptedFetch([], (call) =>
      call.url.endsWith('/api/v1/time')
        ? { status: 200, body: String(Date.now()) }
        : ok({}),
    )
    const client = createBackpackClient({ fetch, secretKey: TEST_SECRET_KEY })
    await Promise.all([
      client.getBalances(),
      client.getBalances(),
      client.getAccount(),
    ])
    expect(calls.filter((c) => c.url.endsWith('/api/v1/time'))).toHaveLength(1)
    const stamps = calls
      .filter((c) => !c.url.endsWith('/time'))
      .map((c) => Number(c.headers['X-Timestamp']))
    expect(new Set(stamps).size).toBe(3) // same millisecond, still distinct
  })

  test('args: clockSyncIntervalMs false never calls /time', async () => {
    const { fetch, calls } = scriptedFetch([ok({})])
    await createBackpackClient({
      fetch,
      secretKey: TEST_SECRET_KEY,
      clockSyncIntervalMs: false,
    }).getBalances()
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/api/v1/capital',
    ])
  })
})

describe('parseRetryAfter', () => {
  test('default', () => {
    const now = () => Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:05 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
