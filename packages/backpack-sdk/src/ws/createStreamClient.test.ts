import { afterEach, describe, expect, test, vi } from 'vitest'
import { BOOK_TICKER, ORDER_ACCEPTED } from '../../test/ws/fixtures.js'
import { useLoopbackNetwork } from '../../test/ws/realNetwork.js'
import {
  type ReceivedFrame,
  startTestServer,
  type TestServer,
  waitFor,
} from '../../test/ws/server.js'
import { WebSocketError } from '../errors/webSocketError.js'
import { buildSigningPayload, verifySignature } from '../signing/index.js'
import type { BookTickerEvent, OrderUpdateEvent } from '../types/ws.js'
import { createStreamClient } from './createStreamClient.js'
import type {
  StreamClient,
  StreamClientOptions,
  StreamGap,
  StreamState,
} from './types.js'

useLoopbackNetwork()

/** The demo key pair of Backpack's Python guide (reference §2.7). */
const SECRET = 'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams='
const PUBLIC = '5+yQgwU0ZdJ/9s+GXfuPFfo7yQQpl9CgvQedJXne30o='

const bookTicker = JSON.parse(BOOK_TICKER) as Record<string, unknown>
const ticker = (bid: string) => ({ ...bookTicker, b: bid })

let server: TestServer | undefined
let client: StreamClient | undefined

afterEach(async () => {
  await client?.close()
  await server?.close()
  client = undefined
  server = undefined
})

/** Fast timings so every reconnect in these tests takes milliseconds. */
async function setup(
  options: Partial<StreamClientOptions> = {},
  serverOptions: Parameters<typeof startTestServer>[0] = {},
) {
  server = await startTestServer(serverOptions)
  client = createStreamClient({
    url: server.url,
    reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
    heartbeat: { intervalMs: 30, timeoutMs: 30 },
    ...options,
  })
  return { server, client }
}

const subscribeFrames = (s: TestServer) =>
  s.frames.filter((f) => f.method === 'SUBSCRIBE')

