/**
 * The kernel's state and its transitions: model v1 of LADDER-SPEC.md for
 * the configs the kernel runs (./eligible.ts), on one MUTABLE integer
 * state (ticks, lots, tick-lots and money units as safe-integer numbers),
 * with no machine state, command or event object and no decimal string in
 * the loop: strings are written only for the trades (when asked for) and
 * the warnings.
 *
 * Each transition (./ladder.ts, ./cycle.ts, and the small ones below) is
 * the machine's (../../machine/) for those configs, as the simulator
 * (../simulator.ts) performs its commands at once:
 *
 * ```
 * placeLadder  = machine/ladder.ts placeLadder: the rungs of rungTicks / rungLots /
 *                rungDrop at the close, the no-fill timer
 * fillBids     = book.ts fillBuys + fills.ts onFill: each bid at or above
 *                the low, highest first, at its own price (maker fee);
 *                the first one enters the position (no-fill timer off),
 *                then the targets (targets.ts refreshTargets)
 * exit         = exits.ts beginExitWork + settleExit: the rest of the
 *                ladder canceled, the sellable lots sold at market at the
 *                target (maker for a take profit, taker for a stop loss),
 *                the cycle's profit, then stop, cool-down or restart
 * noFill       = timers.ts noFillRestart: the ladder canceled, `starting`
 * ```
 *
 * A change of the model must change the machine and this kernel alike;
 * the property tests (../../backtest.kernel.test.ts) say when they differ.
 */
import type { Trade } from '../../backtestOptions.js'
import { formatUnits } from '../../decimal.js'
import { carriedPosition, zeroTotals } from '../../machine/state.js'
import { type Derived, lotsToQuantity, ticksToPrice } from '../../plan.js'
import type { PositionRecord, RunTotals, StopReason } from '../../types.js'
import { feeUnits } from '../book.js'
import type { BacktestRun, Rate } from '../types.js'

/** The statuses the kernel's state takes between two candles. @internal */
export type KernelStatus =
  | 'starting'
  | 'laddering'
  | 'inPosition'
  | 'coolingDown'
  | 'stopped'

/** The kernel's mutable state of one backtest (its fields, the loop's). @internal */
export class KernelState {
  status: KernelStatus = 'starting'
  stopReason: StopReason | null = null
  cycle = 0
  /** The resting bids, highest first: entries [top, count) of the columns. */
  top = 0
  count = 0
  readonly bidTicks: number[]
  readonly bidLots: number[]
  readonly bidRung: number[]
  /** Notional of the resting bids, in tick-lots. */
  buyNotionalTL = 0
  /** Timer deadlines (ms), +Infinity when not set. */
  noFillAt = Number.POSITIVE_INFINITY
  coolDownAt = Number.POSITIVE_INFINITY
  position: PositionRecord = carriedPosition(0, 0, 0)
  readonly totals: RunTotals = zeroTotals()
  /** In position: the targets in ticks, in S and as series-unit bounds. */
  tpTicks = 0
  tpS = Number.POSITIVE_INFINITY
  /** A high at or above this reaches the take profit (series units). */
  tpBound = Number.POSITIVE_INFINITY
  slTicks = 0
  slS = Number.NEGATIVE_INFINITY
  /** A low at or below this reaches the stop loss (series units). */
  slBound = Number.NEGATIVE_INFINITY
  /**
   * What the equity (../equity.ts) reads: a new object after every candle
   * the kernel runs (the tracker reads it again when it is another one).
   */
  state: { position: PositionRecord; totals: RunTotals }
  readonly trades: Trade[] = []
  readonly warnings: string[] = []
  /** False when a figure left the safe integers: the run is given up. */
  exact = true

  readonly dv: Derived
  readonly S: number
  readonly candleToS: number
  readonly tickToS: number
  /** A price in ticks times this is the price in S (tickMant x tickToS). */
  readonly tickS: number
  readonly scratch: number[] = []
  readonly makerN: number
  readonly takerN: number

  constructor(readonly run: BacktestRun) {
    const { dv, candles } = run
    this.dv = dv
    const n = dv.budgetK.length
    this.bidTicks = new Array(n).fill(0)
    this.bidLots = new Array(n).fill(0)
    this.bidRung = new Array(n).fill(0)
    this.S = Math.max(candles.priceScale, dv.tickDec)
    this.candleToS = 10 ** (this.S - candles.priceScale)
    this.tickToS = 10 ** (this.S - dv.tickDec)
    this.tickS = dv.tickMant * this.tickToS
    this.makerN = Number(run.maker.n)
    this.takerN = Number(run.taker.n)
    this.state = { position: this.position, totals: this.totals }
  }

  touch(): void {
    this.state = { position: this.position, totals: this.totals }
  }
}

/** stopWork: no timer, stopped for `reason`. @internal */
export function stop(k: KernelState, reason: StopReason): void {
  k.noFillAt = Number.POSITIVE_INFINITY
  k.coolDownAt = Number.POSITIVE_INFINITY
  k.status = 'stopped'
  k.stopReason = reason
}

/** The resting bids canceled (acknowledged at once). @internal */
export function clearBook(k: KernelState): void {
  k.top = 0
  k.count = 0
  k.buyNotionalTL = 0
}

/** A fill's fee in money units (book.ts `feeUnits`; 0 for a rate of 0). @internal */
export function feeOf(
  k: KernelState,
  ticks: number,
  lots: number,
  rate: Rate,
  n: number,
): number {
  return n === 0 ? 0 : feeUnits(k.dv, ticks, lots, rate)
}

/** A warning, kept as the simulator keeps them (the first 100). @internal */
export function warn(k: KernelState, message: string): void {
  if (k.warnings.length < 100) k.warnings.push(message)
}

/** The trade record of a fill, as the simulator's book writes it. @internal */
export function trade(
  k: KernelState,
  at: number,
  clientId: number,
  side: 'buy' | 'sell',
  ticks: number,
  lots: number,
  fee: number,
): void {
  const dv = k.dv
  // A fee of 0 is written '0' either way (the simulator's text for a
  // rate of 0, and formatUnits of 0).
  k.trades.push({
    time: at,
    cycle: Math.floor(clientId / 1024),
    side,
    price: ticksToPrice(dv, ticks),
    quantity: lotsToQuantity(dv, lots),
    fee: formatUnits(fee, dv.moneyScale),
    clientId,
  })
}
