/**
 * `@rung/ladder-strategy`: the ladder buy + take-profit strategy of
 * LADDER-SPEC.md as a pure, deterministic state machine, with its
 * backtester and a parameter sweep. No dependency on the SDK: market rules
 * arrive as plain data, money as decimal strings.
 *
 * What lives where:
 * - `validateConfig` / `DEFAULT_LADDER_CONFIG`: the config (classic file accepted as is).
 * - `planLadder`: the ladder for one reference price.
 * - `initialState` / `step`: the machine (events in, commands out).
 * - `runBacktest`, `parseCandlesCsv`: model v1 backtests.
 *
 * This entry is pure: it imports no Node.js module, so it runs in a browser
 * or any worker. Reading a candle file (`readCandlesCsv`) and the parameter
 * sweep on worker threads (`sweep`, `createSweepPool`) are in
 * `@rung/ladder-strategy/node`.
 *
 * @example
 * ```ts
 * import { initialState, step, validateConfig } from '@rung/ladder-strategy'
 *
 * const { config } = validateConfig({ trading: { tradingCoin: 'BTC', totalAmount: 500 } })
 * const market = { symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001' }
 * let state = initialState(config, market)
 * let commands
 * ;[state, commands] = step(state, { type: 'started', at: Date.now(), price: '60000' })
 * for (const command of commands) console.log(command) // perform them, feed results back as events
 * ```
 *
 * @module
 */

export { runBacktest } from './backtest.js'
export type {
  BacktestFees,
  BacktestOptions,
  BacktestReport,
  EquityPoint,
  TakeProfitStepReport,
  Trade,
} from './backtestOptions.js'
export type { CandleCsvOptions, CandleCsvParser } from './candles/csv.js'
export {
  candlesFromRows,
  createCandleCsvParser,
  parseCandlesCsv,
} from './candles/csv.js'
export { CandleDataError } from './candles/errors.js'
export type { CandleRow, CandleSeries } from './candles/series.js'
export { sliceCandles } from './candles/series.js'
export type { CandleTimeUnit } from './candles/units.js'
export {
  DEFAULT_LADDER_CONFIG,
  MAX_ORDER_COUNT,
  MAX_TAKE_PROFIT_STEPS,
  suggestKey,
  validateConfig,
} from './config.js'
export type { ConfigIssue } from './errors.js'
export { isLadderConfigError, LadderConfigError } from './errors.js'
export { clientIdFor, parseClientId } from './machine/clientIds.js'
export type {
  CancelOrdersCommand,
  CancelTimerCommand,
  CycleCompletedCommand,
  FillBookedCommand,
  LadderCommand,
  LogCommand,
  OrderToPlace,
  PlaceOrdersCommand,
  ScheduleTimerCommand,
  SellPositionCommand,
  StepResult,
  StoppedCommand,
  WarningCommand,
} from './machine/commands.js'
export type {
  ExchangeFill,
  ExchangeOrder,
  LadderEvent,
  OrderAcceptedEvent,
  OrderCanceledEvent,
  OrderFilledEvent,
  OrderRejectedEvent,
  OrdersCanceledEvent,
  PriceUpdatedEvent,
  ReconciledEvent,
  StartedEvent,
  StopRequestedEvent,
  TimerFiredEvent,
  TimerName,
} from './machine/events.js'
export { initialState } from './machine/state.js'
export { step } from './machine/step.js'
export type { TriggerBand } from './machine/triggers.js'
export { triggerBand } from './machine/triggers.js'
export { planLadder } from './plan.js'
export type {
  ConfigWarning,
  CoolingDownState,
  DecimalString,
  DroppedRung,
  DropReason,
  ExitingState,
  ExitReason,
  IdleState,
  InPositionState,
  LadderConfig,
  LadderingState,
  LadderMarket,
  LadderPlan,
  LadderSetup,
  LadderState,
  MarketRules,
  OrderRecord,
  OrderStatus,
  PlannedRung,
  PositionRecord,
  QueuedRung,
  RunTotals,
  StartingState,
  StateCommon,
  StoppedState,
  StopReason,
  TakeProfitOrderType,
  TakeProfitStep,
  TimerDeadlines,
  ValidatedConfig,
} from './types.js'
