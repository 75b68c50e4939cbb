/**
 * Simulator: how fast the matching engine works on its own, how fast a
 * signed order makes the round trip through the local exchange, and how long
 * a price move takes to reach a WebSocket subscriber, each beside the
 * physical floor measured in the same run.
 *
 * - Engine: the in-process matching engine alone (no HTTP, no JSON): a
 *   fixed, seeded stream of 2,000 limit orders from two accounts within 10
 *   ticks of one price (about 70% fill; the rest rest on the book), with a
 *   cancel of the order before after every third one, on a fresh engine per
 *   round, beside a bare binary-search insert of the same prices into
 *   sorted arrays.
 *   Target: at least 1,000,000 orders/s.
 * - Orders: a signed `POST /api/v1/order` (limit IOC into an empty book:
 *   auth, validation, matching, history, JSON answer) over keep-alive
 *   loopback HTTP, beside a bare node:http server answering `{}` to the
 *   same fetch.
 * - Tick to frame: `sim.setPrice()` (market maker re-quotes 5 levels a
 *   side) until the `bookTicker` frame arrives on a WS client, beside a bare
 *   `ws` echo round trip.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  buildSigningPayload,
  createSigner,
  generateKeyPair,
} from '@rung/backpack-sdk/signing'
import { startSim } from '@rung/backpack-sim'
import WebSocket, { WebSocketServer } from 'ws'
import { Engine } from '../packages/backpack-sim/src/engine/engine.js'
import type {
  EngineOrder,
  OrderRequest,
} from '../packages/backpack-sim/src/engine/types.js'
import {
  DEFAULT_MARKETS,
  toMarket,
} from '../packages/backpack-sim/src/markets.js'
import { createRng } from '../packages/backpack-sim/src/random.js'
import { compare } from './harness.js'

/** Orders per engine round (a fresh engine each round keeps memory flat). */
const ROUND = 2000

/** One step of the engine workload: place an order, or cancel an earlier one. */
type EngineOp =
  | { kind: 'place'; account: 0 | 1; req: OrderRequest; tick: number }
  | { kind: 'cancel'; of: number }

/** The seeded workload: the same orders every round and in every run. */
function engineWorkload(): EngineOp[] {
  const rng = createRng(7, 'engine-bench')
  const ops: EngineOp[] = []
  let placed = 0
  for (let i = 0; i < ROUND; i++) {
    const bid = rng.next() < 0.5
    // Within 10 ticks of 65000.0 on either side: most cross and fill.
    const tick = 650_000 + Math.floor(rng.next() * 21) - 10
    const lots = 1 + Math.floor(rng.next() * 20)
    ops.push({
      kind: 'place',
      account: bid ? 0 : 1,
      tick,
      req: {
        symbol: 'BTC_USDC',
        side: bid ? 'Bid' : 'Ask',
        orderType: 'Limit',
        price: `${Math.floor(tick / 10)}.${tick % 10}`,
        quantity: `0.${String(lots * 10).padStart(5, '0')}`,
      },
    })
    placed += 1
    if (placed % 3 === 0) ops.push({ kind: 'cancel', of: placed - 2 })
  }
  return ops
}

async function engine(): Promise<void> {
  const ops = engineWorkload()
  const markets = DEFAULT_MARKETS.map(toMarket)
  const round = () => {
    const e = new Engine({
      markets,
      now: () => 1_700_000_000_000,
      makerFeeBps: '8',
      takerFeeBps: '10',
      initialBalances: { USDC: '1000000000', BTC: '100000' },
    })
    const accounts = [e.account('bench-bid'), e.account('bench-ask')]
    const placed: EngineOrder[] = []
    for (const op of ops) {
      if (op.kind === 'place') {
        placed.push(e.placeOrder(accounts[op.account]!, op.req))
      } else {
        const o = placed[op.of]
        if (o?.account.open.has(o.id)) e.cancel(o)
      }
    }
    return placed.length
  }
  // Bare floor: the same prices into two sorted arrays (bids high first,
  // asks low first), binary search and splice, nothing else.
  const bare = () => {
    const bids: number[] = []
    const asks: number[] = []
    for (const op of ops) {
      if (op.kind !== 'place') continue
      const isBid = op.req.side === 'Bid'
      const levels = isBid ? bids : asks
      let lo = 0
      let hi = levels.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        const better = isBid ? levels[mid]! > op.tick : levels[mid]! < op.tick
        if (better) lo = mid + 1
        else hi = mid
      }
      levels.splice(lo, 0, op.tick)
    }
    return bids.length + asks.length
  }
  await compare({
    title: 'sim: matching engine in process (place, match, cancel; no HTTP)',
    unit: 'orders/s',
    baseline: {
      name: 'bare sorted-array insert of the same orders',
      fn: bare,
      units: ROUND,
    },
    cases: [
      {
        name: 'Engine.placeOrder / cancel (validate, match, fill)',
        fn: round,
        units: ROUND,
      },
    ],
    timeMs: 1500,
  })
}

