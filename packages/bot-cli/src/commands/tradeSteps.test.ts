import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import type { LadderState } from '@rung/ladder-strategy'
import { afterEach, describe, expect, test } from 'vitest'
import {
  heldQty,
  ledgerBtc,
  openClientIds,
  startRun,
  stopRuns,
  waitFor,
} from '../../test/e2e.js'

afterEach(stopRuns)

/** Two steps: half at +0.5 %, the rest at +3 %. */
const STEPS = {
  extra: {
    strategy: {
      takeProfitSteps: [
        { share: '0.5', profitPercent: '0.5' },
        { share: '0.5', profitPercent: '3' },
      ],
    },
  },
}

const stepOf = (s: LadderState): number | undefined =>
  (s as { takeProfitStep?: number }).takeProfitStep

describe('rung run: multi-step take profit across a stop and restart (end to end against backpack-sim)', {
  timeout: 30_000,
}, () => {
  test('behavior: a bot stopped after step 1 resumes at step 2 and sells only what is left', async () => {
    const first = await startRun(STEPS)
    await waitFor(
      async () => (await openClientIds(first.client)).length === 8,
      'the ladder',
    )
    first.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      () =>
        first.bot.state().position.fills >= 4 &&
        first.bot.state().status === 'inPosition',
      'four fills',
    )
    const s0 = first.bot.state() as LadderState & { takeProfitPrice: string }
    const step1Target = s0.takeProfitPrice
    // The price reaches step 1's target only: half is sold at market
    // (a little above it: the bot watches the best bid, below the last price)
    first.sim.setPrice('BTC_USDC', multiplyDecimals(step1Target, '1.005'))
    await waitFor(
      () =>
        stepOf(first.bot.state()) === 1 &&
        first.bot.state().position.soldLots > 0,
      'step 1 sold',
    )
    const afterStep1 = first.bot.state() as LadderState & {
      takeProfitPrice: string
    }
    const step2Target = afterStep1.takeProfitPrice
    expect(compareDecimals(step2Target, step1Target)).toBeGreaterThan(0)
    const held = heldQty(afterStep1)
    first.bot.stop()
    expect(await first.exit).toBe(0)
    expect(first.bot.state()).toMatchObject({
      status: 'stopped',
      takeProfitStep: 1,
    })

    // Restart: the cycle resumes at step 2's target, with the same position.
    const second = await startRun(STEPS, {}, { t: first.t, dir: first.dir })
    await waitFor(
      () => second.bot.state().status === 'inPosition',
      'the resumed cycle in position',
    )
    expect(second.bot.state()).toMatchObject({
      cycle: 1,
      takeProfitStep: 1,
      takeProfitPrice: step2Target,
    })
    expect(heldQty(second.bot.state())).toBe(held)
    // At step 1's target again nothing more is sold.
    await new Promise((r) => setTimeout(r, 500))
    expect(heldQty(second.bot.state())).toBe(held)
    // Step 2's target sells the rest and completes the cycle.
    second.sim.setPrice('BTC_USDC', multiplyDecimals(step2Target, '1.005'))
    await waitFor(
      () => second.bot.state().totals.cycles === 1,
      'the cycle completed',
    )
    // Sold what was sellable: the account keeps only the dust the step size and the fee left.
    const left = addDecimals(
      ledgerBtc(second.sim, second.keys.publicKey, 'trade'),
      ledgerBtc(second.sim, second.keys.publicKey, 'fee'),
    )
    expect(compareDecimals(left, '0.00001')).toBeLessThan(0)
    second.bot.stop()
    expect(await second.exit).toBe(0)
  })
})
