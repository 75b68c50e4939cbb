/**
 * Reconnect delays: exponential backoff with jitter, capped.
 *
 * delay(n) = min(maxDelayMs, initialDelayMs * multiplier^n), then scaled into
 * [delay * (1 - jitter), delay] with `random()`. Jitter spreads reconnects of
 * many clients after a server restart instead of having them arrive at once.
 */

/** @internal Resolved reconnect settings. */
export interface BackoffSettings {
  initialDelayMs: number
  maxDelayMs: number
  multiplier: number
  jitter: number
}

/** @internal The delay before reconnect attempt `attempt` (0-based), in ms. */
export function backoffDelay(
  attempt: number,
  s: BackoffSettings,
  random: () => number,
): number {
  const base = Math.min(
    s.maxDelayMs,
    s.initialDelayMs * s.multiplier ** Math.min(attempt, 64),
  )
  return Math.round(base * (1 - s.jitter * random()))
}
