import { request } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { createDashboardFeed } from './feed.js'
import { createMarketsSummary } from './markets.js'
import {
  type DashboardServer,
  startDashboardServer,
  tokenMatches,
} from './server.js'

let server: DashboardServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A GET with a chosen Host header (fetch cannot set it). */
const get = (port: number, path: string, host = `127.0.0.1:${port}`) =>
  new Promise<{ status: number; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, headers: { host } },
        (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, headers: res.headers })
          res.destroy()
        },
      )
      req.on('error', reject)
      req.end()
    },
  )

describe('startDashboardServer', () => {
  test('error: a request without the token, with another token or from another Host is refused (403), the live feed too', async () => {
    server = await startDashboardServer({
      feed: createDashboardFeed(undefined),
    })
    const { port, token } = server
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`)
    for (const path of [
      '/',
      '/events',
      '/app.js',
      '/lightweight-charts.js',
      `/?token=${token.slice(0, -1)}`,
      `/events?token=x${token}`,
    ])
      expect((await get(port, path)).status, path).toBe(403)
    // DNS rebinding: the right token from a page of another name.
    expect(
      (await get(port, `/?token=${token}`, `evil.test:${port}`)).status,
    ).toBe(403)
    const ok = await get(port, `/?token=${token}`)
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBeUndefined()
    expect(ok.headers['content-security-policy']).toContain(
      "default-src 'none'",
    )
    const events = await get(port, `/events?token=${token}`)
    expect(events.status).toBe(200)
    expect(events.headers['content-type']).toContain('text/event-stream')
    expect(
      (await get(port, `/lightweight-charts.js?token=${token}`)).status,
    ).toBe(200)
  })

  test('behavior: a page that connects gets the snapshot, then every status', async () => {
    const feed = createDashboardFeed(undefined, () => Date.UTC(2026, 0, 1, 12))
    server = await startDashboardServer({ feed })
    const res = await fetch(
      `http://127.0.0.1:${server.port}/events?token=${server.token}`,
    )
    const reader = res.body?.getReader()
    if (reader === undefined) throw new Error('no body')
    const decoder = new TextDecoder()
    let text = ''
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${needle}`)
        text += decoder.decode(value)
      }
    }
    await until('"type":"snapshot"')
    feed.update({
      symbol: 'BTC_USDC',
      mode: 'paper',
      status: 'laddering',
      price: '60000.1',
      rungsFilled: 0,
      rungsTotal: 1,
      position: '0',
      realisedProfit: '0',
      cycles: 0,
      connection: 'open',
      events: [],
      orders: [{ side: 'buy', rung: 0, price: '59000.5', quantity: '0.001' }],
    })
    await until('"type":"status"')
    expect(text).toContain('"price":"59000.5"')
    expect(text).toContain('"close":"60000.1"')
    await reader.cancel()
  })
})

describe('startDashboardServer with several markets', () => {
  test('behavior: each market has its page and feed, every page gets the bar of every market; an unknown market is 404', async () => {
    const snap = (symbol: string, price: string) => ({
      symbol,
      mode: 'paper',
      status: 'laddering',
      price,
      rungsFilled: 0,
      rungsTotal: 1,
      position: '0',
      realisedProfit: '1.5',
      cycles: 1,
      connection: 'open',
      events: [],
    })
    const btc = createDashboardFeed(undefined)
    const sol = createDashboardFeed(undefined)
    const summary = createMarketsSummary()
    server = await startDashboardServer({
      feed: btc,
      markets: {
        feeds: new Map([
          ['BTC_USDC', btc],
          ['SOL_USDC', sol],
        ]),
        summary,
      },
    })
    const { port, token } = server
    expect((await get(port, `/?token=${token}&market=SOL_USDC`)).status).toBe(
      200,
    )
    expect((await get(port, `/?token=${token}&market=DOGE_USDC`)).status).toBe(
      404,
    )
    const res = await fetch(
      `http://127.0.0.1:${port}/events?token=${token}&market=SOL_USDC`,
    )
    const reader = res.body?.getReader()
    if (reader === undefined) throw new Error('no body')
    const decoder = new TextDecoder()
    let text = ''
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${needle}`)
        text += decoder.decode(value)
      }
    }
    await until('"type":"snapshot"')
    // Another market's status is not this page's; the bar reaches every page.
    btc.update(snap('BTC_USDC', '60000'))
    sol.update(snap('SOL_USDC', '150.25'))
    await until('"type":"status"')
    expect(text).toContain('"symbol":"SOL_USDC"')
    expect(text).not.toContain('"symbol":"BTC_USDC"')
    summary.update({
      ...snap('BTC_USDC, SOL_USDC', '-'),
      pid: 1,
      lockToken: 't',
      updatedAt: '2026-12-03T10:00:00.000Z',
      markets: [
        snap('BTC_USDC', '60000'),
        {
          ...snap('SOL_USDC', '150.25'),
          paused: 'the SOL_USDC order book is Closed',
        },
      ],
      total: {
        realisedProfit: '3',
        cycles: 2,
        committedQuote: '900',
        maxTotalAmount: '1000',
      },
    })
    await until('"type":"markets"')
    const bar = JSON.parse(
      (
        text.split('data: ').find((m) => m.includes('"type":"markets"')) ?? ''
      ).trim(),
    )
    expect(bar.markets).toEqual({
      markets: [
        {
          symbol: 'BTC_USDC',
          state: 'ladder placed',
          price: '60000',
          profit: { shown: '1.50', exact: '1.5' },
        },
        {
          symbol: 'SOL_USDC',
          state: 'paused: the SOL_USDC order book is Closed',
          price: '150.25',
          profit: { shown: '1.50', exact: '1.5' },
        },
      ],
      total: {
        profit: { shown: '3.00', exact: '3' },
        cycles: 2,
        committed: '900.00',
        cap: '1000.00',
      },
    })
    await reader.cancel()
  })
})

describe('tokenMatches', () => {
  test('behavior: only the same token matches (any length, none)', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true)
    expect(tokenMatches('abd', 'abc')).toBe(false)
    expect(tokenMatches('ab', 'abc')).toBe(false)
    expect(tokenMatches(null, 'abc')).toBe(false)
  })
})
