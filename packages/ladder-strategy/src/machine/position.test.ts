import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { MARKET, SMALL } from '../../test/fixtures.js'
import { divRound, formatUnits } from '../decimal.js'
import { derive } from '../plan.js'
import type { PositionRecord } from '../types.js'
import {
  fineUnitsPerLot,
  holdingToQuantity,
  stopLossTicks,
  takeProfitTicks,
  trailingStopTicks,
} from './position.js'
import { ZERO_POSITION } from './state.js'

// The targets take number arithmetic when every product is a safe integer
// and bigints otherwise: each must give the integer of the bigint formula,
// on both sides of 2^53 (the generators reach past it).
const config = {
  ...SMALL,
  stopLossPercentage: '7.5',
  trailingTakeProfitPercentage: '0.3',
}
const dv = derive(config, MARKET)
const feeAware = derive({ ...config, feeAwareTakeProfit: true }, MARKET)
const big = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.maxSafeInteger().map(Math.abs),
)
const lots = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
)
const position = (cost: number, bought: number, fee = 0): PositionRecord => ({
  ...ZERO_POSITION,
  boughtLots: bought,
  costTickLots: cost,
  buyFeeUnits: fee,
})
const exact = (
  x: bigint,
  y: bigint,
  r: { n: bigint; d: bigint },
  up: boolean,
) => Number(divRound(x * r.n, y * r.d, up ? 'up' : 'down'))

describe('position targets', () => {
  prop.prop([big, lots])(
    'behavior: take profit and stop loss equal the bigint formula',
    (cost, bought) => {
      const p = position(cost, bought)
      expect(takeProfitTicks(dv, p, bought)).toBe(
        exact(BigInt(cost), BigInt(bought), dv.tpMul, true),
      )
      expect(stopLossTicks(dv, p)).toBe(
        exact(BigInt(cost), BigInt(bought), dv.slMul as never, false),
      )
    },
  )

  prop.prop([big, lots, fc.integer({ min: 0, max: 1_000_000 })])(
    'behavior: the fee-aware take profit equals the bigint formula',
    (cost, held, fee) => {
      const tl = BigInt(feeAware.tlMoney)
      expect(takeProfitTicks(feeAware, position(cost, held, fee), held)).toBe(
        exact(
          BigInt(cost) * tl + BigInt(fee),
          BigInt(held) * tl,
          feeAware.tpMul,
          true,
        ),
      )
    },
  )

  prop.prop([big])(
    'behavior: the trailing stop equals the bigint formula',
    (peak) => {
      expect(trailingStopTicks(dv, peak)).toBe(
        exact(BigInt(peak), 1n, dv.trailMul as never, false),
      )
    },
  )

  prop.prop([big, fc.integer({ min: 0, max: fineUnitsPerLot(dv) - 1 })])(
    'behavior: a holding writes as its bigint units',
    (l, fine) => {
      expect(
        holdingToQuantity(dv, { lots: l, fineUnits: fine, costUnits: 0 }),
      ).toBe(
        formatUnits(
          BigInt(l) * BigInt(fineUnitsPerLot(dv)) + BigInt(fine),
          dv.stepDec + 8,
        ),
      )
    },
  )
})
