/**
 * The ladder (LADDER-SPEC.md "The ladder"): prices, amounts, quantities.
 *
 * Flow: `derive(config, market)` computes, once per config, everything that
 * does not depend on the reference price, exactly (bigint rationals):
 *   - per-rung price factors F_i (price_i = P x F_i, before rounding),
 *   - per-rung budgets K_i = floor(amount_i / (tickSize x stepSize)),
 *   - the minimums in integer units.
 * Then `planUnits(derived, P)` does the per-cycle part in integer ticks and
 * lots (cheap enough to run on every restart of a backtest), and
 * `planLadder` formats it as decimal strings.
 *
 * Why K_i is exact: for a rung at p ticks, quantity / stepSize =
 * amount_i / (p x tickSize x stepSize), and floor(x / p) = floor(floor(x) / p)
 * for an integer p >= 1, so floor(K_i / p) is the exact rounded-down lot count.
 */
import {
  add,
  ceilDiv,
  cmp,
  decimalPlaces,
  div,
  divRound,
  floorDiv,
  formatUnits,
  gcd,
  int,
  isDecimal,
  mul,
  normalizeDecimal,
  parseUnits,
  pow10,
  pow10Number,
  powInt,
  type Ratio,
  ratio,
  reduce,
  roundRatio,
  sub,
  toSafe,
} from './decimal.js'
import { type ConfigIssue, LadderConfigError } from './errors.js'
import { quantityText } from './quantityTexts.js'
import type {
  DecimalString,
  DroppedRung,
  DropReason,
  LadderConfig,
  LadderMarket,
  LadderPlan,
  PlannedRung,
} from './types.js'

/** Everything derived from a config and market rules, in exact integer units. @internal */
export interface Derived {
  config: LadderConfig
  market: LadderMarket
  /** Decimals of tickSize and its integer mantissa (tickSize = tickMant x 10^-tickDec). */
  tickDec: number
  tickMant: number
  stepDec: number
  stepMant: number
  /** Rung factors: price_i = P x factorNum[i] / factorDen. */
  factorNum: bigint[]
  factorDen: bigint
  /** Same as numbers when they are safe integers (fast path), else null. */
  factorNumN: number[] | null
  factorDenN: number | null
  /** K_i = floor(amount_i / (tickSize x stepSize)) per rung. */
  budgetK: number[]
  /** Smallest quantity in lots (>= 1). */
  minLots: number
  /** Largest quantity in lots (Infinity when none). */
  maxLots: number
  /** Smallest notional in tick-lots. */
  minNotionalTL: number
  /** Money units: 10^-moneyScale quote. One tick-lot = tlMoney money units. */
  moneyScale: number
  tlMoney: number
  /** Take-profit multiplier 1 + tp/100. */
  tpMul: Ratio
  /** Stop-loss multiplier 1 - sl/100, or null. */
  slMul: Ratio | null
  /** Trailing multiplier 1 - trail/100, or null. */
  trailMul: Ratio | null
  noFillMs: number
  coolDownMs: number
  /** Lowest rung price allowed, in ticks (minPrice rounded UP); 0 when off. */
  minPriceTicks: number
  /**
   * Multi-step take profit: per step, its multiplier 1 + profit/100 and the
   * cumulative share up to it (the last one is 1); null when off.
   */
  steps: { mul: Ratio; cum: Ratio }[] | null
}

/** Integer plan of one ladder. @internal */
export interface UnitRung {
  index: number
  priceTicks: number
  lots: number
  dropped: DropReason | null
}

const cache = new WeakMap<LadderConfig, WeakMap<LadderMarket, Derived>>()

function checkMarket(market: LadderMarket, config: LadderConfig): void {
  const issues: ConfigIssue[] = []
  const positive = (key: 'tickSize' | 'stepSize') => {
    const value = market[key]
    if (!isDecimal(value) || !/[1-9]/.test(value))
      issues.push({
        path: `market.${key}`,
        value,
        message: 'must be a decimal string > 0, e.g. "0.01"',
      })
  }
  if (typeof market !== 'object' || market === null)
    throw new LadderConfigError('The market rules are not valid.', [
      {
        path: 'market',
        value: market,
        message:
          'must be an object { symbol, tickSize, stepSize, minQuantity }',
      },
    ])
  positive('tickSize')
  positive('stepSize')
  if (!isDecimal(market.minQuantity))
    issues.push({
      path: 'market.minQuantity',
      value: market.minQuantity,
      message: 'must be a decimal string >= 0, e.g. "0.00001"',
    })
  for (const key of ['minNotional', 'maxQuantity'] as const) {
    const value = market[key]
    if (value !== undefined && !isDecimal(value))
      issues.push({
        path: `market.${key}`,
        value,
        message: 'must be a decimal string when given',
      })
  }
  if (market.symbol !== config.symbol)
    issues.push({
      path: 'market.symbol',
      value: market.symbol,
      message: `must match the config's symbol ${JSON.stringify(config.symbol)} (rules of another market would size orders wrongly)`,
    })
  if (issues.length > 0)
    throw new LadderConfigError('The market rules are not valid.', issues)
}

