/**
 * The global budget of a multi-market run (`maxTotalAmount`): the quote
 * committed across every ladder, checked before each buy is sent.
 *
 * A ladder's committed quote is what its current cycle's bids can spend:
 * limit price x quantity of every live or filled bid, and price x filled
 * quantity of a canceled one. Counting a filled bid at its limit price (an
 * upper bound of what it cost: a bid never fills above its limit) makes the
 * sum unchanged by fills: only placing a bid raises it and only a cancel or a
 * new cycle lowers it. So concurrent fills in other markets cannot push the
 * total over the cap between a check and the order it guards, and every
 * check reads the other ladders' states as they are at that moment (the
 * process is single-threaded: the check and the bookkeeping of the orders
 * it lets through happen in one synchronous step).
 *
 * Bids that would go over the cap are not sent: they come back as
 * `orderRejected` events (the strategy drops them and goes on with the
 * rungs it has).
 */
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import type {
  LadderCommand,
  LadderEvent,
  LadderState,
  OrderRecord,
} from '@rung/ladder-strategy'
import type { Logger } from '../../ui/logger.js'
import type { Executor } from '../ports.js'

/** Statuses of a bid whose whole quantity still counts. */
const COUNTED = new Set<OrderRecord['status']>([
  'pending',
  'open',
  'canceling',
  'filled',
])

/**
 * The quote (decimal string) a ladder's current cycle has committed: limit
 * price x quantity of each pending, open, canceling or filled bid, price x
 * filled quantity of a canceled one.
 *
 * @param state - The ladder's state.
 * @param excluded - Client ids not to count (bids being canceled in the same batch).
 * @returns The committed quote, exact.
 */
export function committedQuote(
  state: LadderState,
  excluded: ReadonlySet<number> = new Set(),
): string {
  const step = state.setup.market.stepSize
  let sum = '0'
  for (const o of state.orders) {
    if (o.side !== 'buy' || o.cycle !== state.cycle) continue
    if (excluded.has(o.clientId) && o.filledLots === 0) continue
    if (COUNTED.has(o.status) && !excluded.has(o.clientId))
      sum = addDecimals(sum, multiplyDecimals(o.price, o.quantity))
    else if (o.filledLots > 0)
      sum = addDecimals(
        sum,
        multiplyDecimals(o.price, multiplyDecimals(String(o.filledLots), step)),
      )
  }
  return sum
}

/** The shared ledger of a run's ladders. */
export interface Budget {
  /** The cap (decimal string), or undefined for none. */
  readonly maxTotalAmount: string | undefined
  /** Registers a ladder's live state, read at every check. */
  register(symbol: string, state: () => LadderState | undefined): void
  /** Committed quote of every registered ladder, and their sum. */
  committed(): { bySymbol: Record<string, string>; total: string }
  /**
   * Wraps a ladder's executor: each `placeOrders` is cut to the bids that
   * keep the total within the cap; the others become `orderRejected`.
   */
  guard(symbol: string, executor: Executor, logger: Logger): Executor
}

/**
 * Creates the shared budget of a multi-market run.
 *
 * @param maxTotalAmount - The cap (decimal string), or undefined for no cap.
 * @param now - Clock (ms) stamped on the rejections.
 * @returns The budget; register each ladder's state, wrap its executor.
 * @example
 * ```ts
 * import { createBudget } from '@rung/bot-cli'
 * const budget = createBudget('3000', Date.now)
 * // budget.register('SOL_USDC', () => bot.state())
 * // const executor = budget.guard('SOL_USDC', liveExecutor, logger)
 * ```
 */
export function createBudget(
  maxTotalAmount: string | undefined,
  now: () => number,
): Budget {
  const ladders = new Map<string, () => LadderState | undefined>()
  const committed = () => {
    const bySymbol: Record<string, string> = {}
    let total = '0'
    for (const [symbol, state] of ladders) {
      const s = state()
      const c = s === undefined ? '0' : committedQuote(s)
      bySymbol[symbol] = c
      total = addDecimals(total, c)
    }
    return { bySymbol, total }
  }
  /** The other ladders' committed quote. */
  const others = (symbol: string) => {
    let total = '0'
    for (const [other, state] of ladders) {
      if (other === symbol) continue
      const s = state()
      if (s !== undefined) total = addDecimals(total, committedQuote(s))
    }
    return total
  }
  /** Splits a batch's bids into those within the cap and the rejections. */
  const cut = (
    symbol: string,
    commands: readonly LadderCommand[],
    state: LadderState,
  ): { commands: LadderCommand[]; rejected: LadderEvent[] } => {
    // Without bids nothing can go over the cap, and the sums over every
    // ladder are not needed: a take profit's sell and cancels go straight
    // through (they are on the latency path, issue 17).
    if (
      maxTotalAmount === undefined ||
      !commands.some((c) => c.type === 'placeOrders')
    )
      return { commands: [...commands], rejected: [] }
    const placing = new Set<number>()
    const canceling = new Set<number>()
    for (const c of commands) {
      if (c.type === 'placeOrders')
        for (const o of c.orders) placing.add(o.clientId)
      if (c.type === 'cancelOrders')
        for (const o of state.orders)
          if (c.clientIds === 'all' || c.clientIds.includes(o.clientId))
            if (!placing.has(o.clientId)) canceling.add(o.clientId)
    }
    // What stays committed here without the bids of this batch.
    let used = addDecimals(
      others(symbol),
      committedQuote(state, new Set([...placing, ...canceling])),
    )
    const rejected: LadderEvent[] = []
    const out = commands.map((c): LadderCommand => {
      if (c.type !== 'placeOrders') return c
      const kept = c.orders.filter((o) => {
        const next = addDecimals(used, multiplyDecimals(o.price, o.quantity))
        if (compareDecimals(next, maxTotalAmount) > 0) {
          rejected.push({
            type: 'orderRejected',
            at: now(),
            clientId: o.clientId,
            reason: `not sent: it would bring the quote committed across all markets to ${next}, over maxTotalAmount ${maxTotalAmount}`,
          })
          return false
        }
        used = next
        return true
      })
      return { ...c, orders: kept }
    })
    return {
      commands: out.filter(
        (c) => c.type !== 'placeOrders' || c.orders.length > 0,
      ),
      rejected,
    }
  }
  return {
    maxTotalAmount,
    register(symbol, state) {
      ladders.set(symbol, state)
    },
    committed,
    guard(symbol, executor, logger) {
      return {
        ...executor,
        async run(commands, state) {
          const { commands: allowed, rejected } = cut(symbol, commands, state)
          if (rejected.length > 0)
            logger.warn('budget cap: bids not sent', {
              market: symbol,
              bids: rejected.length,
              maxTotalAmount,
            })
          const result = await executor.run(allowed, state)
          return { ...result, events: [...rejected, ...result.events] }
        },
      }
    },
  }
}
