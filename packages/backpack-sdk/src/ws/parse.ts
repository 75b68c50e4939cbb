/**
 * Payload parsers: the `data` object of a stream frame -> a typed event with
 * readable names (reference §6.5, §6.6). One parser per stream family, picked
 * once per subscription from the stream name, so the per-frame cost is one
 * JSON.parse plus one object literal.
 *
 * Tolerance rules (reference §6.4, §8): `E`, `T`, bookTicker `u` and depth
 * `U`/`u` may be JSON numbers or strings; position fields may be numbers or
 * strings; every conditional key is optional; `null` counts as absent.
 * A missing or wrong-typed required key throws {@link MalformedPayload}, which
 * the stream client counts and skips.
 */
import type {
  BookTickerEvent,
  DepthEvent,
  KlineEvent,
  LiquidationEvent,
  MarkPriceEvent,
  OpenInterestEvent,
  OrderUpdateEvent,
  PositionUpdateEvent,
  RfqUpdateEvent,
  TickerEvent,
  TradeEvent,
  WsLevel,
  WsSide,
} from '../types/ws.js'

/** @internal Thrown by a parser for a payload that breaks the wire contract. */
export class MalformedPayload extends Error {
  override name = 'MalformedPayload' as const
}

/** @internal A payload object as it comes out of JSON.parse. */
export type Payload = Record<string, unknown>

/** @internal Parses one `data` object; throws {@link MalformedPayload}. */
export type PayloadParser = (data: Payload) => unknown

const bad = (key: string, expected: string): MalformedPayload =>
  new MalformedPayload(`key "${key}" must be ${expected}`)

// The readers below are alike on purpose: one small typed check per wire
// type, each naming what it expected.
function str(o: Payload, k: string): string {
  const v = o[k]
  if (typeof v === 'string') return v
  throw bad(k, 'a string')
}

function optStr(o: Payload, k: string): string | undefined {
  const v = o[k]
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return undefined
  throw bad(k, 'a string')
}

/** An integer sent as a JSON number or a string of digits (µs times, ids). */
function int(o: Payload, k: string): number {
  const v = o[k]
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v
  } else if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) {
    const n = Number(v)
    if (Number.isSafeInteger(n)) return n
  }
  throw bad(k, 'an integer (number or string) below 2^53')
}

function optInt(o: Payload, k: string): number | undefined {
  const v = o[k]
  return v === undefined || v === null ? undefined : int(o, k)
}

/** An integer id kept as a decimal string, whatever JSON type it came in. */
function intString(o: Payload, k: string): string {
  const v = o[k]
  if (typeof v === 'string' && /^\d+$/.test(v)) return v
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  throw bad(k, 'an integer id (string or number)')
}

/**
 * A decimal that some sources send as a JSON number (position stream, §6.6):
 * `String(n)` gives the shortest round-trip form, the best left after JSON.parse.
 */
function optDecimalish(o: Payload, k: string): string | undefined {
  const v = o[k]
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (v === undefined || v === null) return undefined
  throw bad(k, 'a decimal string or number')
}

function bool(o: Payload, k: string): boolean {
  const v = o[k]
  if (typeof v === 'boolean') return v
  throw bad(k, 'a boolean')
}

function optBool(o: Payload, k: string): boolean | undefined {
  const v = o[k]
  if (typeof v === 'boolean') return v
  if (v === undefined || v === null) return undefined
  throw bad(k, 'a boolean')
}

function side(o: Payload, k: string): WsSide {
  const v = o[k]
  if (v === 'Bid' || v === 'Ask') return v
  throw bad(k, '"Bid" or "Ask"')
}

function optSide(o: Payload, k: string): WsSide | undefined {
  const v = o[k]
  return v === undefined || v === null ? undefined : side(o, k)
}

function levels(o: Payload, k: string): WsLevel[] {
  const v = o[k]
  if (!Array.isArray(v)) throw bad(k, 'an array of [price, quantity]')
  for (let i = 0; i < v.length; i++) {
    const l: unknown = v[i]
    if (
      !Array.isArray(l) ||
      typeof l[0] !== 'string' ||
      typeof l[1] !== 'string'
    ) {
      throw bad(`${k}[${i}]`, 'a [price, quantity] pair of strings')
    }
  }
  return v as WsLevel[]
}

/**
 * Copies the optional keys that are present, so the result has no explicit
 * `undefined` properties (exactOptionalPropertyTypes, clean `toEqual`).
 */
function assignDefined<T extends object>(
  target: T,
  extra: { [K in keyof T]?: T[K] | undefined },
): T {
  for (const key in extra) {
    const v = extra[key]
    if (v !== undefined) (target as Record<string, unknown>)[key] = v
  }
  return target
}

