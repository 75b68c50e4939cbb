/**
 * The reader of `takeProfitSteps` (multi-step take profit): `false` / `null`
 * for off, or 1 to MAX_TAKE_PROFIT_STEPS objects `{ share, profitPercent }`
 * (JSON numbers or decimal strings), shares > 0 adding up to exactly 1,
 * profits > 0 and strictly increasing. Each problem names the field (e.g.
 * `strategy.takeProfitSteps[1].share`) and the fix.
 */
import {
  addToString,
  compareTo,
  isDecimal,
  normalizeDecimal,
  numberToDecimal,
} from '../decimal.js'
import type { ConfigIssue } from '../errors.js'
import type { TakeProfitStep } from '../types.js'
import type { Found } from './fields.js'

/** A decimal from a JSON number or a decimal string, else null. */
function decimalOf(value: unknown): string | null {
  if (typeof value === 'number') return numberToDecimal(value)
  return isDecimal(value) ? normalizeDecimal(value) : null
}

/**
 * Reads `takeProfitSteps` into `out` (left absent when not given), or pushes
 * the issues.
 *
 * @param found - The value found, if any, with its path.
 * @param max - The largest number of steps.
 */
export function readTakeProfitSteps(
  found: Found | undefined,
  out: Record<string, unknown>,
  issues: ConfigIssue[],
  max: number,
): void {
  if (!found) return
  const { path, value } = found
  if (value === false || value === null) {
    out.takeProfitSteps = false
    return
  }
  if (!Array.isArray(value) || value.length < 1 || value.length > max) {
    issues.push({
      path,
      value,
      message: `must be a list of 1 to ${max} steps like [{ "share": "0.5", "profitPercent": "1" }, { "share": "0.5", "profitPercent": "2" }], or false for the single take profit`,
    })
    return
  }
  const steps: TakeProfitStep[] = []
  const before = issues.length
  value.forEach((step: unknown, i) => {
    const at = `${path}[${i}]`
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      issues.push({
        path: at,
        value: step,
        message: 'must be an object { "share": "0.5", "profitPercent": "1" }',
      })
      return
    }
    const record = step as Record<string, unknown>
    for (const key of Object.keys(record))
      if (key !== 'share' && key !== 'profitPercent')
        issues.push({
          path: `${at}.${key}`,
          value: record[key],
          message: 'is not a step field: use share and profitPercent',
        })
    const share = decimalOf(record.share)
    if (
      share === null ||
      compareTo(share, '0') <= 0 ||
      compareTo(share, '1') > 0
    )
      issues.push({
        path: `${at}.share`,
        value: record.share,
        message:
          'must be a fraction of the position > 0 and <= 1, e.g. "0.5" for half',
      })
    const profit = decimalOf(record.profitPercent)
    if (profit === null || compareTo(profit, '0') <= 0)
      issues.push({
        path: `${at}.profitPercent`,
        value: record.profitPercent,
        message:
          'must be a percentage > 0, e.g. "1" for +1 % over the average entry',
      })
    if (share !== null && profit !== null)
      steps.push({ share, profitPercent: profit })
  })
  if (issues.length > before) return
  for (let i = 1; i < steps.length; i++) {
    const prev = steps[i - 1] as TakeProfitStep
    const cur = steps[i] as TakeProfitStep
    if (compareTo(cur.profitPercent, prev.profitPercent) <= 0) {
      issues.push({
        path: `${path}[${i}].profitPercent`,
        value: cur.profitPercent,
        message: `must be above the previous step's (${prev.profitPercent}): list the steps by increasing profit`,
      })
      return
    }
  }
  const sum = steps.reduce((acc, s) => addToString(acc, s.share), '0')
  if (compareTo(sum, '1') !== 0) {
    issues.push({
      path,
      value,
      message: `the shares must add up to exactly 1 (they add up to ${sum}): adjust the shares`,
    })
    return
  }
  out.takeProfitSteps = steps
}