describe('createStreamClient', () => {
  test('default: connects, subscribes, delivers parsed events', async () => {
    const { server, client } = await setup()
    const got: BookTickerEvent[] = []
    client.subscribe('bookTicker.SOL_USDC', (e) => got.push(e))
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    expect(client.state).toBe('open')
    server.publish('bookTicker.SOL_USDC', bookTicker)
    await waitFor(() => got.length === 1)
    expect(got[0]).toMatchObject({
      eventType: 'bookTicker',
      symbol: 'SOL_USDC',
      bestBidPrice: '18.67',
      eventTimeUs: 1694687692980000,
    })
    expect(subscribeFrames(server)[0]).toMatchObject({
      method: 'SUBSCRIBE',
      params: ['bookTicker.SOL_USDC'],
    })
    expect(subscribeFrames(server)[0]?.signature).toBeUndefined()
  })

  test('behavior: same-tick subscriptions share one frame; ref-counted unsubscribe', async () => {
    const { server, client } = await setup()
    await client.ready()
    const a = client.subscribe('trade.SOL_USDC', () => {})
    const b = client.subscribe('trade.SOL_USDC', () => {})
    const c = client.subscribe('depth.SOL_USDC', () => {})
    await server.waitForSubscribed(['trade.SOL_USDC', 'depth.SOL_USDC'])
    expect(subscribeFrames(server)).toHaveLength(1)
    expect(subscribeFrames(server)[0]?.params).toEqual([
      'trade.SOL_USDC',
      'depth.SOL_USDC',
    ])
    a.unsubscribe()
    await new Promise((r) => setTimeout(r, 20))
    expect(server.frames.some((f) => f.method === 'UNSUBSCRIBE')).toBe(false)
    b.unsubscribe()
    c.unsubscribe()
    await waitFor(() => server.frames.some((f) => f.method === 'UNSUBSCRIBE'))
    const unsub = server.frames.filter((f) => f.method === 'UNSUBSCRIBE')
    expect(unsub).toHaveLength(1)
    expect(unsub[0]?.params.sort()).toEqual([
      'depth.SOL_USDC',
      'trade.SOL_USDC',
    ])
    expect(client.streams).toEqual([])
  })

  test('behavior: unsubscribe + resubscribe in one tick sends nothing', async () => {
    const { server, client } = await setup()
    const a = client.subscribe('ticker.SOL_USDC', () => {})
    await server.waitForSubscribed(['ticker.SOL_USDC'])
    a.unsubscribe()
    client.subscribe('ticker.SOL_USDC', () => {})
    await new Promise((r) => setTimeout(r, 20))
    expect(server.frames).toHaveLength(1)
  })

  test('behavior: dropped connection -> reconnect, same subscriptions, gap event', async () => {
    let clock = 1_000
    const { server, client } = await setup({ now: () => clock++ })
    const states: StreamState[] = []
    const gaps: StreamGap[] = []
    client.on('state', (s) => states.push(s))
    client.on('gap', (g) => gaps.push(g))
    const got: BookTickerEvent[] = []
    client.subscribe('bookTicker.SOL_USDC', (e) => got.push(e))
    client.subscribe('trade.SOL_USDC', () => {})
    await server.waitForSubscribed(['bookTicker.SOL_USDC', 'trade.SOL_USDC'])

    server.dropAll()
    await server.waitForSubscribed(['bookTicker.SOL_USDC', 'trade.SOL_USDC'], 1)
    await waitFor(() => gaps.length === 1)

    expect(states).toEqual(['open', 'reconnecting', 'open'])
    expect(gaps[0]?.startedAtMs).toBeLessThan(gaps[0]!.endedAtMs)
    expect(gaps[0]?.streams.sort()).toEqual([
      'bookTicker.SOL_USDC',
      'trade.SOL_USDC',
    ])
    expect(gaps[0]?.reason).toMatch(/^close/)
    expect(client.stats.reconnects).toBe(1)
    const second = subscribeFrames(server).filter((f) => f.connection === 1)
    expect(second).toHaveLength(1)
    expect(second[0]?.params.sort()).toEqual([
      'bookTicker.SOL_USDC',
      'trade.SOL_USDC',
    ])
    server.publish('bookTicker.SOL_USDC', ticker('19.00'))
    await waitFor(() => got.length === 1)
    expect(got[0]?.bestBidPrice).toBe('19.00')
  })

  test('behavior: a peer that stops answering pings is replaced', async () => {
    const { server, client } = await setup()
    const gaps: StreamGap[] = []
    client.on('gap', (g) => gaps.push(g))
    client.subscribe('bookTicker.SOL_USDC', () => {})
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    server.setResponsive(false)
    await waitFor(() => client.stats.heartbeatTimeouts >= 1)
    expect(client.state).not.toBe('open')
    server.setResponsive(true)
    await waitFor(() => gaps.length >= 1)
    expect(gaps[0]?.reason).toBe('heartbeat timeout')
    // The same subscription is back on a new connection.
    await server.waitForSubscribed(['bookTicker.SOL_USDC'], 1)
    expect(server.connections[0]?.pingsReceived).toBeGreaterThan(0)
  })

  test('behavior: garbage frames are counted and skipped, never thrown', async () => {
    const { server, client } = await setup()
    const got: BookTickerEvent[] = []
    const malformed: string[] = []
    client.on('malformed', (m) => malformed.push(m.reason))
    client.subscribe('bookTicker.SOL_USDC', (e) => got.push(e))
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    server.sendRaw('not json{')
    server.sendRaw('42')
    server.sendRaw(JSON.stringify({ hello: 1 }))
    server.sendRaw(
      JSON.stringify({ stream: 'bookTicker.SOL_USDC', data: { e: 'x' } }),
    )
    server.publish('bookTicker.SOL_USDC', bookTicker)
    await waitFor(() => got.length === 1)
    expect(client.stats.malformedFrames).toBe(4)
    expect(malformed).toEqual([
      'invalid JSON',
      'not a JSON object',
      'no "stream" key',
      'key "E" must be an integer (number or string) below 2^53',
    ])
    expect(client.state).toBe('open')
  })

  test('behavior: a throwing listener goes to its onError, others still get data', async () => {
    const { server, client } = await setup()
    const errors: WebSocketError[] = []
    const got: unknown[] = []
    client.subscribe(
      'bookTicker.SOL_USDC',
      () => {
        throw new Error('boom')
      },
      { onError: (e) => errors.push(e) },
    )
    client.subscribe('bookTicker.SOL_USDC', (e) => got.push(e))
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    server.publish('bookTicker.SOL_USDC', bookTicker)
    await waitFor(() => got.length === 1)
    expect(errors[0]).toBeInstanceOf(WebSocketError)
    expect(errors[0]?.cause).toBeInstanceOf(Error)
  })

  test('behavior: private streams are signed, re-signed after a reconnect', async () => {
    let clock = 1_700_000_000_000
    const { server, client } = await setup({
      secretKey: SECRET,
      now: () => clock,
    })
    const got: OrderUpdateEvent[] = []
    client.subscribe('account.orderUpdate', (e) => got.push(e))
    client.subscribe('bookTicker.SOL_USDC', () => {})
    await server.waitForSubscribed([
      'account.orderUpdate',
      'bookTicker.SOL_USDC',
    ])
    server.publish('account.orderUpdate', JSON.parse(ORDER_ACCEPTED))
    await waitFor(() => got.length === 1)
    expect(got[0]?.orderId).toBe('114575842681290753')

    clock += 60_000
    server.dropAll()
    await server.waitForSubscribed(['account.orderUpdate'], 1)

    const signed = subscribeFrames(server).filter((f) => f.signature)
    expect(signed).toHaveLength(2)
    // Public and private streams never share a frame.
    for (const f of signed) expect(f.params).toEqual(['account.orderUpdate'])
    const verify = (f: ReceivedFrame) => {
      const [publicKey, signature, timestamp, window] = f.signature!
      expect(publicKey).toBe(PUBLIC)
      expect(window).toBe('5000')
      return {
        timestamp: Number(timestamp),
        valid: verifySignature({
          publicKey: publicKey!,
          signature: signature!,
          payload: buildSigningPayload({
            instruction: 'subscribe',
            timestamp: Number(timestamp),
            windowMs: Number(window),
          }),
        }),
      }
    }
    expect(verify(signed[0]!)).toEqual({
      timestamp: 1_700_000_000_000,
      valid: true,
    })
    expect(verify(signed[1]!)).toEqual({
      timestamp: 1_700_000_060_000,
      valid: true,
    })
  })

  test('behavior: a private unsubscribe is signed too', async () => {
    const { server, client } = await setup({ secretKey: SECRET })
    const sub = client.subscribe('account.positionUpdate', () => {})
    await server.waitForSubscribed(['account.positionUpdate'])
    sub.unsubscribe()
    await waitFor(() => server.frames.find((f) => f.method === 'UNSUBSCRIBE'))
    const unsub = server.frames.find((f) => f.method === 'UNSUBSCRIBE')
    expect(unsub?.signature).toHaveLength(4)
  })

  test('error: an error frame reaches the right subscription only', async () => {
    const { server, client } = await setup(
      {},
      {
        rejectSubscribe: (f) =>
          f.params.includes('bookTicker.NOPE_USDC')
            ? { code: 4006, message: 'Invalid stream' }
            : undefined,
      },
    )
    const good: unknown[] = []
    const goodErrors: unknown[] = []
    client.subscribe('bookTicker.SOL_USDC', (e) => good.push(e), {
      onError: (e) => goodErrors.push(e),
    })
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    const errors: WebSocketError[] = []
    const bad = client.subscribe('bookTicker.NOPE_USDC', () => {}, {
      onError: (e) => errors.push(e),
    })
    await waitFor(() => errors.length === 1)
    expect(errors[0]?.stream).toBe('bookTicker.NOPE_USDC')
    expect(errors[0]?.shortMessage).toMatchInlineSnapshot(
      `"The server rejected the subscription to bookTicker.NOPE_USDC: 4006 Invalid stream"`,
    )
    expect(bad.active).toBe(false)
    server.publish('bookTicker.SOL_USDC', bookTicker)
    await waitFor(() => good.length === 1)
    expect(goodErrors).toEqual([])
    expect(client.stats.errorFrames).toBe(1)
  })

  test('error: an error frame with id null goes to the only recent frame', async () => {
    const { server, client } = await setup(
      {},
      {
        rejectSubscribe: () => ({
          code: 4006,
          message: 'Invalid stream',
          echoId: false,
        }),
      },
    )
    await client.ready()
    const errors: WebSocketError[] = []
    client.subscribe('trade.NOPE', () => {}, { onError: (e) => errors.push(e) })
    await waitFor(() => errors.length === 1)
    expect(errors[0]?.stream).toBe('trade.NOPE')
    expect(server.frames).toHaveLength(1)
  })

  test('behavior: an error frame nobody owns goes to streamError, not "error"', async () => {
    const { server, client } = await setup()
    await client.ready()
    const errors: WebSocketError[] = []
    client.on('streamError', (e) => errors.push(e))
    server.sendRaw(
      JSON.stringify({ id: null, error: { code: 1, message: 'Whatever' } }),
    )
    await waitFor(() => errors.length === 1)
    expect(errors[0]?.shortMessage).toBe(
      'The server sent an error frame: 1 Whatever',
    )
  })

  test('behavior: the message event sees every parsed event', async () => {
    const { server, client } = await setup()
    const seen: string[] = []
    client.on('message', (m) => seen.push(m.stream))
    client.subscribe('bookTicker.SOL_USDC', () => {})
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    server.publish('bookTicker.SOL_USDC', bookTicker)
    // Data for a stream nobody subscribed is counted, not delivered.
    server.sendRaw(JSON.stringify({ stream: 'trade.X', data: {} }))
    await waitFor(() => client.stats.unroutedFrames === 1)
    expect(seen).toEqual(['bookTicker.SOL_USDC'])
  })

  test('behavior: signal aborts a subscription', async () => {
    const { server, client } = await setup()
    const controller = new AbortController()
    const sub = client.subscribe('trade.SOL_USDC', () => {}, {
      signal: controller.signal,
    })
    await server.waitForSubscribed(['trade.SOL_USDC'])
    controller.abort()
    expect(sub.active).toBe(false)
    await waitFor(() => server.current()?.subscriptions.size === 0)
  })

  test('args: validation', async () => {
    const { client } = await setup()
    expect(() =>
      client.subscribe('bad name', () => {}),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: stream must be a stream name such as "bookTicker.SOL_USDC", got "bad name".]`,
    )
    expect(() =>
      client.subscribe('account.orderUpdate', () => {}),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: account.orderUpdate is a private stream; pass secretKey (or signer) to createStreamClient.]`,
    )
    expect(() =>
      createStreamClient({ url: 'http://x', reconnect: false }),
    ).toThrow('url must start with ws:// or wss://')
    expect(() => createStreamClient({ windowMs: 60_001 })).toThrow(
      'windowMs must be an integer from 1 to 60000',
    )
    expect(() =>
      createStreamClient({
        secretKey: SECRET,
        apiKey: 'zDIJj9qneWIY0IYZ5aXoHcNMCm+XDhVcTssiT0HyY0A=',
      }),
    ).toThrow('apiKey does not match')
  })
})