/** Mantissa of a decimal at its own number of places, as a number. */
function mantissa(text: string): number {
  return parseUnits(text, decimalPlaces(text), 'exact') ?? 0
}

/**
 * Derives the exact integer setup of a ladder (cached per config and market
 * object). @internal
 *
 * @throws {LadderConfigError} when the market rules are invalid or the
 *   budget cannot be represented exactly in integer units.
 */
export function derive(config: LadderConfig, market: LadderMarket): Derived {
  let byMarket = cache.get(config)
  const hit = byMarket?.get(market)
  if (hit) return hit
  checkMarket(market, config)
  const tick = normalizeDecimal(market.tickSize)
  const step = normalizeDecimal(market.stepSize)
  const tickDec = decimalPlaces(tick)
  const stepDec = decimalPlaces(step)
  const tickMant = mantissa(tick)
  const stepMant = mantissa(step)
  const n = config.orderCount
  const hundred = int(100)
  const one = int(1)
  const factors = priceFactors(config)
  // Common denominator, so planning does one division per rung.
  let den = 1n
  for (const f of factors) den = (den * f.d) / gcd(den, f.d)
  const factorNum = factors.map((f) => f.n * (den / f.d))
  const factorNumN = factorNum.map((x) => toSafe(x))
  const factorDenN = toSafe(den)
  const fast = factorDenN !== null && factorNumN.every((x) => x !== null)

  // Amounts (spec step 2), exact rationals.
  const T = ratio(config.totalAmount)
  const minAmount = effectiveMinAmount(config, market)
  const r = add(one, div(ratio(config.incrementPercentage), hundred))
  let a: Ratio =
    cmp(r, one) === 0
      ? div(T, int(n))
      : div(mul(T, sub(r, one)), sub(powInt(r, n), one))
  let scale = one
  if (cmp(a, minAmount) < 0) {
    a = minAmount
    let sum = int(0)
    for (let i = 0; i < n; i++) sum = add(sum, mul(a, powInt(r, i)))
    if (cmp(sum, T) > 0) scale = div(T, sum)
  }
  const tickLot = mul(ratio(tick), ratio(step))
  const issues: ConfigIssue[] = []
  const budgetK: number[] = []
  for (let i = 0; i < n; i++) {
    const amount = mul(mul(a, powInt(r, i)), scale)
    // Rounded DOWN: a rung never spends more than its amount.
    const k = toSafe(roundRatio(div(amount, tickLot), 'down'))
    if (k === null) {
      issues.push({
        path: 'totalAmount',
        value: config.totalAmount,
        message: `is too large for exact integer arithmetic with tickSize ${tick} and stepSize ${step}; lower it`,
      })
      break
    }
    budgetK.push(k)
  }
  // Minimums, rounded UP (a rung must reach them).
  const minLots = Math.max(
    1,
    toSafe(
      roundRatio(
        div(ratio(normalizeDecimal(market.minQuantity)), ratio(step)),
        'up',
      ),
    ) ?? Number.MAX_SAFE_INTEGER,
  )
  const maxLots =
    market.maxQuantity === undefined
      ? Number.POSITIVE_INFINITY
      : (toSafe(
          roundRatio(
            div(ratio(normalizeDecimal(market.maxQuantity)), ratio(step)),
            'down',
          ),
        ) ?? Number.POSITIVE_INFINITY)
  const minNotionalTL =
    toSafe(roundRatio(div(minAmount, tickLot), 'up')) ?? Number.MAX_SAFE_INTEGER

  // Money scale: as many extra decimals (up to 6) below a tick-lot as keep
  // 1000 x totalAmount a safe integer, so fees are exact or rounded UP by
  // less than 10^-moneyScale each.
  const base = tickDec + stepDec
  let extra = -1
  for (let e = 6; e >= 0; e--) {
    const units = roundRatio(mul(T, int(pow10(base + e) * 1000n)), 'up')
    if (units <= BigInt(Number.MAX_SAFE_INTEGER)) {
      extra = e
      break
    }
  }
  if (extra < 0)
    issues.push({
      path: 'totalAmount',
      value: config.totalAmount,
      message: `is too large for exact integer arithmetic with tickSize ${tick} and stepSize ${step}; lower it`,
    })
  if (issues.length > 0)
    throw new LadderConfigError('The ladder cannot be sized exactly.', issues)

  const pctMul = (value: string | false, sign: 1n | -1n): Ratio | null =>
    value === false
      ? null
      : reduce({
          n: 100n * ratio(value).d + sign * ratio(value).n,
          d: 100n * ratio(value).d,
        })

  const derived: Derived = {
    config,
    market,
    tickDec,
    tickMant,
    stepDec,
    stepMant,
    factorNum,
    factorDen: den,
    factorNumN: fast ? (factorNumN as number[]) : null,
    factorDenN: fast ? factorDenN : null,
    budgetK,
    minLots,
    maxLots,
    minNotionalTL,
    moneyScale: base + extra,
    tlMoney: tickMant * stepMant * 10 ** extra,
    tpMul: pctMul(config.takeProfitPercentage, 1n) as Ratio,
    slMul: pctMul(config.stopLossPercentage, -1n),
    trailMul: pctMul(config.trailingTakeProfitPercentage, -1n),
    noFillMs: Math.round(config.noFillRestartMinutes * 60_000),
    coolDownMs: Math.round(config.coolDownMinutes * 60_000),
    minPriceTicks: 0,
    steps: null,
  }
  if (Array.isArray(config.takeProfitSteps) && config.takeProfitSteps.length) {
    let cum = int(0)
    derived.steps = config.takeProfitSteps.map((st) => {
      cum = add(cum, ratio(st.share))
      return { mul: pctMul(st.profitPercent, 1n) as Ratio, cum }
    })
  }
  if (typeof config.minPrice === 'string')
    derived.minPriceTicks = priceToTicks(derived, config.minPrice, 'up') ?? 0
  if (!byMarket) {
    byMarket = new WeakMap()
    cache.set(config, byMarket)
  }
  byMarket.set(market, derived)
  return derived
}

