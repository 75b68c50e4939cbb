/**
 * Crash recovery, end to end: the real `rung` binary (run from the sources)
 * is killed with SIGKILL at the worst moments, then started again on the
 * same data directory. The simulator's ledger is the judge: no client id is
 * used twice, no fill is lost, and the cycle carries on.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type Child,
  openClientIds,
  runChild,
  rungIds,
  startTestSim,
  type TestSim,
  tempDir,
  waitFor,
  writeConfig,
} from '../../test/e2e.js'

let sim: TestSim | undefined
const children: Child[] = []
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL')
  children.length = 0
  await sim?.sim.close()
  sim = undefined
})

async function setup(options: Parameters<typeof startTestSim>[0] = {}) {
  sim = await startTestSim(options)
  const dir = tempDir('rung-crash-')
  const config = writeConfig(dir)
  const dataDir = join(dir, 'data')
  const args = [
    'run',
    '--config',
    config,
    '--data-dir',
    dataDir,
    '--base-url',
    sim.sim.url,
    '--ws-url',
    sim.sim.wsUrl,
  ]
  const env = {
    BACKPACK_API_KEY: sim.keys.publicKey,
    BACKPACK_API_SECRET: sim.keys.secretKey,
  }
  const start = () => {
    const child = runChild(args, env)
    children.push(child)
    return child
  }
  return { t: sim, dataDir, start }
}

const btcLeft = (t: TestSim) =>
  t.sim
    .ledger(t.keys.publicKey)
    .entries.filter(
      (e) => e.asset === 'BTC' && (e.kind === 'trade' || e.kind === 'fee'),
    )
    .reduce((acc, e) => addDecimals(acc, e.change), '0')

describe('rung run: recovery after kill -9', { timeout: 40_000 }, () => {
  test('behavior: killed while placing the ladder, the restart completes it with no duplicate', async () => {
    // Slow answers, so the kill lands between two rungs.
    const { t, dataDir, start } = await setup({ faults: { delayMs: 150 } })
    const first = start()
    await waitFor(
      async () => (await openClientIds(t.client)).length >= 3,
      'three rungs on the book',
      20_000,
    )
    first.proc.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    const before = await openClientIds(t.client)
    expect(before.length).toBeGreaterThanOrEqual(3)
    expect(before.length).toBeLessThan(8)
    expect(existsSync(join(dataDir, 'journal.jsonl'))).toBe(true)

    t.sim.setFaults({})
    const second = start()
    await waitFor(
      async () => (await openClientIds(t.client)).length === 8,
      'the whole ladder',
      20_000,
    )
    // Every rung exactly once, with the client ids the first run intended.
    expect(await openClientIds(t.client)).toEqual(rungIds(1))
    expect(second.output()).toContain('resuming from the journal')
    expect(second.output()).toContain(
      'sending orders the journal intended but the exchange never received',
    )

    // The resumed cycle trades on: fills, then a take-profit and cycle 2.
    t.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      async () => (await openClientIds(t.client)).length === 4,
      'four fills',
    )
    t.sim.setPrice('BTC_USDC', '60500')
    await waitFor(
      async () => (await openClientIds(t.client)).join() === rungIds(2).join(),
      'cycle 2',
      20_000,
    )
    expect(compareDecimals(btcLeft(t), '0.00001')).toBeLessThan(0)

    second.proc.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    expect(await openClientIds(t.client)).toEqual([])
  })

  test('error: a second bot on the same data directory is refused (exit 3)', async () => {
    const { t, start } = await setup()
    const first = start()
    await waitFor(
      async () => (await openClientIds(t.client)).length === 8,
      'the ladder',
      20_000,
    )
    const second = start()
    expect(await second.exited).toBe(3)
    expect(second.output()).toContain('Another rung bot')
    expect(second.output()).toContain('rung stop --data-dir')
    // The first bot is untouched.
    expect(await openClientIds(t.client)).toEqual(rungIds(1))
    first.proc.kill('SIGTERM')
    expect(await first.exited).toBe(0)
  })

  test('behavior: killed during the take-profit sell, the restart adopts it and sells nothing twice', async () => {
    const { t, start } = await setup()
    const first = start()
    await waitFor(
      async () => (await openClientIds(t.client)).length === 8,
      'the ladder',
      20_000,
    )
    t.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      async () => (await openClientIds(t.client)).length === 4,
      'four fills',
    )
    // Let the bot book the fills, then lose the answer of the next order (the sell).
    await new Promise((r) => setTimeout(r, 500))
    t.sim.setFaults({
      loseResponses: { count: 1, path: '/api/v1/order', method: 'POST' },
    })
    t.sim.setPrice('BTC_USDC', '60500')
    // The sell executed on the exchange, but the bot never got the answer.
    await waitFor(
      () => compareDecimals(btcLeft(t), '0.00001') < 0,
      'the sell to execute',
      20_000,
    )
    first.proc.kill('SIGKILL')
    await first.exited
    expect(first.output()).toContain('selling position')
    expect(first.output()).not.toContain('cycle completed')

    const second = start()
    await waitFor(
      async () => (await openClientIds(t.client)).join() === rungIds(2).join(),
      'cycle 2',
      20_000,
    ).catch(async (e) => {
      console.log(
        'FIRST',
        first.output(),
        'SECOND',
        second.output(),
        await openClientIds(t.client),
      )
      throw e
    })
    expect(second.output()).toContain('cycle completed cycle=1')
    expect(second.output()).not.toContain('sending orders the journal intended')
    // One sell only, under the client id the first run chose.
    const fills = await t.client.getFillHistory({ symbol: 'BTC_USDC' })
    expect([
      ...new Set(fills.filter((f) => f.side === 'Ask').map((f) => f.clientId)),
    ]).toEqual(['1536'])
    expect(compareDecimals(btcLeft(t), '0.00001')).toBeLessThan(0)

    second.proc.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    expect(await openClientIds(t.client)).toEqual([])
  })
})
