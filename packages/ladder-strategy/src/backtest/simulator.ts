/**
 * The backtest's exchange simulator and its feed of the machine: the
 * resting books, the commands performed at once, and one candle of model v1
 * (LADDER-SPEC.md; the order of a candle is drawn in ../backtest.ts).
 *
 * Both ways through the candles (walking every one, or jumping from event
 * to event, ./paths.ts) run every candle they do not skip through
 * {@link Simulator.candle}, so the two can only differ in which candles they
 * skip; {@link Simulator.quietRange} states which prices and times make a
 * candle do nothing, from the machine's own `triggerBand` and timers.
 */
import type { Trade } from '../backtestOptions.js'
import {
  createStepTally,
  type StepTally,
  tallyStepSell,
} from '../backtestSteps.js'
import type { CandleSeries } from '../candles/series.js'
import { ceilDiv, divRound, formatUnits, parseUnits } from '../decimal.js'
import type { LadderCommand } from '../machine/commands.js'
import type { LadderEvent, TimerName } from '../machine/events.js'
import { activeRungLimit } from '../machine/rolling.js'
import { advanceUnreported } from '../machine/step.js'
import { skipNoFillRestarts } from '../machine/timers.js'
import { triggerBand } from '../machine/triggers.js'
import {
  type Derived,
  priceToTicks,
  quantityToLots,
  rungDrop,
  rungLots,
  rungTicks,
} from '../plan.js'
import type { LadderState, OrderRecord } from '../types.js'

/** A resting order of the simulated book. @internal */
export interface Resting {
  clientId: number
  /** Price in the simulator's common scale S. */
  priceS: number
  ticks: number
  lots: number
  price: string
  quantity: string
  /** Multi-step take profit: the sell's step, else -1. */
  step: number
}

/**
 * A ladder a no-fill restart would place, as the candles and the equity
 * see it (see {@link Simulator.ladderAt}). @internal
 */
export interface VirtualLadder {
  /** A candle fills a bid when its low is at or below this (series units). */
  bound: number
  /** Notional of the resting bids, in tick-lots. */
  notionalTL: number
}

/** A fee rate as an exact fraction. */
interface Rate {
  n: bigint
  d: bigint
}

/** What a simulator is built from (fixed for one backtest). @internal */
export interface SimulatorSetup {
  candles: CandleSeries
  dv: Derived
  maker: Rate
  taker: Rate
  withTrades: boolean
  /** Skip in-position prices inside `triggerBand` (false feeds every one). */
  skipQuietPrices: boolean
}

/**
 * Every timer name, in the order a candle fires them. The `satisfies`
 * makes a new `TimerName` a type error here until it is listed.
 */
const TIMER_ORDER = Object.keys({
  noFill: 0,
  coolDown: 0,
} satisfies Record<TimerName, 0>) as TimerName[]

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

/**
 * Which candles leave a state alone: a candle c does nothing (beyond the
 * equity mark at its close) when `low[c] > lo`, `high[c] < hi` and its close
 * time is before `until`, in the series' integer units. @internal
 */
export interface QuietRange {
  lo: number
  hi: number
  /** The earliest timer (ms), +Infinity when none is set. */
  until: number
}

/**
 * The simulated exchange and the machine it feeds, for one backtest.
 * @internal
 */
export class Simulator {
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

  private readonly queue: LadderEvent[] = []
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
  private readonly fired = TIMER_ORDER.map((timer) => ({
    type: 'timerFired' as const,
    at: 0,
    timer,
  }))
  /** Rung prices of {@link Simulator.ladderAt} (scratch). */
  private readonly scratch: number[] = []
  /** Ticks to S: 10^(S - tickDec) (S >= tickDec). */
  private readonly tickToS: number
  // The trigger band of `banded`, in S (see setBand).
  private banded: LadderState | null = null
  private bandLo = 0
  private bandHi = 0

