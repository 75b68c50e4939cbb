/**
 * Type confusion: every public function given wrong-typed arguments throws
 * ValidationError (or TypeError), before any I/O.
 */
import { describe, expect, test } from 'vitest'
import { TEST_SECRET_KEY } from '../test/msw/fixtures.js'
import * as sdk from './index.js'
import { ValidationError } from './index.js'

const WRONG: unknown[] = [
  null,
  'SOL_USDC',
  42,
  true,
  [],
  [1],
  () => 1,
  Symbol('x'),
  1n,
  { symbol: 1 },
  { symbol: 'SOL_USDC', nope: 1 },
  { symbol: 'SOL USDC' },
  { symbol: 'SOL_USDC', limit: '5' },
  { symbol: 'SOL_USDC', limit: 1.5 },
  { symbol: 'SOL_USDC', limit: -1 },
]

const noIo: sdk.FetchFn = () => {
  throw new Error('type confusion must fail before any I/O')
}
const client = sdk.createBackpackClient({
  fetch: noIo,
  secretKey: TEST_SECRET_KEY,
  retry: false,
})

const withParams = {
  getAssets: sdk.getAssets,
  getMarkets: sdk.getMarkets,
  getMarket: sdk.getMarket,
  getTicker: sdk.getTicker,
  getTickers: sdk.getTickers,
  getDepth: sdk.getDepth,
  getKlines: sdk.getKlines,
  getRecentTrades: sdk.getRecentTrades,
  getHistoricalTrades: sdk.getHistoricalTrades,
  getCollateral: sdk.getCollateral,
  executeOrder: sdk.executeOrder,
  executeOrders: sdk.executeOrders,
  getOrder: sdk.getOrder,
  findOrderByClientId: sdk.findOrderByClientId,
  getOpenOrders: sdk.getOpenOrders,
  cancelOrder: sdk.cancelOrder,
  cancelOpenOrders: sdk.cancelOpenOrders,
  getOrderHistory: sdk.getOrderHistory,
  getFillHistory: sdk.getFillHistory,
  loadMarketRules: sdk.loadMarketRules,
} as Record<string, (c: unknown, p: unknown, o?: unknown) => Promise<unknown>>

const withoutParams = {
  getStatus: sdk.getStatus,
  ping: sdk.ping,
  getServerTime: sdk.getServerTime,
  getBalances: sdk.getBalances,
  getAccount: sdk.getAccount,
} as Record<string, (c: unknown, o?: unknown) => Promise<unknown>>

const label = (value: unknown) =>
  typeof value === 'symbol' ||
  typeof value === 'bigint' ||
  typeof value === 'function'
    ? typeof value
    : JSON.stringify(value)

describe('type confusion', () => {
  test.each(Object.entries(withParams))(
    'error: %s(params)',
    async (name, fn) => {
      for (const value of WRONG) {
        // Optional-params endpoints accept an object with only their own keys;
        // every value above is wrong for every endpoint in some way.
        const error = await fn(client, value).catch((e: unknown) => e)
        expect(error, `${name}(${label(value)})`).toBeInstanceOf(
          ValidationError,
        )
      }
    },
  )

  test.each([
    ...Object.entries(withoutParams).map(
      ([n, f]) => [n, (o: unknown) => f(client, o)] as const,
    ),
    ...Object.entries(withParams).map(
      ([n, f]) =>
        [n, (o: unknown) => f(client, { symbol: 'SOL_USDC' }, o)] as const,
    ),
  ])('error: %s(…, options)', async (name, call) => {
    for (const options of [
      null,
      'x',
      { timeoutMs: -1 },
      { timeoutMs: '1' },
      { signal: {} },
    ]) {
      const error = await call(options).catch((e: unknown) => e)
      expect(
        error instanceof ValidationError || error instanceof TypeError,
        `${name} ${JSON.stringify(options)}`,
      ).toBe(true)
    }
  })

  test('error: sync helpers', () => {
    const decimalFns = [
      () => sdk.addDecimals(1 as never, '1'),
      () => sdk.subtractDecimals('1', null as never),
      () => sdk.multiplyDecimals('1e1', '1'),
      () => sdk.compareDecimals('', '1'),
      () => sdk.normalizeDecimal({} as never),
      () => sdk.divideDecimals('1', '1', null as never),
      () => sdk.roundToIncrement('1', '0.1', 'sideways' as never),
      () => sdk.formatPrice({} as never, 'SOL_USDC', '1', 'down'),
      () => sdk.formatQuantity(null as never, 'SOL_USDC', '1', 'down'),
      () => sdk.parseMarketRules('x'),
      () => sdk.marketRulesFromMarkets({} as never),
      () => sdk.buildSigningPayload(null as never),
    ]
    for (const f of decimalFns) expect(f).toThrow(ValidationError)
    expect(() => sdk.createSigner(null as never)).toThrow(sdk.SigningError)
    expect(() =>
      sdk.signSubscription(null as never, { timestamp: 1, windowMs: 1 }),
    ).toThrow(TypeError)
    expect(sdk.verifySignature(null as never)).toBe(false)
    expect(sdk.instructionFor(null as never, null as never)).toBeUndefined()
  })
})
