/**
 * How the exchange's errors are read: a rejected API key (fatal), an
 * exchange nobody answers at (a setup problem), a refusal of one request,
 * an order that is not there.
 */
import {
  isApiError,
  isHttpError,
  isNetworkError,
  isOrderStateUnknownError,
  isTimeoutError,
  isWebSocketError,
} from '@rung/backpack-sdk'
import { EXIT, ExitError } from '../../errors.js'

/** Where the bot's keys come from, for the `Fix:` line of an auth failure. */
const KEY_FIX =
  'check that BACKPACK_API_KEY and BACKPACK_API_SECRET (or the --key-file, or the api keys of the config) are the pair the exchange issued for this account, and that --base-url / BACKPACK_BASE_URL points at the exchange that issued them'

/** Text that marks a refused private stream subscription as an auth failure. */
const WS_AUTH_TEXT = /signature|unauthori[sz]ed|expired|api.?key|auth/i

/**
 * Classifies an error as the exchange rejecting the API key itself: retrying
 * cannot help, so the bot stops at once (exit 2) instead of treating it as
 * "no answer" and reconciling forever. Caught are a 401 on any REST call
 * (`INVALID_SIGNATURE`: an unknown key or a bad signature; `UNAUTHORIZED`:
 * still expired after the SDK re-read the exchange's clock), an
 * `INVALID_SIGNATURE` / `UNAUTHORIZED` code whatever the status, and a
 * private (`account.*`) stream subscription refused for its signature.
 *
 * @param error - Anything an SDK call threw or reported.
 * @returns An `ExitError` (exit code 2) naming the cause and the fix, or `undefined` for any other error.
 * @example
 * ```ts
 * import { authFailure } from './exchangeErrors.js'
 * try { await client.getOpenOrders({ symbol: 'BTC_USDC' }) } catch (e) { throw authFailure(e) ?? e }
 * ```
 */
export function authFailure(error: unknown): ExitError | undefined {
  if (isHttpError(error)) {
    const code = isApiError(error) ? error.code : undefined
    const text = (isApiError(error) ? error.apiMessage : error.body) ?? ''
    if (
      error.status !== 401 &&
      code !== 'INVALID_SIGNATURE' &&
      code !== 'UNAUTHORIZED'
    )
      return undefined
    const request = `${error.method} ${error.path}`
    if (code === 'UNAUTHORIZED' && /expired/i.test(text)) {
      return new ExitError(
        EXIT.usage,
        `The exchange refused a signed request as expired (UNAUTHORIZED on ${request}: ${text}), even after re-reading the exchange's clock.\nFix: set this machine's clock right (enable NTP time sync), then start again.`,
        { cause: error },
      )
    }
    const what = code ?? `HTTP ${error.status}`
    return new ExitError(
      EXIT.usage,
      `The exchange rejected the API key (${what} on ${request}): the key is unknown there, or the secret does not belong to it.\nFix: ${KEY_FIX}. Orders already on the book (if any) stay there: cancel them with \`rung cancel-all\` once the keys work.`,
      { cause: error },
    )
  }
  if (
    isWebSocketError(error) &&
    error.stream?.startsWith('account.') &&
    WS_AUTH_TEXT.test(error.details ?? error.message)
  ) {
    const detail = error.details ?? error.shortMessage
    return new ExitError(
      EXIT.usage,
      /expired/i.test(detail)
        ? `The exchange refused the private stream ${error.stream} as expired (${detail}): this machine's clock is off.\nFix: set this machine's clock right (enable NTP time sync), then start again.`
        : `The exchange refused the private stream ${error.stream} (${detail}): it rejects the API key's signature.\nFix: ${KEY_FIX}.`,
      { cause: error },
    )
  }
  return undefined
}

/**
 * Classifies an error of the bot's first call to the exchange as "nothing
 * answers there" (connection refused, DNS failure, timeout): a setup
 * problem, so it is reported once with its fix (exit 2), not as an
 * unexpected failure.
 *
 * @param error - What the first call threw.
 * @param baseUrl - The REST origin the bot was given.
 * @returns An `ExitError` (exit code 2) naming the URL and the fix, or `undefined` for any other error.
 * @example
 * ```ts
 * import { unreachable } from './exchangeErrors.js'
 * const rules = await loadMarketRules(client).catch((e) => { throw unreachable(e, baseUrl) ?? e })
 * ```
 */
export function unreachable(
  error: unknown,
  baseUrl: string,
): ExitError | undefined {
  if (!(isNetworkError(error) && !error.aborted) && !isTimeoutError(error))
    return undefined
  const reason = isTimeoutError(error)
    ? `no answer within ${error.timeoutMs} ms`
    : networkReason(error)
  return new ExitError(
    EXIT.usage,
    `Cannot reach the exchange at ${baseUrl} (${reason}).\nFix: check --base-url / BACKPACK_BASE_URL and this machine's network; for a local simulator, start it first (\`npm run sim\`) and pass the URL it prints.`,
    { cause: error },
  )
}

/** The innermost system error code of a failed fetch (`ECONNREFUSED`...). */
function networkReason(error: Error): string {
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code
    cause = cause.cause
  }
  return 'no connection'
}

/**
 * The exchange looked at the request and refused it (a 4xx with an error
 * code). A 5xx, even with a JSON body, is not a refusal: the order may exist,
 * so it is resolved by client id, never reported as rejected. A rejected key
 * is not a refusal of one request either: see `authFailure`.
 */
export const isApiRefusal = (
  error: unknown,
): error is Error & { code: string } =>
  error instanceof Error &&
  error.name === 'ApiError' &&
  ((error as { status?: number }).status ?? 400) < 500 &&
  !isOrderStateUnknownError(error) &&
  authFailure(error) === undefined

/** The order is not there (any more): `RESOURCE_NOT_FOUND` or a 404. */
export const isNotFound = (error: unknown) =>
  error instanceof Error &&
  ((error as { code?: string }).code === 'RESOURCE_NOT_FOUND' ||
    (error as { status?: number }).status === 404)

/** A refusal as `CODE: message`, for the log and the `orderRejected` event. */
export const refusal = (error: Error & { code: string }) =>
  `${error.code}: ${(error as { apiMessage?: string }).apiMessage ?? error.message}`
