/** Canned market data served by the msw handlers. */
import type { Depth, Market, Ticker } from '../../src/index.js'

export const TEST_SECRET_KEY = 'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams='
export const TEST_PUBLIC_KEY = '5+yQgwU0ZdJ/9s+GXfuPFfo7yQQpl9CgvQedJXne30o='
export const BASE_URL = 'https://api.backpack.test'

export const MARKETS: Market[] = [
  {
    symbol: 'SOL_USDC',
    baseSymbol: 'SOL',
    quoteSymbol: 'USDC',
    marketType: 'SPOT',
    filters: {
      price: { minPrice: '0.01', maxPrice: '100000', tickSize: '0.01' },
      quantity: { minQuantity: '0.01', maxQuantity: null, stepSize: '0.01' },
    },
    orderBookState: 'Open',
    createdAt: '2025-01-21T06:34:54.691858',
    visible: true,
  },
  {
    symbol: 'BTC_USDC_PERP',
    baseSymbol: 'BTC',
    quoteSymbol: 'USDC',
    marketType: 'PERP',
    filters: {
      price: { minPrice: '0.1', tickSize: '0.1' },
      quantity: {
        minQuantity: '0.0001',
        stepSize: '0.0001',
        maxQuantity: '1000',
      },
    },
    fundingInterval: '28800000',
    orderBookState: 'Open',
  },
]

export const TICKER: Ticker = {
  symbol: 'SOL_USDC',
  firstPrice: '140.00',
  lastPrice: '141.53',
  priceChange: '1.53',
  priceChangePercent: '0.010929',
  high: '143.10',
  low: '139.20',
  volume: '12345.67',
  quoteVolume: '1750000.12',
  trades: '245',
}

export const DEPTH: Depth = {
  bids: [
    ['141.50', '3.2'],
    ['141.49', '1'],
  ],
  asks: [
    ['141.55', '0.7'],
    ['141.60', '12'],
  ],
  lastUpdateId: '1504999670',
  timestamp: 1_700_000_000_000_000,
}
