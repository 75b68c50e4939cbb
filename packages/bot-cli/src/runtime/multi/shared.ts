/**
 * What the ladders of one process share: the one WebSocket connection (each
 * ladder's feed subscribes its own market's public and private streams on
 * it; the exchange sends `account.orderUpdate.<symbol>` per market, so each
 * update reaches its own ladder), and the data directory's layout: one
 * subfolder per market holding that market's journal and status, so a
 * kill -9 recovery replays each market's journal on its own.
 *
 *   <dataDir>/rung.pid                   one lock for the whole process
 *   <dataDir>/status.json                every market and the total
 *   <dataDir>/history.jsonl              one trade history (rows carry the market)
 *   <dataDir>/markets/<SYMBOL>/journal.jsonl
 *   <dataDir>/markets/<SYMBOL>/status.json
 *   <dataDir>/markets/<SYMBOL>/stop      written by `rung stop --market`
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { StreamClient } from '@rung/backpack-sdk'
import type { StreamClientLike } from '../exchange/streamFeed.js'

/** The folder of one market inside the data directory. */
export const marketDir = (dataDir: string, symbol: string): string =>
  join(dataDir, 'markets', symbol)

/** The control file `rung stop --market` writes and the running bot watches. */
export const STOP_FILE = 'stop'

/** The process's one stream client, as {@link shareStream} needs it. */
export type SharedStreamClient = StreamClientLike & Pick<StreamClient, 'off'>

/**
 * Shares one stream client among the ladders' feeds: each feed gets a view
 * whose `close()` removes that view's listeners (its feed unsubscribes its
 * own streams) and leaves the connection open for the others, so a paused
 * ladder can later take a new view. The caller closes the connection
 * itself, once, when the run ends.
 *
 * @param stream - The process's one stream client.
 * @returns A factory of views, one per feed.
 */
export function shareStream(
  stream: SharedStreamClient,
): () => StreamClientLike {
  return () => {
    const listeners: [string, (...args: never[]) => void][] = []
    const view: StreamClientLike = {
      on: ((event: string, listener: (...args: never[]) => void) => {
        listeners.push([event, listener])
        stream.on(event as never, listener as never)
        return view
      }) as unknown as StreamClientLike['on'],
      subscribe: stream.subscribe.bind(stream) as StreamClientLike['subscribe'],
      async close() {
        for (const [event, listener] of listeners.splice(0))
          stream.off(event as never, listener as never)
      },
    }
    return view
  }
}

/**
 * Watches each market's stop file: when one appears it is removed and
 * `onStop(symbol)` is called once for that market.
 *
 * @param dataDir - The data directory.
 * @param symbols - The markets running.
 * @param onStop - Stops that market's ladder.
 * @param everyMs - Polling period (ms).
 * @returns Stops watching.
 */
export function watchStopFiles(
  dataDir: string,
  symbols: readonly string[],
  onStop: (symbol: string) => void,
  everyMs = 250,
): () => void {
  const pending = new Set(symbols)
  // A stop file left from before this run is not a request to this run.
  for (const s of symbols)
    rmSync(join(marketDir(dataDir, s), STOP_FILE), { force: true })
  const timer = setInterval(() => {
    for (const symbol of pending) {
      const path = join(marketDir(dataDir, symbol), STOP_FILE)
      if (!existsSync(path)) continue
      rmSync(path, { force: true })
      pending.delete(symbol)
      onStop(symbol)
    }
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
