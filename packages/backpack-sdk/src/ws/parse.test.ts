import { describe, expect, test } from 'vitest'
import * as fx from '../../test/ws/fixtures.js'
import {
  MalformedPayload,
  type Payload,
  parseBookTicker,
  parseDepth,
  parseKline,
  parseLiquidation,
  parseMarkPrice,
  parseOpenInterest,
  parseOrderUpdate,
  parsePositionUpdate,
  parseRfqUpdate,
  parserFor,
  parseTicker,
  parseTrade,
} from './parse.js'

const j = (s: string) => JSON.parse(s) as Payload

describe('parseOrderUpdate', () => {
  test('behavior: §6.7 trigger placed (null t omitted, Y kept)', () => {
    expect(parseOrderUpdate(j(fx.ORDER_TRIGGER_PLACED))).toEqual({
      eventType: 'triggerPlaced',
      eventTimeUs: 1748288167010366,
      engineTimeUs: 1748288167009460,
      symbol: 'SOL_USDC',
      orderId: '114575813313101824',
      side: 'Ask',
      orderType: 'LIMIT',
      timeInForce: 'GTC',
      status: 'TriggerPending',
      origin: 'USER',
      triggerPrice: '178.05',
      triggerQuantity: '20.03',
      price: '178.15',
      quantity: '0',
      quoteQuantity: '0',
      executedQuantity: '0',
      executedQuoteQuantity: '0',
      selfTradePrevention: 'RejectTaker',
      reduceOnly: false,
    })
  })

  test('behavior: §6.7 accepted, Q on a LIMIT order', () => {
    const e = parseOrderUpdate(j(fx.ORDER_ACCEPTED))
    expect(e.quoteQuantity).toBe('3568.3445')
    expect(e.quantity).toBe('20.03')
    expect('tradeId' in e).toBe(false)
  })

  test('behavior: §6.7 cancelled with percentage trigger quantity', () => {
    const e = parseOrderUpdate(j(fx.ORDER_CANCELLED_PERCENT))
    expect(e).toMatchObject({
      eventType: 'orderCancelled',
      triggerQuantity: '80%',
      triggerBy: 'LastPrice',
      orderType: 'MARKET',
    })
    expect(e.price).toBeUndefined()
  })

  test('behavior: fill keys', () => {
    const e = parseOrderUpdate({
      ...j(fx.ORDER_ACCEPTED),
      e: 'orderFill',
      t: 42,
      l: '1.5',
      L: '178.15',
      m: true,
      n: '0.01',
      N: 'USDC',
      c: 7,
    })
    expect(e).toMatchObject({
      tradeId: 42,
      fillQuantity: '1.5',
      fillPrice: '178.15',
      isMaker: true,
      fee: '0.01',
      feeAsset: 'USDC',
      clientId: 7,
    })
  })

  test('error: missing order id', () => {
    const d = j(fx.ORDER_ACCEPTED)
    delete d.i
    expect(() => parseOrderUpdate(d)).toThrow(MalformedPayload)
    expect(() => parseOrderUpdate(d)).toThrowErrorMatchingInlineSnapshot(
      `[MalformedPayload: key "i" must be an id string]`,
    )
  })
})

describe('parseMarkPrice', () => {
  test('behavior: §6.7 fixture, funding rate kept as a string, n in ms', () => {
    expect(parseMarkPrice(j(fx.MARK_PRICE))).toEqual({
      eventType: 'markPrice',
      eventTimeUs: 1747291031914525,
      engineTimeUs: 1747291031910025,
      symbol: 'SOL_USDC_PERP',
      markPrice: '173.35998175',
      fundingRate: '-0.0000039641039274236048482914',
      indexPrice: '173.44031179',
      nextFundingTimeMs: 1747296000000,
    })
  })

  test('behavior: prediction market without f, i, n', () => {
    const d = j(fx.MARK_PRICE)
    delete d.f
    delete d.i
    delete d.n
    expect(Object.keys(parseMarkPrice(d)).sort()).toEqual(
      [
        'engineTimeUs',
        'eventTimeUs',
        'eventType',
        'markPrice',
        'symbol',
      ].sort(),
    )
  })
})