/**
 * Price factors F_i = 1 - o - (d - o) x g_i, with o, d as fractions and
 * g_i the position of rung i between rung 0 and the lowest rung:
 * i/(n-1) for equal spacing, (q^i - 1)/(q^(n-1) - 1) for a geometric
 * step scale q (each gap q times the previous one). n = 1: g_0 = 0.
 */
function priceFactors(config: LadderConfig): Ratio[] {
  const n = config.orderCount
  const hundred = int(100)
  const o = div(ratio(config.firstRungOffsetPercentage), hundred)
  const d = div(ratio(config.maxDropPercentage), hundred)
  const q = ratio(config.stepScale)
  const one = int(1)
  const factors: Ratio[] = []
  for (let i = 0; i < n; i++) {
    let g: Ratio
    if (n === 1 || i === 0) g = int(0)
    else if (cmp(q, one) === 0) g = { n: BigInt(i), d: BigInt(n - 1) }
    else g = div(sub(powInt(q, i), one), sub(powInt(q, n - 1), one))
    factors.push(sub(sub(one, o), mul(sub(d, o), g)))
  }
  return factors
}

/** max(minOrderAmount, market.minNotional): the spec's m. */
function effectiveMinAmount(config: LadderConfig, market: LadderMarket): Ratio {
  const m = ratio(config.minOrderAmount)
  if (market.minNotional === undefined) return m
  const mn = ratio(normalizeDecimal(market.minNotional))
  return cmp(mn, m) > 0 ? mn : m
}

/**
 * Rung prices in ticks for a reference price given as integer units of
 * 10^-priceScale (rounded DOWN to the tick, spec step 1); with `upTo`, only
 * the first `upTo` rungs are written (the rest of `out` is left). @internal
 */
