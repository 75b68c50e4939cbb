/**
 * What the bot tells the notifier: its trade records (fills, take profits,
 * cycles, rejected orders), its warning and error log lines, the stream's
 * state (down for too long is critical), the day's realised profit after
 * midnight (UTC) and the end of the run. Every text passes the redactor.
 */
import { addDecimals } from '@rung/backpack-sdk'
import type { TradeRecord } from '../runtime/tradeRecord.js'
import { EXIT_WORDS } from '../runtime/tradeRecord.js'
import type { LogRecord } from '../ui/logger.js'
import type { Notifier, NotifyMessage } from './notifier.js'

/** Options of {@link createNotifyEvents}. */
export interface NotifyEventsOptions {
  /** Where the messages go. */
  notifier: Notifier
  /** The bot's market. */
  market: string
  /** `live`, `paper`, `dry-run`. */
  mode: string
  /** Minutes the stream may be down before a critical alert. */
  streamDownMinutes: number
  /** Scrubs secrets from every text. */
  redact: (text: string) => string
  /** Clock (ms). @default Date.now */
  now?: (() => number) | undefined
  /** Real-time period of the stream-down and midnight checks (ms). @default 5000 */
  checkEveryMs?: number | undefined
  /**
   * Send the day's realised profit after midnight (UTC). Off for the
   * run-level sink of a multi-market run (each market sends its own).
   * @default true
   */
  dailySummary?: boolean | undefined
}

/** The bot's side of the notifications. */
export interface NotifyEvents {
  /** A step's trade records. */
  records(records: readonly TradeRecord[]): void
  /** A log record (warnings and errors are sent; the notifier's own lines are not). */
  log(record: LogRecord): void
  /** The stream's state, as the status shows it. */
  connection(state: string): void
  /** The run ended (critical): why, and this session's realised profit. */
  stopped(reason: string, realisedProfit: string | undefined): void
  /** Stops the timer. */
  close(): void
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** A message without the fields `send` fills in. */
type Draft = Omit<NotifyMessage, 'market' | 'mode' | 'at'> & { at?: number }

// One literal per record kind, alike on purpose (`duplicates` pairs them):
// each kind picks its own words and fields.
/** The message a trade record sends, if any (fills, cycles, rejections). */
function recordMessage(market: string, r: TradeRecord): Draft | undefined {
  if (r.kind === 'fill') {
    const takeProfit =
      r.side === 'sell' &&
      (r.reason === undefined ||
        r.reason === 'takeProfit' ||
        r.reason === 'trailingTakeProfit')
    return {
      event: takeProfit ? 'takeProfit' : 'fill',
      at: r.at,
      title:
        r.side === 'buy'
          ? `${market} bought ${r.quantity} @ ${r.price} (rung ${r.rung + 1}, cycle ${r.cycle})`
          : `${market} ${EXIT_WORDS[r.reason ?? 'takeProfit']}: sold ${r.quantity} @ ${r.price} (cycle ${r.cycle})`,
      text:
        r.side === 'buy'
          ? `holding ${r.held}, average entry ${r.averageEntry ?? '-'}, take profit at ${r.takeProfitPrice ?? '-'}`
          : `fee ${r.fee} ${r.feeAsset}`,
      fields: {
        side: r.side,
        price: r.price,
        quantity: r.quantity,
        fee: r.fee,
        cycle: r.cycle,
        held: r.held,
      },
    }
  }
  if (r.kind === 'cycleCompleted')
    return {
      event: 'cycle',
      at: r.at,
      title: `${market} cycle ${r.cycle} ${EXIT_WORDS[r.reason]}: profit ${r.profit} USDC`,
      text: `fees ${r.fees} USDC${r.carriedQuantity === '0' ? '' : `, carried ${r.carriedQuantity}`}`,
      fields: {
        cycle: r.cycle,
        reason: r.reason,
        profit: r.profit,
        fees: r.fees,
        carriedQuantity: r.carriedQuantity,
      },
    }
  if (r.kind === 'orderRejected')
    return {
      event: 'critical',
      at: r.at,
      title: `${market}: order ${r.clientId} rejected${r.reason === undefined ? '' : ` (${r.reason})`}`,
      text: `${r.side} ${r.quantity} @ ${r.price}`,
      fields: { clientId: r.clientId, reason: r.reason ?? null },
    }
  return undefined
}

/**
 * Starts turning the bot's events into notifications.
 *
 * @param options - The notifier, the market, the mode and the thresholds.
 * @returns The event sink; `close()` stops its timer.
 */
export function createNotifyEvents(options: NotifyEventsOptions): NotifyEvents {
  const { notifier, market, mode, redact } = options
  const now = options.now ?? Date.now
  const downLimitMs = options.streamDownMinutes * 60_000
  let downSince: number | undefined
  let downAlerted = false
  let day = dayOf(now())
  let dayProfit = '0'
  let dayFees = '0'
  let dayCycles = 0

  const send = (m: Draft) =>
    notifier.notify({
      ...m,
      at: m.at ?? now(),
      market,
      mode,
      title: redact(m.title),
      text: redact(m.text),
    })

  function check() {
    const t = now()
    if (
      downSince !== undefined &&
      !downAlerted &&
      t - downSince >= downLimitMs
    ) {
      downAlerted = true
      send({
        event: 'critical',
        title: `${market}: market stream down for ${Math.round((t - downSince) / 60_000)} min`,
        text: 'No live prices or order updates; the bot polls over REST until the stream is back.',
        fields: { downSinceMs: downSince },
      })
    }
    const today = dayOf(t)
    if (today !== day && options.dailySummary !== false) {
      send({
        event: 'daily',
        title: `${market} ${day}: realised profit ${dayProfit} USDC over ${dayCycles} cycle${dayCycles === 1 ? '' : 's'}`,
        text: `fees ${dayFees} USDC`,
        fields: { day, profit: dayProfit, fees: dayFees, cycles: dayCycles },
      })
      day = today
      dayProfit = '0'
      dayFees = '0'
      dayCycles = 0
    }
  }
  const timer = setInterval(check, options.checkEveryMs ?? 5000)
  timer.unref()

  return {
    records(records) {
      for (const r of records) {
        if (r.kind === 'cycleCompleted') {
          check()
          dayProfit = addDecimals(dayProfit, r.profit)
          dayFees = addDecimals(dayFees, r.fees)
          dayCycles++
        }
        const message = recordMessage(market, r)
        if (message !== undefined) send(message)
      }
    },
    log(record) {
      if (record.level !== 'warn' && record.level !== 'error') return
      // The notifier's own lines would feed back into it.
      if (record.msg.startsWith('notify:')) return
      const fix = record.fields?.fix
      const error = record.fields?.error
      send({
        event: record.level === 'warn' ? 'warning' : 'error',
        at: Date.parse(record.time),
        title: `${market}: ${record.msg}`,
        text: [error, fix].filter((x) => typeof x === 'string').join('\n'),
      })
    },
    connection(state) {
      if (state === 'open') {
        if (downAlerted)
          send({
            event: 'critical',
            title: `${market}: market stream back`,
            text: '',
          })
        downSince = undefined
        downAlerted = false
      } else downSince ??= now()
      check()
    },
    stopped(reason, realisedProfit) {
      send({
        event: 'critical',
        title: `${market}: bot stopped (${reason})`,
        text:
          realisedProfit === undefined
            ? ''
            : `realised profit this session ${realisedProfit} USDC`,
        fields: { reason, realisedProfit: realisedProfit ?? null },
      })
    },
    close() {
      clearInterval(timer)
    },
  }
}
