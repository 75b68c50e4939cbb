/**
 * The admin API: the `/_sim/…` routes (faults, price control, feed steps,
 * ledgers, credits, state), each a thin layer over the {@link Sim} handle
 * with its input checked first (`input.ts` beside this file). See
 * `docs/simulator.md` for the routes.
 *
 * @internal
 */
import { ApiFailure, SimError } from '../errors.js'
import { checkFaults, type SimFaults } from '../faults.js'
import type { Sim } from '../handle.js'
import type { OrderBookState } from '../markets.js'
import { adminBody, adminQuery, listedSymbol } from './input.js'

/**
 * Answers one admin request.
 *
 * @returns The JSON answer.
 * @throws {SimError} for bad input (answered 400), {@link ApiFailure} 404
 *   for an unknown route.
 */
export function adminRoute(
  sim: Sim,
  symbols: readonly string[],
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): unknown {
  const route = `${method} ${path}`
  const noInput = () => {
    adminQuery(route, query, [])
    adminBody(route, body, [])
  }
  switch (route) {
    case 'GET /_sim/faults':
      noInput()
      return sim.faults()
    case 'POST /_sim/faults': {
      adminQuery(route, query, [])
      // checkFaults names an unknown key as "not a fault".
      const b = adminBody(route, body, undefined)
      const next: Record<string, unknown> = {
        ...sim.faults(),
        ...checkFaults(b),
      }
      // `null` clears one fault.
      for (const [key, value] of Object.entries(b)) {
        if (value === null) delete next[key]
      }
      sim.setFaults(next as SimFaults)
      return sim.faults()
    }
    case 'DELETE /_sim/faults':
      noInput()
      sim.setFaults({})
      return sim.faults()
    case 'POST /_sim/drop-connections': {
      noInput()
      const n = sim.connections()
      sim.dropConnections()
      return { dropped: n }
    }
    case 'POST /_sim/price': {
      adminQuery(route, query, [])
      const b = adminBody(route, body, ['symbol', 'price'])
      const symbol = listedSymbol(symbols, b.symbol)
      sim.setPrice(symbol, b.price as string)
      return { symbol, price: sim.fairPrice(symbol) }
    }
    case 'POST /_sim/market-state': {
      adminQuery(route, query, [])
      const b = adminBody(route, body, ['symbol', 'state'])
      const symbol = listedSymbol(symbols, b.symbol)
      sim.setMarketState(symbol, b.state as OrderBookState)
      return { symbol, orderBookState: b.state }
    }
    case 'POST /_sim/step': {
      adminQuery(route, query, [])
      const b = adminBody(route, body, ['steps', 'seconds'])
      sim.step((b.steps ?? 1) as number, (b.seconds ?? 1) as number)
      return Object.fromEntries(
        symbols.map((symbol) => [symbol, sim.fairPrice(symbol)]),
      )
    }
    case 'GET /_sim/ledger': {
      adminQuery(route, query, ['account'])
      adminBody(route, body, [])
      const account = query.get('account')
      if (!account) {
        throw new SimError(
          '`account` is required in the query: /_sim/ledger?account=<base64 public key>',
        )
      }
      return sim.ledger(account)
    }
    case 'POST /_sim/credit': {
      adminQuery(route, query, [])
      const b = adminBody(route, body, ['account', 'asset', 'amount'])
      if (typeof b.account !== 'string' || b.account === '') {
        throw new SimError('`account` is required: a base64 public key')
      }
      sim.credit(b.account, b.asset as string, b.amount as string)
      return sim.ledger(b.account).balances
    }
    case 'GET /_sim/state':
      noInput()
      return {
        markets: Object.fromEntries(
          symbols.map((symbol) => [
            symbol,
            { fairPrice: sim.fairPrice(symbol), book: sim.book(symbol) },
          ]),
        ),
        accounts: sim.accounts(),
        feesCollected: sim.feesCollected(),
        connections: sim.connections(),
        subscriptions: sim.subscriptions(),
      }
    default:
      throw new ApiFailure(
        404,
        'RESOURCE_NOT_FOUND',
        `Unknown admin route ${method} ${path}: see docs/simulator.md`,
      )
  }
}
