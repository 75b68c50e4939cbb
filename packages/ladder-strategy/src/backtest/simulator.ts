/**
 * The backtest's exchange simulator and its feed of the machine: the state
 * of one backtest, the feed of events, and one candle of model v1
 * (LADDER-SPEC.md; the order of a candle is drawn in ../backtest.ts).
 *
 * Both ways through the candles (walking every one, or jumping from event
 * to event, ./paths.ts) run every candle they do not skip through
 * {@link Simulator.candle}, so the two can only differ in which candles they
 * skip; `quietRange` (./quiet.ts) states which prices and times make a
 * candle do nothing, from the machine's own `triggerBand` and timers.
 *
 * Rooms: ./book.ts (the commands performed at once, the resting orders,
 * fills and fees), ./quiet.ts (quiet prices and candles), ./restarts.ts (the
 * no-fill restart fast path), ./timers.ts (step c: the timers due); the
 * types they share, and the simulator as they see it, in ./types.ts.
 */
import type { Trade } from '../backtestOptions.js'
import { createStepTally, type StepTally } from '../backtestSteps.js'
import { formatUnits } from '../decimal.js'
import type { LadderEvent, TimerName } from '../machine/events.js'
import { advanceUnreported } from '../machine/step.js'
import type { LadderState } from '../types.js'
import { fillBuys, fillSells, perform } from './book.js'
import { quiet } from './quiet.js'
import { fireTimers, TIMER_ORDER } from './timers.js'
import type { Resting, SimState, SimulatorSetup } from './types.js'

/** Formatted prices per column (filled lazily, kept with the column). */
const textCache = new WeakMap<Float64Array, (string | undefined)[]>()

function textColumn(col: Float64Array): (string | undefined)[] {
  let cache = textCache.get(col)
  if (!cache) {
    cache = new Array(col.length)
    textCache.set(col, cache)
  }
  return cache
}

/** Price c of a column as a decimal string (formatted once per candle). */
function textOf(
  cache: (string | undefined)[],
  col: Float64Array,
  scale: number,
  c: number,
): string {
  let text = cache[c]
  if (text === undefined) {
    text = formatUnits(col[c] as number, scale)
    cache[c] = text
  }
  return text
}

/**
 * The simulated exchange and the machine it feeds, for one backtest: the
 * state the rooms above work on (their functions take it as their first
 * argument), the feed of events, and one candle.
 * @internal
 */
export class Simulator implements SimState {
  /** Resting bids, highest price first. */
  readonly buys: Resting[] = []
  /** Resting limit sells, lowest price first. */
  readonly sells: Resting[] = []
  /** Notional of the resting bids, in tick-lots. */
  buyNotionalTL = 0
  readonly timers: Record<TimerName, number> = {
    noFill: Number.POSITIVE_INFINITY,
    coolDown: Number.POSITIVE_INFINITY,
  }
  readonly trades: Trade[] = []
  readonly warnings: string[] = []
  /** Multi-step take profit: what each step sold (model v2), else null. */
  readonly steps: StepTally | null
  state: LadderState
  /** The current candle's close time (ms). */
  at = Number.NaN
  /** Common price scale S: candle units and tick prices both as integers. */
  readonly S: number
  readonly candleToS: number

  /** Events queued by the commands, fed after them (drain). @internal */
  readonly queue: LadderEvent[] = []
  private readonly highText: (string | undefined)[]
  private readonly lowText: (string | undefined)[]
  private readonly closeText: (string | undefined)[]
  // The per-candle events, reused: the machine never keeps an event object
  // (it copies the strings it needs), so one mutable object per kind is
  // enough and the loop allocates no event.
  private readonly priceUpdated = {
    type: 'priceUpdated' as const,
    at: 0,
    price: '',
  }
  /** Reused `timerFired` events, in TIMER_ORDER (./timers.ts). @internal */
  readonly fired = TIMER_ORDER.map((timer) => ({
    type: 'timerFired' as const,
    at: 0,
    timer,
  }))
  /** Rung prices of `ladderAt` (scratch, ./restarts.ts). @internal */
  readonly scratch: number[] = []
  /** Ticks to S: 10^(S - tickDec) (S >= tickDec). @internal */
  readonly tickToS: number
  /** The state whose trigger band [bandLo, bandHi] holds, in S. @internal */
  banded: LadderState | null = null
  bandLo = 0
  bandHi = 0

