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
