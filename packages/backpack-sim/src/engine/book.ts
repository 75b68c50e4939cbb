/**
 * The order book's read side: an empty book for a market, finding a
 * market's book, and the aggregated levels the REST depth answer and the
 * streams show.
 *
 * @internal
 */
import { bad } from '../errors.js'
import type { Market } from '../markets.js'
import { levelQty } from './matching.js'
import type { Book, Level } from './types.js'

/** An empty book for a market. */
export function emptyBook(market: Market): Book {
  return {
    market,
    bids: [],
    asks: [],
    updateId: 0,
    tradeSeq: 0,
    lastPrice: undefined,
    referencePrice: undefined,
    band: undefined,
    fees: { base: 0n, quote: 0n },
  }
}

/** Aggregated levels, price and quantity, best first. */
export interface BookLevels {
  bids: [bigint, bigint][]
  asks: [bigint, bigint][]
}

/** The book of a market; throws INVALID_MARKET when there is none. */
export function bookOf(books: Map<string, Book>, symbol: string): Book {
  const b = books.get(symbol)
  if (!b) throw bad('INVALID_MARKET', `Invalid market: ${symbol}`)
  return b
}

/** Aggregated book levels, best first. */
export function levels(book: Book, limit: number): BookLevels {
  const pick = (ls: Level[]) =>
    ls.slice(0, limit).map((l) => [l.price, levelQty(l)] as [bigint, bigint])
  return { bids: pick(book.bids), asks: pick(book.asks) }
}
