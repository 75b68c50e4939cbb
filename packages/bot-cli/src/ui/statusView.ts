/**
 * The live terminal status view (TTY only). It redraws one block in place at
 * most `fps` times a second: the cursor moves up over the previous block and
 * clears to the end of the screen, so scrollback above it is untouched. The
 * cursor is hidden while drawing and shown again by `stop()` (also called on
 * exit paths), which leaves the terminal as it was found.
 */
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
  subtractDecimals,
} from '@rung/backpack-sdk'
import {
  decimalsOf,
  padDecimals,
  percentChange,
  toFixedDecimals,
} from '../decimal.js'

/** What the view shows; every amount is a decimal string. */
export interface StatusSnapshot {
  /** Market, e.g. `BTC_USDC`. */
  symbol: string
  /** `paper`, `live` or `dry-run`. */
  mode: string
  /** Strategy status (`laddering`, `inPosition`...). */
  status: string
  /** Last price seen. */
  price?: string | undefined
  /** Average entry of this cycle's fills. */
  averageEntry?: string | undefined
  /** Take-profit trigger price. */
  takeProfitPrice?: string | undefined
  /** Rungs filled in this cycle. */
  rungsFilled: number
  /** Rungs placed in this cycle. */
  rungsTotal: number
  /**
   * Base quantity held, exactly: this cycle's fills, less base-asset fees,
   * plus the remainder carried in from earlier cycles.
   */
  position: string
  /**
   * The part of `position` carried in from earlier cycles (what their exits
   * could not sell: below the step or the market minimum, or left by
   * base-asset fees); sold with this cycle's fills. Absent in status files
   * written by older versions.
   */
  carried?: string | undefined
  /** Realised profit of this session's cycles (quote). */
  realisedProfit: string
  /**
   * Realised profit over every session of the trade history (quote).
   * Absent without a history (and in status files of older versions).
   */
  realisedAllTime?: string | undefined
  /**
   * The status in words (`taking profit`, `ladder placed`...). Absent in
   * status files written by older versions (`status` is shown then).
   */
  statusText?: string | undefined
  /**
   * The price band (`minPrice .. maxPrice`, `-` for an open end), when the
   * strategy has one; absent otherwise (and in older status files).
   */
  priceBand?: string | undefined
  /**
   * Rolling rungs (`activeOrderCount`): how many of the ladder's rungs rest
   * on the book, e.g. `3 of 12 resting`; absent otherwise (and in older
   * status files).
   */
  rollingRungs?: string | undefined
  /**
   * Multi-step take profit (`takeProfitSteps`), while in position: each
   * step's profit and share, which have sold and which is next, e.g.
   * `+1% x0.5 sold, +2% x0.3 next, +3% x0.2`; absent otherwise.
   */
  takeProfitSteps?: string | undefined
  /** Completed take-profit cycles. */
  cycles: number
  /** Stream state: `open`, `reconnecting`, `polling`... */
  connection: string
  /** The last few log messages, newest last. */
  events: readonly string[]
  /**
   * The market's tick size: prices are shown with its decimals. Absent in
   * status files written by older versions (prices are then shown as they
   * are).
   */
  tickSize?: string | undefined
  /**
   * The market's step size: quantities are shown with its decimals. Absent
   * in status files written by older versions.
   */
  stepSize?: string | undefined
  /**
   * The orders on the book (or on their way to it): the ladder's resting
   * rungs and the exit, for the dashboard's chart. Absent in status files
   * written by older versions.
   */
  orders?: readonly RestingOrder[] | undefined
}

/** An order of the bot on the book, as the status and the dashboard show it. */
export interface RestingOrder {
  /** `buy` (a rung) or `sell` (the exit). */
  side: 'buy' | 'sell'
  /** Rung index, -1 for a sell. */
  rung: number
  /** Limit price (decimal string). */
  price: string
  /** Ordered quantity (decimal string). */
  quantity: string
}

/**
 * Derived figures shown by the view and by `rung status`: the unrealised
 * profit values the position at the price against this cycle's average entry
 * (the carried-in remainder, at most about one step, is valued at that entry
 * too), and the take-profit distance in percent of the price.
 */
export function describeStatus(s: StatusSnapshot): {
  unrealised: string | undefined
  tpDistance: string | undefined
} {
  const unrealised =
    s.price !== undefined &&
    s.averageEntry !== undefined &&
    compareDecimals(s.position, '0') > 0
      ? multiplyDecimals(subtractDecimals(s.price, s.averageEntry), s.position)
      : undefined
  const tpDistance =
    s.price !== undefined &&
    s.takeProfitPrice !== undefined &&
    compareDecimals(s.price, '0') > 0
      ? percentChange(s.takeProfitPrice, s.price)
      : undefined
  return { unrealised, tpDistance }
}

/**
 * A strategy status in words, for people: `exiting` says what the exit is
 * (taking profit, stop loss...).
 *
 * @param status - The strategy status.
 * @param reason - For `exiting`, why (`takeProfit`, `stopLoss`...).
 * @returns The words.
 */
export function statusWords(status: string, reason?: string): string {
  switch (status) {
    case 'idle':
      return 'not started'
    case 'starting':
      return 'waiting for a price to ladder'
    case 'laddering':
      return 'ladder placed'
    case 'inPosition':
      return 'in position'
    case 'exiting':
      return reason === 'stopLoss'
        ? 'stop loss: selling'
        : reason === 'stopRequested'
          ? 'stopping: selling the position'
          : reason === 'trailingTakeProfit'
            ? 'taking profit (trailing)'
            : 'taking profit'
    case 'coolingDown':
      return 'cooling down'
    case 'stopped':
      return 'stopped'
    default:
      return status
  }
}

