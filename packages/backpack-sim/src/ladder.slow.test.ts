import { describe, expect, test } from 'vitest'
import { caller } from '../test/signed.js'
import { startSim } from './sim.js'

type Balances = Record<string, { available: string; locked: string }>

/**
 * The generated feed's tuning, checked through the whole exchange (market
 * maker, taker flow, matching): a classic 8-rung BTC ladder (rung 0 at the
 * price, rung 7 at -7%) with a 0.25% take profit on the average entry should
 * complete a round trip within five simulated minutes for most seeds (6 of 8).
 */
async function roundTrip(seed: number): Promise<number | undefined> {
  const sim = await startSim({
    seed,
    feed: { mode: 'manual' },
    depthHeartbeatMs: false,
    balances: { USDC: '10000' }, // no BTC: every BTC held was bought by the ladder
  })
  try {
    const c = caller(sim.url)
    const start = Number(sim.fairPrice('BTC_USDC'))
    const rungs = Array.from(
      { length: 8 },
      (_, i) => start * (1 - (0.07 * i) / 7),
    )
    for (const [i, p] of rungs.entries()) {
      const r = await c.call('POST', '/api/v1/order', {
        symbol: 'BTC_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price: (Math.floor(p * 10) / 10).toFixed(1),
        quantity: '0.01',
        clientId: i,
      })
      expect(r.status).toBe(200)
    }
    // One take-profit ask for everything bought so far (partial fills
    // included), replaced whenever more has been bought.
    let tpLots = 0
    for (let t = 0; t < 5 * 60 * 5; t++) {
      sim.step(1, 0.2)
      if (t % 5 !== 0) continue
      const cap = (await c.call<Balances>('GET', '/api/v1/capital')).body
      const total = (asset: string) =>
        Number(cap[asset]?.available ?? '0') + Number(cap[asset]?.locked ?? '0')
      const lots = Math.floor(total('BTC') * 1e5 + 1e-6)
      if (tpLots > 0 && lots === 0) return t * 0.2
      if (lots <= tpLots) continue
      if (tpLots > 0) {
        await c.call('DELETE', '/api/v1/order', {
          symbol: 'BTC_USDC',
          clientId: 100,
        })
      }
      // Average fill price (the classic take profit ignores fees): the rungs
      // fill as makers, so the gross quantity is the net one / (1 - 8 bps).
      const avg = (10000 - total('USDC')) / (total('BTC') / (1 - 0.0008))
      const r = await c.call('POST', '/api/v1/order', {
        symbol: 'BTC_USDC',
        side: 'Ask',
        orderType: 'Limit',
        price: (Math.ceil(avg * 1.0025 * 10) / 10).toFixed(1),
        quantity: (lots / 1e5).toFixed(5),
        clientId: 100,
      })
      expect(r.body).toMatchObject({ status: 'New' })
      tpLots = lots
    }
    return undefined
  } finally {
    await sim.close()
  }
}

describe('generated feed', () => {
  test('behavior: a ladder round trip completes within five simulated minutes for most seeds', async () => {
    const results: (number | undefined)[] = []
    for (let seed = 1; seed <= 8; seed++) results.push(await roundTrip(seed))
    const done = results.filter((r) => r !== undefined)
    expect(done.length).toBeGreaterThanOrEqual(6)
  }, 60_000)
})
