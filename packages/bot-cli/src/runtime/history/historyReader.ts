/** Reading the history back: sessions, cycles, fills and leftover sales, filtered. */
import type Database from 'libsql'
import { numOrNull, type Row, str, strOrNull, where } from './historyDb.js'
import type { HistoryFilter, HistoryStore } from './historyTypes.js'
import type { RecordWriter } from './historyWriter.js'

/** The queries of a {@link HistoryStore} over `db`. */
export function createReaders(
  db: Database.Database,
  cycleMoney: RecordWriter['cycleMoney'],
): Pick<HistoryStore, 'sessions' | 'cycles' | 'fills' | 'leftovers'> {
  // Every table is read the same way: filtered on its time column, in order.
  const select = (
    table: string,
    filter: HistoryFilter | undefined,
    time: string,
    order: string,
  ): Row[] => {
    const [w, args] = where(filter, time)
    return db
      .prepare(`SELECT * FROM ${table} ${w} ORDER BY ${order}`)
      .all(...args) as Row[]
  }
  return {
    sessions(filter) {
      return select('sessions', filter, 'started_at', 'started_at').map(
        (r) => ({
          id: str(r.id),
          market: str(r.market),
          mode: str(r.mode),
          startedAt: Number(r.started_at),
          endedAt: numOrNull(r.ended_at),
          endReason: strOrNull(r.end_reason),
          resumed: Number(r.resumed) === 1,
        }),
      )
    },
    cycles(filter) {
      const time = 'coalesce(ended_at, started_at)'
      return select('cycles', filter, time, `${time}, cycle`).map((r) => {
        const money =
          r.cost === null || r.cost === undefined
            ? cycleMoney(str(r.market), Number(r.cycle))
            : { cost: str(r.cost), proceeds: str(r.proceeds) }
        return {
          market: str(r.market),
          cycle: Number(r.cycle),
          sessionId: strOrNull(r.session_id),
          startedAt: numOrNull(r.started_at),
          endedAt: numOrNull(r.ended_at),
          reason: strOrNull(r.reason),
          ...money,
          fees: strOrNull(r.fees),
          profit: strOrNull(r.profit),
          carriedQuantity: strOrNull(r.carried_quantity),
          carriedCost: strOrNull(r.carried_cost),
        }
      })
    },
    fills(filter) {
      return select('fills', filter, 'at', 'at, client_id').map((r) => ({
        market: str(r.market),
        cycle: Number(r.cycle),
        clientId: Number(r.client_id),
        side: str(r.side),
        rung: Number(r.rung),
        price: str(r.price),
        quantity: str(r.quantity),
        fee: str(r.fee),
        feeAsset: str(r.fee_asset),
        reason: strOrNull(r.reason),
        adopted: Number(r.adopted) === 1,
        at: Number(r.at),
        averageEntry: strOrNull(r.average_entry),
        takeProfitPrice: strOrNull(r.take_profit_price),
        sessionId: strOrNull(r.session_id),
      }))
    },
    leftovers(filter) {
      return select('leftover_sales', filter, 'at', 'at, client_id').map(
        (r) => ({
          sessionId: str(r.session_id),
          clientId: Number(r.client_id),
          market: str(r.market),
          asset: str(r.asset),
          at: Number(r.at),
          quantity: str(r.quantity),
          proceeds: str(r.proceeds),
          fee: str(r.fee),
          feeAsset: str(r.fee_asset),
          ...(r.order_id === null ? {} : { orderId: str(r.order_id) }),
        }),
      )
    },
  }
}