describe('StreamClient.bookTicker', () => {
  test('default: for await, break unsubscribes', async () => {
    const { server, client } = await setup()
    const it = client.bookTicker('SOL_USDC')
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    server.publish('bookTicker.SOL_USDC', ticker('1'))
    server.publish('bookTicker.SOL_USDC', ticker('2'))
    const seen: string[] = []
    for await (const t of it) {
      seen.push(t.bestBidPrice)
      if (seen.length === 2) break
    }
    expect(seen).toEqual(['1', '2'])
    expect(it.closed).toBe(true)
    await waitFor(() => server.frames.some((f) => f.method === 'UNSUBSCRIBE'))
  })

  test('args: each iterator method subscribes to its stream name', async () => {
    const { server, client } = await setup({ secretKey: SECRET })
    client.depth('SOL_USDC')
    client.depth('SOL_USDC', { kind: 'depth.200ms' })
    client.trade('SOL_USDC')
    client.ticker('SOL_USDC')
    client.kline('SOL_USDC', '1m')
    client.markPrice('SOL_USDC_PERP')
    client.openInterest('SOL_USDC_PERP')
    client.liquidation()
    client.liquidation('SOL_USDC_PERP')
    client.orderUpdates('SOL_USDC')
    client.positionUpdates()
    client.rfqUpdates()
    const expected = [
      'depth.SOL_USDC',
      'depth.200ms.SOL_USDC',
      'trade.SOL_USDC',
      'ticker.SOL_USDC',
      'kline.1m.SOL_USDC',
      'markPrice.SOL_USDC_PERP',
      'openInterest.SOL_USDC_PERP',
      'liquidation',
      'liquidation.SOL_USDC_PERP',
      'account.orderUpdate.SOL_USDC',
      'account.positionUpdate',
      'account.rfqUpdate',
    ]
    await server.waitForSubscribed(expected)
    // One public frame and one signed private frame.
    expect(server.frames.map((f) => f.params.length)).toEqual([9, 3])
    expect(client.streams).toEqual(expected)
  })

  test('behavior: bounded buffer drops the oldest', async () => {
    const { server, client } = await setup()
    const it = client.bookTicker('SOL_USDC', { bufferSize: 2 })
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    for (const bid of ['1', '2', '3', '4', '5']) {
      server.publish('bookTicker.SOL_USDC', ticker(bid))
    }
    await waitFor(() => client.stats.messagesDelivered === 5)
    expect(it.dropped).toBe(3)
    expect((await it.next()).value?.bestBidPrice).toBe('4')
    expect((await it.next()).value?.bestBidPrice).toBe('5')
    it.unsubscribe()
    expect((await it.next()).done).toBe(true)
  })

  test('error: account streams end with an error on overflow', async () => {
    const { server, client } = await setup({ secretKey: SECRET })
    const it = client.orderUpdates(undefined, { bufferSize: 1 })
    await server.waitForSubscribed(['account.orderUpdate'])
    server.publish('account.orderUpdate', JSON.parse(ORDER_ACCEPTED))
    server.publish('account.orderUpdate', JSON.parse(ORDER_ACCEPTED))
    await waitFor(() => client.stats.messagesDelivered === 2)
    expect((await it.next()).value?.status).toBe('New')
    await expect(it.next()).rejects.toThrow(
      'buffer of account.orderUpdate overflowed',
    )
    expect((await it.next()).done).toBe(true)
  })

  test('behavior: close() ends pending iterations', async () => {
    const { server, client } = await setup()
    const it = client.bookTicker('SOL_USDC')
    await server.waitForSubscribed(['bookTicker.SOL_USDC'])
    const pending = it.next()
    await client.close()
    expect(await pending).toEqual({ value: undefined, done: true })
    expect(client.state).toBe('closed')
    expect(() => client.bookTicker('SOL_USDC')).toThrow(WebSocketError)
  })

  test('behavior: an error frame rejects the iteration', async () => {
    const { server, client } = await setup(
      {},
      { rejectSubscribe: () => ({ code: 4006, message: 'Invalid stream' }) },
    )
    const it = client.trade('NOPE')
    const onError = vi.fn()
    const it2 = client.ticker('NOPE', { onError })
    await expect(it.next()).rejects.toThrow('Invalid stream')
    await expect(it2.next()).rejects.toThrow('Invalid stream')
    expect(onError).toHaveBeenCalledOnce()
    expect(server.frames).toHaveLength(1)
  })
})

