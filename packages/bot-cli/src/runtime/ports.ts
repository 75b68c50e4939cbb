/**
 * The two seams between the pure loop (`loop/`) and the outside world. Their
 * implementations live in `exchange/` (all I/O: REST, streams, dry-run);
 * tests can substitute either.
 */
import type {
  LadderCommand,
  LadderEvent,
  LadderState,
  ReconciledEvent,
} from '@rung/ladder-strategy'
import type { LeftoverSale } from './history/historyTypes.js'

/** Stream connection state as shown to the user. */
export type ConnectionState =
  | 'connecting'
  | 'open'
  | 'reconnecting'
  | 'closed'
  | 'polling'

/** What {@link Executor.run} returns. */
export interface RunResult {
  /** Events produced by the answers, in order. */
  events: LadderEvent[]
  /** The exchange's truth must be read back (no answer, or an order was gone). */
  reconcile: boolean
}

/** Performs the strategy's commands and reads the exchange's truth. */
export interface Executor {
  /**
   * Performs the I/O commands (`placeOrders`, `cancelOrders`, `sellPosition`)
   * in order (requests safe together, such as an exit's rung cancels and
   * market sell, may be in flight at once) and returns the events their
   * answers produce (`orderAccepted`, `orderRejected`, `orderCanceled`...),
   * in command order. An exchange refusal becomes an
   * event, and a missing answer stops the batch with `reconcile: true` so
   * the loop reads the truth back. It throws only an `ExitError` that no
   * retry can cure (the exchange rejects the API key), and so may
   * `reconcile`, `price` and `sellLeftovers`: the loop ends with it.
   */
  run(
    commands: readonly LadderCommand[],
    state: LadderState,
  ): Promise<RunResult>
  /** Open orders on the symbol and every fill of the machine's orders. */
  reconcile(state: LadderState, sinceMs: number): Promise<ReconciledEvent>
  /** The current reference price (best bid, else last price). */
  price(): Promise<string>
  /**
   * Sells leftover non-quote balances worth at least `minValue` (startup
   * `sellNonUsdcAssets`), keeping the quantities in `keep` (the bot's own
   * position), and returns the sales made (a dry run makes none: it lists
   * what it would sell).
   */
  sellLeftovers(
    minValue: string,
    keep?: Readonly<Record<string, string>>,
  ): Promise<LeftoverSale[]>
  /** What the account holds of `asset` (available + locked). */
  holdings(asset: string): Promise<string>
}

/** Callbacks a market feed delivers to the loop. */
export interface FeedHandlers {
  /** A new reference price. */
  onPrice(price: string, at: number): void
  /** An order update already turned into a strategy event. */
  onOrderEvent(event: LadderEvent): void
  /** The stream's connection state changed. */
  onConnection(state: ConnectionState): void
  /** A gap ended (the stream reconnected): the loop reconciles over REST. */
  onGapEnd(): void
}

/** Live prices and order updates (WebSocket). */
export interface MarketFeed {
  /** Subscribes; resolves once the subscriptions are sent. */
  start(handlers: FeedHandlers): Promise<void>
  /** Unsubscribes and closes. */
  stop(): Promise<void>
}
