/**
 * Writing trade records to the history: each an idempotent upsert keyed by
 * the record's identity, so a record written twice is one row.
 */
import { addDecimals, multiplyDecimals } from '@rung/backpack-sdk'
import type Database from 'libsql'
import type { TradeRecord } from '../tradeRecord.js'
import { type Row, str } from './historyDb.js'

/** The writer of one database: `writeOne` stores a record, `cycleMoney` sums a cycle's fills. */
export interface RecordWriter {
  /** Stores one record (call it inside a transaction). */
  writeOne(r: TradeRecord, session: string | null): void
  /** Cost and proceeds of a cycle from its fills, exact. */
  cycleMoney(market: string, cycle: number): { cost: string; proceeds: string }
}

/** Prepares the statements of the record writes on `db`. */
export function createRecordWriter(db: Database.Database): RecordWriter {
  const upsertOrder = db.prepare(`
    INSERT INTO orders (market, client_id, session_id, cycle, side, rung, order_type, reason,
      price, quantity, status, placed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
    ON CONFLICT (market, client_id) DO NOTHING`)
  const closeOrder = db.prepare(`
    UPDATE orders SET status = ?, filled_quantity = ?, closed_at = ?, close_reason = ?
    WHERE market = ? AND client_id = ?`)
  const fillOrder = db.prepare(`
    UPDATE orders SET filled_quantity = ?, status = CASE WHEN ? THEN 'filled' ELSE status END,
      closed_at = CASE WHEN ? THEN ? ELSE closed_at END
    WHERE market = ? AND client_id = ?`)
  const insertFill = db.prepare(`
    INSERT INTO fills (market, client_id, cumulative_quantity, session_id, cycle, side, rung,
      price, quantity, fee, fee_asset, reason, adopted, at, held, average_entry, take_profit_price)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (market, client_id, cumulative_quantity) DO NOTHING`)
  const startCycle = db.prepare(`
    INSERT INTO cycles (market, cycle, session_id, started_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (market, cycle) DO NOTHING`)
  const cycleFills = db.prepare(
    'SELECT side, price, quantity FROM fills WHERE market = ? AND cycle = ?',
  )
  const endCycle = db.prepare(`
    INSERT INTO cycles (market, cycle, session_id, ended_at, reason, cost, proceeds, fees, profit,
      carried_quantity, carried_cost)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (market, cycle) DO UPDATE SET session_id = excluded.session_id,
      ended_at = excluded.ended_at, reason = excluded.reason, cost = excluded.cost,
      proceeds = excluded.proceeds, fees = excluded.fees, profit = excluded.profit,
      carried_quantity = excluded.carried_quantity, carried_cost = excluded.carried_cost`)

  /** Cost and proceeds of a cycle from its fills, exact. */
  const cycleMoney = (market: string, cycle: number) => {
    let cost = '0'
    let proceeds = '0'
    for (const f of cycleFills.all(market, cycle) as Row[]) {
      const notional = multiplyDecimals(str(f.price), str(f.quantity))
      if (f.side === 'buy') cost = addDecimals(cost, notional)
      else proceeds = addDecimals(proceeds, notional)
    }
    return { cost, proceeds }
  }

  const writeOne = (r: TradeRecord, session: string | null) => {
    switch (r.kind) {
      case 'orderPlaced':
        upsertOrder.run(
          r.market,
          r.clientId,
          session,
          r.cycle,
          r.side,
          r.rung,
          r.orderType,
          r.reason ?? null,
          r.price,
          r.quantity,
          r.at,
        )
        return
      case 'orderCanceled':
      case 'orderRejected':
        closeOrder.run(
          r.kind === 'orderCanceled' ? 'canceled' : 'rejected',
          r.filledQuantity,
          r.at,
          r.reason ?? null,
          r.market,
          r.clientId,
        )
        return
      case 'fill':
        insertFill.run(
          r.market,
          r.clientId,
          r.cumulativeQuantity,
          session,
          r.cycle,
          r.side,
          r.rung,
          r.price,
          r.quantity,
          r.fee,
          r.feeAsset,
          r.reason ?? null,
          r.adopted ? 1 : 0,
          r.at,
          r.held,
          r.averageEntry,
          r.takeProfitPrice,
        )
        fillOrder.run(
          r.cumulativeQuantity,
          r.orderFilled ? 1 : 0,
          r.orderFilled ? 1 : 0,
          r.at,
          r.market,
          r.clientId,
        )
        return
      case 'cycleStarted':
        startCycle.run(r.market, r.cycle, session, r.at)
        return
      case 'cycleCompleted': {
        const { cost, proceeds } = cycleMoney(r.market, r.cycle)
        endCycle.run(
          r.market,
          r.cycle,
          session,
          r.at,
          r.reason,
          cost,
          proceeds,
          r.fees,
          r.profit,
          r.carriedQuantity,
          r.carriedCost,
        )
        return
      }
    }
  }
  return { writeOne, cycleMoney }
}
