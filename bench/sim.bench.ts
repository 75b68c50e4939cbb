/**
 * Simulator: how fast a signed order makes the round trip through the local
 * exchange, and how long a price move takes to reach a WebSocket subscriber,
 * each beside the physical floor measured in the same run.
 *
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
import { compare } from './harness.js'

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
  await orders()
  await tickToFrame()
}
