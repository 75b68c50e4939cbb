/**
 * The machine's two timers firing: the no-fill restart (no rung filled in
 * `noFillRestartMinutes`) and the end of the cool-down after a cycle. The
 * caller schedules them (`scheduleTimer` commands) and feeds `timerFired`.
 */

import type { LadderState } from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import type { TimerFiredEvent } from './events.js'
import { cancelLive, finish, freshPosition, warning, work } from './state.js'

/**
 * `timerFired` (`noFill`) while laddering: when due, cancels the ladder and
 * waits for the next price to place a new one; early, a warning.
 */
export function noFillRestart(
  state: LadderState,
  event: TimerFiredEvent,
): StepResult {
  const deadline = state.timers.noFill
  if (deadline === false || event.at < deadline)
    return warning(state, event, 'ignored a noFill timer that is not due')
  // No rung of this cycle filled (else the state would be inPosition):
  // cancel the ladder and start again at the next price (spec "No-fill restart").
  const w = work(state)
  const cmds: LadderCommand[] = []
  w.timers.noFill = false
  cancelLive(w, cmds, 'buy')
  w.totals.noFillRestarts++
  w.status = 'starting'
  w.position = freshPosition(w.position)
  cmds.push({
    type: 'log',
    message: `cycle ${w.cycle}: nothing filled in ${state.setup.config.noFillRestartMinutes} min, re-laddering at the next price`,
  })
  return [finish(w), cmds]
}

/**
 * `timerFired` (`coolDown`) while cooling down: when due, the machine waits
 * for the next price to place the next ladder; early, a warning.
 */
export function coolDownOver(
  state: LadderState,
  event: TimerFiredEvent,
): StepResult {
  if (state.status !== 'coolingDown' || event.at < state.until)
    return warning(state, event, 'ignored a coolDown timer that is not due')
  const w = work(state)
  w.timers.coolDown = false
  w.status = 'starting'
  return [
    finish(w),
    [{ type: 'log', message: 'cool-down over, laddering at the next price' }],
  ]
}

/**
 * The counters of `count` no-fill restarts whose ladders were canceled
 * unfilled, added to a `laddering` state without stepping them: the cycle
 * number and `totals.noFillRestarts` each advance by `count`. Internal (the
 * backtest's fast path over runs of no-fill restarts): those two counters
 * are all such a restart leaves behind that the next restart does not
 * replace (the next one cancels the orders, resets the position to a fresh
 * one with the same carried remainder, places its own ladder and timer), so
 * `count` skipped restarts followed by one stepped restart give the state of
 * stepping `count + 1` of them. The caller checks that each skipped ladder
 * would have been placed (a price inside any band, a rung that fits, a
 * cycle number within the client ids) and left unfilled.
 *
 * @param state - A `laddering` state (not modified).
 * @param count - Restarts to account for (>= 0).
 * @returns A new state with the two counters advanced (the same state for 0).
 * @internal
 */
export function skipNoFillRestarts(
  state: LadderState,
  count: number,
): LadderState {
  if (count === 0 || state.status !== 'laddering') return state
  return {
    ...state,
    cycle: state.cycle + count,
    totals: {
      ...state.totals,
      noFillRestarts: state.totals.noFillRestarts + count,
    },
  }
}