/** @internal Parses a `bookTicker` payload. */
export function parseBookTicker(d: Payload): BookTickerEvent {
  return {
    eventType: 'bookTicker',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    bestAskPrice: str(d, 'a'),
    bestAskQuantity: str(d, 'A'),
    bestBidPrice: str(d, 'b'),
    bestBidQuantity: str(d, 'B'),
    updateId: intString(d, 'u'),
    engineTimeUs: int(d, 'T'),
  }
}

/** @internal Parses a `depth` payload (any aggregation). */
export function parseDepth(d: Payload): DepthEvent {
  return {
    eventType: 'depth',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    asks: levels(d, 'a'),
    bids: levels(d, 'b'),
    firstUpdateId: int(d, 'U'),
    lastUpdateId: int(d, 'u'),
    engineTimeUs: int(d, 'T'),
  }
}

/** @internal Parses a `trade` payload. */
export function parseTrade(d: Payload): TradeEvent {
  return {
    eventType: 'trade',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    price: str(d, 'p'),
    quantity: str(d, 'q'),
    buyerOrderId: intOrStr(d, 'b'),
    sellerOrderId: intOrStr(d, 'a'),
    tradeId: int(d, 't'),
    engineTimeUs: int(d, 'T'),
    buyerIsMaker: bool(d, 'm'),
  }
}

/** Order ids are strings on the wire; accept an integer too, as a string. */
function intOrStr(o: Payload, k: string): string {
  const v = o[k]
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  throw bad(k, 'an id string')
}

function optIdString(o: Payload, k: string): string | undefined {
  const v = o[k]
  return v === undefined || v === null ? undefined : intOrStr(o, k)
}

/** @internal Parses a `ticker` payload. */
export function parseTicker(d: Payload): TickerEvent {
  return {
    eventType: 'ticker',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    firstPrice: str(d, 'o'),
    lastPrice: str(d, 'c'),
    highPrice: str(d, 'h'),
    lowPrice: str(d, 'l'),
    baseVolume: str(d, 'v'),
    quoteVolume: str(d, 'V'),
    tradeCount: int(d, 'n'),
  }
}

/** @internal Parses a `kline` payload (`t`/`T` are ISO strings, §8 item 1). */
export function parseKline(d: Payload): KlineEvent {
  return {
    eventType: 'kline',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    startTime: str(d, 't'),
    closeTime: str(d, 'T'),
    open: str(d, 'o'),
    close: str(d, 'c'),
    high: str(d, 'h'),
    low: str(d, 'l'),
    baseVolume: str(d, 'v'),
    tradeCount: int(d, 'n'),
    closed: bool(d, 'X'),
  }
}

/** @internal Parses a `markPrice` payload (`n` is ms). */
export function parseMarkPrice(d: Payload): MarkPriceEvent {
  return assignDefined<MarkPriceEvent>(
    {
      eventType: 'markPrice',
      eventTimeUs: int(d, 'E'),
      symbol: str(d, 's'),
      markPrice: str(d, 'p'),
      engineTimeUs: int(d, 'T'),
    },
    {
      fundingRate: optStr(d, 'f'),
      indexPrice: optStr(d, 'i'),
      nextFundingTimeMs: optInt(d, 'n'),
    },
  )
}

/** @internal Parses an `openInterest` payload. */
export function parseOpenInterest(d: Payload): OpenInterestEvent {
  return {
    eventType: 'openInterest',
    eventTimeUs: int(d, 'E'),
    symbol: str(d, 's'),
    openInterest: str(d, 'o'),
  }
}

/** @internal Parses a `liquidation` payload. */
export function parseLiquidation(d: Payload): LiquidationEvent {
  return assignDefined<LiquidationEvent>(
    {
      eventType: 'liquidation',
      eventTimeUs: int(d, 'E'),
      symbol: str(d, 's'),
      quantity: str(d, 'q'),
      price: str(d, 'p'),
      side: side(d, 'S'),
    },
    { engineTimeUs: optInt(d, 'T') },
  )
}

