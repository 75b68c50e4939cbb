/**
 * The simulator's timers (./simulator.ts): the order a candle fires them
 * in, and step c of a candle, firing those due at its close.
 */
import type { TimerFiredEvent, TimerName } from '../machine/events.js'
import type { SimState } from './types.js'

/**
 * Every timer name, in the order a candle fires them. The `satisfies`
 * makes a new `TimerName` a type error here until it is listed. @internal
 */
export const TIMER_ORDER = Object.keys({
  noFill: 0,
  coolDown: 0,
} satisfies Record<TimerName, 0>) as TimerName[]

/**
 * Step c of a candle: the timers due at `sim.at`, in {@link TIMER_ORDER},
 * each fed as its reused `timerFired` event. @internal
 */
export function fireTimers(sim: SimState): void {
  const timers = sim.timers
  for (let k = 0; k < TIMER_ORDER.length; k++) {
    const name = TIMER_ORDER[k] as TimerName
    if (timers[name] <= sim.at) {
      timers[name] = Number.POSITIVE_INFINITY
      const event = sim.fired[k] as TimerFiredEvent
      event.at = sim.at
      sim.feed(event)
    }
  }
}
