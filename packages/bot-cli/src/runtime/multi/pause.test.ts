/**
 * The paused markets' waits share the run's one book-state poll, against
 * backpack-sim on loopback: two paused markets add no request, and each
 * resumes when its own book opens.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { startTestSim, stopRuns, trackSim, waitFor } from '../../../test/e2e.js'
import { createRedactor } from '../../redact.js'
import { createLogger } from '../../ui/logger.js'
import { sharedOpenBookWaits, watchBookStates } from './pause.js'

afterEach(stopRuns)

const logger = createLogger({
  format: 'plain',
  write: false,
  dir: false,
  redactor: createRedactor(),
})

const SYMBOLS = ['BTC_USDC', 'ETH_USDC', 'SOL_USDC']

describe('sharedOpenBookWaits', () => {
  test('behavior: two paused markets wait on the one poll (no request of their own); each resumes when its own book opens; a stop ends a wait', async () => {
    const t = trackSim(await startTestSim())
    // Every request the run makes for the markets' states, counted.
    let polls = 0
    const client = {
      getMarkets: () => {
        polls++
        return t.client.getMarkets()
      },
    }
    const closed: string[] = []
    const waits = sharedOpenBookWaits()
    const unwatch = watchBookStates(
      client,
      SYMBOLS,
      100,
      (symbol) => closed.push(symbol),
      logger,
      (markets) => waits.seen(markets),
    )
    try {
      t.sim.setMarketState('ETH_USDC', 'Closed')
      t.sim.setMarketState('SOL_USDC', 'CancelOnly')
      await waitFor(
        () => closed.includes('ETH_USDC') && closed.includes('SOL_USDC'),
        'both closed books seen',
      )
      let ethOpen: boolean | undefined
      let solOpen: boolean | undefined
      let solStopped = false
      const eth = waits
        .wait('ETH_USDC', () => false)
        .then((open) => {
          ethOpen = open
        })
      const sol = waits
        .wait('SOL_USDC', () => solStopped)
        .then((open) => {
          solOpen = open
        })
      // A second of waiting: the polls are the watch's alone (one every 100 ms).
      const before = polls
      const started = Date.now()
      await new Promise((r) => setTimeout(r, 1000))
      const periods = (Date.now() - started) / 100
      expect(polls - before).toBeLessThanOrEqual(Math.ceil(periods) + 1)
      expect(polls - before).toBeGreaterThanOrEqual(3)
      expect(ethOpen).toBeUndefined()
      expect(solOpen).toBeUndefined()

      // ETH reopens: ETH resumes, SOL (still CancelOnly) waits on.
      t.sim.setMarketState('ETH_USDC', 'Open')
      await eth
      expect(ethOpen).toBe(true)
      await new Promise((r) => setTimeout(r, 300))
      expect(solOpen).toBeUndefined()

      // A stop ends SOL's wait without its book opening.
      solStopped = true
      await sol
      expect(solOpen).toBe(false)
    } finally {
      unwatch()
      waits.close()
    }
  })

  test('behavior: close ends every wait (false)', async () => {
    const waits = sharedOpenBookWaits()
    const wait = waits.wait('BTC_USDC', () => false)
    waits.seen([{ symbol: 'BTC_USDC', orderBookState: 'Closed' }])
    waits.close()
    expect(await wait).toBe(false)
  })
})