/** @internal Parses an `account.orderUpdate` payload. */
export function parseOrderUpdate(d: Payload): OrderUpdateEvent {
  return assignDefined<OrderUpdateEvent>(
    {
      eventType: str(d, 'e'),
      eventTimeUs: int(d, 'E'),
      symbol: str(d, 's'),
      orderId: intOrStr(d, 'i'),
      side: side(d, 'S'),
      orderType: str(d, 'o'),
      status: str(d, 'X'),
      engineTimeUs: int(d, 'T'),
    },
    {
      clientId: optInt(d, 'c'),
      timeInForce: optStr(d, 'f'),
      quantity: optStr(d, 'q'),
      quoteQuantity: optStr(d, 'Q'),
      price: optStr(d, 'p'),
      triggerPrice: optStr(d, 'P'),
      triggerBy: optStr(d, 'B'),
      takeProfitTriggerPrice: optStr(d, 'a'),
      stopLossTriggerPrice: optStr(d, 'b'),
      takeProfitLimitPrice: optStr(d, 'j'),
      stopLossLimitPrice: optStr(d, 'k'),
      takeProfitTriggerBy: optStr(d, 'd'),
      stopLossTriggerBy: optStr(d, 'g'),
      triggerQuantity: optStr(d, 'Y'),
      expiryReason: optStr(d, 'R'),
      tradeId: optInt(d, 't'),
      fillQuantity: optStr(d, 'l'),
      fillPrice: optStr(d, 'L'),
      isMaker: optBool(d, 'm'),
      fee: optStr(d, 'n'),
      feeAsset: optStr(d, 'N'),
      executedQuantity: optStr(d, 'z'),
      executedQuoteQuantity: optStr(d, 'Z'),
      selfTradePrevention: optStr(d, 'V'),
      origin: optStr(d, 'O'),
      relatedOrderId: optIdString(d, 'I'),
      strategyId: optIdString(d, 'H'),
      postOnly: optBool(d, 'y'),
      reduceOnly: optBool(d, 'r'),
    },
  )
}

/** @internal Parses one `account.positionUpdate` payload object. */
export function parsePositionUpdate(d: Payload): PositionUpdateEvent {
  return assignDefined<PositionUpdateEvent>(
    { symbol: str(d, 's') },
    {
      eventType: optStr(d, 'e'),
      eventTimeUs: optInt(d, 'E'),
      breakEvenPrice: optDecimalish(d, 'b'),
      entryPrice: optDecimalish(d, 'B'),
      initialMarginFraction: optDecimalish(d, 'f'),
      markPrice: optDecimalish(d, 'M'),
      maintenanceMarginFraction: optDecimalish(d, 'm'),
      netQuantity: optDecimalish(d, 'q'),
      netExposureQuantity: optDecimalish(d, 'Q'),
      netExposureNotional: optDecimalish(d, 'n'),
      positionId: optIdString(d, 'i'),
      realizedPnl: optDecimalish(d, 'p'),
      unrealizedPnl: optDecimalish(d, 'P'),
      engineTimeUs: optInt(d, 'T'),
    },
  )
}

/** @internal Parses an `account.rfqUpdate` payload (`w`/`W` are ms). */
export function parseRfqUpdate(d: Payload): RfqUpdateEvent {
  return assignDefined<RfqUpdateEvent>(
    {
      eventType: str(d, 'e'),
      eventTimeUs: int(d, 'E'),
      symbol: str(d, 's'),
    },
    {
      rfqId: optIdString(d, 'R'),
      quoteId: optIdString(d, 'u'),
      clientId: optIdString(d, 'C'),
      side: optSide(d, 'S'),
      quantity: optStr(d, 'q'),
      quoteQuantity: optStr(d, 'Q'),
      price: optStr(d, 'p'),
      submissionDeadlineMs: optInt(d, 'w'),
      expiresAtMs: optInt(d, 'W'),
      status: optStr(d, 'X'),
      systemOrderType: optStr(d, 'o'),
      engineTimeUs: optInt(d, 'T'),
    },
  )
}

const identity: PayloadParser = (d) => d

/**
 * @internal Picks the parser for a stream name by its first segment (the
 * order matters: `depth.200ms.X` and `depth.X` share one parser).
 */
export function parserFor(stream: string): PayloadParser {
  const dot = stream.indexOf('.')
  const head = dot === -1 ? stream : stream.slice(0, dot)
  switch (head) {
    case 'bookTicker':
      return parseBookTicker
    case 'depth':
      return parseDepth
    case 'trade':
      return parseTrade
    case 'ticker':
      return parseTicker
    case 'kline':
      return parseKline
    case 'markPrice':
      return parseMarkPrice
    case 'openInterest':
      return parseOpenInterest
    case 'liquidation':
      return parseLiquidation
    case 'account': {
      const kind = stream.split('.')[1]
      if (kind === 'orderUpdate') return parseOrderUpdate
      if (kind === 'positionUpdate') return parsePositionUpdate
      if (kind === 'rfqUpdate') return parseRfqUpdate
      return identity
    }
    default:
      return identity
  }
}

/** @internal Whether a stream is private (needs a signed SUBSCRIBE, §6.3). */
export function isPrivateStream(stream: string): boolean {
  return stream.startsWith('account.')
}