export function rungTicks(
  dv: Derived,
  priceUnits: number,
  priceScale: number,
  out: number[],
  upTo: number = dv.budgetK.length,
): void {
  const n = upTo
  const all = dv.budgetK.length
  // Setting the length is a runtime call even when it does not change.
  if (out.length !== all) out.length = all
  // ticks_i = floor(P x F_i / tickSize)
  //         = floor(Pu x num_i x 10^tickDec / (den x 10^priceScale x tickMant))
  const up = pow10Number(dv.tickDec)
  const down = pow10Number(priceScale) * dv.tickMant
  const nums = dv.factorNumN
  const den = dv.factorDenN
  if (
    nums !== null &&
    den !== null &&
    Number.isSafeInteger(priceUnits * up * (nums[0] ?? 0)) &&
    Number.isSafeInteger(den * down)
  ) {
    // factor numerators are decreasing, so nums[0] bounds every product.
    const denom = den * down
    const pu = priceUnits * up
    for (let i = 0; i < n; i++)
      out[i] = floorDiv(pu * (nums[i] as number), denom)
    return
  }
  const pu = BigInt(priceUnits) * pow10(dv.tickDec)
  const denom = dv.factorDen * pow10(priceScale) * BigInt(dv.tickMant)
  for (let i = 0; i < n; i++)
    out[i] = Number(divRound(pu * (dv.factorNum[i] as bigint), denom, 'down'))
}

/**
 * Sizes each rung for the given prices (spec steps 2 and 3) and marks the
 * dropped ones. @internal
 */
export function sizeRungs(dv: Derived, ticks: readonly number[]): UnitRung[] {
  const rungs: UnitRung[] = []
  let lastPlaced = Number.POSITIVE_INFINITY
  for (let i = 0; i < ticks.length; i++) {
    const p = ticks[i] as number
    const lots = rungLots(dv, i, p)
    const dropped = rungDrop(dv, p, lots, lastPlaced)
    if (dropped === null) lastPlaced = p
    rungs.push({ index: i, priceTicks: p, lots, dropped })
  }
  return rungs
}

/** Rung i's size in lots at `p` ticks (0 for a price that is dropped anyway). @internal */
export function rungLots(dv: Derived, i: number, p: number): number {
  return p <= 0 || p < dv.minPriceTicks
    ? 0
    : floorDiv(dv.budgetK[i] as number, p)
}

/**
 * Why a rung of `lots` at `p` ticks is dropped (spec step 3), given the
 * price of the last rung placed above it, or null when it is placed. @internal
 */
export function rungDrop(
  dv: Derived,
  p: number,
  lots: number,
  lastPlaced: number,
): DropReason | null {
  if (p <= 0) return 'priceRoundsToZero'
  if (p < dv.minPriceTicks) return 'belowMinPrice'
  if (p >= lastPlaced) return 'samePriceAsPrevious'
  if (lots === 0) return 'quantityRoundsToZero'
  if (lots < dv.minLots) return 'belowMinQuantity'
  if (p * lots < dv.minNotionalTL) return 'belowMinNotional'
  if (lots > dv.maxLots) return 'aboveMaxQuantity'
  return null
}

/** Formats ticks as a price string. @internal */
export function ticksToPrice(dv: Derived, ticks: number): DecimalString {
  return formatUnits(ticks * dv.tickMant, dv.tickDec)
}

/**
 * Formats lots as a quantity string (cached per step grid, see
 * ./quantityTexts.ts). @internal
 */
export function lotsToQuantity(dv: Derived, lots: number): DecimalString {
  return quantityText(dv, lots)
}

/** Formats money units as a quote amount. @internal */
export function moneyToString(dv: Derived, units: number): DecimalString {
  return formatUnits(units, dv.moneyScale)
}

/** Parses a price into ticks, rounded in the named direction; null when malformed. @internal */
export function priceToTicks(
  dv: Derived,
  price: string,
  rounding: 'down' | 'up',
): number | null {
  return toMultiples(price, dv.tickDec, dv.tickMant, rounding)
}

/** Parses a quantity into lots, rounded in the named direction; null when malformed. @internal */
export function quantityToLots(
  dv: Derived,
  quantity: string,
  rounding: 'down' | 'up',
): number | null {
  return toMultiples(quantity, dv.stepDec, dv.stepMant, rounding)
}

/** A decimal string in whole multiples of `mant` units of `10^-dec`, rounded; null when malformed. */
function toMultiples(
  text: string,
  dec: number,
  mant: number,
  rounding: 'down' | 'up',
): number | null {
  const units = parseUnits(text, dec, rounding)
  if (units === null) return null
  return rounding === 'down' ? floorDiv(units, mant) : ceilDiv(units, mant)
}

