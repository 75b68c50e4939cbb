import { afterEach, describe, expect, test, vi } from 'vitest'
import { ServerBook } from '../../test/ws/book.js'
import { useLoopbackNetwork } from '../../test/ws/realNetwork.js'
import {
  startTestServer,
  type TestServer,
  waitFor,
} from '../../test/ws/server.js'
import type { BackpackError } from '../errors/backpackError.js'
import { createStreamClient } from '../ws/createStreamClient.js'
import type { StreamClient } from '../ws/types.js'
import { createOrderBook } from './createOrderBook.js'
import type { DepthSnapshot, OrderBook, OrderBookOptions } from './types.js'

useLoopbackNetwork()

const STREAM = 'depth.SOL_USDC'

let server: TestServer | undefined
let stream: StreamClient | undefined
let book: OrderBook | undefined

afterEach(async () => {
  book?.close()
  await stream?.close()
  await server?.close()
  book = undefined
  stream = undefined
  server = undefined
})

/** A server book with 20 levels a side around 100. */
function seededBook(): ServerBook {
  const b = new ServerBook('SOL_USDC')
  const bids: [string, string][] = []
  const asks: [string, string][] = []
  for (let i = 1; i <= 20; i++) {
    bids.push([`${100 - i}.50`, `${i}.0`])
    asks.push([`${100 + i}.25`, `${i}.5`])
  }
  b.update({ bids, asks })
  return b
}

async function setup(
  serverBook: ServerBook,
  options: Partial<OrderBookOptions> = {},
) {
  server = await startTestServer()
  stream = createStreamClient({
    url: server.url,
    reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
    heartbeat: false,
  })
  book = createOrderBook({
    symbol: 'SOL_USDC',
    stream,
    fetchSnapshot: async () => serverBook.snapshot(),
    retryDelayMs: 5,
    ...options,
  })
  await server.waitForSubscribed([STREAM])
  return { server, stream, book }
}

/** Publishes a random-ish change to the server book. */
function tick(s: TestServer, b: ServerBook, n: number) {
  const side = n % 2 === 0 ? 'bids' : 'asks'
  const price = side === 'bids' ? `${90 + (n % 9)}.50` : `${105 + (n % 7)}.25`
  const qty = n % 5 === 0 ? '0' : `${n % 13}.${n % 10}`
  s.publish(STREAM, b.update({ [side]: [[price, qty]] }))
}

function expectInSync(b: OrderBook, serverBook: ServerBook) {
  expect(b.state).toBe('live')
  expect(b.lastUpdateId).toBe(serverBook.lastUpdateId)
  expect(b.bids()).toEqual(serverBook.sorted('bids'))
  expect(b.asks()).toEqual(serverBook.sorted('asks'))
}