/** An in-memory socket for the timer-driven tests (fake timers, no I/O). */
class FakeSocket {
  static instances: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  listeners = new Map<string, ((e: never) => void)[]>()
  constructor(readonly url: string) {
    FakeSocket.instances.push(this)
  }
  addEventListener(type: string, fn: (e: never) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn])
  }
  emit(type: string, event: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn(event as never)
  }
  open() {
    this.readyState = 1
    this.emit('open', {})
  }
  send(text: string) {
    this.sent.push(text)
  }
  close(code = 1000, reason = '') {
    this.readyState = 3
    this.emit('close', { code, reason })
  }
}

describe('createStreamClient (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers()
    FakeSocket.instances = []
  })

  test('behavior: exponential backoff, passive watchdog, close leaves no timers', async () => {
    vi.useFakeTimers()
    const c = createStreamClient({
      url: 'ws://fake',
      WebSocket: FakeSocket,
      random: () => 0,
      reconnect: { initialDelayMs: 100, maxDelayMs: 350, jitter: 0.5 },
      heartbeat: { passiveTimeoutMs: 1000 },
      connectTimeoutMs: 5000,
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(FakeSocket.instances).toHaveLength(1)
    // Three failed attempts: delays 100, 200, 350 (capped), no jitter at random 0.
    const delays: number[] = []
    for (let i = 0; i < 3; i++) {
      FakeSocket.instances.at(-1)!.close(1006)
      const before = FakeSocket.instances.length
      let waited = 0
      while (FakeSocket.instances.length === before) {
        await vi.advanceTimersByTimeAsync(10)
        waited += 10
      }
      delays.push(waited)
    }
    expect(delays).toEqual([100, 200, 350])
    // Open, then silence: no ping possible, so the passive watchdog fires.
    const s = FakeSocket.instances.at(-1)!
    const gaps: string[] = []
    c.on('gap', (g) => gaps.push(g.reason))
    s.open()
    expect(c.state).toBe('open')
    await vi.advanceTimersByTimeAsync(1000)
    expect(c.stats.heartbeatTimeouts).toBe(1)
    expect(c.state).toBe('reconnecting')
    // Without terminate() (browsers) the socket is closed with 4000.
    expect(s.readyState).toBe(3)
    await vi.advanceTimersByTimeAsync(400)
    FakeSocket.instances.at(-1)!.open()
    expect(gaps).toEqual(['heartbeat timeout'])
    await c.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('behavior: a connection that never opens is abandoned and retried', async () => {
    vi.useFakeTimers()
    const c = createStreamClient({
      url: 'ws://fake',
      WebSocket: FakeSocket,
      connectTimeoutMs: 1000,
      reconnect: { initialDelayMs: 10, jitter: 0 },
    })
    const controller = new AbortController()
    const ready = c.ready({ signal: controller.signal })
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeSocket.instances).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(11)
    expect(FakeSocket.instances).toHaveLength(2)
    expect(c.state).toBe('connecting')
    controller.abort()
    await expect(ready).rejects.toThrow(
      'Waiting for the connection was aborted.',
    )
    FakeSocket.instances[1]!.open()
    expect(c.state).toBe('open')
    await c.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('error: gives up after maxAttempts and tells every subscriber', async () => {
    vi.useFakeTimers()
    const c = createStreamClient({
      url: 'ws://fake',
      WebSocket: FakeSocket,
      reconnect: { initialDelayMs: 10, maxAttempts: 2 },
    })
    const errors: WebSocketError[] = []
    c.subscribe('trade.SOL_USDC', () => {}, { onError: (e) => errors.push(e) })
    await vi.advanceTimersByTimeAsync(0)
    for (let i = 0; i < 3; i++) {
      FakeSocket.instances.at(-1)?.close(1006)
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(c.state).toBe('closed')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.shortMessage).toBe(
      'WebSocket connection lost (close 1006); gave up after 2 reconnect attempts.',
    )
    expect(vi.getTimerCount()).toBe(0)
  })
})