/**
 * Builds the ladder for a reference price: the rungs to place as decimal
 * strings (prices rounded DOWN to the tick, quantities rounded DOWN to the
 * step), and the rungs dropped with their reason (below the minimum
 * quantity or notional, a price that rounds to zero, a price equal to the
 * rung above after rounding). Pure and exact (LADDER-SPEC.md "The ladder").
 *
 * @param config - A normalized config (from {@link validateConfig} or
 *   {@link DEFAULT_LADDER_CONFIG}).
 * @param market - The market's rules; `market.symbol` must match `config.symbol`.
 * @param referencePrice - P, a decimal string > 0.
 * @returns The plan; its `totalNotional` never exceeds `config.totalAmount`.
 * @throws {LadderConfigError} when the market rules or the price are
 *   invalid, or when no rung survives (the message names the reason of each
 *   rung and what to change).
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, planLadder } from '@rung/ladder-strategy'
 * const plan = planLadder(
 *   DEFAULT_LADDER_CONFIG,
 *   { symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001' },
 *   '60000',
 * )
 * console.log(plan.rungs[0]) // { index: 0, price: '60000', quantity: '0.00067', notional: '40.2' }
 * ```
 */
export function planLadder(
  config: LadderConfig,
  market: LadderMarket,
  referencePrice: DecimalString,
): LadderPlan {
  const dv = derive(config, market)
  if (!isDecimal(referencePrice) || !/[1-9]/.test(referencePrice))
    throw new LadderConfigError('The reference price is not valid.', [
      {
        path: 'referencePrice',
        value: referencePrice,
        message: 'must be a decimal string > 0, e.g. "60000.5"',
      },
    ])
  const price = normalizeDecimal(referencePrice)
  const scale = decimalPlaces(price)
  const units = parseUnits(price, scale, 'exact')
  if (units === null)
    throw new LadderConfigError('The reference price is not valid.', [
      {
        path: 'referencePrice',
        value: referencePrice,
        message:
          'has too many digits for exact arithmetic (at most 15 significant digits)',
      },
    ])
  const ticks: number[] = []
  rungTicks(dv, units, scale, ticks)
  const sized = sizeRungs(dv, ticks)
  return formatPlan(dv, price, sized)
}

/** Turns an integer plan into a {@link LadderPlan}, or throws when nothing survives. @internal */
export function formatPlan(
  dv: Derived,
  price: DecimalString,
  sized: readonly UnitRung[],
): LadderPlan {
  const rungs: PlannedRung[] = []
  const dropped: DroppedRung[] = []
  let total = 0
  for (const r of sized) {
    const p = ticksToPrice(dv, Math.max(0, r.priceTicks))
    const q = lotsToQuantity(dv, r.lots)
    if (r.dropped)
      dropped.push({ index: r.index, price: p, quantity: q, reason: r.dropped })
    else {
      total += r.priceTicks * r.lots
      rungs.push({
        index: r.index,
        price: p,
        quantity: q,
        notional: moneyToString(dv, r.priceTicks * r.lots * dv.tlMoney),
      })
    }
  }
  if (rungs.length === 0) throw noRungError(dv, price, dropped)
  return {
    referencePrice: price,
    rungs,
    dropped,
    totalNotional: moneyToString(dv, total * dv.tlMoney),
  }
}

const FIX: Record<DropReason, string> = {
  priceRoundsToZero:
    'the price rounds down to 0 ticks; lower maxDropPercentage or use a market with a finer tickSize',
  quantityRoundsToZero:
    'the quantity rounds down to 0 steps; raise totalAmount or lower orderCount',
  belowMinQuantity:
    "the quantity is below the market's minQuantity; raise totalAmount or lower orderCount",
  belowMinNotional:
    'price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount',
  aboveMaxQuantity:
    "the quantity is above the market's maxQuantity; lower totalAmount or raise orderCount",
  samePriceAsPrevious:
    'the price rounds to the same tick as the rung above; raise maxDropPercentage or lower orderCount',
  belowMinPrice:
    'the price is below minPrice; lower minPrice or lower maxDropPercentage',
}

function noRungError(
  dv: Derived,
  price: string,
  dropped: readonly DroppedRung[],
): LadderConfigError {
  return new LadderConfigError(
    `No rung of the ladder at reference price ${price} can be placed on ${dv.market.symbol} (totalAmount ${dv.config.totalAmount}, orderCount ${dv.config.orderCount}).`,
    dropped.map((r) => ({
      path: `rungs[${r.index}]`,
      value: { price: r.price, quantity: r.quantity },
      message: `dropped (${r.reason}): ${FIX[r.reason]}`,
    })),
  )
}
