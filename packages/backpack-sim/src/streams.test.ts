import {
  createSigner,
  generateKeyPair,
  signSubscription,
} from '@rung/backpack-sdk/signing'
import { afterEach, describe, expect, test } from 'vitest'
import { caller } from '../test/signed.js'
import { connect, type Frame, type Recorder, subscribed } from '../test/ws.js'
import { type Sim, startSim } from './index.js'

let sim: Sim | undefined
const sockets: Recorder[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close()
  await sim?.close()
  sim = undefined
})

async function open(s: Sim): Promise<Recorder> {
  const r = await connect(s.wsUrl)
  sockets.push(r)
  return r
}

const on = (stream: string) => (f: Frame) => f.stream === stream

describe('public streams', () => {
  test('behavior: depth U/u chain continues the REST snapshot (rule 9)', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    ws.send({ method: 'SUBSCRIBE', params: ['depth.BTC_USDC'] })
    await subscribed(sim, 'depth.BTC_USDC')
    sim.step(3)
    await ws.count(on('depth.BTC_USDC'), 3)
    const snap = (await (
      await fetch(`${sim.url}/api/v1/depth?symbol=BTC_USDC`)
    ).json()) as {
      lastUpdateId: string
    }
    sim.step(3)
    const events = await ws.count(on('depth.BTC_USDC'), 6)
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.data!.U).toBe((events[i - 1]!.data!.u as number) + 1)
    }
    const S = Number(snap.lastUpdateId)
    expect(events.some((e) => e.data!.U === S + 1)).toBe(true)
    expect(events[0]!.data).toMatchObject({ e: 'depth', s: 'BTC_USDC' })
    expect(
      Array.isArray(events[0]!.data!.a) && Array.isArray(events[0]!.data!.b),
    ).toBe(true)
  })

  test('behavior: aggregated depth.200ms folds several updates into one U..u event', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    ws.send({ method: 'SUBSCRIBE', params: ['depth.200ms.SOL_USDC'] })
    await subscribed(sim, 'depth.200ms.SOL_USDC')
    const before = sim.book('SOL_USDC').lastUpdateId
    sim.step(4)
    const [event] = await ws.count(on('depth.200ms.SOL_USDC'), 1, 2000)
    expect(event!.data!.U).toBe(before + 1)
    expect(event!.data!.u).toBe(sim.book('SOL_USDC').lastUpdateId)
    expect((event!.data!.u as number) > (event!.data!.U as number)).toBe(true)
  })

  test('behavior: quiet books still emit empty depth deltas (rule 20)', async () => {
    sim = await startSim({ feed: { mode: 'off' }, depthHeartbeatMs: 20 })
    const ws = await open(sim)
    ws.send({ method: 'SUBSCRIBE', params: ['depth.SOL_USDC'] })
    const events = await ws.count(on('depth.SOL_USDC'), 3)
    expect(events[0]!.data).toMatchObject({ a: [], b: [] })
    expect(events[1]!.data!.U).toBe((events[0]!.data!.u as number) + 1)
  })

  test('behavior: bookTicker, trade, kline and ticker frames', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    ws.send({
      method: 'SUBSCRIBE',
      params: [
        'bookTicker.SOL_USDC',
        'trade.SOL_USDC',
        'kline.1m.SOL_USDC',
        'ticker.SOL_USDC',
      ],
      id: 1,
    })
    await subscribed(
      sim,
      'bookTicker.SOL_USDC',
      'trade.SOL_USDC',
      'kline.1m.SOL_USDC',
      'ticker.SOL_USDC',
    )
    sim.step(20)
    const trade = await ws.next(on('trade.SOL_USDC'))
    expect(trade.data).toMatchObject({ e: 'trade', s: 'SOL_USDC' })
    expect(typeof trade.data!.t).toBe('number')
    expect(typeof trade.data!.m).toBe('boolean')
    const book = await ws.next(on('bookTicker.SOL_USDC'))
    expect(Number(book.data!.b)).toBeLessThan(Number(book.data!.a))
    const kline = await ws.next(on('kline.1m.SOL_USDC'))
    const t = Date.parse(`${kline.data!.t as string}Z`)
    expect(Date.parse(`${kline.data!.T as string}Z`) - t).toBe(60_000)
    expect(kline.data!.X).toBe(false)
    const ticker = await ws.next(on('ticker.SOL_USDC'), 2500)
    expect(ticker.data).toMatchObject({ e: 'ticker', s: 'SOL_USDC' })
  })

  test('behavior: error frames only for invalid requests (rules 17, 18)', async () => {
    sim = await startSim({ feed: { mode: 'off' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    ws.send({ method: 'SUBSCRIBE', params: ['trade.SOL_USDC'] })
    ws.send({ method: 'SUBSCRIBE', params: ['trade.SOL_USDC'], extra: true })
    ws.send({ method: 'UNSUBSCRIBE', params: ['depth.BTC_USDC'] })
    ws.send({
      method: 'SUBSCRIBE',
      params: ['depth.ETH_USDC'],
      signature: ['a', 'b', '1', '5000'],
    })
    // Frames on one connection are handled in order: once the invalid one is
    // answered, the harmless ones before it were handled without a reply.
    ws.send({ method: 'SUBSCRIBE', params: ['nonsense.SOL_USDC'], id: 5 })
    await ws.next((f) => f.error !== undefined)
    expect(ws.frames).toEqual([
      { id: 5, error: { code: 4006, message: 'Invalid stream' } },
    ])
  })

  test('behavior: client pings are answered; drop-connections closes sockets', async () => {
    sim = await startSim({ feed: { mode: 'off' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    const pong = new Promise((r) => ws.ws.once('pong', r))
    ws.ws.ping()
    await pong
    expect(sim.connections()).toBe(1)
    const closed = new Promise((r) => ws.ws.once('close', r))
    await fetch(`${sim.url}/_sim/drop-connections`, { method: 'POST' })
    await closed
  })
})

describe('private streams', () => {
  test('behavior: signed account.orderUpdate receives the §6.6 frames', async () => {
    sim = await startSim({ feed: { mode: 'manual' }, depthHeartbeatMs: false })
    const { secretKey } = generateKeyPair()
    const signer = createSigner(secretKey)
    const ws = await open(sim)
    ws.send({
      method: 'SUBSCRIBE',
      params: ['account.orderUpdate', 'depth.SOL_USDC'],
      signature: signSubscription(signer, {
        timestamp: Date.now(),
        windowMs: 5000,
      }),
    })
    const other = await open(sim)
    other.send({
      method: 'SUBSCRIBE',
      params: ['account.orderUpdate.SOL_USDC'],
      signature: signSubscription(createSigner(generateKeyPair().secretKey), {
        timestamp: Date.now(),
        windowMs: 5000,
      }),
    })
    await subscribed(sim, 'account.orderUpdate', 'account.orderUpdate.SOL_USDC')
    const c = caller(sim.url, secretKey)
    const fair = Number(sim.fairPrice('SOL_USDC'))
    const price = (fair * 0.995).toFixed(2)
    await c.call('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price,
      quantity: '1',
      clientId: 77,
    })
    sim.setPrice('SOL_USDC', (fair * 0.99).toFixed(2))
    const [accepted, fill] = await ws.count(on('account.orderUpdate'), 2)
    expect(accepted!.data).toMatchObject({
      e: 'orderAccepted',
      s: 'SOL_USDC',
      c: 77,
      S: 'Bid',
      o: 'LIMIT',
      f: 'GTC',
      q: '1.00',
      p: price,
      X: 'New',
      t: null,
      z: '0.00',
      V: 'RejectTaker',
      O: 'USER',
    })
    expect(fill!.data).toMatchObject({
      e: 'orderFill',
      X: 'Filled',
      l: '1.00',
      L: price,
      m: true,
      n: '0.0008',
      N: 'SOL',
      z: '1.00',
    })
    expect(typeof fill!.data!.t).toBe('number')
    expect(typeof fill!.data!.E).toBe('number')
    // Another account's subscription sees nothing of it.
    expect(other.frames).toEqual([])
  })

  test('error: a bad subscription signature answers an error frame', async () => {
    sim = await startSim({ feed: { mode: 'off' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    const signer = createSigner(generateKeyPair().secretKey)
    const sig = signSubscription(signer, {
      timestamp: Date.now() - 10_000,
      windowMs: 5000,
    })
    ws.send({
      method: 'SUBSCRIBE',
      params: ['account.orderUpdate'],
      signature: sig,
    })
    const f = await ws.next((x) => x.error !== undefined)
    expect(f.error!.message).toBe('Request has expired')
    ws.send({ method: 'SUBSCRIBE', params: ['account.orderUpdate'] })
    expect(
      (await ws.count((x) => x.error !== undefined, 2))[1]!.error!.message,
    ).toBe('Invalid signature')
  })

  test('error: a subscription timestamp or window that is not an integer names the field', async () => {
    sim = await startSim({ feed: { mode: 'off' }, depthHeartbeatMs: false })
    const ws = await open(sim)
    const signer = createSigner(generateKeyPair().secretKey)
    const [key, sig] = signSubscription(signer, {
      timestamp: Date.now(),
      windowMs: 5000,
    })
    ws.send({
      method: 'SUBSCRIBE',
      params: ['account.orderUpdate'],
      signature: [key, sig, Date.now() + 0.5, 5000],
    })
    const f = await ws.next((x) => x.error !== undefined)
    expect(f.error!.message).toMatch(
      /^`signature\[2\]` must be an integer number of milliseconds since the Unix epoch, such as 1700000000000; got "\d+\.5"$/,
    )
    ws.send({
      method: 'SUBSCRIBE',
      params: ['account.orderUpdate'],
      signature: [key, sig, String(Date.now()), '5000.0'],
    })
    expect(
      (await ws.count((x) => x.error !== undefined, 2))[1]!.error!.message,
    ).toBe(
      '`signature[3]` must be an integer number of milliseconds from 1 to 60000, such as 5000; got "5000.0"',
    )
    // The connection still serves a public subscription.
    ws.send({ method: 'SUBSCRIBE', params: ['trade.SOL_USDC'] })
    await subscribed(sim, 'trade.SOL_USDC')
  })
})