  constructor(
    /** @internal */
    readonly setup: SimulatorSetup,
    initial: LadderState,
  ) {
    const { candles, dv } = setup
    this.state = initial
    this.steps = dv.steps === null ? null : createStepTally(dv.steps.length)
    this.S = Math.max(candles.priceScale, dv.tickDec)
    this.candleToS = 10 ** (this.S - candles.priceScale)
    this.tickToS = 10 ** (this.S - dv.tickDec)
    this.highText = textColumn(candles.high)
    this.lowText = textColumn(candles.low)
    this.closeText = textColumn(candles.close)
  }

  /** Candle c's close as a decimal string (formatted once per candle). */
  closePrice(c: number): string {
    const candles = this.setup.candles
    return textOf(this.closeText, candles.close, candles.priceScale, c)
  }

  /** Feeds an event, then every event its commands produce, in order. */
  feed(event: LadderEvent): void {
    // Most candles: one event that changes nothing (`advance` returns null,
    // allocating nothing), no commands, nothing queued. Fills skip their
    // `fillBooked` report (`advanceUnreported`): nothing here reads it.
    const result = advanceUnreported(this.state, event)
    if (result === null) return
    this.state = result[0]
    const commands = result[1]
    if (commands.length > 0) {
      perform(this, commands)
      if (this.queue.length > 0) this.drain()
    }
  }

  /** Feeds the queued events (and those they queue), in order. @internal */
  drain(): void {
    const queue = this.queue
    for (let q = 0; q < queue.length; q++) {
      const result = advanceUnreported(this.state, queue[q] as LadderEvent)
      if (result === null) continue
      this.state = result[0]
      const commands = result[1]
      if (commands.length > 0) perform(this, commands)
    }
    queue.length = 0
  }

  /** Feeds `priceUpdated` of `price` at the close time `at`. @internal */
  feedPrice(price: string): void {
    this.priceUpdated.at = this.at
    this.priceUpdated.price = price
    this.feed(this.priceUpdated)
  }

  /**
   * One candle c >= 1 of model v1: a. take profit (limit sells, then the
   * high and the low when in position), b. buys, c. timers, then the close
   * when the machine waits for a price. The equity mark is the caller's.
   */
  candle(c: number): void {
    const { high, low, openTime, priceScale } = this.setup.candles
    const candleToS = this.candleToS
    this.at = (openTime[c] as number) + 60_000
    const highS = (high[c] as number) * candleToS
    const lowS = (low[c] as number) * candleToS
    const sells = this.sells
    const buys = this.buys
    let exited = false
    // a. Take profit.
    if (sells.length > 0 && (sells[0] as Resting).priceS <= highS) {
      fillSells(this, high, c)
      exited = this.state.status !== 'inPosition'
    }
    if (!exited && this.state.status === 'inPosition') {
      if (!quiet(this, high, c)) {
        this.feedPrice(textOf(this.highText, high, priceScale, c))
        exited = this.state.status !== 'inPosition'
      }
      // Then the low, the pessimistic path, when the state can react to it
      // (a stop loss, an armed trailing stop): the band says so.
      if (!exited && !quiet(this, low, c)) {
        this.feedPrice(textOf(this.lowText, low, priceScale, c))
        exited = this.state.status !== 'inPosition'
      }
    }
    if (!exited) {
      // b. Buys (./book.ts), then c. the timers due at the close (./timers.ts).
      if (buys.length > 0 && (buys[0] as Resting).priceS >= lowS)
        fillBuys(this, low, c)
      fireTimers(this)
    }
    if (this.state.status === 'starting') this.feedPrice(this.closePrice(c))
  }
}
