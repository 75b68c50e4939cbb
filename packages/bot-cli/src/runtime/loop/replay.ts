/**
 * The loop's first phase: the journal replayed into the loop's state. A
 * journal with a cycle in progress (or a position held through a stop) is
 * resumed; one that ended stopped starts a fresh cycle, with cycle numbers
 * carried on so client ids are never reused on the data directory.
 */
import { randomUUID } from 'node:crypto'
import {
  initialState,
  type LadderEvent,
  type LadderState,
  step,
} from '@rung/ladder-strategy'
import { type TradeRecord, tradeRecords } from '../tradeRecord.js'
import type { BotOptions, JournalNote, JournalSnapshot } from './botTypes.js'
import { type Intent, type Loop, remember, writeHistory } from './loop.js'

/**
 * Replays the journal and builds the loop's state from it; the trade records
 * of the replayed steps are written to the history again (a no-op for the
 * rows already there).
 *
 * @param options - What the bot was started with (its journal already opened).
 * @returns The loop, ready for its start.
 */
export function replayJournal(options: BotOptions): Loop {
  const { setup, journal, logger, history } = options
  const symbol = setup.market.symbol
  const intents = new Map<number, Intent>()
  const replay = journal.replay
  const snap = replay.snapshot as JournalSnapshot | undefined
  let state: LadderState =
    snap?.ladder ?? initialState(setup.config, setup.market)
  let cycleStartAt = snap?.cycleStartAt ?? 0
  // The records of the replayed steps: a crash between the journal's fsync
  // and the history's write leaves rows out; writing them again is a no-op
  // for the rows already there.
  const catchUp: TradeRecord[] = []
  for (const event of replay.events as LadderEvent[]) {
    const [next, commands] = step(state, event)
    if (next.cycle !== state.cycle) cycleStartAt = event.at
    catchUp.push(...tradeRecords(state, event, next, commands))
    remember(intents, commands)
    state = next
  }
  let crashedSession: string | null = null
  for (const n of replay.notes as JournalNote[])
    if (n.kind === 'sessionStarted') crashedSession = n.id
  writeHistory(options, catchUp, crashedSession)
  const running = state.status !== 'idle' && state.status !== 'stopped'
  // Stopped by request while holding this cycle's position: the position is
  // this bot's, with its cost in the journal, and the cycle goes on to its
  // take profit (the strategy resumes it on `started`) instead of being sold
  // as a leftover.
  const heldStopped =
    state.status === 'stopped' &&
    step(state, { type: 'started', at: 0 })[0].status === 'inPosition'
  const resumed = running || heldStopped
  if (!resumed) {
    state = freshState(options, state)
    cycleStartAt = 0
  } else if (JSON.stringify(state.setup) !== JSON.stringify(setup)) {
    logger.warn(
      "the config or market rules changed since the journal was written; the resumed run keeps the journal's settings (stop with onStop: cancel, then start again, to apply the new ones)",
    )
  }
  return {
    options,
    sessionId: options.sessionId ?? randomUUID(),
    symbol,
    base: symbol.split('_')[0] ?? symbol,
    intents,
    resumed,
    heldStopped,
    // Realised profit of this session, and over every session of the history.
    realisedBefore: history?.realisedTotal(symbol),
    state,
    cycleStartAt,
    realisedProfit: '0',
    queue: [],
    wake: undefined,
    reconcileQueued: false,
    timers: new Map(),
    connection: 'connecting',
    stopRequested: false,
    stoppedByStrategy: false,
    lastPrice: undefined,
    recent: [],
    intervals: [],
    statusDue: false,
    publishedAt: 0,
  }
}

/**
 * The state of a fresh run after a journal that ended stopped (graceful
 * stop, strategy done); the start cancels whatever is open on the market.
 */
function freshState(options: BotOptions, previous: LadderState): LadderState {
  const { setup, history } = options
  // Cycle numbers carry on from the previous run (and from the trade
  // history, should the journal have been moved away), so client ids (cycle
  // x 1024 + slot) are never reused on this data directory and an old run's
  // fills can never be mistaken for this one's.
  const state: LadderState = {
    ...initialState(setup.config, setup.market),
    cycle: Math.max(
      previous.cycle,
      history?.maxCycle(setup.market.symbol) ?? 0,
    ),
  }
  // The remainder carried out of the last cycle stays the strategy's when
  // its units mean the same (same config and market).
  if (JSON.stringify(previous.setup) !== JSON.stringify(setup)) return state
  return {
    ...state,
    position: {
      ...state.position,
      carriedLots: previous.position.carriedLots ?? 0,
      carriedFineUnits: previous.position.carriedFineUnits ?? 0,
      carriedCostUnits: previous.position.carriedCostUnits ?? 0,
    },
  }
}