describe('createOrderBook', () => {
  test('default: buffers, snapshots, goes live, follows deltas', async () => {
    const sb = seededBook()
    const { server, book } = await setup(sb)
    expect(book.state).toBe('syncing')
    for (let i = 0; i < 5; i++) tick(server, sb, i)
    await book.ready()
    for (let i = 5; i < 50; i++) tick(server, sb, i)
    await waitFor(() => book.lastUpdateId === sb.lastUpdateId)
    expectInSync(book, sb)
    expect(book.bestBid()).toEqual(sb.sorted('bids')[0])
    expect(book.bestAsk()).toEqual(sb.sorted('asks')[0])
    expect(book.stats.snapshots).toBe(1)
  })

  test('behavior: accepts a first event that straddles the snapshot', async () => {
    const sb = seededBook()
    let snapshot: DepthSnapshot | undefined
    const { server, book } = await setup(sb, {
      fetchSnapshot: async () => snapshot!,
    })
    // One aggregated event covering ids S-1 .. S+2 (U <= S < u).
    sb.update({ bids: [['95.50', '7']] })
    snapshot = sb.snapshot()
    server.publish(STREAM, {
      ...sb.update({ asks: [['101.25', '9']] }, 2),
      U: sb.lastUpdateId - 3,
      b: [['95.50', '7']],
    })
    await book.ready()
    expectInSync(book, sb)
  })

  test('behavior: a snapshot newer than the buffer; the next event may straddle it', async () => {
    const sb = seededBook()
    const { server, book } = await setup(sb)
    const reasons: string[] = []
    book.on('resync', (r) => reasons.push(r))
    // Two updates the stream has not delivered yet are already in the snapshot.
    const first = sb.update({ bids: [['95.50', '1']] })
    server.publish(STREAM, sb.update({ bids: [['95.50', '2']] }, 1))
    sb.update({ asks: [['101.25', '3']] })
    await waitFor(() => book.state === 'live')
    void first
    // An aggregated event covering S and S+1 arrives after the snapshot.
    server.publish(STREAM, {
      ...sb.update({ asks: [['101.25', '4']] }),
      U: sb.lastUpdateId - 1,
      a: [['101.25', '4']],
    })
    await waitFor(() => book.lastUpdateId === sb.lastUpdateId)
    expectInSync(book, sb)
    expect(reasons).toEqual([])
  })

  test('behavior: a snapshot older than the buffer is fetched again', async () => {
    const sb = seededBook()
    const old = sb.snapshot()
    sb.update({ bids: [['1', '1']] }) // never published: the stream starts later
    let calls = 0
    const { server, book } = await setup(sb, {
      fetchSnapshot: async () => (++calls === 1 ? old : sb.snapshot()),
    })
    tick(server, sb, 1)
    await book.ready()
    expect(calls).toBe(2)
    expectInSync(book, sb)
  })

  test('behavior: a skipped sequence id triggers a resync that heals the book', async () => {
    const sb = seededBook()
    const { server, book } = await setup(sb)
    const reasons: string[] = []
    book.on('resync', (r) => reasons.push(r))
    tick(server, sb, 0)
    await book.ready()
    sb.update({ asks: [['101.25', '0']] }) // the server "loses" this event
    for (let i = 1; i < 10; i++) tick(server, sb, i)
    await waitFor(() => reasons.length === 1)
    expect(reasons[0]).toMatch(
      /^sequence gap( after the snapshot)?: expected U<?=\d+, got U=\d+$/,
    )
    await waitFor(
      () => book.state === 'live' && book.lastUpdateId === sb.lastUpdateId,
    )
    expectInSync(book, sb)
    expect(book.bestAsk()?.[0]).not.toBe('101.25')
    expect(book.stats.snapshots).toBe(2)
  })

  test('behavior: resyncs after a reconnect', async () => {
    const sb = seededBook()
    const { server, book } = await setup(sb)
    tick(server, sb, 0)
    await book.ready()
    server.dropAll()
    await waitFor(() => book.state === 'syncing')
    // Changes while the client is away are never seen as events.
    sb.update({
      bids: [
        ['99.50', '0'],
        ['99.75', '4'],
      ],
    })
    await server.waitForSubscribed([STREAM], 1)
    tick(server, sb, 1)
    await book.ready()
    expectInSync(book, sb)
    expect(book.bestBid()).toEqual(['99.75', '4'])
  })

  test('behavior: a burst of 2000 events ends equal to the server book', async () => {
    const sb = seededBook()
    const { server, book } = await setup(sb)
    tick(server, sb, 0)
    await book.ready()
    for (let i = 1; i <= 2000; i++) tick(server, sb, i)
    await waitFor(() => book.lastUpdateId === sb.lastUpdateId)
    expectInSync(book, sb)
    expect(book.stats.resyncs).toBe(0)
  })

  test('behavior: a malformed level resyncs instead of corrupting the book', async () => {
    const sb = seededBook()
    const errors: BackpackError[] = []
    const { server, book } = await setup(sb, { onError: (e) => errors.push(e) })
    tick(server, sb, 0)
    await book.ready()
    const bad = sb.update({})
    server.publish(STREAM, { ...bad, b: [['1e3', '1']] })
    tick(server, sb, 1)
    await waitFor(() => book.stats.resyncs === 1 && book.state === 'live')
    expect(errors[0]?.shortMessage).toBe(
      'Malformed depth level for SOL_USDC; resyncing.',
    )
    expectInSync(book, sb)
  })

  test('behavior: closing the stream client closes the book', async () => {
    const sb = seededBook()
    const { server, stream, book } = await setup(sb)
    tick(server, sb, 0)
    await book.ready()
    await stream.close()
    expect(book.state).toBe('closed')
    await expect(book.ready()).rejects.toThrow('Order book SOL_USDC is closed.')
  })

  test('error: a failing snapshot is reported and retried', async () => {
    const sb = seededBook()
    const errors: BackpackError[] = []
    let calls = 0
    const { server, book } = await setup(sb, {
      onError: (e) => errors.push(e),
      fetchSnapshot: async () => {
        if (++calls === 1) throw new Error('HTTP down')
        return sb.snapshot()
      },
    })
    tick(server, sb, 0)
    await book.ready()
    expect(errors).toHaveLength(1)
    expect(errors[0]?.shortMessage).toBe(
      'Depth snapshot for SOL_USDC failed; retrying in 5 ms.',
    )
    expectInSync(book, sb)
  })

  test('args: needs a snapshot source and a symbol', () => {
    const fake = {
      subscribe: vi.fn(),
      on: vi.fn(),
      off: vi.fn(),
      state: 'open' as const,
    }
    expect(() =>
      createOrderBook({ symbol: 'SOL_USDC', stream: fake }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: createOrderBook needs a snapshot source: pass fetchSnapshot or a client with getDepth.]`,
    )
    expect(() =>
      createOrderBook({
        symbol: '',
        stream: fake,
        fetchSnapshot: async () => ({ bids: [], asks: [], lastUpdateId: '1' }),
      }),
    ).toThrow('symbol must be a market symbol')
    expect(fake.subscribe).not.toHaveBeenCalled()
  })

  test('args: client.getDepth is the default snapshot source, depthStream picks the stream', async () => {
    const sb = seededBook()
    server = await startTestServer()
    stream = createStreamClient({ url: server.url, heartbeat: false })
    const getDepth = vi.fn(async () => sb.snapshot())
    book = createOrderBook({
      symbol: 'SOL_USDC',
      stream,
      client: { getDepth },
      depthStream: 'depth.200ms',
      snapshotLimit: 500,
    })
    await server.waitForSubscribed(['depth.200ms.SOL_USDC'])
    server.publish('depth.200ms.SOL_USDC', sb.update({ bids: [['1', '1']] }))
    await book.ready()
    expect(getDepth).toHaveBeenCalledWith({ symbol: 'SOL_USDC', limit: 500 })
    expect(book.bids().at(-1)).toEqual(['1', '1'])
  })
})

describe('OrderBook.estimateFill', () => {
  test('behavior: walks the book with exact decimals', async () => {
    const sb = new ServerBook('SOL_USDC')
    sb.update({
      asks: [
        ['100.1', '0.3'],
        ['100.2', '0.5'],
      ],
      bids: [
        ['99.9', '1'],
        ['99.8', '2'],
      ],
    })
    const { server, book } = await setup(sb)
    server.publish(STREAM, sb.update({}))
    await book.ready()
    expect(book.spread()).toBe('0.2')
    expect(book.estimateFill('buy', '0.4')).toEqual({
      requestedQuantity: '0.4',
      filledQuantity: '0.4',
      cost: '40.05', // 0.3 * 100.1 + 0.1 * 100.2, no float error
      averagePrice: '100.125',
      worstPrice: '100.2',
      levels: 2,
      complete: true,
    })
    expect(book.estimateFill('buy', '1')).toMatchObject({
      filledQuantity: '0.8',
      complete: false,
    })
    expect(book.estimateFill('sell', '1.5')).toMatchObject({
      cost: '149.8',
      worstPrice: '99.8',
      // 149.8 / 1.5 = 99.8666…, rounded down for a sell
      averagePrice: '99.866666666666',
    })
    expect(() => book.estimateFill('buy', '0')).toThrow(
      'quantity must be a positive decimal string',
    )
  })
})
