import { request } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { createDashboardFeed } from './feed.js'
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

describe('tokenMatches', () => {
  test('behavior: only the same token matches (any length, none)', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true)
    expect(tokenMatches('abd', 'abc')).toBe(false)
    expect(tokenMatches('ab', 'abc')).toBe(false)
    expect(tokenMatches(null, 'abc')).toBe(false)
  })
})