/** Money in the view: 2 decimals, rounded to nearest (halves away from zero). */
export const formatMoney = (v: string | undefined): string =>
  v === undefined ? '-' : toFixedDecimals(v, 2, 'nearest')

/**
 * How the view writes a snapshot's numbers. Prices use the tick's decimals:
 * the last price and the average entry are rounded to nearest for display
 * (the average entry is exact in `status.json`); the take-profit price is
 * shown as the strategy computed it (only padded with zeros, never rounded).
 * The position uses the step's decimals (padded, never rounded: a remainder
 * finer than the step stays visible). Money has 2 decimals.
 */
export function formatStatusNumbers(s: StatusSnapshot): {
  price: string
  averageEntry: string
  takeProfitPrice: string
  position: string
  carried: string | undefined
} {
  const tick = s.tickSize === undefined ? undefined : decimalsOf(s.tickSize)
  const step = s.stepSize === undefined ? undefined : decimalsOf(s.stepSize)
  const roundedPrice = (v: string | undefined) =>
    v === undefined
      ? '-'
      : tick === undefined
        ? v
        : toFixedDecimals(v, tick, 'nearest')
  return {
    price: roundedPrice(s.price),
    averageEntry: roundedPrice(s.averageEntry),
    takeProfitPrice:
      s.takeProfitPrice === undefined
        ? '-'
        : padDecimals(s.takeProfitPrice, tick ?? 0),
    position: padDecimals(s.position, step ?? 0),
    carried:
      s.carried === undefined || compareDecimals(s.carried, '0') === 0
        ? undefined
        : padDecimals(s.carried, step ?? 0),
  }
}

/** Renders the block as lines (no ANSI), for the view and for tests. */
export function renderStatus(s: StatusSnapshot, width = 80): string[] {
  const { unrealised, tpDistance } = describeStatus(s)
  const shown = formatStatusNumbers(s)
  const money = formatMoney
  const total =
    unrealised === undefined
      ? s.realisedProfit
      : addDecimals(s.realisedProfit, unrealised)
  const lines = [
    `rung ${s.mode} ${s.symbol}  status ${s.statusText ?? s.status}  stream ${s.connection}`,
    `price ${shown.price}   avg entry ${shown.averageEntry}   take profit ${shown.takeProfitPrice}${tpDistance === undefined ? '' : ` (${tpDistance.startsWith('-') ? '' : '+'}${tpDistance}%)`}${s.priceBand === undefined ? '' : `   band ${s.priceBand}`}`,
    `rungs ${s.rungsFilled}/${s.rungsTotal}${s.rollingRungs === undefined ? '' : ` (${s.rollingRungs})`}   position ${shown.position}${shown.carried === undefined ? '' : ` (${shown.carried} carried in)`}   cycles ${s.cycles}`,
    ...(s.takeProfitSteps === undefined
      ? []
      : [`take-profit steps ${s.takeProfitSteps}`]),
    `profit realised ${money(s.realisedProfit)}${s.realisedAllTime === undefined ? '' : ` (all time ${money(s.realisedAllTime)})`}   unrealised ${money(unrealised)}   total ${money(total)}`,
    '-'.repeat(Math.min(width, 60)),
    ...s.events.slice(-6),
  ]
  return lines.map((line) =>
    // One column spare: a line that fills the width wraps on some terminals,
    // which would break the in-place redraw.
    line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line,
  )
}

/** A running status view. */
export interface StatusView<S extends StatusSnapshot = StatusSnapshot> {
  /** Schedules a redraw with the new snapshot (throttled). */
  update(snapshot: S): void
  /** Draws the final block and restores the cursor. */
  stop(): void
}

/**
 * Creates a view on a TTY stream.
 *
 * @param stream - The terminal.
 * @param options - `fps`: redraws per second at most; `render`: how a
 *   snapshot becomes lines (default {@link renderStatus}; a multi-market run
 *   passes its own).
 * @returns The view.
 */
export function createStatusView<S extends StatusSnapshot = StatusSnapshot>(
  stream: NodeJS.WriteStream,
  {
    fps = 4,
    render = renderStatus,
  }: { fps?: number; render?: (s: S, width: number) => string[] } = {},
): StatusView<S> {
  let drawn = 0
  let latest: S | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const restore = () => stream.write('\x1b[?25h')
  process.once('exit', restore)
  stream.write('\x1b[?25l')

  const draw = () => {
    timer = undefined
    if (latest === undefined) return
    // Some terminals (and pipes through \`script\`) report 0 columns.
    const columns = stream.columns ?? 0
    const lines = render(latest, columns >= 40 ? columns : 80)
    const up = drawn > 0 ? `\x1b[${drawn}F` : ''
    stream.write(`${up}\x1b[J${lines.join('\n')}\n`)
    drawn = lines.length
  }
  return {
    update(snapshot) {
      if (stopped) return
      latest = snapshot
      timer ??= setTimeout(draw, 1000 / fps)
    },
    stop() {
      if (stopped) return
      stopped = true
      if (timer) clearTimeout(timer)
      draw()
      restore()
      process.removeListener('exit', restore)
    },
  }
}
