/**
 * The exchange side of an order book for tests: a per-symbol update counter
 * shared by depth events (`U`/`u`) and the REST snapshot (`lastUpdateId`),
 * as reference §12 rule 9 describes.
 */

/** A depth payload exactly as Backpack sends it (short keys). */
export interface DepthPayload {
  e: 'depth'
  E: number
  s: string
  a: [string, string][]
  b: [string, string][]
  U: number
  u: number
  T: number
}

/** The server's book. */
export class ServerBook {
  readonly bids = new Map<string, string>()
  readonly asks = new Map<string, string>()
  lastUpdateId: number

  constructor(
    readonly symbol: string,
    startId = 1000,
  ) {
    this.lastUpdateId = startId
  }

  /**
   * Applies changes (quantity "0" deletes) as `updates` engine updates and
   * returns the matching depth payload.
   */
  update(
    changes: { bids?: [string, string][]; asks?: [string, string][] },
    updates = 1,
  ): DepthPayload {
    for (const [p, q] of changes.bids ?? []) set(this.bids, p, q)
    for (const [p, q] of changes.asks ?? []) set(this.asks, p, q)
    const U = this.lastUpdateId + 1
    this.lastUpdateId += updates
    const t = 1_700_000_000_000_000 + this.lastUpdateId
    return {
      e: 'depth',
      E: t,
      s: this.symbol,
      a: changes.asks ?? [],
      b: changes.bids ?? [],
      U,
      u: this.lastUpdateId,
      T: t,
    }
  }

  /** The REST `GET /api/v1/depth` answer (bids deliberately unsorted). */
  snapshot() {
    return {
      bids: [...this.bids.entries()],
      asks: [...this.asks.entries()],
      lastUpdateId: String(this.lastUpdateId),
      timestamp: 1_700_000_000_000_000 + this.lastUpdateId,
    }
  }

  /** Levels sorted best first, prices compared as numbers (test-only). */
  sorted(side: 'bids' | 'asks'): [string, string][] {
    const sign = side === 'bids' ? -1 : 1
    return [...this[side].entries()].sort(
      (x, y) => sign * (Number(x[0]) - Number(y[0])),
    )
  }
}

function set(m: Map<string, string>, p: string, q: string) {
  if (Number(q) === 0) m.delete(p)
  else m.set(p, q)
}