describe('parseBookTicker', () => {
  test('default', () => {
    expect(parseBookTicker(j(fx.BOOK_TICKER))).toEqual({
      eventType: 'bookTicker',
      eventTimeUs: 1694687692980000,
      engineTimeUs: 1694687692989999,
      symbol: 'SOL_USDC',
      bestAskPrice: '18.70',
      bestAskQuantity: '1.000',
      bestBidPrice: '18.67',
      bestBidQuantity: '2.000',
      updateId: '111063070525358080',
    })
  })

  test('behavior: numbers-or-strings (ccxt capture)', () => {
    const e = parseBookTicker(j(fx.BOOK_TICKER_CCXT))
    expect(e.eventTimeUs).toBe(1759338824897386)
    expect(e.engineTimeUs).toBe(1759338824897000)
    expect(e.updateId).toBe('1504999670')
  })

  test('error: price as a number is rejected (money is never a number)', () => {
    expect(() =>
      parseBookTicker({ ...j(fx.BOOK_TICKER), a: 18.7 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MalformedPayload: key "a" must be a string]`,
    )
  })

  test('error: E not an integer', () => {
    expect(() => parseBookTicker({ ...j(fx.BOOK_TICKER), E: '12x' })).toThrow(
      'key "E" must be an integer',
    )
  })
})

describe('parseDepth', () => {
  test('default', () => {
    expect(parseDepth(j(fx.DEPTH))).toEqual({
      eventType: 'depth',
      eventTimeUs: 1694687965941000,
      engineTimeUs: 1694687965940999,
      symbol: 'SOL_USDC',
      asks: [['18.70', '0.000']],
      bids: [
        ['18.67', '0.832'],
        ['18.68', '0.800'],
      ],
      firstUpdateId: 94978271,
      lastUpdateId: 94978273,
    })
  })

  test('error: a level that is not a pair of strings', () => {
    expect(() =>
      parseDepth({ ...j(fx.DEPTH), b: [['18.67', 0.8]] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MalformedPayload: key "b[0]" must be a [price, quantity] pair of strings]`,
    )
  })
})

describe('parsers', () => {
  test('behavior: trade, ticker, kline, openInterest, liquidation', () => {
    expect(parseTrade(j(fx.TRADE))).toMatchObject({
      price: '18.68',
      quantity: '0.122',
      tradeId: 12345,
      buyerIsMaker: true,
      buyerOrderId: '111063114377265150',
    })
    expect(parseTicker(j(fx.TICKER))).toMatchObject({
      lastPrice: '19.24',
      quoteVolume: '928190',
      tradeCount: 93828,
    })
    expect(parseKline(j(fx.KLINE))).toMatchObject({
      startTime: '2025-08-06T22:00:00',
      closeTime: '2025-08-06T22:01:00',
      closed: false,
    })
    expect(parseOpenInterest(j(fx.OPEN_INTEREST)).openInterest).toBe('100')
    expect(parseLiquidation(j(fx.LIQUIDATION))).toMatchObject({
      side: 'Bid',
      price: '18.70',
      engineTimeUs: 1694687692979000,
    })
  })

  test('behavior: position numbers become strings, id kept exact', () => {
    expect(parsePositionUpdate(j(fx.POSITION_NUMBERS))).toMatchObject({
      eventType: 'positionAdjusted',
      breakEvenPrice: '123',
      entryPrice: '122.5',
      netExposureNotional: '612.5',
      positionId: '1111343026172067',
      realizedPnl: '-1',
    })
    const initial = parsePositionUpdate(j(fx.POSITION_INITIAL))
    expect(initial.eventType).toBeUndefined()
    expect(initial.netQuantity).toBe('-5')
  })

  test('behavior: rfq ms fields', () => {
    expect(parseRfqUpdate(j(fx.RFQ))).toMatchObject({
      rfqId: '113392053149171712',
      submissionDeadlineMs: 1730225480368,
      expiresAtMs: 1730225540368,
      quantity: '10',
    })
  })

  test('args: parserFor picks by stream name', () => {
    expect(parserFor('depth.200ms.SOL_USDC')).toBe(parseDepth)
    expect(parserFor('kline.1m.SOL_USDC')).toBe(parseKline)
    expect(parserFor('liquidation')).toBe(parseLiquidation)
    expect(parserFor('account.orderUpdate.SOL_USDC')).toBe(parseOrderUpdate)
    expect(parserFor('account.positionUpdate')).toBe(parsePositionUpdate)
    const raw = { x: 1 }
    expect(parserFor('futureStream.X')(raw)).toBe(raw)
  })
})
