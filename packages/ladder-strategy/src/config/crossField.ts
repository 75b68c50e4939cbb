/**
 * The cross-field rules of `validateConfig`: checks between fields that are
 * each valid on their own (the rungs' room below the price, the price band).
 */
import { compareTo } from '../decimal.js'
import type { ConfigIssue } from '../errors.js'
import type { LadderConfig } from '../types.js'
import type { Found } from './fields.js'

/**
 * Pushes an issue for each cross-field rule `config` breaks, at the path
 * the field was found at (or its flat name when it was a default). Runs
 * only when `issues` is still empty.
 */
export function checkCrossFields(
  config: LadderConfig,
  found: ReadonlyMap<string, Found>,
  issues: ConfigIssue[],
): void {
  /** An issue at the path `name` was found at, or at its flat name. */
  const issueAt = (name: keyof LadderConfig, message: string) =>
    issues.push({
      ...(found.get(name) ?? { path: name, value: config[name] }),
      message,
    })

  // Cross-field rules (only when the fields themselves are valid).
  if (issues.length === 0) {
    if (config.orderCount > 1 && compareTo(config.maxDropPercentage, '0') === 0)
      issueAt(
        'maxDropPercentage',
        'must be > 0 when orderCount > 1 (the rungs need room below the price)',
      )
    if (
      config.orderCount > 1 &&
      compareTo(config.firstRungOffsetPercentage, config.maxDropPercentage) >= 0
    )
      issueAt(
        'firstRungOffsetPercentage',
        `must be smaller than maxDropPercentage (${config.maxDropPercentage}) when orderCount > 1`,
      )
  }

  if (
    issues.length === 0 &&
    typeof config.minPrice === 'string' &&
    typeof config.maxPrice === 'string' &&
    compareTo(config.minPrice, config.maxPrice) >= 0
  )
    issueAt(
      'maxPrice',
      `must be above minPrice (${config.minPrice}): raise maxPrice or lower minPrice`,
    )

  if (
    issues.length === 0 &&
    typeof config.activeOrderCount === 'number' &&
    config.activeOrderCount > config.orderCount
  )
    issueAt(
      'activeOrderCount',
      `must be <= orderCount (${config.orderCount}): lower activeOrderCount, or raise orderCount`,
    )
}
