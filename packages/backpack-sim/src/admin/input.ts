/**
 * Input checks of the admin API (`/_sim/…`) and of the matching `Sim`
 * methods: every shape the admin API accepts is listed here (fault settings
 * in `faults/input.ts`), and anything else throws a {@link SimError} naming
 * the field (the admin API answers it as 400 `INVALID_CLIENT_REQUEST`).
 *
 * @internal
 */
import { SimError } from '../errors.js'
import { describeJson, isInt, isObject, list, shown } from '../input.js'

/**
 * The JSON object body of an admin route, with no key outside `allowed`
 * (any keys when `allowed` is undefined: the caller checks them). No body at
 * all is an empty object.
 */
export function adminBody(
  route: string,
  body: unknown,
  allowed: readonly string[] | undefined,
): Record<string, unknown> {
  if (body === undefined) return {}
  if (!isObject(body)) {
    throw new SimError(
      `The body of ${route} must be a JSON object; got ${describeJson(body)}`,
    )
  }
  for (const key of allowed === undefined ? [] : Object.keys(body)) {
    if (!allowed?.includes(key)) {
      throw new SimError(
        `\`${key}\` is not a field of ${route}: ${allowed?.length ? `use ${list(allowed)}` : 'it takes none'}`,
      )
    }
  }
  return body
}

/** Refuses query parameters outside `allowed`. */
export function adminQuery(
  route: string,
  query: URLSearchParams,
  allowed: readonly string[],
): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) {
      throw new SimError(
        `\`${key}\` is not a query parameter of ${route}: ${allowed.length === 0 ? 'it takes none' : `use ${list(allowed)}`}`,
      )
    }
  }
}

/** Largest `steps` of one step call. */
export const MAX_STEPS = 10_000
/** Largest `seconds` of one step. */
export const MAX_STEP_SECONDS = 86_400

/**
 * Checks the arguments of a feed step.
 *
 * @throws {SimError} naming `steps` or `seconds`.
 */
export function checkStep(steps: unknown, seconds: unknown): void {
  if (!isInt(steps, 1, MAX_STEPS)) {
    throw new SimError(
      `\`steps\` must be an integer from 1 to ${MAX_STEPS}; got ${shown(steps)}`,
    )
  }
  if (
    typeof seconds !== 'number' ||
    !(seconds > 0 && seconds <= MAX_STEP_SECONDS)
  ) {
    throw new SimError(
      `\`seconds\` must be a number of simulated seconds above 0 and at most ${MAX_STEP_SECONDS}; got ${shown(seconds)}`,
    )
  }
}

/**
 * The `symbol` of an admin request: one of the listed markets.
 *
 * @throws {SimError} when it is missing or not listed.
 */
export function listedSymbol(
  symbols: readonly string[],
  symbol: unknown,
): string {
  const names = symbols.join(', ')
  if (symbol === undefined || symbol === null || symbol === '') {
    throw new SimError(`\`symbol\` is required: one of ${names}`)
  }
  if (typeof symbol !== 'string' || !symbols.includes(symbol)) {
    throw new SimError(
      `\`symbol\` must be a listed market: one of ${names}; got ${shown(symbol)}`,
    )
  }
  return symbol
}
