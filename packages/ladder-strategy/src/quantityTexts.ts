/**
 * Quantity texts of the machine (`lotsToQuantity`), cached per step grid.
 */
import { formatUnits } from './decimal.js'
import type { DecimalString } from './types.js'

/** A step grid: quantities are whole multiples of `stepMant` x 10^-`stepDec` (the plan's `Derived` is one). */
export interface StepGrid {
  readonly stepMant: number
  readonly stepDec: number
}

/**
 * Quantity texts already written, per step grid (`stepMant`, `stepDec`):
 * a run places a few sizes per rung over and over (a six-month backtest
 * writes some 17,000 quantities, about 1,300 distinct ones), and every set
 * of a sweep shares the grid. Bounded: past {@link QUANTITY_TEXTS} entries
 * a grid's texts are written afresh. A cache of a pure function: the text
 * is the same either way.
 */
const quantityTexts = new Map<string, Map<number, DecimalString>>()
const QUANTITY_TEXTS = 8192
// The grid of the last call (most calls come from the same setup).
let lastGrid: StepGrid | null = null
let lastTexts = new Map<number, DecimalString>()

/** `lots` on the setup's step grid as a quantity string, from the cache when written before. */
export function quantityText(dv: StepGrid, lots: number): DecimalString {
  if (dv !== lastGrid) {
    const key = `${dv.stepMant}e-${dv.stepDec}`
    let texts = quantityTexts.get(key)
    if (texts === undefined) {
      texts = new Map()
      quantityTexts.set(key, texts)
    }
    lastGrid = dv
    lastTexts = texts
  }
  let text = lastTexts.get(lots)
  if (text === undefined) {
    text = formatUnits(lots * dv.stepMant, dv.stepDec)
    if (lastTexts.size < QUANTITY_TEXTS) lastTexts.set(lots, text)
  }
  return text
}
