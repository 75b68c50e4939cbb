import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { mul } from '../decimal.js'
import { ApiFailure } from '../errors.js'
import { DEFAULT_MARKETS, toMarket } from '../markets.js'
import { Engine } from './engine.js'
import { remaining } from './matching.js'
import type { EngineOrder } from './types.js'

const op = fc.oneof(
  fc.record({
    kind: fc.constant('limit' as const),
    who: fc.integer({ min: 0, max: 2 }),
    side: fc.constantFrom('Bid' as const, 'Ask' as const),
    ticks: fc.integer({ min: -20, max: 20 }),
    lots: fc.integer({ min: 1, max: 400 }),
    tif: fc.constantFrom('GTC', 'GTC', 'IOC', 'FOK'),
    postOnly: fc.boolean(),
    stp: fc.constantFrom('RejectTaker', 'RejectMaker', 'RejectBoth', 'Allow'),
  }),
  fc.record({
    kind: fc.constant('market' as const),
    who: fc.integer({ min: 0, max: 2 }),
    side: fc.constantFrom('Bid' as const, 'Ask' as const),
    lots: fc.integer({ min: 1, max: 600 }),
    byQuote: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cancel' as const),
    who: fc.integer({ min: 0, max: 2 }),
    pick: fc.nat(),
    all: fc.boolean(),
  }),
)

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

function run(ops: Op[], split: number): void {
  const engine = new Engine({
    markets: DEFAULT_MARKETS.map(toMarket),
    now: () => 1_700_000_000_000,
    makerFeeBps: '8',
    takerFeeBps: '10',
    initialBalances: { USDC: '5000', SOL: '40' },
  })
  engine.splitFills = split
  const accounts = ['a', 'b', 'c'].map((k) => engine.account(k))
  const book = engine.book('SOL_USDC')
  // taker order id -> makers matched, in order
  const matched = new Map<string, EngineOrder[]>()
  let taker: EngineOrder | undefined
  engine.addListener({
    orderEvent(o, e, fill) {
      if (e === 'orderAccepted') taker = o
      if (e === 'orderFill' && fill?.isMaker && taker) {
        const list = matched.get(taker.id) ?? []
        list.push(o)
        matched.set(taker.id, list)
      }
    },
    trade() {},
    depth() {},
  })
  for (const o of ops) {
    const acc = accounts[o.who]!
    try {
      if (o.kind === 'limit') {
        taker = undefined
        engine.placeOrder(acc, {
          symbol: 'SOL_USDC',
          side: o.side,
          orderType: 'Limit',
          price: (100 + o.ticks / 100).toFixed(2),
          quantity: (o.lots / 100).toFixed(2),
          timeInForce: o.tif,
          postOnly: o.postOnly && o.tif === 'GTC',
          selfTradePrevention: o.stp,
        })
      } else if (o.kind === 'market') {
        engine.placeOrder(acc, {
          symbol: 'SOL_USDC',
          side: o.side,
          orderType: 'Market',
          ...(o.byQuote
            ? { quoteQuantity: String(o.lots) }
            : { quantity: (o.lots / 100).toFixed(2) }),
        })
      } else {
        const open = [...acc.open.values()]
        if (o.all) engine.cancelAll(acc, 'SOL_USDC')
        else if (open.length > 0) engine.cancel(open[o.pick % open.length]!)
      }
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
    }
    // No balance created or destroyed: accounts + fees = initial, per asset.
    for (const asset of ['USDC', 'SOL']) {
      let total = engine.feesCollected.get(asset) ?? 0n
      for (const acc of accounts) {
        const b = engine.balance(acc, asset)
        expect(b.available >= 0n && b.locked >= 0n).toBe(true)
        total += b.available + b.locked
      }
      expect(total).toBe((asset === 'USDC' ? 15_000n : 120n) * 10n ** 18n)
    }
    // Locked funds equal what the open orders still need.
    for (const acc of accounts) {
      let usdc = 0n
      let sol = 0n
      for (const ord of acc.open.values()) {
        if (ord.side === 'Bid') {
          expect(ord.locked).toBe(mul(ord.price!, remaining(ord), 'up'))
          usdc += ord.locked
        } else {
          expect(ord.locked).toBe(remaining(ord))
          sol += ord.locked
        }
      }
      expect(engine.balance(acc, 'USDC').locked).toBe(usdc)
      expect(engine.balance(acc, 'SOL').locked).toBe(sol)
    }
    // The book never crosses and keeps FIFO within a level.
    const bid = book.bids[0]?.price
    const ask = book.asks[0]?.price
    if (bid !== undefined && ask !== undefined) expect(bid < ask).toBe(true)
    for (const level of [...book.bids, ...book.asks]) {
      expect(level.orders.length).toBeGreaterThan(0)
      for (let i = 1; i < level.orders.length; i++) {
        expect(level.orders[i - 1]!.seq < level.orders[i]!.seq).toBe(true)
      }
    }
  }
  // Price-time priority: each taker met makers best price first, then oldest first.
  for (const makers of matched.values()) {
    for (let i = 1; i < makers.length; i++) {
      const p = makers[i - 1]!
      const q = makers[i]!
      if (p === q) continue
      const better =
        p.side === 'Ask' ? p.price! < q.price! : p.price! > q.price!
      expect(better || (p.price === q.price && p.seq < q.seq)).toBe(true)
    }
  }
}

describe('Engine invariants', () => {
  test.prop([fc.array(op, { minLength: 1, maxLength: 60 })], { numRuns: 300 })(
    'behavior: conservation, locks, uncrossed book, price-time priority',
    (ops) => run(ops, 1),
  )
  test.prop(
    [
      fc.array(op, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 2, max: 4 }),
    ],
    {
      numRuns: 50,
    },
  )('behavior: the same hold with split fills', (ops, split) => run(ops, split))
})
