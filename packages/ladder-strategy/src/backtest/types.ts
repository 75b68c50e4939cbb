/**
 * The types the simulator (./simulator.ts) shares with its rooms
 * (./book.ts, ./quiet.ts, ./restarts.ts, ./timers.ts): the rooms take the
 * simulator as a {@link SimState}, so none of them imports ./simulator.ts
 * and the imports run one way.
 */
import type { Trade } from '../backtestOptions.js'
import type { StepTally } from '../backtestSteps.js'
import type { CandleSeries } from '../candles/series.js'
import type {
  LadderEvent,
  TimerFiredEvent,
  TimerName,
} from '../machine/events.js'
import type { Derived } from '../plan.js'
import type { LadderConfig, LadderMarket, LadderState } from '../types.js'

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

/** A fee rate as an exact fraction. @internal */
export interface Rate {
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
 * The simulator as its rooms see it: `Simulator` (./simulator.ts), where
 * each member is described, implements it. @internal
 */
export interface SimState {
  readonly setup: SimulatorSetup
  readonly buys: Resting[]
  readonly sells: Resting[]
  buyNotionalTL: number
  readonly timers: Record<TimerName, number>
  readonly trades: Trade[]
  readonly warnings: string[]
  readonly steps: StepTally | null
  state: LadderState
  at: number
  readonly S: number
  readonly candleToS: number
  readonly tickToS: number
  readonly queue: LadderEvent[]
  readonly fired: TimerFiredEvent[]
  readonly scratch: number[]
  banded: LadderState | null
  bandLo: number
  bandHi: number
  feed(event: LadderEvent): void
  drain(): void
  feedPrice(price: string): void
  closePrice(c: number): string
}

/**
 * The checked inputs of one backtest (../backtest.ts), what every path
 * (the machine's, ./simulator.ts, and the kernel's, ./kernel/) runs on.
 * @internal
 */
export interface BacktestRun {
  candles: CandleSeries
  config: LadderConfig
  market: LadderMarket
  dv: Derived
  maker: Rate
  taker: Rate
  maxPoints: number
  withTrades: boolean
}
