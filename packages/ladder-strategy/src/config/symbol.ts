/**
 * The market symbol of `validateConfig`: an explicit `symbol`, or the classic
 * `tradingCoin` + `baseCurrency`.
 */
import type { ConfigIssue } from '../errors.js'
import type { ConfigWarning } from '../types.js'
import type { Found } from './fields.js'

/**
 * Reads the symbol into `out.symbol` (left at its default when none of the
 * three keys is given), pushing issues and warnings to the shared lists.
 */
export function readSymbol(
  found: ReadonlyMap<string, Found>,
  out: Record<string, unknown>,
  issues: ConfigIssue[],
  warnings: ConfigWarning[],
): void {
  // The symbol: explicit, or the classic tradingCoin + baseCurrency.
  const symbolFound = found.get('symbol')
  const coin = found.get('tradingCoin')
  const base = found.get('baseCurrency')
  const SYMBOL_PART = /^[A-Za-z0-9]+$/
  let baseText = 'USDC'
  if (base) {
    if (typeof base.value === 'string' && SYMBOL_PART.test(base.value))
      baseText = base.value.toUpperCase()
    else
      issues.push({
        ...base,
        message: 'must be an asset symbol such as "USDC"',
      })
  }
  if (symbolFound) {
    if (
      typeof symbolFound.value === 'string' &&
      /^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$/.test(symbolFound.value)
    ) {
      out.symbol = symbolFound.value.toUpperCase()
      if (coin)
        warnings.push({
          path: coin.path,
          message: `ignored: ${symbolFound.path} sets the market`,
        })
    } else
      issues.push({
        ...symbolFound,
        message: 'must be a market symbol such as "BTC_USDC"',
      })
  } else if (coin) {
    if (typeof coin.value === 'string' && SYMBOL_PART.test(coin.value))
      out.symbol = `${coin.value.toUpperCase()}_${baseText}`
    else
      issues.push({
        ...coin,
        message: 'must be a coin symbol such as "BTC"',
      })
  } else if (base) out.symbol = `BTC_${baseText}`
}
