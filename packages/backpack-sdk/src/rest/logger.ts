/**
 * The logger the SDK writes to, when one is injected. Every method is
 * optional; without a logger the SDK writes nothing (it never calls
 * `console`). Messages never contain keys, signatures or auth headers.
 *
 * @example
 * ```ts
 * import { createBackpackClient } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({
 *   logger: { warn: (message, context) => console.warn(message, context) },
 * })
 * ```
 */
export interface Logger {
  /** Fine-grained events: each request, clock syncs. */
  debug?(message: string, context?: Record<string, unknown>): void
  /** Noteworthy events. */
  info?(message: string, context?: Record<string, unknown>): void
  /** Recoverable problems: retries, failed clock syncs, order lookups. */
  warn?(message: string, context?: Record<string, unknown>): void
  /** Failures the SDK cannot recover from itself. */
  error?(message: string, context?: Record<string, unknown>): void
}
