/**
 * Client ids of the machine's orders: `cycle x 1024 + slot`, slots 0..511
 * for the ladder's rungs and 512..1023 for the cycle's sells.
 */

/** Client ids: cycle x 1024 + slot; slots 0..511 are rungs, 512..1023 sells. */
export const SLOTS = 1024
export const SELL_SLOT0 = 512
/** Largest cycle whose client ids still fit in a uint32. */
export const MAX_CYCLE = Math.floor(0xffff_ffff / SLOTS)

/**
 * The client id the machine uses for rung `slot` (0..511) or sell slot
 * (512..1023) of a cycle: `cycle x 1024 + slot`, a uint32, never reused
 * within a run.
 *
 * @param cycle - Cycle number (>= 1).
 * @param slot - Slot: the rung index for bids, 512 + n for the n-th sell.
 * @returns The uint32 client id.
 * @example
 * ```ts
 * import { clientIdFor } from '@rung/ladder-strategy'
 * clientIdFor(3, 0) // 3072
 * ```
 */
export function clientIdFor(cycle: number, slot: number): number {
  return cycle * SLOTS + slot
}

/**
 * Decodes a client id made by {@link clientIdFor}.
 *
 * @param clientId - A uint32 client id.
 * @returns The cycle, the slot, and whether the slot is a rung or a sell.
 * @example
 * ```ts
 * import { parseClientId } from '@rung/ladder-strategy'
 * parseClientId(3072) // { cycle: 3, slot: 0, kind: 'rung' }
 * ```
 */
export function parseClientId(clientId: number): {
  /** The cycle number (1 for the first cycle). */
  cycle: number
  /** The slot within the cycle: rungs 0-511, sells 512-1023. */
  slot: number
  /** Whether the id belongs to a ladder rung or to an exit sell. */
  kind: 'rung' | 'sell'
} {
  const slot = clientId % SLOTS
  return {
    cycle: Math.floor(clientId / SLOTS),
    slot,
    kind: slot < SELL_SLOT0 ? 'rung' : 'sell',
  }
}
