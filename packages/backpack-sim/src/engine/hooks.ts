/**
 * The {@link MatchHooks} the engine hands to matching, placement and
 * cancels: its clock, its fault setting, and its listeners' fan-out.
 *
 * @internal
 */
import type { EngineEvents } from './events.js'
import type { MatchHooks } from './matching.js'
import { finish } from './placement.js'

/**
 * Builds the hooks over the engine's clock and events.
 * @param now - The engine's wall clock (ms).
 * @param splitFills - Reads the engine's current fault setting (partial fills per match).
 * @param events - The engine's listeners' fan-out.
 */
export function matchHooks(
  now: () => number,
  splitFills: () => number,
  events: EngineEvents,
): MatchHooks {
  return {
    now,
    splitFills,
    touch: events.touch,
    finish: (order, status, reason) =>
      finish(order, status, reason, events.emit),
    emit: events.emit,
    trade: (trade) => events.trade(trade),
    listening: () => events.listening,
  }
}
