/**
 * The mirror feed against a second simulator on loopback standing in for the
 * real exchange: two participants there make the "real" trades at prices the
 * test picks.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { caller } from '../../test/signed.js'
import { type Sim, type SimOptions, startSim } from '../index.js'

const sims: Sim[] = []
afterEach(async () => {
  for (const s of sims.splice(0).reverse()) await s.close()
})

async function waitFor<T>(
  check: () => T,
  what: string,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + 8000
  for (;;) {
    const v = check()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The "real" exchange (manual feed at 60000) and a mirror of it. */
async function setup(
  feed: Partial<Extract<SimOptions['feed'], { mode: 'mirror' }>> = {},
) {
  const requests: string[] = []
  const upstream = await startSim({
    feed: { mode: 'manual' },
    logger: { debug: (m) => requests.push(m) },
  })
  sims.push(upstream)
  upstream.setPrice('BTC_USDC', '60000')
  const local = await startSim({
    feed: {
      mode: 'mirror',
      baseUrl: upstream.url,
      wsUrl: upstream.wsUrl,
      symbol: 'BTC_USDC',
      reconnectDelayMs: 300,
      ...feed,
    },
    balances: { USDC: '10000' },
  })
  sims.push(local)
  await waitFor(
    () => local.marketData()?.state === 'live',
    'the mirror to go live',
  )
  const maker = caller(upstream.url)
  const seller = caller(upstream.url)
  const paper = caller(local.url)
  const order = (
    c: typeof maker,
    side: 'Bid' | 'Ask',
    price: string | undefined,
    quantity: string,
  ) =>
    c.call('POST', '/api/v1/order', {
      symbol: 'BTC_USDC',
      side,
      orderType: price === undefined ? 'Market' : 'Limit',
      ...(price === undefined ? {} : { price }),
      quantity,
    })
  const filled = async (id: string) => {
    const r = await paper.call<{ executedQuantity: string; status: string }>(
      'GET',
      '/api/v1/order',
      { symbol: 'BTC_USDC', orderId: id },
    )
    return r.status === 200 ? Number(r.body.executedQuantity) : -1 // gone from the open orders
  }
  return { upstream, local, requests, maker, seller, paper, order, filled }
}

