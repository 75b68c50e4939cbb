/**
 * Client ids of several ladders on one account. The exchange refuses a
 * client id that an open order of the account already carries, on any
 * market, and every ladder numbers its orders the same way
 * (`cycle x 1024 + slot`). So each market gets a slot of the uint32 space
 * (2^28 ids: 262,144 cycles), and its wire ids are its ladder's ids plus
 * `slot x 2^28`. The translation happens at the I/O boundary only (the REST
 * client and the order-update stream of that market): the strategy, its
 * journal and its history keep the ids they always had, so a market's
 * journal replays the same whatever the other markets do.
 *
 * The slots are stored in `<dataDir>/markets/slots.json` the first time a
 * market runs and never change, so reordering or adding markets in the
 * config keeps every market's ids (and a kill -9 recovery) exact. Slot 0
 * (offset 0: the classic ids) goes to the first market ever run there.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureOwnerOnlyDir, writeOwnerOnlyFile } from '../../ownerOnly.js'
import type { ExchangeClient } from '../exchange/exchange.js'
import type { StreamClientLike } from '../exchange/streamFeed.js'

/** Ids one market owns: 2^28. */
export const SLOT_SPAN = 2 ** 28
/** Markets one data directory can hold (2^32 / 2^28). */
export const MAX_SLOTS = 16

/**
 * The client-id slot of each market, read from (and added to)
 * `<dataDir>/markets/slots.json`.
 *
 * @param dataDir - The data directory.
 * @param symbols - The markets of this run.
 * @returns Each market's slot (0..15).
 * @throws {Error} when more than {@link MAX_SLOTS} markets have run on the data directory.
 */
export function clientIdSlots(
  dataDir: string,
  symbols: readonly string[],
): Record<string, number> {
  const dir = join(dataDir, 'markets')
  const path = join(dir, 'slots.json')
  const slots: Record<string, number> = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>)
    : {}
  let changed = false
  for (const symbol of symbols) {
    if (slots[symbol] !== undefined) continue
    const used = new Set(Object.values(slots))
    let slot = 0
    while (used.has(slot)) slot += 1
    if (slot >= MAX_SLOTS)
      throw new Error(
        `${MAX_SLOTS} markets have already run on ${dataDir}: ${symbol} has no client-id slot left.\nFix: use another --data-dir for it, or remove a market that no longer runs from ${path} (only once it has no open orders).`,
      )
    slots[symbol] = slot
    changed = true
  }
  if (changed) {
    ensureOwnerOnlyDir(dir)
    writeOwnerOnlyFile(path, `${JSON.stringify(slots, null, 2)}\n`)
  }
  return slots
}

/** Maps a wire client id back to the ladder's, or undefined when another market owns it. */
const fromWire = (offset: number) => (id: unknown) => {
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id
  if (typeof n !== 'number' || n < offset || n >= offset + SLOT_SPAN)
    return undefined
  return n - offset
}

/** A copy of `row` with its `clientId` mapped back (null when it is not this market's). */
function mapRow<T>(row: T, back: (id: unknown) => number | undefined): T {
  const r = row as { clientId?: unknown }
  if (r.clientId === undefined || r.clientId === null) return row
  const id = back(r.clientId)
  const clientId =
    id === undefined ? null : typeof r.clientId === 'string' ? String(id) : id
  return { ...row, clientId }
}

/**
 * The REST client of one market, with its client ids moved to its slot.
 *
 * @param client - The process's one SDK client.
 * @param slot - The market's slot ({@link clientIdSlots}).
 * @returns A client with the same methods.
 */
export function slottedClient(
  client: ExchangeClient,
  slot: number,
): ExchangeClient {
  if (slot === 0) return client
  const offset = slot * SLOT_SPAN
  const back = fromWire(offset)
  const toWire = (id: number) => {
    if (id >= SLOT_SPAN)
      throw new Error(
        `client id ${id} does not fit the market's client-id slot (${SLOT_SPAN} ids)`,
      )
    return id + offset
  }
  return {
    ...client,
    executeOrder: async (params, options) => {
      const order = await client.executeOrder(
        {
          ...params,
          clientId: toWire(params.clientId as number),
        } as typeof params,
        options,
      )
      return mapRow(order, back)
    },
    cancelOrder: async (params, options) => {
      const p = params as { clientId?: number }
      const sent =
        p.clientId === undefined
          ? params
          : ({ ...params, clientId: toWire(p.clientId) } as typeof params)
      return mapRow(await client.cancelOrder(sent, options), back)
    },
    getOpenOrders: async (params, options) =>
      (await client.getOpenOrders(params, options)).map((o) => mapRow(o, back)),
    cancelOpenOrders: async (params, options) =>
      (await client.cancelOpenOrders(params, options)).map((o) =>
        mapRow(o, back),
      ),
    getFillHistory: async (params, options) =>
      (await client.getFillHistory(params, options)).map((f) =>
        mapRow(f, back),
      ),
  } as ExchangeClient
}

/**
 * The stream view of one market, with its order updates' client ids mapped
 * back from its slot.
 *
 * @param stream - The market's view of the shared stream client.
 * @param slot - The market's slot.
 * @returns A stream client with the same methods.
 */
export function slottedStream(
  stream: StreamClientLike,
  slot: number,
): StreamClientLike {
  if (slot === 0) return stream
  const back = fromWire(slot * SLOT_SPAN)
  return {
    on: stream.on,
    close: stream.close,
    subscribe: ((name: string, listener: (event: unknown) => void, options) =>
      stream.subscribe(
        name as never,
        (name.startsWith('account.orderUpdate')
          ? (event: unknown) => listener(mapRow(event, back))
          : listener) as never,
        options,
      )) as StreamClientLike['subscribe'],
  }
}
