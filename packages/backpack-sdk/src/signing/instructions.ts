/** The literal table behind {@link INSTRUCTIONS} (kept for its literal types). */
const INSTRUCTION_TABLE = {
  'GET /api/v1/account': 'accountQuery',
  'PATCH /api/v1/account': 'accountUpdate',
  'POST /api/v1/account/convertDust': 'convertDust',
  'GET /api/v1/account/limits/borrow': 'maxBorrowQuantity',
  'GET /api/v1/account/limits/order': 'maxOrderQuantity',
  'GET /api/v1/account/limits/withdrawal': 'maxWithdrawalQuantity',
  'GET /api/v1/borrowLend/positions': 'borrowLendPositionQuery',
  'POST /api/v1/borrowLend': 'borrowLendExecute',
  'GET /api/v1/capital': 'balanceQuery',
  'GET /api/v1/capital/collateral': 'collateralQuery',
  'GET /wapi/v1/capital/deposits': 'depositQueryAll',
  'GET /wapi/v1/capital/deposit/address': 'depositAddressQuery',
  'GET /wapi/v1/capital/withdrawals': 'withdrawalQueryAll',
  'POST /wapi/v1/capital/withdrawals': 'withdraw',
  'GET /api/v1/order': 'orderQuery',
  'POST /api/v1/order': 'orderExecute',
  'DELETE /api/v1/order': 'orderCancel',
  // Batch: repeated once per order in the signing string (reference §2.4).
  'POST /api/v1/orders': 'orderExecute',
  'GET /api/v1/orders': 'orderQueryAll',
  'DELETE /api/v1/orders': 'orderCancelAll',
  'GET /api/v1/position': 'positionQuery',
  'GET /wapi/v1/history/orders': 'orderHistoryQueryAll',
  'GET /wapi/v1/history/fills': 'fillHistoryQueryAll',
  'GET /wapi/v1/history/funding': 'fundingHistoryQueryAll',
  'GET /wapi/v1/history/position': 'positionHistoryQueryAll',
  'GET /wapi/v1/history/borrowLend': 'borrowHistoryQueryAll',
  'GET /wapi/v1/history/borrowLend/positions': 'borrowPositionHistoryQueryAll',
  'GET /wapi/v1/history/interest': 'interestHistoryQueryAll',
  'GET /wapi/v1/history/dust': 'dustHistoryQueryAll',
  'GET /wapi/v1/history/settlement': 'settlementHistoryQueryAll',
  'GET /wapi/v1/history/strategies': 'strategyHistoryQueryAll',
  'GET /wapi/v1/history/rfq': 'rfqHistoryQueryAll',
  'GET /wapi/v1/history/quote': 'quoteHistoryQueryAll',
  'GET /wapi/v1/history/rfq/fill': 'rfqFillHistoryQueryAll',
  'GET /wapi/v1/history/quote/fill': 'quoteFillHistoryQueryAll',
  'GET /api/v1/rfqs': 'rfqQuery',
  'POST /api/v1/rfq': 'rfqSubmit',
  'POST /api/v1/rfq/quote': 'quoteSubmit',
  'POST /api/v1/rfq/accept': 'quoteAccept',
  'POST /api/v1/rfq/refresh': 'rfqRefresh',
  'POST /api/v1/rfq/cancel': 'rfqCancel',
  'GET /api/v1/strategy': 'strategyQuery',
  'POST /api/v1/strategy': 'strategyCreate',
  'DELETE /api/v1/strategy': 'strategyCancel',
  'GET /api/v1/strategies': 'strategyQueryAll',
  'DELETE /api/v1/strategies': 'strategyCancelAll',
  'POST /api/v1/vault/mint': 'vaultMint',
  'POST /api/v1/vault/redeem': 'vaultRedeemRequest',
  'DELETE /api/v1/vault/redeem': 'vaultRedeemCancel',
  'GET /api/v1/vault/redeems/pending': 'vaultPendingRedeemsQuery',
  'GET /api/v1/vault/nav': 'vaultNavQuery',
  // The next three appear only in the official Rust client [RUST].
  'GET /wapi/v1/history/vault/mint': 'vaultMintHistoryQueryAll',
  'GET /wapi/v1/history/vault/redeem': 'vaultRedeemHistoryQueryAll',
  'POST /wapi/v1/user/2fa': 'issueTwoFactorToken',
} as const

/**
 * Backpack's instruction name for every private endpoint (reference §2.8,
 * [SPEC] unless noted). The REST client and the simulator both read this one
 * table, so they cannot disagree.
 *
 * Keys are `"<METHOD> <path>"` with the method upper case and the path
 * exact (no query string, no trailing slash).
 *
 * @example
 * ```ts
 * import { INSTRUCTIONS } from '@rung/backpack-sdk/signing'
 *
 * INSTRUCTIONS['POST /api/v1/order'] // 'orderExecute'
 * ```
 */
export const INSTRUCTIONS: Readonly<Record<SignedRoute, Instruction>> =
  Object.freeze(INSTRUCTION_TABLE)

/** A `"<METHOD> <path>"` key of {@link INSTRUCTIONS}. */
export type SignedRoute = keyof typeof INSTRUCTION_TABLE

/** Every instruction name in {@link INSTRUCTIONS}, plus WS `subscribe`. */
export type Instruction = (typeof INSTRUCTION_TABLE)[SignedRoute] | 'subscribe'

/**
 * Looks up the instruction to sign for a private endpoint. Public endpoints
 * (and unknown routes) have none.
 *
 * @param method - HTTP method, any case (`'post'` works).
 * @param path - URL path such as `/api/v1/order`; a query string or a
 *   trailing slash is ignored.
 * @returns The instruction, or `undefined` when the route is not signed.
 * @example
 * ```ts
 * import { instructionFor } from '@rung/backpack-sdk/signing'
 *
 * instructionFor('DELETE', '/api/v1/orders') // 'orderCancelAll'
 * instructionFor('GET', '/api/v1/depth') // undefined (public)
 * ```
 */
export function instructionFor(
  method: string,
  path: string,
): Instruction | undefined {
  if (typeof method !== 'string' || typeof path !== 'string') return undefined
  let clean = path
  const query = clean.indexOf('?')
  if (query !== -1) clean = clean.slice(0, query)
  if (clean.length > 1 && clean.endsWith('/')) clean = clean.slice(0, -1)
  const key = `${method.toUpperCase()} ${clean}`
  return Object.hasOwn(INSTRUCTION_TABLE, key)
    ? INSTRUCTION_TABLE[key as SignedRoute]
    : undefined
}
