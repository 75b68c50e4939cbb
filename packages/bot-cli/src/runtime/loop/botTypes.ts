/** The public shapes of the trading loop: its options, the running bot, its outcome, its journal records. */
import type { LadderSetup, LadderState } from '@rung/ladder-strategy'
import type { Logger } from '../../ui/logger.js'
import type { StatusSnapshot } from '../../ui/statusView.js'
import type { HistoryStore, LeftoverSale } from '../history/historyTypes.js'
import type { Journal } from '../journal.js'
import type { Executor, MarketFeed } from '../ports.js'
import type { TradeRecord } from '../tradeRecord.js'

/** What the loop needs. */
export interface BotOptions {
  /** Strategy config and market rules. */
  setup: LadderSetup
  /** Performs commands (live, paper or dry-run). */
  executor: Executor
  /** Prices and order updates. */
  feed: MarketFeed
  /** The write-ahead journal (already opened: its replay is used). */
  journal: Journal
  /** Logger. */
  logger: Logger
  /** Clock in ms. */
  now: () => number
  /** `paper`, `live` or `dry-run`, for the status view. */
  mode: string
  /** Sell leftover balances before a fresh start. */
  sellNonUsdcAssets: boolean
  /** Minimum value of a leftover worth selling (decimal string). */
  sellNonUsdcMinValue: string
  /** What to do with open orders on a graceful stop. */
  onStop: 'cancel' | 'leave'
  /** REST polling period while the stream is down (ms). */
  monitorIntervalMs: number
  /** Periodic reconciliation period (ms). */
  checkOrdersIntervalMs: number
  /** Receives a status snapshot after every step. */
  onStatus?: ((snapshot: StatusSnapshot) => void) | undefined
  /** Real-time period of the timer check (ms). @default 100 */
  tickMs?: number | undefined
  /** Longest wait for the cancels of a graceful stop (ms). @default 15000 */
  stopTimeoutMs?: number | undefined
  /**
   * The trade history the records of every step are written to (and the
   * all-time realised profit read from); none when absent.
   */
  history?: HistoryStore | undefined
  /** Receives the trade records of every step (notifications). */
  onRecords?: ((records: readonly TradeRecord[]) => void) | undefined
  /** This session's id (journal notes, history rows). @default a random UUID */
  sessionId?: string | undefined
}

/** How the loop ended. */
export interface BotOutcome {
  /** `stopped` (the strategy stopped itself) or `signal` (stop requested). */
  reason: 'stopped' | 'signal'
  /** The final strategy state. */
  state: LadderState
  /** Realised profit of this session (decimal string). */
  realisedProfit: string
}

/** What the bot notes in its journal besides strategy events. */
export type JournalNote =
  | {
      /** A session began. */
      kind: 'sessionStarted'
      /** Session id. */
      id: string
      /** Market. */
      market: string
      /** `live`, `paper`, `dry-run`. */
      mode: string
      /** Whether it resumed a cycle. */
      resumed: boolean
    }
  | {
      /** A session ended. */
      kind: 'sessionEnded'
      /** Session id. */
      id: string
      /** `signal`, `stopped` or `failed`. */
      reason: string
    }
  | {
      /** A leftover balance was sold at the start. */
      kind: 'leftoverSold'
      /** Session id. */
      session: string
      /** The sale. */
      sale: LeftoverSale
    }

/** A running bot. */
export interface Bot {
  /** Resolves when the loop has ended (after the stop cleanup). */
  readonly done: Promise<BotOutcome>
  /**
   * Requests a graceful stop: finish the step in flight, then cancel or
   * leave the open orders as `onStop` says (`leaveOrders: true` leaves them
   * whatever it says: a market that takes no orders cannot take cancels
   * either, and the next start resumes them from the journal).
   */
  stop(how?: { leaveOrders?: boolean }): void
  /** The current strategy state. */
  state(): LadderState
}

/** The persisted snapshot: the strategy state plus the bot's own figures. */
export interface JournalSnapshot {
  ladder: LadderState
  cycleStartAt: number
  realisedProfit: string
}