function nextMessage(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => ws.once('message', () => resolve()))
}

async function orders(): Promise<void> {
  const sim = await startSim({
    feed: { mode: 'off' },
    depthHeartbeatMs: false,
    balances: { USDC: '1000000000' },
  })
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end('{}')
  })
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()))
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`
  const signer = createSigner(generateKeyPair().secretKey)
  const order = {
    symbol: 'BTC_USDC',
    side: 'Bid',
    orderType: 'Limit',
    price: '60000.0',
    quantity: '0.001',
    timeInForce: 'IOC',
  }
  const body = JSON.stringify(order)
  const place = async () => {
    const timestamp = Date.now()
    const payload = buildSigningPayload({
      instruction: 'orderExecute',
      params: order,
      timestamp,
      windowMs: 5000,
    })
    const res = await fetch(`${sim.url}/api/v1/order`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'X-API-Key': signer.publicKey,
        'X-Signature': signer.sign(payload),
        'X-Timestamp': String(timestamp),
        'X-Window': '5000',
      },
      body,
    })
    if (res.status !== 200) throw new Error(`order failed: ${res.status}`)
    await res.json()
  }
  await compare({
    title: 'sim: signed order round trip over loopback HTTP',
    unit: 'orders/s',
    baseline: {
      name: 'bare node:http round trip (fetch, keep-alive)',
      fn: async () => {
        const res = await fetch(bareUrl, { method: 'POST', body })
        await res.json()
      },
    },
    cases: [
      { name: 'POST /api/v1/order (sign, verify, match, ack)', fn: place },
    ],
    timeMs: 1500,
  })
  await sim.close()
  await new Promise((r) => bare.close(r))
}

async function tickToFrame(): Promise<void> {
  const sim = await startSim({
    feed: { mode: 'manual' },
    depthHeartbeatMs: false,
  })
  const ws = new WebSocket(sim.wsUrl)
  await new Promise((r) => ws.once('open', r))
  ws.send(
    JSON.stringify({ method: 'SUBSCRIBE', params: ['bookTicker.BTC_USDC'] }),
  )
  await new Promise((r) => setTimeout(r, 50))
  const echo = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  echo.on('connection', (c) => c.on('message', (m) => c.send(m)))
  await new Promise((r) => echo.once('listening', r))
  const echoPort = (echo.address() as AddressInfo).port
  const client = new WebSocket(`ws://127.0.0.1:${echoPort}`)
  await new Promise((r) => client.once('open', r))
  let up = false
  await compare({
    title: 'sim: price move to WebSocket frame (loopback)',
    unit: 'moves/s',
    baseline: {
      name: 'bare ws echo round trip',
      fn: async () => {
        const got = nextMessage(client)
        client.send('{"x":1}')
        await got
      },
    },
    cases: [
      {
        name: 'setPrice -> bookTicker frame received',
        fn: async () => {
          const got = nextMessage(ws)
          up = !up
          sim.setPrice('BTC_USDC', up ? '65010.0' : '64990.0')
          await got
        },
      },
    ],
    timeMs: 1500,
  })
  client.close()
  ws.close()
  await new Promise((r) => echo.close(r))
  await sim.close()
}

export default async function main(): Promise<void> {
  await engine()
  await orders()
  await tickToFrame()
}