  constructor(
    private readonly setup: SimulatorSetup,
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

  /** The series the backtest runs over. */
  get candles(): CandleSeries {
    return this.setup.candles
  }

  /** The no-fill wait in ms (a ladder's timer is due this long after it is placed). */
  get noFillMs(): number {
    return this.setup.dv.noFillMs
  }

  /** Candle c's close as a decimal string (formatted once per candle). */
  closePrice(c: number): string {
    return this.text(this.closeText, this.setup.candles.close, c)
  }

  private text(
    cache: (string | undefined)[],
    col: Float64Array,
    c: number,
  ): string {
    let text = cache[c]
    if (text === undefined) {
      text = formatUnits(col[c] as number, this.setup.candles.priceScale)
      cache[c] = text
    }
    return text
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
      this.perform(commands)
      if (this.queue.length > 0) this.drain()
    }
  }

  private drain(): void {
    const queue = this.queue
    for (let q = 0; q < queue.length; q++) {
      const result = advanceUnreported(this.state, queue[q] as LadderEvent)
      if (result === null) continue
      this.state = result[0]
      const commands = result[1]
      if (commands.length > 0) this.perform(commands)
    }
    queue.length = 0
  }

  private feedPrice(price: string): void {
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
    const { high, low, close, openTime } = this.setup.candles
    const candleToS = this.candleToS
    this.at = (openTime[c] as number) + 60_000
    const highS = (high[c] as number) * candleToS
    const lowS = (low[c] as number) * candleToS
    const sells = this.sells
    const buys = this.buys
    let exited = false
    // a. Take profit.
    if (sells.length > 0 && (sells[0] as Resting).priceS <= highS) {
      while (sells.length > 0 && (sells[0] as Resting).priceS <= highS)
        this.fill(sells.shift() as Resting, 'sell', this.setup.maker)
      this.drain()
      exited = this.state.status !== 'inPosition'
    }
    if (!exited && this.state.status === 'inPosition') {
      if (!this.quiet(high, c)) {
        this.feedPrice(this.text(this.highText, high, c))
        exited = this.state.status !== 'inPosition'
      }
      // Then the low, the pessimistic path, when the state can react to it
      // (a stop loss, an armed trailing stop): the band says so.
      if (!exited && !this.quiet(low, c)) {
        this.feedPrice(this.text(this.lowText, low, c))
        exited = this.state.status !== 'inPosition'
      }
    }
    if (!exited) {
      // b. Buys: highest price first, at their own price. Rolling rungs
      // (`activeOrderCount`): a fill places the next rung, which fills in
      // the same candle when the low reaches it (model v2), hence the
      // repeat: the full ladder's fills, in the same order.
      while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
        while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
          const r = buys.shift() as Resting
          this.buyNotionalTL -= r.ticks * r.lots
          this.fill(r, 'buy', this.setup.maker)
        }
        this.drain()
      }
      // c. Timers due at the candle's close.
      this.fireTimers()
    }
    if (this.state.status === 'starting')
      this.feedPrice(this.text(this.closeText, close, c))
  }

  /** Step c of a candle: the timers due at `at`, in {@link TIMER_ORDER}. */
  private fireTimers(): void {
    for (let k = 0; k < TIMER_ORDER.length; k++) {
      const name = TIMER_ORDER[k] as TimerName
      if (this.timers[name] <= this.at) {
        this.timers[name] = Number.POSITIVE_INFINITY
        const event = this.fired[k] as (typeof this.fired)[number]
        event.at = this.at
        this.feed(event)
      }
    }
  }

  /**
   * Whether the machine is in a no-fill restart loop the backtest may run
   * ahead of ({@link Simulator.ladderAt}, {@link Simulator.skipRestarts}):
   * laddering with bids only, the no-fill timer set and no other, nothing
   * queued, and no price band (a band can make a restart wait instead).
   */
  restartsSkippable(): boolean {
    const state = this.state
    const config = state.setup.config
    return (
      state.status === 'laddering' &&
      this.sells.length === 0 &&
      this.buys.length > 0 &&
      this.queue.length === 0 &&
      this.timers.noFill !== Number.POSITIVE_INFINITY &&
      this.timers.coolDown === Number.POSITIVE_INFINITY &&
      config.autoRestartNoFill === true &&
      typeof config.minPrice !== 'string' &&
      typeof config.maxPrice !== 'string'
    )
  }

  /**
   * The current book's fill bound in the series' units: a candle fills a bid
   * exactly when its low is at or below it (`low x candleToS <= top bid`).
   */
  bidBound(): number {
    return this.boundOf((this.buys[0] as Resting).priceS)
  }

  private boundOf(priceS: number): number {
    const k = this.candleToS
    return k === 1 ? priceS : floorDivExact(priceS, k)
  }

  /**
   * The ladder a restart at candle c's close would place, as far as the
   * candles and the equity see it: the bound of its highest bid (as
   * {@link Simulator.bidBound}) and the notional of its resting bids, from
   * the same planning functions `placeLadder` runs (the close as integer
   * units: the same rational as its text). False when that restart would do
   * anything else (a close of 0, no rung that fits).
   */
  ladderAt(c: number, out: VirtualLadder): boolean {
    const close = this.setup.candles.close[c] as number
    if (!(close > 0)) return false
    const dv = this.setup.dv
    rungTicks(dv, close, this.setup.candles.priceScale, this.scratch)
    // sizeRungs without its objects: the same per-rung size and drop test.
    const ticks = this.scratch
    const active = activeRungLimit(dv)
    let placed = 0
    let notional = 0
    let top = 0
    let lastPlaced = Number.POSITIVE_INFINITY
    for (let i = 0; i < ticks.length && placed < active; i++) {
      const p = ticks[i] as number
      const lots = rungLots(dv, i, p)
      if (rungDrop(dv, p, lots, lastPlaced) !== null) continue
      lastPlaced = p
      if (placed === 0) top = p
      notional += p * lots
      placed++
    }
    if (placed === 0) return false
    out.bound = this.boundOf(top * dv.tickMant * this.tickToS)
    out.notionalTL = notional
    return true
  }

  /**
   * Steps the last of a run of no-fill restarts, at candle c's close: the
   * state takes the counters of the `skipped` restarts before it
   * ({@link skipNoFillRestarts}), then the due timer fires and the close is
   * fed, as in step c of {@link Simulator.candle} (the caller has checked
   * that no bid fills at candle c and that each restart places a ladder).
   * Then the book must be the one {@link Simulator.ladderAt} planned.
   */
  skipRestarts(c: number, skipped: number, planned: VirtualLadder): void {
    this.state = skipNoFillRestarts(this.state, skipped)
    this.at = (this.setup.candles.openTime[c] as number) + 60_000
    this.fireTimers()
    if (this.state.status === 'starting')
      this.feedPrice(this.text(this.closeText, this.setup.candles.close, c))
    if (
      this.state.status !== 'laddering' ||
      this.buys.length === 0 ||
      this.bidBound() !== planned.bound ||
      this.buyNotionalTL !== planned.notionalTL
    )
      throw new Error(
        `internal: the restart at candle ${c} placed another ladder than planned`,
      )
  }

  /**
   * Quiet prices: a price strictly inside the state's trigger band
   * (`triggerBand`, the machine's own statement of the prices it reacts to)
   * is a no-op (`advance` returns null: same state, no command), so it is
   * not fed. Takes the column and index, not the price: a double argument
   * to a call that is not inlined is boxed, one allocation per candle.
   */
  private quiet(col: Float64Array, c: number): boolean {
    if (!this.setup.skipQuietPrices) return false
    this.setBand()
    const priceS = (col[c] as number) * this.candleToS
    return priceS > this.bandLo && priceS < this.bandHi
  }

  /**
   * The state's trigger band in S, read once per state object, exactly
   * (`parseUnits(..., 'exact')`; a price that does not parse makes the band
   * empty and every price is fed).
   */
  private setBand(): void {
    const s = this.state
    if (s === this.banded) return
    this.banded = s
    const b = triggerBand(s)
    this.bandLo = Number.POSITIVE_INFINITY
    this.bandHi = Number.NEGATIVE_INFINITY
    if (b.reacts === 'all') return
    const lo =
      b.low === null
        ? Number.NEGATIVE_INFINITY
        : parseUnits(b.low, this.S, 'exact')
    let hi: number | null = Number.POSITIVE_INFINITY
    if (b.high !== null) {
      hi = parseUnits(b.high, this.S, 'exact')
      // Prices are integers in S: p <= high is p < high + 1.
      if (hi !== null && !b.highInclusive) hi += 1
    }
    if (lo !== null && hi !== null) {
      this.bandLo = lo
      this.bandHi = hi
    }
  }

  /**
   * The candles the current state ignores (see {@link QuietRange}), in the
   * series' units, or null when every candle matters (the machine waits
   * for a reference price: each close is fed). A candle is quiet when no
   * resting order fills (a bid at or above its low, a limit sell at or
   * below its high), no timer is due at its close and, in position, its
   * high and low are strictly inside `triggerBand`. That needs low <= high
   * (checked once per series by the caller): then a high at or below the
   * band's low means a low there too.
   */
  quietRange(out: QuietRange): QuietRange | null {
    const status = this.state.status
    if (status === 'starting') return null
    let lo = Number.NEGATIVE_INFINITY
    let hi = Number.POSITIVE_INFINITY
    if (this.buys.length > 0) lo = (this.buys[0] as Resting).priceS
    if (this.sells.length > 0) hi = (this.sells[0] as Resting).priceS
    if (status === 'inPosition') {
      this.setBand()
      if (this.bandLo > lo) lo = this.bandLo
      if (this.bandHi < hi) hi = this.bandHi
    }
    // low[c] * candleToS <= lo  <=>  low[c] <= floor(lo / candleToS), and
    // high[c] * candleToS >= hi  <=>  high[c] >= ceil(hi / candleToS).
    const k = this.candleToS
    out.lo = k === 1 || !Number.isFinite(lo) ? lo : floorDivExact(lo, k)
    out.hi = k === 1 || !Number.isFinite(hi) ? hi : -floorDivExact(-hi, k)
    let until = Number.POSITIVE_INFINITY
    for (const name of TIMER_ORDER)
      if (this.timers[name] < until) until = this.timers[name]
    out.until = until
    return out
  }

  private fee(ticks: number, lots: number, rate: Rate): string {
    if (rate.n === 0n) return '0'
    const notional = ticks * lots * this.setup.dv.tlMoney
    const num = notional * Number(rate.n)
    // Rounded UP to the money unit (a fee is never under-counted).
    const units =
      Number.isSafeInteger(num) && Number.isSafeInteger(Number(rate.d))
        ? ceilDiv(num, Number(rate.d))
        : Number(divRound(BigInt(notional) * rate.n, rate.d, 'up'))
    return formatUnits(units, this.setup.dv.moneyScale)
  }

  private fill(r: Resting, side: 'buy' | 'sell', rate: Rate): void {
    const feeText = this.fee(r.ticks, r.lots, rate)
    this.queue.push({
      type: 'orderFilled',
      at: this.at,
      clientId: r.clientId,
      price: r.price,
      quantity: r.quantity,
      fee: feeText,
    })
    if (r.step >= 0 && this.steps !== null)
      tallyStepSell(this.steps, r.step, r.ticks, r.lots)
    if (this.setup.withTrades) {
      // The classic literal as is (pushed directly: the trade list's hot
      // allocation); a step sell gets its step afterwards.
      this.trades.push({
        time: this.at,
        cycle: Math.floor(r.clientId / 1024),
        side,
        price: r.price,
        quantity: r.quantity,
        fee: feeText,
        clientId: r.clientId,
      })
      if (r.step >= 0)
        (this.trades[this.trades.length - 1] as Trade).step = r.step
    }
  }

  /**
   * The book entry of an order the machine just asked for. Its ticks and
   * lots come from the machine's own record of the order when the command
   * carries that record's strings (the machine writes both from the same
   * integers: `price = ticksToPrice(priceTicks)`, `quantity =
   * lotsToQuantity(qtyLots)`), else from parsing the strings.
   */
  private toResting(clientId: number, price: string, quantity: string) {
    const dv = this.setup.dv
    const orders = this.state.orders
    let ticks: number | null = null
    let lots: number | null = null
    for (let i = orders.length - 1; i >= 0; i--) {
      const o = orders[i] as OrderRecord
      if (o.clientId !== clientId) continue
      if (o.price === price && o.quantity === quantity) {
        ticks = o.priceTicks
        lots = o.qtyLots
      }
      break
    }
    const r: Resting = {
      clientId,
      priceS:
        ticks === null
          ? (parseUnits(price, this.S, 'down') ?? 0)
          : ticks * dv.tickMant * this.tickToS,
      ticks: ticks ?? priceToTicks(dv, price, 'down') ?? 0,
      lots: lots ?? quantityToLots(dv, quantity, 'down') ?? 0,
      price,
      quantity,
      step: -1,
    }
    return r
  }

  /** Performs commands at once (see ../backtest.ts for the acknowledgements). */
  private perform(commands: readonly LadderCommand[]): void {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[k] as LadderCommand
      switch (c.type) {
        case 'placeOrders':
          for (const o of c.orders) {
            const r = this.toResting(o.clientId, o.price, o.quantity)
            this.buyNotionalTL += r.ticks * r.lots
            const buys = this.buys
            let i = buys.length
            while (i > 0 && (buys[i - 1] as Resting).priceS < r.priceS) i--
            buys.splice(i, 0, r)
          }
          break
        case 'cancelOrders':
          this.cancel(c.clientIds)
          break
        case 'sellPosition': {
          const r = this.toResting(c.clientId, c.price, c.quantity)
          if (c.step !== undefined) r.step = c.step
          if (c.orderType === 'limit') {
            const sells = this.sells
            let i = 0
            while (i < sells.length && (sells[i] as Resting).priceS <= r.priceS)
              i++
            sells.splice(i, 0, r)
          } else {
            // Spec: the take profit fills at its target as a maker fill;
            // other market exits pay the taker fee at their trigger price.
            const rate =
              c.reason === 'takeProfit' ? this.setup.maker : this.setup.taker
            this.fill(r, 'sell', rate)
          }
          break
        }
        case 'scheduleTimer':
          this.timers[c.timer] = c.at
          break
        case 'cancelTimer':
          this.timers[c.timer] = Number.POSITIVE_INFINITY
          break
        case 'warning':
          if (this.warnings.length < 100) this.warnings.push(c.message)
          break
        default:
          break
      }
    }
  }

  /**
   * Cancels and acknowledges at once: one `ordersCanceled` for the whole
   * list (the machine copies its order list once, not once per order), or
   * `orderCanceled` for a single order.
   */
  private cancel(clientIds: readonly number[] | 'all'): void {
    const ids: number[] = []
    if (clientIds === 'all') {
      for (const r of this.buys) ids.push(r.clientId)
      for (const r of this.sells) ids.push(r.clientId)
      this.buys.length = 0
      this.sells.length = 0
      this.buyNotionalTL = 0
    } else
      for (const id of clientIds) {
        const b = removeFrom(this.buys, id)
        if (b) this.buyNotionalTL -= b.ticks * b.lots
        if (b || removeFrom(this.sells, id)) ids.push(id)
      }
    if (ids.length === 1)
      this.queue.push({
        type: 'orderCanceled',
        at: this.at,
        clientId: ids[0] as number,
      })
    else if (ids.length > 1)
      this.queue.push({ type: 'ordersCanceled', at: this.at, clientIds: ids })
  }
}

function removeFrom(list: Resting[], clientId: number): Resting | null {
  for (let i = 0; i < list.length; i++)
    if ((list[i] as Resting).clientId === clientId) {
      const [r] = list.splice(i, 1)
      return r as Resting
    }
  return null
}

/** floor(a / k) for integers a and k > 0, exact (no rounding of a / k). */
function floorDivExact(a: number, k: number): number {
  let q = Math.floor(a / k)
  while (q * k > a) q--
  while ((q + 1) * k <= a) q++
  return q
}
