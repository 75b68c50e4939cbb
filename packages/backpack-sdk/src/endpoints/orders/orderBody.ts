/**
 * Validation of order requests and the body sent for them. Shared by
 * `executeOrder` and `executeOrders`; every failure is a ValidationError
 * naming the field, raised before anything is signed or sent.
 *
 * @internal
 * @module
 */
import { ValidationError } from '../../errors/inputErrors.js'
import {
  MAX_CLIENT_ID,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalPositiveDecimal,
  rejectUnknownKeys,
  requireEnum,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'

const SIDES = ['Bid', 'Ask'] as const
const ORDER_TYPES = ['Limit', 'Market'] as const
const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const
const STP = ['RejectTaker', 'RejectMaker', 'RejectBoth', 'Allow'] as const
const TRIGGER_BY = ['MarkPrice', 'LastPrice', 'IndexPrice'] as const
const SLIPPAGE_TYPES = ['TickSize', 'Percent'] as const

const KNOWN_KEYS = [
  'symbol',
  'side',
  'orderType',
  'price',
  'quantity',
  'quoteQuantity',
  'timeInForce',
  'postOnly',
  'clientId',
  'selfTradePrevention',
  'reduceOnly',
  'autoLend',
  'autoLendRedeem',
  'autoBorrow',
  'autoBorrowRepay',
  'triggerPrice',
  'triggerQuantity',
  'triggerBy',
  'stopLossTriggerPrice',
  'stopLossLimitPrice',
  'stopLossTriggerBy',
  'takeProfitTriggerPrice',
  'takeProfitLimitPrice',
  'takeProfitTriggerBy',
  'slippageTolerance',
  'slippageToleranceType',
  'brokerId',
] as const

/** A validated order body; `clientId` is always set. @internal */
export type OrderBody = Record<string, unknown> & {
  symbol: string
  clientId: number
}

/**
 * A random uint32 `clientId` from the runtime's CSPRNG.
 *
 * @returns An integer from 0 to 4294967295.
 * @example
 * ```ts
 * import { generateClientId } from '@rung/backpack-sdk'
 *
 * const clientId = generateClientId()
 * ```
 */
export function generateClientId(): number {
  const random = (globalThis as { crypto?: Crypto }).crypto
  if (typeof random?.getRandomValues === 'function') {
    return random.getRandomValues(new Uint32Array(1))[0]!
  }
  // No CSPRNG (very old runtimes): uniqueness, not secrecy, is what matters.
  return Math.floor(Math.random() * (MAX_CLIENT_ID + 1))
}

/** Validates one order and returns its wire body. @internal */
export function orderBody(value: unknown, field: string): OrderBody {
  const p = requireObject(value, field)
  rejectUnknownKeys(p, KNOWN_KEYS, field)
  const f = (key: string) => `${field}.${key}`
  const orderType = requireEnum(p.orderType, ORDER_TYPES, f('orderType'))
  const body: Record<string, unknown> = {
    symbol: requireSymbol(p.symbol, f('symbol')),
    side: requireEnum(p.side, SIDES, f('side')),
    orderType,
    price: optionalPositiveDecimal(p.price, f('price')),
    quantity: optionalPositiveDecimal(p.quantity, f('quantity')),
    quoteQuantity: optionalPositiveDecimal(p.quoteQuantity, f('quoteQuantity')),
    timeInForce: optionalEnum(p.timeInForce, TIME_IN_FORCE, f('timeInForce')),
    postOnly: optionalBoolean(p.postOnly, f('postOnly')),
    clientId:
      optionalInteger(p.clientId, f('clientId'), 0, MAX_CLIENT_ID) ??
      generateClientId(),
    selfTradePrevention: optionalEnum(
      p.selfTradePrevention,
      STP,
      f('selfTradePrevention'),
    ),
    reduceOnly: optionalBoolean(p.reduceOnly, f('reduceOnly')),
    autoLend: optionalBoolean(p.autoLend, f('autoLend')),
    autoLendRedeem: optionalBoolean(p.autoLendRedeem, f('autoLendRedeem')),
    autoBorrow: optionalBoolean(p.autoBorrow, f('autoBorrow')),
    autoBorrowRepay: optionalBoolean(p.autoBorrowRepay, f('autoBorrowRepay')),
    triggerPrice: optionalPositiveDecimal(p.triggerPrice, f('triggerPrice')),
    triggerQuantity: triggerQuantity(p.triggerQuantity, f('triggerQuantity')),
    triggerBy: optionalEnum(p.triggerBy, TRIGGER_BY, f('triggerBy')),
    stopLossTriggerPrice: optionalPositiveDecimal(
      p.stopLossTriggerPrice,
      f('stopLossTriggerPrice'),
    ),
    stopLossLimitPrice: optionalPositiveDecimal(
      p.stopLossLimitPrice,
      f('stopLossLimitPrice'),
    ),
    stopLossTriggerBy: optionalEnum(
      p.stopLossTriggerBy,
      TRIGGER_BY,
      f('stopLossTriggerBy'),
    ),
    takeProfitTriggerPrice: optionalPositiveDecimal(
      p.takeProfitTriggerPrice,
      f('takeProfitTriggerPrice'),
    ),
    takeProfitLimitPrice: optionalPositiveDecimal(
      p.takeProfitLimitPrice,
      f('takeProfitLimitPrice'),
    ),
    takeProfitTriggerBy: optionalEnum(
      p.takeProfitTriggerBy,
      TRIGGER_BY,
      f('takeProfitTriggerBy'),
    ),
    slippageTolerance: optionalPositiveDecimal(
      p.slippageTolerance,
      f('slippageTolerance'),
    ),
    slippageToleranceType: optionalEnum(
      p.slippageToleranceType,
      SLIPPAGE_TYPES,
      f('slippageToleranceType'),
    ),
    brokerId: optionalInteger(p.brokerId, f('brokerId'), 0, 65_535),
  }

  const has = (key: string) => body[key] !== undefined
  const fail = (key: string, message: string): never => {
    throw new ValidationError(message, { field: f(key) })
  }
  if (has('triggerPrice') !== has('triggerQuantity')) {
    fail(
      'triggerPrice',
      `\`${field}\`: give both \`triggerPrice\` and \`triggerQuantity\`, or neither.`,
    )
  }
  if (orderType === 'Limit') {
    if (!has('price'))
      fail('price', `\`${f('price')}\` is required for a Limit order.`)
    if (!has('quantity')) {
      fail('quantity', `\`${f('quantity')}\` is required for a Limit order.`)
    }
    if (has('quoteQuantity')) {
      fail(
        'quoteQuantity',
        `\`${f('quoteQuantity')}\` is only for Market orders.`,
      )
    }
    if (has('slippageTolerance') || has('slippageToleranceType')) {
      fail(
        'slippageTolerance',
        `\`${f('slippageTolerance')}\` is only for Market orders.`,
      )
    }
  } else {
    if (has('price')) {
      fail(
        'price',
        `\`${f('price')}\` is not allowed on a Market order; use orderType 'Limit'.`,
      )
    }
    if (has('postOnly'))
      fail('postOnly', `\`${f('postOnly')}\` is only for Limit orders.`)
    const sizes = ['quantity', 'quoteQuantity'].filter(has).length
    if (sizes > 1) {
      fail(
        'quantity',
        `\`${field}\`: a Market order takes \`quantity\` or \`quoteQuantity\`, not both.`,
      )
    }
    if (sizes === 0 && !has('triggerQuantity')) {
      fail(
        'quantity',
        `\`${field}\`: a Market order needs \`quantity\` or \`quoteQuantity\` (or \`triggerPrice\` + \`triggerQuantity\`).`,
      )
    }
  }
  for (const key of Object.keys(body)) {
    if (body[key] === undefined) delete body[key]
  }
  return body as OrderBody
}

function triggerQuantity(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  // An amount ("0.01") or a share of the position ("50%"), reference §4.3.
  if (
    typeof value === 'string' &&
    /^\d+(\.\d+)?%?$/.test(value) &&
    !/^0+(\.0+)?%?$/.test(value)
  ) {
    return value
  }
  throw new ValidationError(
    `\`${field}\` must be a positive decimal string ("0.01") or a percentage ("50%").`,
    { field },
  )
}