describe('Mirror', { timeout: 20_000 }, () => {
  test("behavior: `symbols` mirrors several markets on ONE upstream connection; a real trade on one fills that market's paper order only", async () => {
    const s = await setup({
      symbol: undefined,
      symbols: ['BTC_USDC', 'ETH_USDC'],
    })
    s.upstream.setPrice('ETH_USDC', '3000')
    await waitFor(
      () =>
        s.local.marketData('BTC_USDC')?.state === 'live' &&
        s.local.marketData('ETH_USDC')?.state === 'live',
      'both markets live',
    )
    const listed = await s.paper.call<Array<{ symbol: string }>>(
      'GET',
      '/api/v1/markets',
    )
    expect(listed.body.map((m) => m.symbol)).toEqual(['BTC_USDC', 'ETH_USDC'])
    expect(s.upstream.connections()).toBe(1)
    expect(s.local.marketData()?.symbol).toBe('BTC_USDC')
    expect(s.local.marketData('SOL_USDC')).toBeUndefined()
    // ETH's levels follow the upstream's ETH book.
    await waitFor(
      () =>
        s.local.book('ETH_USDC').bids[0]?.[0] ===
        s.upstream.book('ETH_USDC').bids[0]?.[0],
      "ETH's bids",
    )
    const best = s.upstream.book('ETH_USDC').bids[0]?.[0] as string
    const bid = await s.paper.call<{ id: string }>('POST', '/api/v1/order', {
      symbol: 'ETH_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: best,
      quantity: '0.1',
    })
    expect(bid.status).toBe(200)
    // A real ETH sale at market prints at the best bid: the paper bid fills.
    await s.seller.call('POST', '/api/v1/order', {
      symbol: 'ETH_USDC',
      side: 'Ask',
      orderType: 'Market',
      quantity: '0.01',
    })
    await waitFor(
      () => (s.local.marketData('ETH_USDC')?.paperFills ?? 0) >= 1,
      'the ETH paper fill',
    )
    expect(s.local.marketData('BTC_USDC')?.paperFills).toBe(0)
    expect(s.local.marketData('ETH_USDC')?.trades).toBe(1)
  })

  test('behavior: the local book shows the upstream best levels', async () => {
    const { upstream, local } = await setup()
    const real = upstream.book('BTC_USDC')
    await waitFor(
      () => local.book('BTC_USDC').bids[0]?.[0] === real.bids[0]?.[0],
      'the bids',
    )
    const mirrored = local.book('BTC_USDC')
    expect(mirrored.bids.slice(0, 5)).toEqual(real.bids.slice(0, 5))
    expect(mirrored.asks.slice(0, 5)).toEqual(real.asks.slice(0, 5))
    expect(local.marketData()).toMatchObject({
      state: 'live',
      upstream: upstream.url,
      fillModel: 'trade',
    })
  })

  test('behavior: a paper bid fills at its price when a real trade prints at or through it, not before; nothing private goes upstream', async () => {
    const s = await setup()
    // Paper bids below the real best bid (59988): one at 59900, one at 59850.
    const a = await s.order(s.paper, 'Bid', '59900', '0.01')
    const b = await s.order(s.paper, 'Bid', '59850', '0.01')
    expect(a.status).toBe(200)
    // A real trade above both: nothing fills.
    await s.order(s.seller, 'Ask', undefined, '0.001')
    await waitFor(
      () => (s.local.marketData()?.trades ?? 0) >= 1,
      'the first trade',
    )
    expect(await s.filled(String(a.body.id))).toBe(0)
    // The real market falls: its best bid is now 59878, below 59900 and above 59850.
    s.upstream.setPrice('BTC_USDC', '59890')
    await waitFor(
      () => s.local.book('BTC_USDC').bids[1]?.[0] === '59878.0',
      'the new levels',
    )
    await s.order(s.seller, 'Ask', undefined, '0.001')
    await waitFor(
      () => (s.local.marketData()?.paperFills ?? 0) >= 1,
      'a paper fill',
    )
    const fills = await s.paper.call<
      Array<{ price: string; quantity: string; side: string }>
    >('GET', '/wapi/v1/history/fills', { symbol: 'BTC_USDC' })
    // Filled in full at its own price (a maker fill), not at the trade's.
    expect(fills.body.map((f) => [f.side, f.price, f.quantity])).toEqual([
      ['Bid', '59900.0', '0.01000'],
    ])
    expect(await s.filled(String(b.body.id))).toBe(0)
    // The upstream saw public requests only: the seller's two orders are the only private ones.
    const ws = s.requests.filter((r) => r.startsWith('ws: '))
    expect(ws).toEqual(['ws: subscribe depth.BTC_USDC, trade.BTC_USDC'])
    const privateRequests = s.requests.filter(
      (r) => !r.startsWith('ws: ') && !/ \/api\/v1\/(markets|depth)/.test(r),
    )
    expect(privateRequests).toEqual([
      'POST /api/v1/order',
      'POST /api/v1/order',
    ])
    expect(s.upstream.accounts()).toEqual([s.seller.publicKey])
    expect(
      Object.keys(s.upstream.subscriptions()).filter((k) =>
        k.startsWith('account.'),
      ),
    ).toEqual([])
  })

  test('args: fillModel "queue" fills only after the volume traded at the price passes the size ahead', async () => {
    const s = await setup({ fillModel: 'queue' })
    const [price, size] = s.upstream.book('BTC_USDC').bids[0] ?? ['', '']
    const ahead = Math.round(Number(size) * 1e5)
    const lots = (n: number) => (n / 1e5).toFixed(5)
    const p = await s.order(s.paper, 'Bid', price, '0.00500')
    // Real sales at the price, short of the size that was ahead: no fill.
    await s.order(s.seller, 'Ask', undefined, lots(ahead - 200))
    await waitFor(() => (s.local.marketData()?.trades ?? 0) >= 1, 'the trade')
    expect(await s.filled(String(p.body.id))).toBe(0)
    // More size joins the level behind; 600 lots more trade at the price: 400 past the size ahead.
    await s.order(s.maker, 'Bid', price, '0.01')
    await s.order(s.seller, 'Ask', undefined, '0.00600')
    await waitFor(
      () => (s.local.marketData()?.paperFills ?? 0) >= 1,
      'a partial fill',
    )
    expect(await s.filled(String(p.body.id))).toBe(0.004)
  })

  test('behavior: a dropped upstream stream makes the data stale, pauses fills, and the mirror resubscribes', async () => {
    const s = await setup()
    // Above the real best bid: the next real sale goes through it.
    const p = await s.order(s.paper, 'Bid', '59990', '0.01')
    s.upstream.dropConnections()
    await waitFor(() => s.local.marketData()?.state === 'stale', 'stale data')
    // A trade while the mirror is away is not seen: no fill from stale data.
    await s.order(s.seller, 'Ask', undefined, '0.001')
    await new Promise((r) => setTimeout(r, 100))
    expect(await s.filled(String(p.body.id))).toBe(0)
    await waitFor(() => s.local.marketData()?.state === 'live', 'live again')
    expect(s.local.marketData()?.paperFills).toBe(0)
    await waitFor(
      () => (s.upstream.subscriptions()['trade.BTC_USDC'] ?? 0) >= 1,
      'the resubscription',
    )
    await s.order(s.seller, 'Ask', undefined, '0.001')
    await waitFor(
      () => (s.local.marketData()?.paperFills ?? 0) >= 1,
      'a fill after the reconnect',
    )
    expect(await s.filled(String(p.body.id))).toBe(-1)
  })

  test('error: an upstream that does not list the symbol is named', async () => {
    const upstream = await startSim({ feed: { mode: 'manual' } })
    sims.push(upstream)
    await expect(
      startSim({
        feed: {
          mode: 'mirror',
          baseUrl: upstream.url,
          wsUrl: upstream.wsUrl,
          symbol: 'DOGE_USDC',
        },
      }),
    ).rejects.toThrow(
      `\`feed.symbol\` DOGE_USDC is not listed at ${upstream.url}`,
    )
    await expect(
      startSim({ feed: { mode: 'mirror', baseUrl: 'ftp://x' } }),
    ).rejects.toThrow('`feed.baseUrl` must be a URL')
  })
})
