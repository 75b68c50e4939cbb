/**
 * The kernel's ladders (./state.ts): a new one at a close, the warning and
 * stop when no rung fits, and the no-fill restart.
 */
import { formatUnits } from '../../decimal.js'
import { MAX_CYCLE } from '../../machine/clientIds.js'
import { rungDrop, rungLots, rungTicks, sizeRungs } from '../../plan.js'
import { clearBook, type KernelState, stop, warn } from './state.js'

/**
 * A new ladder at candle c's close (time `at`), as the machine's
 * `placeLadder`: the rungs that `rungTicks`, `rungLots` and `rungDrop`
 * place, highest first, and the no-fill timer. False when no rung fits
 * (the state is then stopped, with the machine's warning). @internal
 */
export function placeLadder(k: KernelState, c: number, at: number): boolean {
  const dv = k.dv
  if (k.cycle + 1 > MAX_CYCLE) {
    stop(k, 'clientIdsExhausted')
    return true
  }
  const { close, priceScale } = k.run.candles
  const ticks = k.scratch
  rungTicks(dv, close[c] as number, priceScale, ticks)
  let placed = 0
  let notional = 0
  let lastPlaced = Number.POSITIVE_INFINITY
  for (let i = 0; i < ticks.length; i++) {
    const p = ticks[i] as number
    const lots = rungLots(dv, i, p)
    if (rungDrop(dv, p, lots, lastPlaced) !== null) continue
    lastPlaced = p
    k.bidTicks[placed] = p
    k.bidLots[placed] = lots
    k.bidRung[placed] = i
    notional += p * lots
    placed++
  }
  if (placed === 0) {
    noRungFits(k, c)
    return false
  }
  k.top = 0
  k.count = placed
  k.buyNotionalTL = notional
  k.cycle++
  // freshPosition: a ladder is placed only after a restart or a settled
  // exit, whose position has no fill of its own (kept as it is).
  k.status = 'laddering'
  if (k.run.config.autoRestartNoFill) k.noFillAt = at + dv.noFillMs
  return true
}

/** The machine's warning and stop when no rung fits at candle c's close. */
function noRungFits(k: KernelState, c: number): void {
  const { close, priceScale } = k.run.candles
  const price = formatUnits(close[c] as number, priceScale)
  let dropped = ''
  for (const r of sizeRungs(k.dv, k.scratch))
    if (r.dropped !== null)
      dropped += `${dropped ? ', ' : ''}rung ${r.index}: ${r.dropped}`
  warn(k, `no rung can be placed at price ${price} (${dropped}); stopping`)
  stop(k, 'noRungFits')
}

/** noFillRestart: the ladder canceled, a new one at the next price. @internal */
export function noFillRestart(k: KernelState): void {
  k.noFillAt = Number.POSITIVE_INFINITY
  clearBook(k)
  k.totals.noFillRestarts++
  k.status = 'starting'
  // freshPosition: nothing filled while laddering, so the position (no
  // fill, the carried rest) is already the fresh one; what the equity
  // reads is unchanged (no touch).
}
