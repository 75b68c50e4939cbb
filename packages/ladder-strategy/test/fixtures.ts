/** Shared test fixtures: markets, configs, and the path of the real candle file. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CandleRow } from '../src/candles/series.js'
import { DEFAULT_LADDER_CONFIG } from '../src/config.js'
import type { LadderConfig, MarketRules } from '../src/types.js'

/** A BTC-like market with a coarse tick, handy for hand-checked numbers. */
export const MARKET: MarketRules = {
  symbol: 'BTC_USDC',
  tickSize: '0.1',
  stepSize: '0.001',
  minQuantity: '0.001',
}

/** Three rungs, 10 % deep, amounts doubling: 300/7, 600/7, 1200/7. */
export const SMALL: LadderConfig = {
  ...DEFAULT_LADDER_CONFIG,
  orderCount: 3,
  maxDropPercentage: '10',
  totalAmount: '300',
  incrementPercentage: '100',
  takeProfitPercentage: '1',
}

/** The real six-month file, located from the repo root (../shared/data). */
export const REAL_DATA = fileURLToPath(
  new URL('../../../../shared/data/btcusdt-1m-2024H1.csv.gz', import.meta.url),
)
/** Whether the real file is present (tests using it skip otherwise). */
export const HAS_REAL_DATA = existsSync(REAL_DATA)

/** Backpack's BTC_USDC-like rules for the real data. */
export const BTC_MARKET: MarketRules = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}

/** A deterministic zig-zag around 100 (no randomness: reproducible). */
export function zigzag(count: number): CandleRow[] {
  const rows: CandleRow[] = []
  let cents = 10_000
  for (let i = 0; i < count; i++) {
    const move = ((i * 7919) % 23) - 11 // -11..11 cents
    const open = cents
    cents = Math.max(5_000, cents + move * 3)
    const high = Math.max(open, cents) + (i % 5)
    const low = Math.min(open, cents) - (i % 7)
    const fmt = (c: number) =>
      `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`
    rows.push({
      openTime: i * 60_000,
      open: fmt(open),
      high: fmt(high),
      low: fmt(low),
      close: fmt(cents),
      volume: '1',
    })
  }
  return rows
}
